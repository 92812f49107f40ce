#!/bin/bash
# make check-qemu: our hypercall code against QEMU's vmport, a VMware
# backdoor host we did not write.  Ring 0: a multiboot image using the
# freestanding header.  Ring 3: the static vmwcall CLI in a busybox initramfs
# under Debian's stock kernel.  Each with vmport=on and off.  TAP on stdout.
set -uo pipefail
cd "$(dirname "$0")/.."
O=build/qemu
L=$O/logs
UUID=12345678-9abc-def0-1122-334455667788
MEM=256			# MiB; QEMU's GETMEMSIZE answers in bytes
BIGMEM=4608		# 0x120000000 bytes: shows the truncation to 32 bits
LIMIT=120		# seconds per QEMU run (a TCG boot of the kernel takes ~10)
MAGIC=564d5868
start=$SECONDS

bail() { echo "Bail out! $*"; exit 1; }

bash qemu/deps.sh >&2 || bail "qemu/deps.sh failed"
kernel=$(ls $O/kernel/boot/vmlinuz-* 2>/dev/null | head -1)
kconfig=$(ls $O/kernel/boot/config-* 2>/dev/null | head -1)
[ -n "$kernel" ] && [ -n "$kconfig" ] || bail "no kernel under $O/kernel"
{
	make -s O=$O STATIC=1 $O/vmwcall &&
	make -s -f qemu/ring0/Makefile O=$O &&
	${CC:-cc} -static -O2 -Wall -Wextra -Werror -o $O/iopl qemu/iopl.c &&
	bash qemu/initramfs.sh $O/initramfs.cpio $O/vmwcall $O/iopl
} >&2 || bail "build failed"
rm -rf $L && mkdir -p $L

# vm LOG QEMU-ARGS...: one bounded run; serial output to LOG, exit status to LOG.rc.
vm() {
	local log=$1
	shift
	timeout $LIMIT qemu-system-x86_64 -accel tcg -display none -serial stdio \
		-monitor none -net none -no-reboot -uuid $UUID "$@" \
		</dev/null 2>$log.err | tr -d '\r' >$log
	echo "${PIPESTATUS[0]}" >$log.rc
}
ring0() { vm "$@" -kernel $O/ring0/ring0.elf -device isa-debug-exit,iobase=0xf4,iosize=0x04; }
linux() {
	vm "$@" -m $MEM -kernel "$kernel" -initrd $O/initramfs.cpio \
		-append "console=ttyS0 quiet loglevel=0 panic=-1"
}

# The two kernel boots take most of the time: one per core.
linux $L/user-on -machine pc,vmport=on &
linux $L/user-off -machine pc,vmport=off &
ring0 $L/ring0-on -machine pc,vmport=on -m $MEM
ring0 $L/ring0-off -machine pc,vmport=off -m $MEM
ring0 $L/ring0-big -machine pc,vmport=on -m $BIGMEM
wait

n=0
failed=0
# check DESC EXPECTED ACTUAL
check() {
	n=$((n + 1))
	if [ "$2" = "$3" ]; then
		echo "ok $n - $1"
	else
		failed=$((failed + 1))
		echo "not ok $n - $1"
		printf '#   expected: %s\n#        got: %s\n' "$2" "$3" | sed '3,$s/^/#            /'
	fi
}
# ring0 LOG SECTION CALL: that call's line from the ring-0 image, without the name.
r0() { awk -v s="[$2]" -v c="$3" '$0 == s { on = 1; next } /^\[/ { on = 0 } on && $1 == c { $1 = ""; sub(/^ /, ""); print }' "$1"; }
# out LOG ID / rc LOG ID / err LOG ID: stdout, exit status, stderr of one guest command.
out() { awk -v b="@@ $2 begin" -v e="@@ $2 rc=" '$0 == b { on = 1; next } index($0, e) == 1 { on = 0 } on && !/^!! /' "$1"; }
rc() { sed -n "s/^@@ $2 rc=//p" "$1"; }
err() { awk -v b="@@ $2 begin" -v e="@@ $2 rc=" '$0 == b { on = 1; next } index($0, e) == 1 { on = 0 } on && sub(/^!! /, "")' "$1"; }
# reg LOG ID N: outN of `vmwcall call`, as printed (0x%08x).
reg() { out "$1" "$2" | awk -v r="out$3" '$1 == r { print $3 }'; }

# -uuid as GETUUID returns it: the 16 bytes in -uuid's order, four little-endian dwords.
h=${UUID//-/}
uuid_le=()
for i in 0 1 2 3; do
	d=${h:8*i:8}
	uuid_le+=("${d:6:2}${d:4:2}${d:2:2}${d:0:2}")
done
mem_hex=$(printf '%08x' $((MEM << 20)))
big_hex=$(printf '%08x' $(((BIGMEM << 20) & 0xFFFFFFFF)))

# --- ring 0: the freestanding header, pinned to port I/O and chosen from CPUID
check "ring0 vmport=on: image ran to isa-debug-exit" 1 "$(cat $L/ring0-on.rc)"
for t in io auto; do
	check "ring0 [$t]: transport is port I/O (TCG's CPUID is not VMware's)" \
		"mode=00000001" "$(r0 $L/ring0-on $t transport)"
	check "ring0 [$t]: GETVERSION via hypercall3: version 6, magic, type 2 (ESX)" \
		"ax=00000006 bx=$MAGIC cx=00000002" "$(r0 $L/ring0-on $t GETVERSION)"
	check "ring0 [$t]: GETUUID via hypercall9: -uuid as LE dwords, esi/edi untouched" \
		"ax=${uuid_le[0]} bx=${uuid_le[1]} cx=${uuid_le[2]} dx=${uuid_le[3]} si=11111111 di=22222222" \
		"$(r0 $L/ring0-on $t GETUUID)"
	check "ring0 [$t]: GETMEMSIZE via hypercall1: -m $MEM in bytes" \
		"ax=$mem_hex" "$(r0 $L/ring0-on $t GETMEMSIZE)"
done
check "ring0 -m $BIGMEM: GETMEMSIZE is the byte count truncated to 32 bits" \
	"ax=$big_hex" "$(r0 $L/ring0-big io GETMEMSIZE)"
check "ring0 vmport=off: image ran to isa-debug-exit" 1 "$(cat $L/ring0-off.rc)"
for t in io auto; do
	# Nothing decodes 0x5658: the read gives all-ones and ebx keeps ~magic.
	check "ring0 [$t] vmport=off: GETVERSION gets no magic (unassigned port)" \
		"ax=ffffffff bx=a9b2a797 cx=0000000a" "$(r0 $L/ring0-off $t GETVERSION)"
done

# --- ring 3: the vmwcall CLI under Debian's kernel
check "kernel config has CONFIG_X86_IOPL_IOPERM=y (iopl(3) for the test processes)" \
	"CONFIG_X86_IOPL_IOPERM=y" "$(grep '^CONFIG_X86_IOPL_IOPERM=' "$kconfig")"
on=$L/user-on
off=$L/user-off
check "linux vmport=on: guest ran every command and powered off" \
	"0 done" "$(cat $on.rc) $(grep -c '^@@ done$' $on | sed 's/^1$/done/')"
check "without iopl: ring-3 probe faults, detect says not VMware, exit 1" \
	"1 not VMware" "$(rc $on noiopl.detect) $(out $on noiopl.detect | grep -o '^not VMware')"
check "detect: VMware, version 6, ESX Server, port I/O" \
	"0|VMware: yes|version: 6|product: ESX Server (type 2)|transport: io" \
	"$(rc $on detect)|$(out $on detect | head -4 | paste -sd'|')"
check "detect --json" \
	'0 "vmware":true,"version":6,"type":2,"product":"ESX Server","transport":"io"' \
	"$(rc $on detect.json) $(out $on detect.json | grep -o '"vmware":.*"transport":"[a-z]*"')"
check "call 10: out0 6, out1 magic, out2 type 2" \
	"0 0x00000006 0x$MAGIC 0x00000002" \
	"$(rc $on call10) $(reg $on call10 0) $(reg $on call10 1) $(reg $on call10 2)"
check "call --json 10" '0 {"transport":"io","out0":6,"out1":1447909480,"out2":2,' \
	"$(rc $on call10.json) $(out $on call10.json | grep -o '^{.*"out2":[0-9]*,')"
check "call 19: GETUUID registers are -uuid as LE dwords" \
	"0 0x${uuid_le[0]} 0x${uuid_le[1]} 0x${uuid_le[2]} 0x${uuid_le[3]}" \
	"$(rc $on call19) $(reg $on call19 0) $(reg $on call19 1) $(reg $on call19 2) $(reg $on call19 3)"
check "stat uuid is -uuid" "0 $UUID" "$(rc $on stat.uuid) $(out $on stat.uuid)"
check "stat --json uuid" "0 {\"uuid\":\"$UUID\"}" "$(rc $on stat.uuid.json) $(out $on stat.uuid.json)"
check "call 20: GETMEMSIZE out0 is -m $MEM in bytes, out1 0x1177" \
	"0 0x$mem_hex 0x00001177" "$(rc $on call20) $(reg $on call20 0) $(reg $on call20 1)"
# VMware answers MB, QEMU bytes modulo 4 GiB (ebx 0x1177): converted, and said so.
check "stat memsize: QEMU's byte count converted to $MEM MB" "0 $MEM MB" \
	"$(rc $on stat.memsize) $(out $on stat.memsize)"
check "stat memsize: stderr says the count is modulo 4 GiB" \
	"vmwcall: stat memsize: QEMU's vmport counts bytes modulo 4 GiB; $MEM MB is exact only below 4096 MB" \
	"$(err $on stat.memsize)"
check "stat --json memsize: not exact" "0 {\"memsize_mb\":$MEM,\"exact\":false}" \
	"$(rc $on stat.memsize.json) $(out $on stat.memsize.json)"
check "call 45: GETHZ unsupported under TCG (out1 0xffffffff, out0 magic)" \
	"0x$MAGIC 0xffffffff" "$(reg $on call45 0) $(reg $on call45 1)"
check "stat hz: unsupported, exit 1" "1 vmwcall: stat hz: Command not supported by the host" \
	"$(rc $on stat.hz) $(err $on stat.hz)"
check "call 1: GETMHZ is unknown to QEMU (out0 0xffffffff)" "0xffffffff" "$(reg $on call1 0)"
check "stat speed: unsupported, exit 1" "1 vmwcall: stat speed: Command not supported by the host" \
	"$(rc $on stat.speed) $(err $on stat.speed)"
check "call 46: GETTIMEFULL is unknown to QEMU (out0 0xffffffff)" "0xffffffff" "$(reg $on call46 0)"
check "call 23: GETTIME is unknown to QEMU (out0 0xffffffff)" "0xffffffff" "$(reg $on call23 0)"
check "stat hosttime: unsupported (GETTIMEFULL and GETTIME), exit 1" \
	"1 vmwcall: stat hosttime: Command not supported by the host" \
	"$(rc $on stat.hosttime) $(err $on stat.hosttime)"
check "call 68: GET_VCPU_INFO implemented (bit 31 clear; qemu64 has no x2apic)" \
	"0x00000000" "$(reg $on call68 0)"
check "stat vcpu" "0 0x00000000" "$(rc $on stat.vcpu) $(out $on stat.vcpu)"
check "call 30: MESSAGE OPEN is unknown to QEMU (out0 0xffffffff, no status in ecx)" \
	"0xffffffff 0x0000001e" "$(reg $on call30 0) $(reg $on call30 2)"
check "rpc: no GuestRPC channel: NULL reply, exit 1, no crash" "1 NULL" "$(rc $on rpc) $(err $on rpc)"
check "vmware-checkvm" "0 VMware software version 6 (good)" "$(rc $on checkvm) $(out $on checkvm)"
check "vmware-checkvm -p" "0 ESX Server" "$(rc $on checkvm.p) $(out $on checkvm.p)"

check "linux vmport=off: guest ran every command and powered off" \
	"0 done" "$(cat $off.rc) $(grep -c '^@@ done$' $off | sed 's/^1$/done/')"
check "vmport=off: detect says not VMware, exit 1" \
	"1 not VMware" "$(rc $off detect) $(out $off detect | grep -o '^not VMware')"
check "vmport=off: detect --json" '1 "vmware":false' \
	"$(rc $off detect.json) $(out $off detect.json | grep -o '"vmware":[a-z]*')"
ids=$(sed -n 's/^@@ \(.*\) begin$/\1/p' $off)
bad=$(for id in $ids; do [ "$(rc $off $id)" = 1 ] || echo "$id=$(rc $off $id)"; done | paste -sd' ')
check "vmport=off: all $(echo $ids | wc -w) commands refuse with exit 1, none crashes" "" "$bad"
check "vmport=off: vmware-checkvm's error" \
	"1 Error: vmware-checkvm must be run inside a virtual machine on a VMware hypervisor product." \
	"$(rc $off checkvm) $(err $off checkvm)"

echo "1..$n"
echo "# $(sed -n 's/^@@ guest kernel //p' $on), $(qemu-system-x86_64 --version | head -1); logs in $L; $((SECONDS - start)) s"
[ $failed = 0 ]
