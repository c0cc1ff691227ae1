# Here-documents and here-strings: bash writes them to a temporary file in /tmp, which
# `elfconv2 run` provides (a private, empty one).
while read -r l; do echo "heredoc: $l"; done <<END
line one $((6 * 7))
line two
END
while read -r a b; do echo "got: $b $a"; done <<< "here string"
cat_builtin() { while IFS= read -r l; do printf '%s\n' "$l"; done; }
cat_builtin <<'RAW' > raw.txt
$not_expanded `nor this`
RAW
read -r v < raw.txt; echo "raw: $v"
