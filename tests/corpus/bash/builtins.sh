# bash's builtins and expansions, no external commands (those need fork).
x=3; y=$((x * 14)); echo "answer $y"
for i in 1 2 3; do printf '%s-' "$i"; done; echo
f() { local a=$1; echo "f got $a"; return 7; }; f hello; echo "status $?"
s="hello world"; echo "${s^^} ${#s} ${s/world/there} ${s:6:3}"
arr=(b a c); arr+=(d); echo "${arr[@]} ${#arr[@]} ${!arr[@]}"
case "$s" in hel*) echo matched;; esac
echo $(( 2 ** 10 )) $(( -7 / 2 )) $(( -7 % 3 )) $(( 1 << 40 ))
declare -A m; m[k]=v; echo "m[k]=${m[k]} size ${#m[@]}"
set -- a b c; shift; echo "$@ $#"
printf '%5.2f|%-4s|%x|%o|%e\n' 3.14159 ab 255 8 12345.678
[[ "abc" =~ ^a(b)c$ ]] && echo "regex ${BASH_REMATCH[1]}"
echo done > out.txt; read -r line < out.txt; echo "read $line"
echo nested > f.txt; [[ -f f.txt && ! -d f.txt ]] && echo "file exists"
echo "pwd is ${PWD##*/}"; type -t f; type -t echo
