#!/bin/bash
# make check-deb: build the Debian packages from a copy of the tree under
# build/deb (dpkg-buildpackage writes into the source's parent), run
# lintian (errors and warnings fail), then try the packages: unpacked
# always, installed with dpkg -i when root (removed again afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/deps.sh
top=$PWD
out=$top/build/deb
rm -rf "$out"
mkdir -p "$out/src"
tar --exclude=./build --exclude=./.git --exclude='__pycache__' -cf - . | tar -xf - -C "$out/src"

echo "check-deb: dpkg-buildpackage -us -uc -b (log: build/deb/build.log)"
(cd "$out/src" && dpkg-buildpackage -us -uc -b) > "$out/build.log" 2>&1 ||
	{ tail -40 "$out/build.log"; echo "check-deb: package build failed"; exit 1; }
ls "$out"/*.deb | sed 's|.*/|  |'

echo "check-deb: lintian"
lintian --fail-on error,warning \
	"$out"/*.changes 2>&1 | tee "$out/lintian.log"
echo "check-deb: lintian: no errors, no warnings"

debs=()
for p in libvmwcall0 libvmwcall-dev vmwcall vmwcall-emu python3-vmwcall; do
	debs+=("$(ls "$out/${p}"_*.deb)")
done

# smoke ROOT: the packaged tools, library, module and pages under ROOT (/ or an unpacked tree).
smoke() {
	local r=$1 lib=$1/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)
	export LD_LIBRARY_PATH=$lib
	"$r/usr/bin/vmwcall-emu" -- "$r/usr/bin/vmwcall" detect
	[ "$("$r/usr/bin/vmwcall-emu" --set guestinfo.x=deb -- \
		"$r/usr/libexec/vmwcall/vmware-rpctool" 'info-get guestinfo.x')" = deb ]
	[ "$(VMWCALL_LIB=$lib/libvmwcall.so.0 PYTHONPATH=$r/usr/lib/python3/dist-packages \
		"$r/usr/bin/vmwcall-emu" --set guestinfo.x=py -- /usr/bin/python3 -c \
		'import vmwcall; print(vmwcall.info_get_str("x"))')" = py ]
	printf '#include <vmwcall/rpc.h>\nint main(void){return vmw_info_get(0, "x", 0, 0) != VMW_ENOTVMWARE;}\n' \
		> "$out/use.c"
	gcc -I"$r/usr/include" "$out/use.c" -o "$out/use" -L"$lib" -lvmwcall && "$out/use"
	[ -f "$r/usr/share/man/man3/vmw_info_get.3.gz" ]
	unset LD_LIBRARY_PATH
}

echo "check-deb: unpacked packages"
rm -rf "$out/root"
for d in "${debs[@]}"; do dpkg-deb -x "$d" "$out/root"; done
smoke "$out/root"

if [ "$(id -u)" != 0 ]; then
	echo "check-deb: SKIP dpkg -i (not root)"
	exit 0
fi
echo "check-deb: dpkg -i"
pre=$(dpkg-query -W -f '${Package} ${Status}\n' libvmwcall0 2>/dev/null | grep -c installed || true)
cleanup() { [ "$pre" != 0 ] || dpkg -P python3-vmwcall vmwcall-emu vmwcall libvmwcall-dev libvmwcall0 >/dev/null; }
trap cleanup EXIT
dpkg -i "${debs[@]}"
smoke ""
vmwcall-emu -- vmwcall detect >/dev/null
[ "$(man -w vmw_info_get)" ] && man vmw_info_get >/dev/null
[ "$(PYTHONPATH= vmwcall-emu --set guestinfo.x=sys -- /usr/bin/python3 -c \
	'import vmwcall; print(vmwcall.info_get_str("x"))')" = sys ]
# The personas never take open-vm-tools' names.
for n in vmware-rpctool vmware-checkvm; do
	if [ -e "/usr/bin/$n" ]; then
		owner=$(dpkg -S "/usr/bin/$n" | cut -d: -f1)
		[ "$owner" != vmwcall ] || { echo "check-deb: vmwcall owns /usr/bin/$n"; exit 1; }
	fi
done
echo "check-deb: installed packages work (vmwcall-emu -- vmwcall detect, persona, python3, man, pkg)"
