#!/bin/bash
# initramfs.sh OUT.cpio VMWCALL IOPL: busybox + our static tools + qemu/init.
set -euo pipefail
out=$1 vmwcall=$2 iopl=$3
here=$(cd "$(dirname "$0")" && pwd)
busybox=/bin/busybox
# Only the static build runs without a libc in the image.
! readelf -l "$busybox" 2>/dev/null | grep -q 'program interpreter' ||
	{ echo "initramfs.sh: $busybox is not static (install busybox-static)" >&2; exit 1; }
root=${out%.cpio}.root	# not *.d: the top Makefile includes every *.d under O
rm -rf "$root"
mkdir -p "$root/bin"
cp "$busybox" "$root/bin/busybox"
cp "$vmwcall" "$root/bin/vmwcall"
cp "$iopl" "$root/bin/iopl"
# The personas pick their behaviour from argv[0].
ln -s vmwcall "$root/bin/vmware-checkvm"
ln -s vmwcall "$root/bin/vmware-rpctool"
cp "$here/init" "$root/init"
chmod 755 "$root/init"
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) > "$out"
