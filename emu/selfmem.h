/* SPDX-License-Identifier: MIT */
/*
 * This process's own memory, where a bad address is an error, not a fault:
 * for a front end that answers its own process's hypercalls.
 */
#ifndef VMWCALL_EMU_SELFMEM_H
#define VMWCALL_EMU_SELFMEM_H

#include <stddef.h>
#include <stdint.h>

/*
 * Copy up to n bytes from addr into dst, stopping at the first byte that
 * cannot be read; the number copied.  Not thread-safe: callers serialize.
 */
size_t emu_self_read(void *dst, uintptr_t addr, size_t n);

/* Copy n bytes from src to addr: 0, or -1 if any byte is not writable. */
int emu_self_write(uintptr_t addr, const void *src, size_t n);

#endif
