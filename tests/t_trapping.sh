#!/bin/sh
# The one check every trap-based test skips by (trapping.h, by way of
# tests/trapping.c for the shell tests): here the instructions trap; where
# a backdoor answers (under vmwcall-emu, whose host answers them as VMware
# would) it says so, and then every test either skips with that reason or
# passes: `make check` on a VMware guest.
. "$(dirname "$0")/emu_lib.sh"
T=$(cd "$(dirname "$0")" && pwd)

"$O/tests/trapping" > "$D/out"; rc=$?
ok "here the instructions trap: exit 0, nothing printed" test $rc = 0 -a ! -s "$D/out"
skip_plan=$("$E" -- "$O/tests/trapping"); rc=$?
case $skip_plan in "1..0 # SKIP the VMware backdoor answers here: "*) plan_ok=1 ;; *) plan_ok=0 ;; esac
ok "under an answering host: exit 1 and the skip plan with the reason" test $rc = 1 -a $plan_ok = 1

# answered PROGRAM...: under the emulator, PROGRAM skips with the reason
# (if it asks the shared check) or passes; prints "skip" or "pass".
answered() {
	"$E" -- "$@" > "$D/out" 2> "$D/err"; rc=$?
	if [ $rc = 0 ] && [ "$(cat "$D/out")" = "$skip_plan" ]; then
		echo skip
	elif [ $rc = 0 ] && grep -q '^1\.\.[1-9]' "$D/out" && ! grep -q '^not ok' "$D/out"; then
		echo pass
	else
		echo "# $*: exit $rc" >&2; sed 's/^/#   /' "$D/out" "$D/err" | tail -5 >&2
		echo fail
	fi
}
# Tests that call need_trapping must skip; the others must pass.  t_man runs
# no guest program and renders pages for 20 s under ptrace: left out.
for t in "$T"/t_*.c "$T"/t_*.sh; do
	b=$(basename "$t")
	case $b in t_man.sh|t_trapping.sh) continue ;; esac
	if grep -q '^[[:space:]]*need_trapping\b' "$t" || grep -q 'emu_lib\.sh\|emu_guest\.h' "$t"; then
		want=skip
	else
		want=pass
	fi
	case $b in *.c) got=$(answered "$O/tests/${b%.c}") ;; *) got=$(answered sh "$t") ;; esac
	ok "$b where the backdoor answers: $want" [ "$got" = "$want" ]
done
echo "1..$n"
exit $fail
