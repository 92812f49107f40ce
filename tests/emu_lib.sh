# Sourced by the shell tests that run programs under $O/vmwcall-emu: $V and
# $E, a scratch directory $D with the persona links, and TAP's ok and eq.
# Skips the test (exit 0) where the backdoor answers (trapping.sh), or the
# emulator is not built or cannot trace.
set -u
O=${O:?O is the build directory}
. "$(dirname "$0")/trapping.sh"
need_trapping
V=$O/vmwcall
E=$O/vmwcall-emu
n=0
fail=0

[ -x "$E" ] || { echo "1..0 # SKIP no $E"; exit 0; }
"$E" -- true 2>/dev/null || { echo "1..0 # SKIP ptrace not permitted here"; exit 0; }

D=$(mktemp -d) || exit 1
trap 'rm -rf "$D"' EXIT
ln -s "$V" "$D/vmware-rpctool"
ln -s "$V" "$D/vmware-checkvm"
export LC_ALL=C
# LeakSanitizer cannot run under ptrace; the rest of ASan can (SAN=1 builds).
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0

ok() {
	d=$1; shift
	n=$((n + 1))
	if "$@"; then echo "ok $n - $d"; else echo "not ok $n - $d"; fail=1; fi
}
eq() { [ "$1" = "$2" ] || { printf '#   got  %.300s\n#   want %.300s\n' "$1" "$2"; return 1; }; }
has() { case $1 in *"$2"*) return 0 ;; esac; printf '#   %.400s\n#   lacks %.200s\n' "$1" "$2"; return 1; }
skip() { n=$((n + 1)); echo "ok $n # SKIP $*"; }
# vmtoolsd's service only ever as uid 65534 (its plugins can power off or
# step the clock of this machine): skip unless we can drop to it.
need_nobody() {
	[ "$(id -u)" = 0 ] && setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null ||
		{ echo "1..0 # SKIP vmtoolsd runs as uid 65534: needs root and setpriv to drop to it"; exit 0; }
}
finish() { echo "1..$n"; exit $fail; }
