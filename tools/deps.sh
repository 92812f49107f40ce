#!/bin/bash
# The Debian packages `make check-all` and `make check-deb` need: the one
# list (.ci/run and check-all both come here).  As root the missing ones are
# installed; otherwise they are named and the tests that need them skip or
# fail.  check-qemu's own packages and kernel come from qemu/deps.sh.
set -euo pipefail

pkgs=(make gcc g++ clang gcc-multilib g++-multilib libc6-dev-i386 valgrind perl
      binutils pkg-config open-vm-tools clang-tools cppcheck util-linux
      python3 cloud-init man-db groff-base
      build-essential dpkg-dev debhelper lintian qemu-user)

updated=0
need() {
	local missing=() p
	for p in "$@"; do
		dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
	done
	((${#missing[@]})) || return 0
	if [ "$(id -u)" != 0 ]; then
		echo "deps.sh: not root; missing: ${missing[*]}" >&2
		return 0
	fi
	export DEBIAN_FRONTEND=noninteractive
	((updated)) || apt-get update -qq
	updated=1
	apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

need "${pkgs[@]}"
# The sanitizer and libFuzzer runtimes of the clang installed, whatever its
# version (older releases ship them in libclang-common-N-dev).
command -v clang >/dev/null || exit 0
v=$(clang -dumpversion | cut -d. -f1)
if apt-cache show "libclang-rt-$v-dev" >/dev/null 2>&1; then
	need "libclang-rt-$v-dev"
else
	need "libclang-common-$v-dev"
fi
