/* SPDX-License-Identifier: MIT */
/*
 * CPUID as a VMware VM's processor answers it: the hypervisor bit in leaf
 * 1, "VMwareVMware" at 0x40000000 and the timing and backdoor-transport
 * leaf 0x40000010; every other leaf is the real processor's.  Front ends
 * see CPUID only where the processor can fault it (arch_prctl
 * ARCH_SET_CPUID); then it traps like port I/O (SIGSEGV) and
 * emu_host_call(EMU_INSN_CPUID) answers it from here.
 */
#ifndef VMWCALL_EMU_CPUID_H
#define VMWCALL_EMU_CPUID_H

#include "host.h"

#define EMU_CPUID_HV_MAX	0x40000010u	/* the highest hypervisor leaf VMware has */
#define EMU_CPUID_VMMCALL	(1u << 0)	/* 0x40000010 ecx: backdoor by vmmcall */
#define EMU_CPUID_VMCALL	(1u << 1)	/* ... by vmcall */

/*
 * Pure: the answer out[eax, ebx, ecx, edx] to CPUID leaf, subleaf sub on
 * host cfg, given the real processor's answer real[] to the same leaf.
 */
void emu_cpuid_leaf(const struct emu_config *cfg, uint32_t leaf, uint32_t sub,
		    const uint32_t real[4], uint32_t out[4]);

/*
 * The processor's own answer (zeros where there is no CPUID): what
 * cfg.cpuid_real defaults to.  Safe in a signal handler, and in a process
 * that faults CPUID (it lifts the faulting around the instruction).
 */
void emu_cpuid_native(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4]);

/*
 * Where the front end runs: 0 if this processor can fault CPUID in user
 * space (ARCH_SET_CPUID works; it is tried and undone), else -1 with
 * errno (ENODEV: the processor cannot; EINVAL: the kernel has no such
 * call).
 */
int emu_cpuid_can_fault(void);

#endif
