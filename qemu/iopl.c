// SPDX-License-Identifier: MIT
/*
 * iopl PROGRAM [ARG]...: raise the I/O privilege level to 3, then exec.
 *
 * QEMU's TCG applies the architectural I/O permission check to ring 3, with
 * no exception for the backdoor port (real VMware and KVM's
 * enable_vmware_backdoor have one).  Our tools must not raise IOPL
 * themselves, so the test raises it for them; the level survives execve.
 */
#include <stdio.h>
#include <sys/io.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: iopl PROGRAM [ARG]...\n", stderr);
		return 2;
	}
	if (iopl(3)) {
		perror("iopl(3)");
		return 126;
	}
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
