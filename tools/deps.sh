#!/bin/bash
# The Debian packages `make check-all` and `make check-deb` need: the one
# list (.ci/run and check-all both come here).  As root the missing ones are
# installed; otherwise they are named and the tests that need them skip or
# fail.  check-qemu's own packages and kernel come from qemu/deps.sh.
set -euo pipefail

pkgs=(make gcc g++ clang gcc-multilib g++-multilib libc6-dev-i386 valgrind perl
      binutils pkg-config open-vm-tools clang-tools libclang-rt-14-dev cppcheck util-linux
      python3 cloud-init man-db groff-base
      build-essential dpkg-dev debhelper lintian)

missing=()
for p in "${pkgs[@]}"; do
	dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
((${#missing[@]})) || exit 0
if [ "$(id -u)" != 0 ]; then
	echo "deps.sh: not root; missing: ${missing[*]}" >&2
	exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
