#!/bin/bash
# What make check-qemu needs beyond the project's own toolchain: QEMU,
# busybox-static and cpio (installed when missing; needs root), and Debian's
# stock kernel, downloaded and unpacked under build/qemu/kernel, never
# installed.  Idempotent: a second run does nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
cache=build/qemu/kernel
pkgs=(qemu-system-x86 busybox-static cpio)

updated=0
update() {
	((updated)) && return 0
	apt-get update -qq
	updated=1
}

missing=()
for p in "${pkgs[@]}"; do
	dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
	[ "$(id -u)" = 0 ] || { echo "deps.sh: root needed to install: ${missing[*]}" >&2; exit 1; }
	export DEBIAN_FRONTEND=noninteractive
	update
	apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

ls "$cache"/boot/vmlinuz-* >/dev/null 2>&1 && exit 0

# linux-image-amd64 is a metapackage; the kernel is its versioned dependency.
kpkg() { apt-cache depends linux-image-amd64 2>/dev/null | awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }'; }
pkg=$(kpkg)
[ -n "$pkg" ] || { update; pkg=$(kpkg); }
[ -n "$pkg" ] || { echo "deps.sh: cannot resolve linux-image-amd64's kernel package" >&2; exit 1; }

dl=build/qemu/kernel-dl
rm -rf "$dl" "$cache.tmp"
mkdir -p "$dl" "$cache.tmp"
# As root apt drops to _apt, which cannot write into build/: stay root for the download.
sandbox=()
[ "$(id -u)" = 0 ] && sandbox=(-o APT::Sandbox::User=root)
get() { (cd "$dl" && apt-get download -qq "${sandbox[@]}" linux-image-amd64 "$pkg"); }
get || { update; get; }	# a stale index names files the mirror has dropped
dpkg-deb -x "$dl/${pkg}"_*.deb "$cache.tmp"
mv "$cache.tmp" "$cache"
rm -rf "$dl"
ls "$cache"/boot/vmlinuz-*
