#!/bin/sh
# Header checks: freestanding compile and link, every C/C++ standard, each
# public header alone, and a pinned transport being exactly one instruction
# with no branch.
# Usage: check.sh CC [extra flags]
set -eu
cc=$1; extra=${2:-}
case $cc in *clang*) cxx=clang++ ;; *) cxx=g++ ;; esac
out=${O:-build}/header; mkdir -p "$out"
warn="-Wall -Wextra -Werror -pedantic -Iinclude"
ld=
case $($cc $extra -dumpmachine) in aarch64*) arch=aarch64 ld=-fuse-ld=lld ;; *) arch=x86 ;; esac

for std in c99 c11 c17 c2x gnu99 gnu11; do
	$cc -std=$std $warn $extra -ffreestanding -nostdinc -c tests/header/freestanding.c -o "$out/fs.o"
done
$cc -std=c11 $warn $extra $ld -O2 -ffreestanding -nostdinc -nostdlib -static -Wl,-e,entry \
	tests/header/freestanding.c -o "$out/freestanding"
for std in c++11 c++14 c++17 c++20; do
	$cxx -std=$std $warn $extra $ld tests/header/cxx.cc -o "$out/cxx"
done

# Every public header first and alone, and the API headers' constants
# without proto.h, in C and C++ (what a user's first #include meets).
for h in include/vmwcall/*.h; do
	printf '#include "vmwcall/%s"\ntypedef int alone;\n' "${h##*/}" > "$out/alone.c"
	for std in c99 c11; do
		$cc -std=$std $warn $extra -c "$out/alone.c" -o "$out/alone.o" || { echo "$h alone: $cc -std=$std"; exit 1; }
	done
	for std in c++11 c++20; do
		$cxx -x c++ -std=$std $warn $extra -c "$out/alone.c" -o "$out/alone.o" ||
			{ echo "$h alone: $cxx -std=$std"; exit 1; }
	done
done
$cc -std=c99 $warn $extra -c tests/header/use.c -o "$out/use.o"
$cxx -x c++ -std=c++11 $warn $extra -c tests/header/use.c -o "$out/use.o"

if [ $arch = aarch64 ]; then
	# One mrs per wrapper, and none of them branches.
	$cc -std=c11 $warn $extra -O2 -ffreestanding -nostdinc -c tests/header/freestanding.c -o "$out/pin.o"
	llvm-objdump -d --no-show-raw-insn "$out/pin.o" > "$out/pin.s"
	for f in pinned1:1 every_call:9; do
		sed -n "/<${f%:*}>:/,/^\$/p" "$out/pin.s" > "$out/${f%:*}.s"
		n=$(grep -cE '[[:space:]]mrs[[:space:]]+xzr, MDCCSR_EL0' "$out/${f%:*}.s" || true)
		b=$(grep -cE '[[:space:]](b|bl|br|blr|b\.[a-z]+|cbn?z|tbn?z)[[:space:]]' "$out/${f%:*}.s" || true)
		if [ "$n" != "${f#*:}" ] || [ "$b" != 0 ]; then
			echo "${f%:*}: $n mrs, $b branches (want ${f#*:}, 0)"; cat "$out/${f%:*}.s"; exit 1
		fi
	done
	echo "header: freestanding, C99-C2x, C++11-20, each header alone, one mrs per wrapper ok ($cc $extra)"
	exit 0
fi

for t in IO VMCALL VMMCALL; do
	$cc -std=c11 $warn $extra -O2 -ffreestanding -nostdinc -DVMW_TRANSPORT=VMW_TRANSPORT_$t \
		-c tests/header/freestanding.c -o "$out/pin.o"
	objdump -d --no-show-raw-insn "$out/pin.o" | sed -n '/<pinned1>:/,/^$/p' > "$out/pin.$t.s"
	n=$(grep -cE '[[:space:]](in|vmcall|vmmcall)[[:space:]]*' "$out/pin.$t.s" || true)
	b=$(grep -cE '[[:space:]](j[a-z]+|call)[[:space:]]' "$out/pin.$t.s" || true)
	if [ "$n" != 1 ] || [ "$b" != 0 ]; then
		echo "pinned $t: $n hypercall instructions, $b branches (want 1, 0)"; cat "$out/pin.$t.s"; exit 1
	fi
done
echo "header: freestanding, C99-C2x, C++11-20, each header alone and pinned transports ok ($cc $extra)"
