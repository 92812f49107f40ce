#!/bin/sh
# vmwcall under the ptrace runner vmwcall-emu: every subcommand, and
# side by side with open-vm-tools' vmware-rpctool and vmware-checkvm on the
# same emulated host (same stdout, stderr and exit code).
. "$(dirname "$0")/emu_lib.sh"

# run NAME CMD...: CMD's stdout, stderr and status into $D/NAME.{out,err,rc}.
run() {
	r=$1; shift
	"$@" >"$D/$r.out" 2>"$D/$r.err"
	echo $? >"$D/$r.rc"
}
same() {
	for f in out err rc; do
		cmp -s "$D/$1.$f" "$D/$2.$f" || {
			echo "#   $f differs:"; diff "$D/$1.$f" "$D/$2.$f" | head -6 | cut -c1-200 | sed 's/^/#   /'
			return 1
		}
	done
}
# The emulator itself must have run the program (its own failures are 125-127).
ran() {
	case $(cat "$D/$1.rc") in 12[5-7]) sed 's/^/#   /' "$D/$1.err"; return 1 ;; esac
}

head -c 100000 /dev/zero | tr '\0' 'L' >"$D/long"
printf 'two words' >"$D/sp"
long_cmd="log $(head -c 60000 /dev/zero | tr '\0' 'x')"
huge_cmd="log $(head -c 70000 /dev/zero | tr '\0' 'y')"
tab=$(printf '\t')
PRESET="--set guestinfo.a=hello --set guestinfo.sp=@$D/sp --set guestinfo.long=@$D/long"

# --- vmware-rpctool side by side ------------------------------------------
if command -v vmware-rpctool >/dev/null 2>&1; then
	i=0
	for emu in "" "--no-hb" "--no-cookies" "--checkpoint-every 3" "--machine-id m-42"; do
		while IFS= read -r cmd; do
			i=$((i + 1))
			case $cmd in
			"<empty>") c= ;;
			"<long>") c=$long_cmd ;;
			"<huge>") c=$huge_cmd ;;
			"<tab>") c="log h${tab}llo" ;;
			*) c=$cmd ;;
			esac
			# shellcheck disable=SC2086
			run ovt "$E" $emu $PRESET -- vmware-rpctool "$c"
			# shellcheck disable=SC2086
			run sub "$E" $emu $PRESET -- "$V" rpc "$c"
			# shellcheck disable=SC2086
			run per "$E" $emu $PRESET -- "$D/vmware-rpctool" "$c"
			[ $i -ne 1 ] || ok "corpus sanity: vmware-rpctool reads guestinfo.a" \
				eq "$(cat "$D/ovt.out")" hello
			ok "rpc [${emu:-default}] '$(printf '%.40s' "$cmd")': exit $(cat "$D/ovt.rc"), same as vmware-rpctool" \
				eval 'ran ovt && same ovt sub'
			ok "  ... and the vmware-rpctool persona" same ovt per
			[ -z "$emu" ] || break	# the other hosts: the first command only
		done <<'CORPUS'
info-get guestinfo.a
info-get guestinfo.nope
<empty>
info-set guestinfo.b hello world
info-get guestinfo.long
<long>
<huge>
log hello
bogus
info-get
info-get 
 info-get guestinfo.a
info-get  guestinfo.a
info-get guestinfo.a 
info-get guestinfo.sp
info-set guestinfo.c
info-set guestinfo.c 
machine.id.get
tools.set.version 12345
tools.capability.foo 1
SetGuestInfo  1 x
<tab>
log wörld
-x
-h
--help
-hello
CORPUS
	done
	for args in "" "info-get guestinfo.a extra"; do
		# shellcheck disable=SC2086
		run ovt "$E" $PRESET -- vmware-rpctool $args
		# shellcheck disable=SC2086
		run per "$E" $PRESET -- "$D/vmware-rpctool" $args
		ok "vmware-rpctool persona, argv '$args': as open-vm-tools" same ovt per
	done
	echo "# rpctool corpus: $i commands"
fi

# --- vmware-checkvm side by side ------------------------------------------
if command -v vmware-checkvm >/dev/null 2>&1; then
	for emu in "" "--type 2" "--type 7" "--host-version 5"; do
		for args in "" "-p" "--prod" "-h" "--help" "-x" "-p extra" "--bogus" "-ph"; do
			# shellcheck disable=SC2086
			run ovt "$E" $emu -- vmware-checkvm $args
			# shellcheck disable=SC2086
			run per "$E" $emu -- "$D/vmware-checkvm" $args
			ok "checkvm [${emu:-default}] '$args': exit $(cat "$D/ovt.rc"), as open-vm-tools" \
				eval 'ran ovt && same ovt per'
		done
	done
fi

# --- every subcommand ------------------------------------------------------
out=$("$E" --type 2 -- "$V" detect); rc=$?
ok "detect: exit 0, ESX" eq "$rc/$(echo "$out" | grep -c 'product: ESX Server')" "0/1"
out=$("$E" -- "$V" detect --json)
ok "detect --json" eq "$(echo "$out" | grep -o '"vmware":true,"version":6,"type":4')" \
	'"vmware":true,"version":6,"type":4'
ok "detect --json: both channels work" eq "$(echo "$out" | grep -o '"channels":{"backdoor":true,"vsock":true')" \
	'"channels":{"backdoor":true,"vsock":true'
ok "--channel backdoor info get" eq "$("$E" --set guestinfo.x=hi -- "$V" --channel backdoor info get x)" hi
ok "info --channel=backdoor get" eq "$("$E" --set guestinfo.x=hi -- "$V" info --channel=backdoor get x)" hi
ok "stat speed" eq "$("$E" --mhz 1234 -- "$V" stat speed)" "1234 MHz"
ok "stat --json speed" eq "$("$E" --mhz 1234 -- "$V" stat --json speed)" '{"mhz":1234}'
ok "stat memsize" eq "$("$E" --memsize 4096 -- "$V" stat memsize 2>&1)" "4096 MB"
ok "stat --json memsize: VMware's MB are exact" eq "$("$E" --memsize 4096 -- "$V" stat --json memsize)" \
	'{"memsize_mb":4096,"exact":true}'
u=0123abcd-4567-89ef-0011-223344556677
ok "stat uuid" eq "$("$E" --uuid $u -- "$V" stat uuid)" "$u"
ok "stat --json uuid" eq "$("$E" --uuid $u -- "$V" stat --json uuid)" "{\"uuid\":\"$u\"}"
ok "stat hz" eq "$("$E" -- "$V" stat hz | head -1)" "tsc 2000000000 Hz"
ok "stat vcpu" eq "$("$E" -- "$V" stat vcpu)" "0x0000000a sync_vtscs legacy_x2apic"
ok "stat hosttime" eq "$("$E" -- "$V" stat hosttime | grep -c " $(date +%Y) ")" 1
ok "stat --json hosttime" eq "$("$E" -- "$V" stat --json hosttime | grep -c '"full":true')" 1
for t in io vmcall vmmcall; do
	out=$("$E" -- "$V" call --transport $t 10 0xa9a7a797 | head -3 | tr '\n' ' ')
	ok "call --transport $t GETVERSION" eq "$out" \
		"out0 ax 0x00000006 out1 bx 0x564d5868 out2 cx 0x00000004 "
done
out=$("$E" -- "$V" call --json 20)
ok "call --json GETMEMSIZE" eq "$(echo "$out" | grep -o '"out0":2048')" '"out0":2048'
ok "info get" eq "$("$E" $PRESET -- "$V" info get a)" "hello"
ok "info get guestinfo.KEY" eq "$("$E" $PRESET -- "$V" info get guestinfo.a)" "hello"
ok "info --json get" eq "$("$E" $PRESET -- "$V" info --json get sp)" \
	'{"key":"guestinfo.sp","value":"two words"}'
"$E" -- "$V" info get nope >"$D/o" 2>"$D/e"; rc=$?
ok "info get unset: exit 1, the host's text" eq "$rc $(cat "$D/e")" \
	"1 vmwcall: info get guestinfo.nope: No value found"
ok "info get 100000 B" eq "$("$E" $PRESET -- "$V" info get long | wc -c)" 100001
out=$("$E" -- sh -c "'$V' info set k 'v w' && '$V' info get guestinfo.k")
ok "info set then get" eq "$out" "v w"
printf 'a\000b\nc' >"$D/bin"
"$E" -- sh -c "'$V' info set bin - <'$D/bin' && '$V' info get bin" >"$D/got"
ok "info set -: the value ends at its first NUL, as on VMware" eq "$(cat "$D/got")" a
"$E" --set "guestinfo.bin=@$D/bin" -- "$V" info get bin >"$D/got"
printf '\n' >>"$D/bin"
ok "info get: a preset binary value with NUL comes back whole" cmp -s "$D/got" "$D/bin"
out=$("$E" -- sh -c "printf 'v' | '$V' info --json set k -")
ok "info --json set" eq "$out" '{"key":"guestinfo.k","set":true,"length":1}'
out=$(printf 'info-get guestinfo.a' | "$E" $PRESET -- "$V" rpc -)
ok "rpc - reads the command from stdin" eq "$out" "hello"
printf 'a\000b' >"$D/z"
printf 'info-get guestinfo.z' | "$E" --set "guestinfo.z=@$D/z" -- "$V" rpc - >"$D/got"
printf 'a\000b\n' >"$D/want"
ok "rpc - is binary-safe" cmp -s "$D/got" "$D/want"
head -c 70000 /dev/zero | "$E" -- "$V" info set big - 2>"$D/e"; rc=$?
ok "info set of 70000 B: refused, exit 1" eq "$rc" 1
for emu in "--no-hb" "--no-cookies" "--checkpoint-every 1" "--checkpoint-every 2"; do
	# shellcheck disable=SC2086
	ok "info get long [$emu]" eq "$("$E" $emu $PRESET -- "$V" info get long | wc -c)" 100001
done
ok "make demo's command" eq "$("$E" --set guestinfo.greeting=hello -- "$V" info get greeting)" hello

echo "1..$n"
exit $fail
