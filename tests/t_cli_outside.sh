#!/bin/sh
# vmwcall on this machine as it is (not VMware, no emulator): every
# subcommand and persona says no in one line and exits, never by a signal.
set -u
O=${O:?O is the build directory}
V=$O/vmwcall
n=0
fail=0

D=$(mktemp -d) || exit 1
trap 'rm -rf "$D"' EXIT
ln -s "$V" "$D/vmware-rpctool"
ln -s "$V" "$D/vmware-checkvm"

# Under VMware this test means nothing.
. "$(dirname "$0")/trapping.sh"
need_trapping

# check WANT_RC CMD...: non-zero exit (WANT_RC exactly, if not '-'), no
# signal, stdout empty or one line, exactly one line on stderr or stdout.
# Records which subcommands (and stat names) it ran, for the census below.
ran=" "
check() {
	want=$1; shift
	n=$((n + 1))
	[ "$1" = "$V" ] && ran="$ran${2:-} ${2:-}:${3:-} "
	printf 'x' | "$@" >"$D/out" 2>"$D/err"
	rc=$?
	lines=$(cat "$D/out" "$D/err" | wc -l)
	msg=$(cat "$D/err" "$D/out" | head -1)
	if [ $rc -eq 0 ] || { [ $rc -gt 128 ] && [ $rc -le 192 ]; } ||
	   { [ "$want" != - ] && [ $rc -ne "$want" ]; } || [ "$lines" -ne 1 ]; then
		echo "not ok $n - $*: exit $rc, $lines lines"
		sed 's/^/#   /' "$D/out" "$D/err"
		fail=1
	else
		echo "ok $n - $*: exit $rc: $msg"
	fi
}

check 1 "$V" detect
check 1 "$V" detect --json
check 1 "$V" rpc 'info-get guestinfo.x'
check 1 "$V" rpc -
check 1 "$V" info get x
check 1 "$V" info set x y
check 1 "$V" info set x -
check 1 "$V" info --json get guestinfo.x
for s in hosttime speed hz uuid memsize vcpu; do
	check 1 "$V" stat $s
done
check 1 "$V" stat --json speed
check 1 "$V" call 10
for t in io vmcall vmmcall; do
	check 1 "$V" call --transport $t 10 0
done
check 1 "$V" call --json 10
# The personas keep open-vm-tools' codes: rpctool 255 (a plain exit, not a signal).
check 255 "$D/vmware-rpctool" 'info-get guestinfo.x'
check 255 "$D/vmware-rpctool"
check 255 "$D/vmware-rpctool" -h
check 1 "$D/vmware-checkvm"
check 1 "$D/vmware-checkvm" -p
check 1 "$D/vmware-checkvm" -h

# Usage errors need no VM: exit 2.
check 2 "$V" frobnicate
check 2 "$V" stat nonsense
check 2 "$V" call --transport tdx 10
# fuzz/cli_args: strtoul took blanks and a sign, so " -1" passed as 0xFFFFFFFF on i386.
check 2 "$V" call ' 10'
check 2 "$V" call 10 ' -1'
check 2 "$V" call +10
check 2 "$V"
check 2 "$V" --channel bogus info get x
check 2 "$V" info --channel
# No VMX on vsock here: a bounded wait (the connect timeout), then one line.
check 1 "$V" --channel vsock info get x
check 1 "$V" --channel=vsock rpc 'info-get guestinfo.x'

# Census: every subcommand in the dispatch table and in --help, and every
# statistic, was run above; a new one cannot be added without a check here.
S=$(cd "$(dirname "$0")/.." && pwd)
subs=$(sed -n 's/^\t{ "\([a-z]*\)", cmd_[a-z]* },$/\1/p' "$S/cli/main.c")
helped=$("$V" --help | sed -n 's/^  \([a-z][a-z]*\) .*/\1/p' | uniq)
stats=$(grep -o '{ "[a-z]*", [a-z_]* }' "$S/cli/cmd_stat.c" | sed 's/{ "\([a-z]*\)".*/stat:\1/')
missed=""
for c in $subs $helped $stats info:get info:set; do
	case $ran in *" $c "*) ;; *) missed="$missed $c" ;; esac
done
n=$((n + 1))
if [ -n "$subs" ] && [ "$(echo $subs)" = "$(echo $helped)" ] && [ -n "$stats" ] && [ -z "$missed" ]; then
	echo "ok $n - census: $(echo $subs | wc -w) subcommands (table = --help), $(echo $stats | wc -w) statistics, all run"
else
	echo "not ok $n - census: table '$(echo $subs)', --help '$(echo $helped)', not run:$missed"
	fail=1
fi

# Help and version work anywhere.
n=$((n + 1))
if "$V" --help | grep -q '^usage: vmwcall' && "$V" --version | grep -q '^vmwcall '; then
	echo "ok $n - --help and --version"
else
	echo "not ok $n - --help and --version"; fail=1
fi

# Same wording as vmware-rpctool/vmware-checkvm where open-vm-tools is installed.
for p in vmware-rpctool vmware-checkvm; do
	command -v $p >/dev/null 2>&1 || continue
	n=$((n + 1))
	real=$(cd "$D" && $p x 2>&1; echo "rc=$?")
	ours=$(cd "$D" && PATH=$D:$PATH $p x 2>&1; echo "rc=$?")
	if [ "$real" = "$ours" ]; then
		echo "ok $n - $p persona outside VMware matches open-vm-tools: $(echo $ours)"
	else
		echo "not ok $n - $p persona: '$ours', open-vm-tools: '$real'"; fail=1
	fi
done

echo "1..$n"
exit $fail
