// SPDX-License-Identifier: MIT
/*
 * Leaves from Linux's arch/x86/kernel/cpu/vmware.c and open-vm-tools'
 * x86cpuid.h (the shared spec, real-host.md section 4.2).  The whole
 * hypervisor range 0x40000000-0x4FFFFFFF is ours: a KVM or Hyper-V
 * machine's own leaves there would name another hypervisor.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "cpuid.h"
#include "internal.h"

#define ARCH_GET_CPUID	0x1011
#define ARCH_SET_CPUID	0x1012
#define HV_BIT		(1u << 31)	/* leaf 1 ecx: running under a hypervisor */

static uint32_t sig(const char *s)
{
	return (uint32_t)(unsigned char)s[0] | (uint32_t)(unsigned char)s[1] << 8 |
	       (uint32_t)(unsigned char)s[2] << 16 | (uint32_t)(unsigned char)s[3] << 24;
}

void emu_cpuid_leaf(const struct emu_config *cfg, uint32_t leaf, uint32_t sub,
		    const uint32_t real[4], uint32_t out[4])
{
	(void)sub;
	memcpy(out, real, 4 * sizeof(*out));
	if (leaf == 1) {
		out[2] |= HV_BIT;
	} else if ((leaf & 0xF0000000u) == 0x40000000u) {
		memset(out, 0, 4 * sizeof(*out));
		if (leaf == 0x40000000u) {
			out[0] = EMU_CPUID_HV_MAX;
			out[1] = sig("VMwa"), out[2] = sig("reVM"), out[3] = sig("ware");
		} else if (leaf == EMU_CPUID_HV_MAX) {
			/* kHz, saturated; Linux takes the TSC's from GETHZ instead. */
			uint64_t tsc = cfg->tsc_hz / 1000;

			out[0] = tsc > UINT32_MAX ? UINT32_MAX : (uint32_t)tsc;
			out[1] = cfg->apic_hz / 1000;
			out[2] = cfg->cpuid_ecx & (EMU_CPUID_VMMCALL | EMU_CPUID_VMCALL);
		}
	}
}

#if defined(__x86_64__) || defined(__i386__)
static void insn(uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	__asm__ volatile("cpuid" : "=a"(out[0]), "=b"(out[1]), "=c"(out[2]), "=d"(out[3])
			 : "a"(leaf), "c"(sub));
}

void emu_cpuid_native(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	int saved = errno;
	/* 0: this thread faults CPUID (a guest's own in-process host). */
	long on = syscall(SYS_arch_prctl, ARCH_GET_CPUID, 0);

	(void)ctx;
	if (on == 0)
		syscall(SYS_arch_prctl, ARCH_SET_CPUID, 1);
	insn(leaf, sub, out);
	if (on == 0)
		syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0);
	errno = saved;
}

int emu_cpuid_can_fault(void)
{
	if (syscall(SYS_arch_prctl, ARCH_SET_CPUID, 0))
		return -1;
	syscall(SYS_arch_prctl, ARCH_SET_CPUID, 1);
	return 0;
}
#else
void emu_cpuid_native(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	(void)ctx, (void)leaf, (void)sub;
	memset(out, 0, 4 * sizeof(*out));
}

int emu_cpuid_can_fault(void)
{
	errno = ENODEV;
	return -1;
}
#endif

int emu_cpuid_call(struct emu_host *h, struct emu_regs *r)
{
	uint32_t real[4], out[4], leaf = (uint32_t)r->ax, sub = (uint32_t)r->cx;

	if (h->cfg.no_cpuid) {
		h->st.refused++;
		return -1;
	}
	(h->cfg.cpuid_real ? h->cfg.cpuid_real : emu_cpuid_native)(h->cfg.cpuid_ctx, leaf, sub, real);
	emu_cpuid_leaf(&h->cfg, leaf, sub, real, out);
	r->ax = out[0], r->bx = out[1], r->cx = out[2], r->dx = out[3];
	h->st.cpuid++;
	return 0;
}
