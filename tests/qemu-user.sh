#!/bin/sh
# prove --exec wrapper: run one test of an i386 build under qemu-user
# (qemu-i386), for kernels that do not execute 32-bit programs.  Shell tests
# get a shadow $O whose tools run under qemu-i386 (argv[0] kept for the
# vmware-rpctool/vmware-checkvm personas); they need a native cc.  Usage: qemu-user.sh TEST
set -u
O=${O:?O is the build directory}
QEMU=${QEMU_I386:-qemu-i386}
t=$1

case ${t##*/} in
t_emu_ptrace|t_emu_mem|t_emu_bounds|t_load|t_cli_emu.sh|t_emu_ovt.sh|t_control.sh|t_trapping.sh)
	echo "1..0 # SKIP qemu-user: the ptrace runner cannot trace emulated code"; exit 0 ;;
t_probe)
	# Its clone(CLONE_VM|CLONE_VFORK) child and its seccomp filters meet
	# qemu's emulation of them (the filters see qemu's own x86-64 calls).
	echo "1..0 # SKIP qemu-user: emulates clone and seccomp, not the kernel's"; exit 0 ;;
t_python.sh)
	echo "1..0 # SKIP qemu-user: the host's python cannot load an i386 library"; exit 0 ;;
t_man.sh)
	# Headers and man pages only, the same in every build: a minute under load.
	echo "1..0 # SKIP qemu-user: runs no i386 code (the native runs check the pages)"; exit 0 ;;
*.sh) ;;
*) exec "$QEMU" "$t" ;;
esac

S=$(mktemp -d) || exit 1
trap 'rm -rf "$S"' EXIT
# A native shim per tool keeps argv[0] (a script would lose it).
cat > "$S/shim.c" <<'C'
#include <unistd.h>
int main(int argc, char **argv)
{
	char *a[argc + 4];

	a[0] = QEMU, a[1] = "-0", a[2] = argv[0], a[3] = REAL;
	for (int i = 1; i <= argc; i++)
		a[3 + i] = argv[i];
	execvp(QEMU, a);
	return 127;
}
C
for f in "$O"/*; do
	n=${f##*/}
	if [ -f "$f" ] && [ -x "$f" ] && [ ! -L "$f" ] && case $n in *.so*) false ;; *) true ;; esac; then
		cc -DQEMU="\"$QEMU\"" -DREAL="\"$f\"" -o "$S/$n" "$S/shim.c" || exit 1
	elif [ -L "$f" ] && [ "$(readlink "$f")" = vmwcall ]; then
		ln -s vmwcall "$S/$n"	# the personas
	else
		ln -s "$f" "$S/$n"
	fi
done
# The one helper shell tests run from $O/tests (trapping.sh's check) gets a
# shim too; the test programs themselves are run by prove, not by them.
rm "$S/tests" && mkdir "$S/tests" || exit 1
for f in "$O"/tests/*; do
	ln -s "$f" "$S/tests/${f##*/}"
done
rm "$S/tests/trapping" &&
	cc -DQEMU="\"$QEMU\"" -DREAL="\"$O/tests/trapping\"" -o "$S/tests/trapping" "$S/shim.c" || exit 1
real=$O
O=$S VMW_ELF_O=$real sh "$t"
