#!/bin/sh
# The API's documentation: every public function has a comment in its
# header and a section 3 page (doc/man3) that lists it; every page names
# only real functions and renders without a warning; `make install`'s
# .so links resolve.
set -u
cd "$(dirname "$0")/.." || exit 1
n=0
fail=0
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}
D=$(mktemp -d) || exit 1
trap 'rm -rf "$D"' EXIT

# FILE:LINE:NAME of each public function: prototypes, and hypercall.h's
# vmware_hypercall* definitions (its other inlines are its internals).
for h in include/vmwcall/*.h; do
	awk -v f="$h" '
		/^[a-z]/ && match($0, /(vmw_[a-z0-9_]+|vmware_hypercall[a-z0-9_]*)\(/) {
			name = substr($0, RSTART, RLENGTH - 1)
			if (f ~ /hypercall\.h$/ && name !~ /^vmware_hypercall/) next
			start = NR
			if (prev ~ /^static /) start = NR - 1
			print f ":" start ":" name
		}
		{ prev = $0 }' "$h"
done > "$D/funcs"
ok "$([ -s "$D/funcs" ]; echo $?)" "found $(wc -l < "$D/funcs") public functions"

# Documented: walking up from the declaration over a group of prototypes
# reaches the end of a comment before a blank line or another body.
undoc=$(while IFS=: read -r f line name; do
	awk -v l="$line" -v name="$name" '
		{ text[NR] = $0 }
		END {
			for (i = l - 1; i > 0; i--) {
				if (text[i] ~ /\*\/[ \t]*$/) exit
				if (text[i] ~ /^[ \t]*$/ || text[i] ~ /^}/) { print name; exit }
			}
		}' "$f"
done < "$D/funcs")
ok "$([ -z "$undoc" ]; echo $?)" "every public function has a comment in its header"
[ -z "$undoc" ] || echo "#   undocumented:" $undoc

# The functions every page's NAME section lists.
for p in doc/man3/*.3; do
	sed -n '/^\.SH NAME/,/\\-/p' "$p" | sed '1d; s/\\-.*//' | tr ', ' '\n\n' | grep . |
		grep -v '^vmwcall$'
done | sort > "$D/named"
cut -d: -f3 "$D/funcs" | sort -u > "$D/declared"
missing=$(comm -23 "$D/declared" "$D/named")
ok "$([ -z "$missing" ]; echo $?)" "every public function is in a man page's NAME section"
[ -z "$missing" ] || echo "#   no page:" $missing
stale=$(comm -13 "$D/declared" "$D/named")
ok "$([ -z "$stale" ]; echo $?)" "every function a page names exists"
[ -z "$stale" ] || echo "#   not declared:" $stale
dup=$(uniq -d "$D/named")
ok "$([ -z "$dup" ]; echo $?)" "no function on two pages"

if command -v man >/dev/null && command -v groff >/dev/null; then
	for p in doc/man3/*.3; do
		w=$(LC_ALL=C.UTF-8 man --warnings -E UTF-8 -l -Tutf8 -Z "$p" 2>&1 >/dev/null)
		ok "$([ -z "$w" ]; echo $?)" "$p renders without warnings"
		[ -z "$w" ] || echo "$w" | sed 's/^/#   /'
	done
	mkdir -p "$D/man3" && cp doc/man3/*.3 "$D/man3/" && sh doc/man3/links.sh "$D/man3"
	bad=$(cd "$D" && for f in $(cut -d: -f3 funcs); do
		man -l "man3/$f.3" 2>/dev/null | grep -q "^ *$f\b\|[ ,]$f[,(]" || echo "$f"
	done)
	ok "$([ -z "$bad" ]; echo $?)" "each function's page (or .so link) shows it"
	[ -z "$bad" ] || echo "#   not shown:" $bad
else
	echo "# man/groff not installed: rendering not checked"
fi
echo "1..$n"
exit $fail
