#!/bin/sh
# RPCI as a VMX reads it, through unmodified guest programs under vmwcall-emu:
# the request text ends at its first NUL; the answers real guests expect.
. "$(dirname "$0")/emu_lib.sh"

# A request with its NUL counted, as vmtoolsd publishes guestinfo.vmtools.*.
printf 'info-set guestinfo.vmtools.versionString 12.2.0\0' > "$D/set"
printf 'info-get guestinfo.vmtools.versionString\0' > "$D/get"
"$E" --cpuid=off --dump "$D/d.vmx" -- sh -c "'$V' rpc - < '$D/set' && '$V' info get vmtools.versionString &&
	'$V' rpc - < '$D/get'" > "$D/out" 2>&1
ok "NUL-terminated info-set stores the text before the NUL" \
	eq "$(od -An -c "$D/out" | tr -s ' ' | head -1)" " \n 1 2 . 2 . 0 \n 1 2 . 2 . 0 \n"
ok "--dump holds the value without the NUL" grep -qx 'guestinfo.vmtools.versionString = "12.2.0"' "$D/d.vmx"
printf 'machine.id.get\0' > "$D/mid"
out=$("$E" --cpuid=off --machine-id m-1 -- "$V" rpc - < "$D/mid")
ok "NUL-terminated machine.id.get: $out" eq "$out" m-1
printf 'no.such.command\0junk' > "$D/unk"
out=$("$E" --cpuid=off -- "$V" rpc - < "$D/unk" 2>&1)
ok "unknown command: exactly 'Unknown command'" eq "$out" "Unknown command"
printf 'log \0' > "$D/log"
out=$("$E" --cpuid=off -- "$V" rpc - < "$D/log" 2>&1; echo "rc=$?")
ok "log with a NUL: accepted" eq "$out" "
rc=0"
# The RPCs open-vm-tools' programs send, answered as a VMX does.
if command -v vmware-toolbox-cmd >/dev/null 2>&1; then
	"$E" --cpuid=off -- sh -c 'for c in status enable status enable disable status disable; do
		vmware-toolbox-cmd timesync $c; echo "rc=$?"; done' > "$D/ts" 2>&1
	ok "timesync status/enable/disable round trip (vmx.set_option and GETGUIOPTIONS)" \
		eq "$(tr '\n' ' ' < "$D/ts")" "Disabled rc=69 Enabled rc=0 Enabled rc=0 Enabled rc=0 Disabled rc=0 Disabled rc=69 Disabled rc=0 "
	"$E" --cpuid=off --log-file "$D/ts.log" -- vmware-toolbox-cmd timesync enable >/dev/null
	ok "vmx.set_option changes the VM's option" grep -q 'TOOLS option synctime = 1$' "$D/ts.log"
	out=$("$E" --cpuid=off -- vmware-toolbox-cmd disk list 2>&1)
	ok "disk list: the wiper is enabled (no 'unavailable' error)" \
		eval '! echo "$out" | grep -q "not available\|upgrading"'
else
	skip open-vm-tools not installed
fi
out=$("$E" --cpuid=off -- sh -c "'$V' rpc disk.wiper.enable; '$V' rpc 'vmx.set_option synctime 0'; echo \$?;
	'$V' rpc 'vmx.set_option nosuch 0 1'; '$V' rpc 'tools.set.versiontype 12x 4';
	'$V' rpc 'tools.os.statechange.status 1 9'; '$V' rpc 'SetGuestInfo  99 x'" 2>&1)
ok "disk.wiper.enable '1'; arguments checked" eq "$out" "1
Invalid arguments
1
Unknown option
Invalid arguments
Invalid arguments
Invalid arguments"
if command -v vmware-rpctool >/dev/null 2>&1; then
	out=$("$E" --cpuid=off -- sh -c "'$V' rpc - < '$D/set' >/dev/null && vmware-rpctool 'info-get guestinfo.vmtools.versionString'")
	ok "vmware-rpctool reads the value back exact: $out" eq "$out" 12.2.0
else
	skip open-vm-tools not installed
fi
finish
