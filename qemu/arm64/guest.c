// SPDX-License-Identifier: MIT
/*
 * A guest for vmwcall-emu's ptrace front end on aarch64, with the registers
 * under its own control: `guest MODE` prints x0..x3 after one mrs, or dies
 * of the SIGILL the host refused to answer.
 */
#include <stdio.h>
#include <string.h>

#include "vmwcall/proto.h"

static void mrs(unsigned long port, unsigned long kind, unsigned long *out)
{
	register unsigned long x0 __asm__("x0") = VMW_MAGIC, x1 __asm__("x1") = ~VMW_MAGIC;
	register unsigned long x2 __asm__("x2") = VMW_CMD_GETVERSION, x3 __asm__("x3") = port;
	register unsigned long x6 __asm__("x6") = 0x6666;
	register unsigned long x7 __asm__("x7") = kind;

	__asm__ __volatile__("mrs xzr, mdccsr_el0"
			     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x6)
			     : "r"(x7) : "x4", "x5", "memory");
	out[0] = x0, out[1] = x1, out[2] = x2, out[3] = x3, out[4] = x6;
}

int main(int argc, char **argv)
{
	const unsigned long lb = (unsigned long)VMW_X7_MAGIC << 32 | VMW_X7_LB;
	unsigned long r[5];

	if (argc != 2)
		return 2;
	if (!strcmp(argv[1], "getversion"))
		mrs(VMW_PORT, lb, r);
	else if (!strcmp(argv[1], "badport"))
		mrs(0x1234, lb, r);
	else if (!strcmp(argv[1], "nomagic"))
		mrs(VMW_PORT, VMW_X7_LB, r);
	else if (!strcmp(argv[1], "byte"))
		mrs(VMW_PORT, lb & ~(unsigned long)VMW_X7_SIZE_MASK, r);
	else
		return 2;
	printf("x0=%lx x1=%lx x2=%lx x3=%lx x6=%lx\n", r[0], r[1], r[2], r[3], r[4]);
	return 0;
}
