#!/bin/sh
# debian/libvmwcall0.symbols lists exactly what libvmwcall.so exports (so
# the package build's symbols check cannot be the first to notice).
set -u
O=${O:?O is the build directory}
L=$O/libvmwcall.so.0
S=$(dirname "$0")/../debian/libvmwcall0.symbols
[ -f "$L" ] || { echo "1..0 # SKIP no $L"; exit 0; }
echo "1..2"
nm -D --defined-only "$L" | awk '{ sub(/@@/, "@", $3); print ($3 ~ /@/) ? $3 : $3 "@" $3 }' |
	sort > "$O/exports.list"
sed -n 's/^ \([^ ]*\) .*/\1/p' "$S" | sort > "$O/symbols.list"
if [ -s "$O/exports.list" ]; then echo "ok 1 - the library exports symbols"; else echo "not ok 1 - no exports"; fi
if cmp -s "$O/exports.list" "$O/symbols.list"; then
	echo "ok 2 - debian symbols file matches the exports"
else
	echo "not ok 2 - debian symbols file differs from the exports"
	diff "$O/symbols.list" "$O/exports.list" | sed 's/^/#   /'
	exit 1
fi
