# Errors and exit codes, as bash reports them.
set -u
echo start
f() { return 3; }; f; echo "function status $?"
unset nothing; echo "${nothing:-default}"
false || echo "false failed"
readonly r=1; r=2 2>/dev/null; echo "readonly kept $r"
echo "about to fail"; echo "$undefined_variable"
echo "not reached"
