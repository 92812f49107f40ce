/* SPDX-License-Identifier: MIT */
/* A fake guest memory for the host core: ram[] mapped at RAM_BASE. */
#ifndef VMWCALL_TESTS_RAM_H
#define VMWCALL_TESTS_RAM_H

#include <string.h>

#include "host.h"

static uint8_t ram[RAM_SIZE];

static int ram_read(void *ctx, uint64_t a, void *dst, size_t n)
{
	(void)ctx;
	if (a < RAM_BASE || a - RAM_BASE > sizeof(ram) || n > sizeof(ram) - (a - RAM_BASE))
		return -1;
	memcpy(dst, ram + (a - RAM_BASE), n);
	return 0;
}

static int ram_write(void *ctx, uint64_t a, const void *src, size_t n)
{
	(void)ctx;
	if (a < RAM_BASE || a - RAM_BASE > sizeof(ram) || n > sizeof(ram) - (a - RAM_BASE))
		return -1;
	memcpy(ram + (a - RAM_BASE), src, n);
	return 0;
}

static const struct emu_mem mem = { NULL, ram_read, ram_write };

#endif
