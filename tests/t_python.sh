#!/bin/sh
# The Python module (python/vmwcall) under vmwcall-emu and outside it, and
# cloud-init's VMware data source reading guestinfo through it.
set -u
O=${O:?O is the build directory}
E=$O/vmwcall-emu
. "$(dirname "$0")/trapping.sh"
need_trapping
P=${PYTHON:-}
# Debian's cloud-init lives in the system interpreter's dist-packages.
[ -n "$P" ] || { [ -x /usr/bin/python3 ] && P=/usr/bin/python3; } || P=python3
command -v "$P" >/dev/null || { echo "1..0 # SKIP no python3"; exit 0; }
[ -x "$E" ] || { echo "1..0 # SKIP no $E"; exit 0; }
"$E" -- true 2>/dev/null || { echo "1..0 # SKIP ptrace not permitted here"; exit 0; }
# A sanitizer or i386 library cannot load into this interpreter.
if nm -D "$O/libvmwcall.so.0" 2>/dev/null | grep -q __asan_; then
	echo "1..0 # SKIP sanitizer build: the interpreter lacks its runtime"; exit 0
fi
[ "$(od -An -tx1 -j4 -N1 "$O/libvmwcall.so.0" | tr -d ' ')" = 02 ] ||
	{ echo "1..0 # SKIP not a 64-bit library"; exit 0; }

T=$(cd "$(dirname "$0")/../python" && pwd)
export VMWCALL_LIB=$O/libvmwcall.so.0 PYTHONPATH=$T:$T/tests PYTHONDONTWRITEBYTECODE=1

# Every module's TAP in one stream: renumber the tests, one plan at the end.
D=$(mktemp -d) || exit 1
trap 'rm -rf "$D"' EXIT
"$P" "$T/tests/tap.py" test_outside > "$D/1" 2>&1
"$E" --set guestinfo.greeting=hello --uuid 00112233-4455-6677-8899-aabbccddeeff \
	--memsize 3072 --mhz 2500 --type 2 --tclo reset -- \
	"$P" "$T/tests/tap.py" test_emu > "$D/2" 2>&1
set --
for s in $("$P" "$T/tests/test_cloudinit.py" "$D"); do set -- "$@" --set "$s"; done
"$E" "$@" -- "$P" "$T/tests/tap.py" test_cloudinit > "$D/3" 2>&1
# A run that died before its plan, or stopped early, is a failure too.
cat "$D/1" "$D/2" "$D/3" | awk '
	/^1\.\.[0-9]+/ { plans++; planned += substr($0, 4); next }
	/^(not )?ok [0-9]+/ { n++; sub(/^ok [0-9]+/, "ok " n); sub(/^not ok [0-9]+/, "not ok " n) }
	{ print }
	END {
		if (plans != 3 || n != planned)
			printf "not ok %d - %d of 3 runs planned %d tests, %d ran\n", ++n, plans, planned, n - 1
		print "1.." n
	}'
