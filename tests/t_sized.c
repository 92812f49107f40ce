// SPDX-License-Identifier: MIT
/*
 * Structs the library fills, passed with the caller's size (detect.h):
 * nothing written past it, zeros where the caller's struct is newer than
 * the library's, a size short of the first version refused untouched.
 */
#include <stddef.h>
#include <string.h>

#include "vmwcall/cmd.h"
#include "vmwcall/detect.h"
#include "host.h"
#include "tap.h"
#include "trap.h"
#include "inproc.h"
#include "trapping.h"

#define PAD 16

static union {
	struct vmw_info i;
	struct vmw_time t;
	unsigned char b[128];
} u;

/* Are the n bytes at off all v? */
static int all(size_t off, size_t n, unsigned char v)
{
	for (size_t k = off; k < off + n; k++)
		if (u.b[k] != v)
			return 0;
	return 1;
}

static void info(void)
{
	const size_t size0 = offsetof(struct vmw_info, apic_khz) + sizeof(uint32_t);
	const size_t size = sizeof(struct vmw_info);
	struct vmw_info ref;

	vmw_detect(&ref, sizeof(ref), 0);
	ok(vmw_detect(NULL, size, 0) == VMW_EINVAL, "vmw_detect(NULL): VMW_EINVAL");
	memset(u.b, 0xAA, sizeof(u.b));
	ok(vmw_detect(&u.i, size0 - 1, 0) == VMW_EINVAL && all(0, sizeof(u.b), 0xAA),
	   "vmw_detect: a size short of the first version: VMW_EINVAL, nothing written");
	ok(vmw_detect(&u.i, size0, 0) == 0 && all(size0, sizeof(u.b) - size0, 0xAA) &&
	   !memcmp(&u.i, &ref, size0), "vmw_detect: the first version's size: filled, nothing past it");
	memset(u.b, 0xAA, sizeof(u.b));
	ok(vmw_detect(&u.i, size + PAD, 0) == 0 && all(size, PAD, 0) &&
	   all(size + PAD, sizeof(u.b) - size - PAD, 0xAA) && !strcmp(u.i.hv_sig, ref.hv_sig),
	   "vmw_detect: a newer caller's larger struct: the fields it adds are 0");
}

static void host_time(void)
{
	const size_t size0 = offsetof(struct vmw_time, full) + sizeof(int);
	const size_t size = sizeof(struct vmw_time);
	struct emu_config cfg;

	emu_config_default(&cfg);
	use(&cfg);
	ok(vmw_get_host_time(NULL, size) == VMW_EINVAL, "vmw_get_host_time(NULL): VMW_EINVAL");
	memset(u.b, 0xAA, sizeof(u.b));
	ok(vmw_get_host_time(&u.t, size0 - 1) == VMW_EINVAL && all(0, sizeof(u.b), 0xAA),
	   "vmw_get_host_time: a size short of the first version: VMW_EINVAL, nothing written");
	/* 20 bytes where the struct is padded to 24 (x86-64): the tail is the caller's. */
	ok(vmw_get_host_time(&u.t, size0) == 0 && u.t.full == 1 && u.t.usec < 1000000 &&
	   all(size0, sizeof(u.b) - size0, 0xAA),
	   "vmw_get_host_time: %zu bytes (the struct is %zu): filled, nothing past them", size0, size);
	memset(u.b, 0xAA, sizeof(u.b));
	ok(vmw_get_host_time(&u.t, size + PAD) == 0 && u.t.full == 1 && all(size, PAD, 0) &&
	   all(size + PAD, sizeof(u.b) - size - PAD, 0xAA),
	   "vmw_get_host_time: a newer caller's larger struct: the fields it adds are 0");
}

int main(void)
{
	need_trapping();
	plan(8);
	info();
	host_time();
	emu_trap_remove();
	emu_host_free(host);
	return done_testing();
}
