# Text tools over files the applets write and read back: awk (with its own file output and
# getline), sed in place, sort on keys, grep, cut, tr, diff, tac, nl, fold, expand, base64,
# xxd and bc. Input and output are files in the current directory.

printf '%s\n' 'name,dept,salary' 'ada,eng,120' 'bob,ops,80' 'cy,eng,95' 'di,ops,105' 'ed,hr,70' > staff.csv

bb awk -F, 'NR > 1 { total[$2] += $3; n[$2]++ }
  END { for (d in total) printf "%s %d %.2f\n", d, total[d], total[d] / n[d] > "totals.txt" }' staff.csv
bb sort totals.txt
bb awk -F, 'NR > 1 { print $1 > ($2 ".txt") } END { close("eng.txt"); while ((getline l < "eng.txt") > 0) print "eng:", l }' staff.csv
bb cat ops.txt hr.txt
bb awk 'BEGIN { printf "%d %s %.3f %e %x\n", 2147483647 + 1, substr("abcdef", 2, 3), 22 / 7, 1e100, 255;
  s = "a-b-c"; n = split(s, parts, "-"); print n, parts[3], toupper(s), length(s), index(s, "c");
  x = "hello world"; gsub(/o/, "0", x); print x; print match("foobar", /ob+/), RSTART, RLENGTH }'
bb awk 'BEGIN { exit 3 }'
echo "awk exit rc=$?"

bb sort -t, -k3,3n staff.csv
bb sort -t, -k2,2 -k1,1r staff.csv
bb sort -u -t, -k2,2 staff.csv
bb grep -n eng staff.csv
bb grep -c -v eng staff.csv
bb grep -E '^(ada|ed),' staff.csv
bb grep -q nobody staff.csv
echo "grep no match rc=$?"
bb grep x missing.csv
echo "grep missing file rc=$?"
bb cut -d, -f1,3 staff.csv
bb tr 'a-z' 'A-Z' < staff.csv
bb tr -d ',\n' < staff.csv
echo

bb cp staff.csv edited.csv
bb sed -i -e 's/ops/operations/' -e '/^ed,/d' -e '1i # edited' edited.csv
bb cat edited.csv
bb sed -n '2,3p;$=' staff.csv
bb sed 's/\([a-z]*\),\([a-z]*\)/\2:\1/' staff.csv

bb seq 1 10 > ten.txt
bb seq 5 15 > more.txt
bb diff ten.txt more.txt
echo "diff rc=$?"
bb tac ten.txt | bb head -n 3
bb nl -ba staff.csv
printf 'tab\there\nand a long line that is going to be folded somewhere\n' > misc.txt
bb expand misc.txt
bb fold -w 12 misc.txt
bb base64 staff.csv > staff.b64
bb base64 -d staff.b64 | bb cmp - staff.csv && echo "base64 round trip"
bb xxd -l 32 staff.csv
echo 'scale=20; 4*a(1)' | bb bc -l
echo '2^100' | bb bc
bb factor 1234567890 600851475143
