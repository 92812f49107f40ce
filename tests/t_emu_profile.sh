#!/bin/sh
# vmwcall-emu --profile: guestlib through open-vm-tools' own vmware-toolbox-cmd,
# and each profile's limits and refusals through vmwcall and vmware-rpctool.
. "$(dirname "$0")/emu_lib.sh"

for p in vmware-rpctool vmware-toolbox-cmd vmware-checkvm; do
	command -v $p >/dev/null 2>&1 || { echo "1..0 # SKIP open-vm-tools not installed"; exit 0; }
done
RT=$(command -v vmware-rpctool)

# --- guestlib: stat as an ESXi host answers it ------------------------------
# vmware-toolbox-cmd takes about a second to start (it runs programs to learn
# the OS), so the runs go side by side: bg NAME EMU-ARGS... -- STAT-ARGS...
bg() {
	f=$D/$1; shift
	"$E" "$@" >"$f" 2>&1 &
}
set -- --profile esxi --guestlib balloon=11 --guestlib swap=22 --guestlib memlimit=3333 \
	--guestlib memres=44 --guestlib cpures=55 --guestlib cpulimit=6666 --guestlib session=0xabc123
STATS="balloon swap memlimit memres cpures cpulimit sessionid"
for s in $STATS; do bg "set.$s" "$@" -- vmware-toolbox-cmd stat $s; done
bg raw.session --profile esxi --seed 7 -- vmware-toolbox-cmd stat raw text session
bg seed7 --profile esxi --seed 7 -- vmware-toolbox-cmd stat sessionid
bg def.memlimit --profile esxi -- vmware-toolbox-cmd stat memlimit
bg ws --profile workstation -- sh -c 'vmware-toolbox-cmd stat balloon; echo "rc=$?"'
bg off --guestlib off --profile esxi -- sh -c 'vmware-toolbox-cmd stat balloon; echo "rc=$?"'
bg on --guestlib memres=9 --profile workstation --guestlib on -- vmware-toolbox-cmd stat memres
wait
out=$(for s in $STATS; do cat "$D/set.$s"; done | tr '\n' ' ')
ok "esxi: stat $STATS print the configured values" eq "$out" \
	"11 MB 22 MB 3333 MB 44 MB 55 MHz 6666 MHz 0xabc123 "
ok "esxi default: no memory limit (0xFFFFFFFF)" eq "$(cat "$D/def.memlimit")" "4294967295 MB"
# stat raw: guestlib.stat.get; its session line is the session of info.get, in decimal.
s7=$(cat "$D/seed7")
ok "esxi: stat raw text session: the session id ($s7) in decimal" eq \
	"$(head -1 "$D/raw.session")" "session = $(printf %u "$s7")"
# Workstation has no guestlib (nor has the default host: t_guestlib): the tool says so.
for f in ws off; do
	ok "$f: stat balloon refused, exit 75" eq "$(cat "$D/$f" | tr '\n' /)" \
		"UpdateInfo failed: VMware Guest API is not enabled on the host/rc=75/"
done
ok "--guestlib on overrides the workstation profile" eq "$(cat "$D/on")" "9 MB"

# --- the VMX's guestinfo rules --------------------------------------------------
# One guest script per host: rpctool (backdoor) and vmwcall, both kinds of client.
cat > "$D/rules.sh" <<EOF
$RT 'info-set guestinfo.e ' 2>&1; echo "rc=\$?"
$V info get e 2>/dev/null; echo "rc=\$?"
$V info set Mixed.Case v1; echo "rc=\$?"
$RT 'info-get guestinfo.mixed.CASE' 2>&1; echo "rc=\$?"
EOF
VMX="Invalid value rc=1 rc=1 rc=0 v1 rc=0 "
LAX=" rc=0  rc=0 rc=0 No value found rc=1 "
out=$("$E" --profile esxi -- sh "$D/rules.sh" | tr '\n' ' ')
ok "esxi: empty value refused; keys fold case" eq "$out" "$VMX"
out=$("$E" --profile workstation -- sh "$D/rules.sh" | tr '\n' ' ')
ok "workstation: the same VMX rules" eq "$out" "$VMX"
out=$("$E" -- sh "$D/rules.sh" | tr '\n' ' ')
ok "default host: empty stored, keys exact" eq "$out" "$LAX"
out=$("$E" --empty-values store --profile esxi --key-case exact -- sh "$D/rules.sh" | tr '\n' ' ')
ok "--empty-values/--key-case override esxi, before or after it" eq "$out" "$LAX"

# isolation.tools.setinfo.disable: every guest set fails, gets still work.
out=$("$E" --profile esxi --setinfo-disable --set guestinfo.h=host -- sh -c \
	"$RT 'info-set guestinfo.x 1' 2>&1; echo rc=\$?; $V info set y 2 2>&1; echo rc=\$?; $V info get h" | tr '\n' ' ')
ok "--setinfo-disable: sets refused ('disabled'), gets answered" eq "$out" \
	"disabled rc=1 vmwcall: info set guestinfo.y: The host refused the request rc=1 host "

# tools.setInfo.sizeLimit: 1 MiB of keys and values under esxi: 16 values of
# 65000 bytes fit, the 17th does not and changes nothing.
head -c 65000 /dev/zero | tr '\0' a > "$D/v65000"
cat > "$D/budget.sh" <<EOF
i=1
while [ \$i -le 17 ]; do $RT "info-set guestinfo.k\$i \$(cat v65000)" >/dev/null 2>err || break; i=\$((i + 1)); done
echo "\$i \$(cat err)"
$V info get k17 2>/dev/null; echo "rc=\$?"
EOF
out=$(cd "$D" && "$E" --profile esxi -- sh budget.sh | tr '\n' ' ')
ok "esxi: the 1 MiB guestinfo budget stops the 17th 65000-byte value" eq "$out" \
	"17 Guest info size limit exceeded rc=1 "

# Limits: 64 KiB guest-to-host, 1 MiB host-to-guest.
head -c 1048574 /dev/zero | tr '\0' b > "$D/cap"
head -c 1048575 /dev/zero | tr '\0' b > "$D/over"
head -c 65516 /dev/zero | tr '\0' c > "$D/v65516"
out=$(cd "$D" && "$E" --profile esxi --set guestinfo.cap=@cap -- sh -c \
	"$V info get cap | head -c 1048574 | cmp - cap && echo same; $RT \"info-set guestinfo.x \$(cat v65516)\" >/dev/null 2>&1; echo rc=\$?")
ok "esxi: a 1 MiB reply (the cap) read back exactly; a 65537-byte request refused" eq \
	"$(echo $out)" "same rc=1"
"$E" --profile esxi --set "guestinfo.over=@$D/over" -- true 2>"$D/err"; rc=$?
ok "esxi: a preset over the reply cap refused at start ($(cat "$D/err"))" eq "$rc" 2
out=$(cd "$D" && "$E" --max-reply 1000 --profile esxi -- sh -c \
	"$RT \"info-set guestinfo.x \$(head -c 900 v65516)\"; $RT \"info-set guestinfo.x \$(head -c 1200 v65516)\" 2>&1
	 $RT 'info-get guestinfo.x' | wc -c" | tr '\n' ' ')
ok "--max-reply before --profile still wins: a value over the cap is not stored" eq "$out" \
	" Unable to set value 901 "

# --- qemu: what QEMU's vmport answers (doc/qemu.md) ------------------------------
out=$("$E" --profile qemu -- sh -c 'vmware-checkvm; vmware-checkvm -p' | tr '\n' ' ')
ok "qemu: checkvm good, ESX Server" eq "$out" "VMware software version 6 (good) ESX Server "
out=$("$E" --profile qemu --memsize 256 -- "$V" stat memsize 2>"$D/err")
ok "qemu: GETMEMSIZE in bytes, the CLI says so" eq "$out/$(cat "$D/err")" \
	"256 MB/vmwcall: stat memsize: QEMU's vmport counts bytes modulo 4 GiB; 256 MB is exact only below 4096 MB"
out=$("$E" --profile qemu -- sh -c "$V stat speed; echo rc=\$?; $RT 'info-get guestinfo.x'; echo rc=\$?" 2>&1 |
	tr '\n' ' ')
ok "qemu: GETMHZ unknown; no GuestRPC" eq "$out" \
	"vmwcall: stat speed: Command not supported by the host rc=1 NULL rc=1 "

# vmtoolsd --cmd tries vsock first (one-shot, safe as root): QEMU has no VMCI either.
if command -v vmtoolsd >/dev/null 2>&1; then
	out=$("$E" --profile qemu -- vmtoolsd --cmd 'info-get guestinfo.x' 2>&1); rc=$?
	ok "qemu: no GuestRPC over vsock either (vmtoolsd --cmd: '$out')" eq "$rc/$out" \
		"1/RpcChannel: Unable to open the communication channel"
fi

echo "1..$n"
exit $fail
