# The busybox shell (ash) itself runs a script of builtins: variables, arithmetic, functions,
# loops, case, globbing, redirections into files, `read` loops over them, here-documents (an
# in-process pipe), traps and its own exit code. Applets outside the shell's builtins, command
# substitution and subshells need fork, which comes in a later issue, so the script avoids them.

bb mkdir dir.one dir.two
bb sh -s alpha 'beta gamma' <<'SCRIPT'
echo "args: $# [$1] [$2]"
shift
echo "after shift: $# [$1]"

count=0
i=1
while [ $i -le 100 ]; do
  count=$((count + i * i % 7))
  i=$((i + 1))
done
echo "arithmetic: $count $((1 << 20)) $((-7 / 2)) $((-7 % 2)) $((0x7fffffffffffffff + 1)) $((3 > 2 && 1))"

# Recursion through shell functions, the result in a global.
fact() {
  if [ "$1" -le 1 ]; then result=1; return; fi
  fact $(($1 - 1))
  result=$(($1 * result))
}
fact 20
echo "20! = $result"

words="the quick brown fox jumps over the lazy dog"
for w in $words; do
  case $w in
    the) kind=article ;;
    [aeiou]*) kind=vowel ;;
    *o*) kind=has-o ;;
    *) kind=other ;;
  esac
  printf '%-6s %-8s %d\n' "$w" "$kind" "${#w}"
done

v=/usr/local/lib/libthing.so.1.2
echo "${v##*/} ${v%/*} ${v#*/} ${v%%.*} ${v:-unset} ${unset_var:-default} ${#v}"

# Directories: globbing lists them, cd enters them, relative paths resolve against the new cwd.
for d in dir.*; do
  [ -d "$d" ] && echo "directory: $d"
done
cd dir.missing 2>/dev/null || echo "cd dir.missing failed"
cd dir.one
echo "cwd ends in: ${PWD##*/}"
echo "first line" > out.txt
echo "second line" >> out.txt
printf '%s\n' 3 1 2 >> out.txt
n=0
while IFS= read -r line; do
  n=$((n + 1))
  echo "$n: $line"
done < out.txt
exec 3<> rw.txt
echo "via fd 3" >&3
exec 3>&-
read -r first < rw.txt
echo "read back: $first"
set -- *.txt
echo "glob: $# $*"
set -- nomatch*
echo "no match: $1"
[ -f out.txt ] && [ -s out.txt ] && [ ! -e nothing ] && echo "test: ok"
cd ..
[ -d dir.one ] && echo "back in the parent" > dir.two/where.txt
read -r a b < dir.two/where.txt
echo "[$a] [$b]"
[ -f dir.one/out.txt ] && echo "relative path from the parent works"
echo "redirect into a directory" > dir.two 2>/dev/null || echo "writing a directory fails"
read -r x < dir.missing/file 2>/dev/null || echo "reading a missing file fails"

cat_builtin() { while IFS= read -r l; do echo "> $l"; done; }
cat_builtin <<EOF
here-document with $((6 * 7)) and ${#words}
second line
EOF

printf '%5.2f|%x|%o|%e|%c|%s|%%\n' 3.14159 255 8 12345.678 xyz 'str'
printf '%d %i %u\n' -42 0x1f 3000000000
type cd
command -v echo
umask 027
umask
umask -S

trap 'echo "trap on exit: status $?"' EXIT
false || echo "false gives $?"
exit 7
SCRIPT
echo "shell rc=$?"

bb sh -c 'echo "-c works: $0 $1"; exit 3' zero one
echo "sh -c rc=$?"
bb sh -c 'syntax error ('
echo "syntax error rc=$?"
bb sh nonexistent.sh
echo "missing script rc=$?"
