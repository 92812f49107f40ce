#!/bin/bash
# make check-arm64: the aarch64 build in a real aarch64 kernel.  Debian's
# arm64 kernel boots under qemu-system-aarch64 (TCG) at EL2 with VHE, the
# one setup in which QEMU 7.2 traps an EL0 `mrs xzr, mdccsr_el0`; the
# initramfs holds busybox, our statically linked test programs and tools,
# and qemu/arm64/init.  TAP on stdout; logs in build/arm64-qemu/logs.
set -uo pipefail
cd "$(dirname "$0")/../.."
O=build/arm64-qemu
L=$O/logs
LIMIT=${ARM64_LIMIT:-600}	# seconds for the whole boot (TCG: ~10 to boot)
# The tests that run on aarch64: the header's wrappers, the decoder, the
# library, GuestRPC and detection against the in-process host (t_fault,
# 86 s under TCG, tests only the arch-neutral core: it runs on x86).
TESTS="t_cpu_a64 t_hypercall t_cmd t_rpc t_detect t_host t_vmx"
MAGIC=564d5868
start=$SECONDS

bail() { echo "Bail out! $*"; exit 1; }

bash qemu/arm64/deps.sh >&2 || bail "qemu/arm64/deps.sh failed"
kernel=$(ls $O/kernel/boot/vmlinuz-* 2>/dev/null | head -1)
[ -n "$kernel" ] || bail "no kernel under $O/kernel"
root=$O/initramfs.root
{
	make -s ARCH=aarch64 O=$O STATIC=1 $O/vmwcall $O/vmwcall-emu $O/header.stamp &&
	make -s ARCH=aarch64 O=$O LDFLAGS=-static $(printf " $O/tests/%s" $TESTS) &&
	clang --target=aarch64-linux-gnu -fuse-ld=lld -static -O2 -Wall -Wextra -Werror \
		-Iinclude -o $O/guest qemu/arm64/guest.c &&
	rm -rf $root && mkdir -p $root/bin $root/t &&
	cp $O/busybox/bin/busybox $O/vmwcall $O/vmwcall-emu $O/guest $root/bin/ &&
	ln -s vmwcall $root/bin/vmware-rpctool && ln -s vmwcall $root/bin/vmware-checkvm &&
	for t in $TESTS; do cp $O/tests/$t $root/t/ || exit 1; done &&
	cp qemu/arm64/init $root/init && chmod 755 $root/init &&
	(cd $root && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) > $O/initramfs.cpio
} >&2 || bail "build failed"
rm -rf $L && mkdir -p $L
log=$L/guest
timeout $LIMIT qemu-system-aarch64 -M virt,virtualization=on -cpu max,pauth-impdef=on -m 512 \
	-accel tcg -display none -serial stdio -monitor none -net none -no-reboot \
	-kernel "$kernel" -initrd $O/initramfs.cpio \
	-append "console=ttyAMA0 quiet loglevel=0 panic=-1" </dev/null 2>$log.err | tr -d '\r' >$log
echo "${PIPESTATUS[0]}" >$log.rc

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
out() { awk -v b="@@ $1 begin" -v e="@@ $1 rc=" '$0 == b { on = 1; next } index($0, e) == 1 { on = 0 } on && !/^!! /' $log; }
err() { awk -v b="@@ $1 begin" -v e="@@ $1 rc=" '$0 == b { on = 1; next } index($0, e) == 1 { on = 0 } on && sub(/^!! /, "")' $log; }
rc() { sed -n "s/^@@ $1 rc=//p" $log; }
reg() { out "$1" | awk -v r="out$2" '$1 == r { print $3 }'; }

check "guest ran everything and powered off" "0 done" \
	"$(cat $log.rc) $(grep -c '^@@ done at ' $log | sed 's/^1$/done/')"
# Each test program's own TAP, run inside the guest: its plan, no failure, exit 0.
for t in $TESTS; do
	plan=$(out $t | sed -n 's/^1\.\.\([0-9]*\).*/\1/p')
	bad=$(out $t | grep -c '^not ok')
	desc="$t in the aarch64 guest: ${plan:-no} tests, all pass"
	check "$desc" "0 0 yes" "$(rc $t) $bad $([ "${plan:-0}" -gt 0 ] && echo yes)"
	[ "$bad" = 0 ] || out $t | grep '^not ok' | sed 's/^/#   /'
done
check "outside any host: detect says not VMware (the probe's SIGILL caught), exit 1" \
	"1 not VMware" "$(rc detect) $(out detect | grep -o '^not VMware')"
check "outside any host: a bare mrs dies of SIGILL (128+4)" "132" "$(rc guest.alone)"
check "vmwcall-emu -- vmwcall detect: VMware, version 6, Workstation, io" \
	"0|VMware: yes|version: 6|product: Workstation (type 4)|transport: io" \
	"$(rc emu.detect)|$(out emu.detect | head -4 | paste -sd'|')"
check "vmwcall-emu --set -- vmwcall info get arch" "0 aarch64" "$(rc emu.info) $(out emu.info)"
check "vmwcall-emu --type 2 -- vmwcall call 10: out0 6, out1 magic, out2 2" \
	"0 0x00000006 0x$MAGIC 0x00000002" \
	"$(rc emu.call10) $(reg emu.call10 0) $(reg emu.call10 1) $(reg emu.call10 2)"
check "vmwcall-emu -- vmware-rpctool 'info-get guestinfo.x'" "0 hello" \
	"$(rc emu.rpctool) $(out emu.rpctool)"
check "vmwcall-emu -- vmware-checkvm" "0 VMware software version 6 (good)" \
	"$(rc emu.checkvm) $(out emu.checkvm)"
check "ptrace: GETVERSION answered in x0..x3, x6 kept, pc past the mrs" \
	"0 x0=6 x1=$MAGIC x2=4 x3=5658 x6=6666" "$(rc emu.getversion) $(out emu.getversion)"
check "ptrace: another port in x3 is refused: the guest's SIGILL kills it" "132" "$(rc emu.badport)"
check "ptrace: x7 without the 0x86 magic is refused" "132" "$(rc emu.nomagic)"
check "ptrace: a byte-sized in is refused" "132" "$(rc emu.byte)"

echo "1..$n"
echo "# guest seconds (TCG): boot to /init $(sed -n 's/^@@ guest kernel .*, up \(.*\) s$/\1/p' $log)," \
	"$(sed -n 's/^@@ \([^ ]*\) took \(.*\)$/\1 \2/p' $log | paste -sd, | sed 's/,/, /g')," \
	"done at $(sed -n 's/^@@ done at \(.*\) s$/\1/p' $log)"
echo "# $(sed -n 's/^@@ guest kernel \([^,]*\),.*/\1/p' $log), $(qemu-system-aarch64 --version | head -1); logs in $L; $((SECONDS - start)) s"
[ $failed = 0 ]
