#!/bin/sh
# Protocol constants live in include/vmwcall/proto.h only: the guestinfo
# prefix and the transport numbers are defined nowhere else in the C code.
set -u
cd "$(dirname "$0")/.." || exit 1
n=0
fail=0
# none WHAT GREP-ARGS...: no line in src cli emu fuzz bench tests include but proto.h matches.
none() {
	what=$1; shift
	n=$((n + 1))
	hits=$(grep -rnE "$@" src cli emu fuzz bench tests include --include='*.c' --include='*.h' |
		grep -v '^include/vmwcall/proto\.h:')
	if [ -z "$hits" ]; then echo "ok $n - $what"; else
		echo "not ok $n - $what"; printf '%s\n' "$hits" | sed 's/^/#   /'; fail=1; fi
}
none 'the "guestinfo." prefix: VMW_GUESTINFO_PREFIX only' \
	'define[[:space:]]+[A-Z_]+[[:space:]]+"guestinfo\."|"guestinfo\.", *[0-9]|sizeof\("guestinfo\."\)'
none 'VMW_TRANSPORT_* defined once' 'define[[:space:]]+VMW_TRANSPORT_(AUTO|IO|VMCALL|VMMCALL|TDX)\b'
echo "1..$n"
exit $fail
