#!/bin/bash
# What make check-arm64 needs: clang, lld and LLVM's binutils with Debian's
# aarch64 libc for static cross builds (these install beside gcc-multilib;
# gcc-aarch64-linux-gnu would not), qemu-system-aarch64 and cpio, installed
# when missing (needs root); and Debian's arm64 kernel and busybox-static,
# downloaded through a private apt state for arm64 and unpacked under
# build/arm64-qemu, never installed.  Idempotent: a second run does nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
top=build/arm64-qemu
pkgs=(clang lld llvm qemu-system-arm cpio libc6-dev-arm64-cross libgcc-12-dev-arm64-cross
      libstdc++-12-dev-arm64-cross)

missing=()
for p in "${pkgs[@]}"; do
	dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
	[ "$(id -u)" = 0 ] || { echo "arm64/deps.sh: root needed to install: ${missing[*]}" >&2; exit 1; }
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

ls $top/kernel/boot/vmlinuz-* $top/busybox/bin/busybox >/dev/null 2>&1 && exit 0

# The host's sources, seen as an arm64 machine: nothing changes in /var/lib/apt or dpkg.
apt=$(pwd)/$top/apt
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial"
: > "$apt/status"
opts=(-o APT::Architecture=arm64 -o APT::Architectures::=arm64 -o "Dir::State::Lists=$apt/lists"
      -o "Dir::State::status=$apt/status" -o "Dir::Cache=$apt/cache")
# As root apt drops to _apt, which cannot write into build/: stay root.
[ "$(id -u)" = 0 ] && opts+=(-o APT::Sandbox::User=root)
apt-get "${opts[@]}" update -qq
# linux-image-arm64 is a metapackage; the kernel is its versioned dependency.
pkg=$(apt-cache "${opts[@]}" depends linux-image-arm64 |
      awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
[ -n "$pkg" ] || { echo "arm64/deps.sh: cannot resolve linux-image-arm64's kernel package" >&2; exit 1; }

dl=$top/dl
rm -rf "$dl" $top/kernel $top/busybox
mkdir -p "$dl"
(cd "$dl" && apt-get "${opts[@]}" download -qq "$pkg" busybox-static)
dpkg-deb -x "$dl/${pkg}"_*.deb $top/kernel.tmp
dpkg-deb -x "$dl"/busybox-static_*.deb $top/busybox.tmp
# The modules are not needed: virt's serial port and initramfs are built in.
rm -rf $top/kernel.tmp/lib
mv $top/kernel.tmp $top/kernel
# Only the binary: the package's *.d directories would look like make's dependency files.
mkdir -p $top/busybox/bin
mv $top/busybox.tmp/bin/busybox $top/busybox/bin/
rm -rf $top/busybox.tmp
rm -rf "$dl" "$apt/cache"
ls $top/kernel/boot/vmlinuz-* $top/busybox/bin/busybox
