/* SPDX-License-Identifier: MIT */
/* Ring-0 check of the freestanding header under QEMU: results go to COM1,
 * the verdict is left to the host (qemu/check.sh); we always exit 0. */
#include "ring0.h"

#define COM1		0x3F8
#define LSR_THRE	0x20		/* line status: transmit holding register empty */
#define DEBUG_EXIT	0xF4		/* isa-debug-exit: QEMU exits with (v << 1) | 1 */

static inline void outb(unsigned short port, unsigned char v)
{
	__asm__ __volatile__("outb %0, %1" : : "a" (v), "Nd" (port));
}

static inline unsigned char inb(unsigned short port)
{
	unsigned char v;

	__asm__ __volatile__("inb %1, %0" : "=a" (v) : "Nd" (port));
	return v;
}

static void putc_serial(char c)
{
	/* QEMU's UART never blocks, but a real one would: keep the wait. */
	while (!(inb(COM1 + 5) & LSR_THRE))
		;
	outb(COM1, (unsigned char)c);
}

void put(const char *s)
{
	for (; *s; s++) {
		if (*s == '\n')
			putc_serial('\r');
		putc_serial(*s);
	}
}

void put_hex(const char *name, unsigned int v)
{
	char buf[9];
	int i;

	for (i = 7; i >= 0; i--, v >>= 4)
		buf[i] = "0123456789abcdef"[v & 15];
	buf[8] = '\0';
	put(" ");
	put(name);
	put("=");
	put(buf);
}

void ring0_main(void);

void ring0_main(void)
{
	put("ring0: start\n");
	calls_io();
	calls_auto();
	put("ring0: done\n");
	__asm__ __volatile__("outl %0, %1" : : "a" (0u), "Nd" ((unsigned short)DEBUG_EXIT));
}
