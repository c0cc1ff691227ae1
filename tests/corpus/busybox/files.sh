# Files and directories: busybox's file applets create, fill, copy, move, link, list, search and
# remove a small tree in the current directory. Each `bb` line is one run of the guest busybox;
# `rc=` lines record exit codes, error paths included.

bb mkdir -p tree/a/b/c tree/d
echo "mkdir rc=$?"
bb mkdir tree/d
echo "mkdir existing rc=$?"
bb mkdir tree/missing/x
echo "mkdir no-parent rc=$?"

bb seq 1 200 > tree/a/numbers.txt
bb yes 'a line of text' | head -n 50 > tree/a/lines.txt
printf 'banana\napple\ncherry\napple\n' > tree/d/fruit.txt
bb wc tree/a/numbers.txt tree/a/lines.txt tree/d/fruit.txt
bb cat tree/d/fruit.txt tree/d/fruit.txt
bb head -n 3 tree/a/numbers.txt
bb tail -n 2 tree/a/numbers.txt
bb tail -c 9 tree/a/numbers.txt

bb cp tree/d/fruit.txt tree/d/fruit.copy
bb cmp tree/d/fruit.txt tree/d/fruit.copy && echo "cmp same"
bb mv tree/d/fruit.copy tree/a/b/fruit.moved
bb ls tree/d tree/a/b
bb cp -r tree/a tree/a-copy
echo "cp -r rc=$?"
bb ls -R tree/a-copy
bb diff -r tree/a tree/a-copy && echo "diff -r same"

bb ln -s ../d/fruit.txt tree/a/link
bb readlink tree/a/link
bb cat tree/a/link
bb ln tree/d/fruit.txt tree/d/hard
bb stat -c '%n %s %h %F' tree/d/fruit.txt tree/d/hard tree/a/link tree/a tree/d
bb stat -L -c '%n %s %F' tree/a/link
bb test -L tree/a/link && echo "is a symlink"
bb test -d tree/a/b/c && echo "is a directory"
bb test -s tree/a/b/c/none || echo "no such file"

bb find tree -type f | bb sort
bb find tree -name '*.txt' -size +1 | bb sort
bb find tree -type d -empty | bb sort
bb find tree -type l

bb rm tree/a/b/c
echo "rm dir rc=$?"
bb rmdir tree/a
echo "rmdir non-empty rc=$?"
bb rmdir tree/a/b/c
echo "rmdir rc=$?"
bb rm -r tree/a-copy
echo "rm -r rc=$?"
bb rm tree/nothing
echo "rm missing rc=$?"
bb rm -f tree/nothing
echo "rm -f missing rc=$?"
bb cat tree/nothing
echo "cat missing rc=$?"
bb cat tree/d
echo "cat dir rc=$?"
bb ls tree/nothing
echo "ls missing rc=$?"

bb truncate -s 10 tree/a/numbers.txt
bb cat tree/a/numbers.txt
bb truncate -s 100 tree/a/numbers.txt
bb od -c tree/a/numbers.txt | bb tail -n 3
bb dd if=tree/a/lines.txt of=tree/dd.out bs=7 count=5 skip=1 2>&1
bb cat tree/dd.out
echo
bb sha256sum tree/a/lines.txt tree/dd.out
bb md5sum tree/d/fruit.txt
bb touch -d "2020-02-02 02:02:02" tree/a/lines.txt
bb gzip -k tree/a/lines.txt
bb gunzip -c tree/a/lines.txt.gz | bb uniq -c
bb ls tree/a
