# Shared by the shell tests: TAP lines, comparisons, a scratch directory.
# Source it after setting nothing; it sets O, V, E, D, n and fail.
set -u
O=${O:?O is the build directory}
. "$(dirname "$0")/trapping.sh"
need_trapping
V=$O/vmwcall
E=$O/vmwcall-emu
n=0
fail=0
export LC_ALL=C
# LeakSanitizer cannot run under ptrace; the rest of ASan can (SAN=1 builds).
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0

# ok DESCRIPTION COMMAND...: one TAP line from COMMAND's status.
ok() {
	d=$1; shift
	n=$((n + 1))
	if "$@"; then echo "ok $n - $d"; else echo "not ok $n - $d"; fail=1; fi
}
skip() { n=$((n + 1)); echo "ok $n # SKIP $*"; }
eq() { [ "$1" = "$2" ] || { printf '#   got  %.300s\n#   want %.300s\n' "$1" "$2"; return 1; }; }
finish() { echo "1..$n"; exit $fail; }

"$E" -- true 2>/dev/null || { echo "1..0 # SKIP ptrace not permitted here"; exit 0; }
D=$(mktemp -d) || exit 1
trap 'rm -rf "$D"' EXIT
