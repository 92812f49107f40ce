// SPDX-License-Identifier: MIT
/*
 * Typed LB commands.  Hosts say "unsupported" in no standard way: by
 * 0xFFFFFFFF in eax, or by leaving every register as the guest loaded it
 * (QEMU's vmport with x-signal-unsupported-cmd=off).  So each command
 * loads, in a register its host overwrites, a value no answer can be
 * (NOT_MAGIC, ALL_ONES, or eax = magic itself), and calls the command
 * unsupported when that value comes back.
 */
#include <string.h>

#include "vmwcall/cmd.h"
#include "vmwcall/hypercall.h"
#include "probe.h"
#include "sized.h"

#define ALL_ONES 0xFFFFFFFFu
#define NOT_MAGIC (~VMW_MAGIC & ALL_ONES)
#define QEMU_MARK 0x1177u	/* ebx after QEMU's GETMEMSIZE */

int vmw_get_version(uint32_t *version, uint32_t *type)
{
	vmw_u32 ax, bx, cx;

	if (!vmw_ready())
		return VMW_ENOTVMWARE;
	ax = (vmw_u32)vmware_hypercall3(VMW_CMD(VMW_CMD_GETVERSION, 0xFFFF), NOT_MAGIC, &bx, &cx);
	if (bx != VMW_MAGIC || ax == ALL_ONES)
		return VMW_ENOTVMWARE;
	*version = ax;
	/* A host that ignores the type probe leaves 0xFFFF in the high half. */
	*type = (cx >> 16) == 0xFFFF ? VMW_TYPE_UNSET : cx;
	return 0;
}

int vmw_get_mhz(uint32_t *mhz)
{
	vmw_u32 ax;

	if (!vmw_ready())
		return VMW_ENOTVMWARE;
	ax = (vmw_u32)vmware_hypercall1(VMW_CMD_GETMHZ, NOT_MAGIC);
	if ((int32_t)ax <= 0 || ax == VMW_MAGIC)
		return VMW_EUNSUPPORTED;
	*mhz = ax;
	return 0;
}

int vmw_get_hz(uint64_t *tsc_hz, uint32_t *apic_hz)
{
	vmw_u32 ax, bx, cx;
	uint64_t hz;

	if (!vmw_ready())
		return VMW_ENOTVMWARE;
	ax = (vmw_u32)vmware_hypercall3(VMW_CMD_GETHZ, ALL_ONES, &bx, &cx);
	hz = (uint64_t)bx << 32 | ax;

	if (bx == ALL_ONES)
		return VMW_EUNSUPPORTED;
	if (hz == 0)
		return VMW_EPROTO;
	*tsc_hz = hz;
	*apic_hz = cx;
	return 0;
}

/* struct vmw_time's first version ends here: a caller's size may not be less. */
#define TIME_SIZE0 (offsetof(struct vmw_time, full) + sizeof(int))

int vmw_get_host_time(struct vmw_time *t, size_t size)
{
	vmw_u32 ax, bx, cx, dx, si, di;
	struct vmw_time r = { 0 };

	if (!t || size < TIME_SIZE0)
		return VMW_EINVAL;
	if (!vmw_ready())
		return VMW_ENOTVMWARE;
	/*
	 * GETTIMEFULL succeeds by leaving eax = magic, as an ignoring host
	 * does too: ebx (microseconds, < 1000000) tells them apart.
	 */
	ax = (vmw_u32)vmware_hypercall9(VMW_CMD_GETTIMEFULL, ALL_ONES, 0, 0, 0,
					&bx, &cx, &dx, &si, &di);
	if (ax == VMW_MAGIC && bx != ALL_ONES) {
		r.sec = (uint64_t)si << 32 | dx;
		r.full = 1;
	} else {
		ax = (vmw_u32)vmware_hypercall4(VMW_CMD_GETTIME, ALL_ONES, &bx, &cx, &dx);
		if (ax == ALL_ONES || ax == VMW_MAGIC || bx == ALL_ONES)
			return VMW_EUNSUPPORTED;
		r.sec = ax;
		r.full = 0;
	}
	if (r.sec == 0 || r.sec > INT64_MAX / 1000000 || bx >= 1000000)
		return VMW_EPROTO;
	r.usec = bx;
	r.max_lag_us = cx;
	return vmw_copy_sized(t, size, &r, sizeof(r), TIME_SIZE0);
}

static void put_le32(uint8_t *p, vmw_u32 v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

int vmw_get_uuid(uint8_t uuid[16])
{
	vmw_u32 ax, bx, cx, dx;

	if (!vmw_ready())
		return VMW_ENOTVMWARE;
	ax = (vmw_u32)vmware_hypercall4(VMW_CMD_GETUUID, NOT_MAGIC, &bx, &cx, &dx);
	/* Any 16 bytes are a UUID; an untouched ebx/ecx is a host that ignored us. */
	if (bx == NOT_MAGIC && cx == VMW_CMD_GETUUID)
		return VMW_EUNSUPPORTED;
	put_le32(uuid, ax);
	put_le32(uuid + 4, bx);
	put_le32(uuid + 8, cx);
	put_le32(uuid + 12, dx);
	return 0;
}

int vmw_get_memsize(uint32_t *mb, unsigned int *how)
{
	vmw_u32 ax, bx, cx;

	if (!vmw_ready())
		return VMW_ENOTVMWARE;
	ax = (vmw_u32)vmware_hypercall3(VMW_CMD_GETMEMSIZE, NOT_MAGIC, &bx, &cx);
	if (bx == QEMU_MARK) {
		/* Below 1 MiB the count is a multiple of 4 GiB: no size can be told. */
		if (ax < 1u << 20)
			return VMW_EPROTO;
		*mb = ax >> 20;
		if (how)
			*how = VMW_MEMSIZE_QEMU;
		return 0;
	}
	if (ax == 0 || ax == ALL_ONES || ax == VMW_MAGIC)
		return VMW_EUNSUPPORTED;
	*mb = ax;
	if (how)
		*how = VMW_MEMSIZE_MB;
	return 0;
}

int vmw_get_vcpu_info(uint32_t *bits)
{
	vmw_u32 ax;

	if (!vmw_ready())
		return VMW_ENOTVMWARE;
	ax = (vmw_u32)vmware_hypercall1(VMW_CMD_GETVCPU_INFO, 0);
	/* eax is the only output: an untouched one is the magic. */
	if ((ax & VMW_VCPU_RESERVED) || ax == VMW_MAGIC)
		return VMW_EUNSUPPORTED;
	*bits = ax;
	return 0;
}

/* 0 if the host reports the state we asked for. */
static int stealclock(uint64_t pa, vmw_u32 want)
{
	vmw_u32 ax, cx;

	if (!vmw_ready())
		return VMW_ENOTVMWARE;
	ax = (vmw_u32)vmware_hypercall5(VMW_CMD_STEALCLOCK, 0, 0, (unsigned long)(pa >> 32),
					(unsigned long)(pa & ALL_ONES), &cx);
	if (ax == VMW_STEALCLOCK_NOT_AVAILABLE || ax == VMW_MAGIC)
		return VMW_EUNSUPPORTED;
	if (ax != VMW_STEALCLOCK_ENABLED && ax != VMW_STEALCLOCK_DISABLED)
		return VMW_EPROTO;
	return ax == want ? 0 : VMW_EHOST;
}

int vmw_stealclock_enable(uint64_t pa)
{
	/* The disable request is pa == 1: an enabled clock must be aligned. */
	if (pa & 63)
		return VMW_EINVAL;
	return stealclock(pa, VMW_STEALCLOCK_ENABLED);
}

int vmw_stealclock_disable(void)
{
	return stealclock(1, VMW_STEALCLOCK_DISABLED);
}

uint64_t vmw_stealclock_read(const volatile struct vmw_steal_time *st)
{
#if defined(__x86_64__) || defined(__aarch64__)
	return __atomic_load_n(&st->clock, __ATOMIC_RELAXED);
#else
	const volatile uint32_t *w = (const volatile uint32_t *)&st->clock;
	uint32_t hi, lo;

	/* The host may carry into the high word between our two loads. */
	do {
		hi = w[1];
		lo = w[0];
	} while (hi != w[1]);
	return (uint64_t)hi << 32 | lo;
#endif
}
