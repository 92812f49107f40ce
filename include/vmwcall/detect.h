/* SPDX-License-Identifier: MIT */
/* Is this a VMware virtual machine?  Safe anywhere: never faults. */
#ifndef VMWCALL_DETECT_H
#define VMWCALL_DETECT_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct vmw_info {
	int vmware;		/* a VMware backdoor answered GETVERSION */
	int cpuid_vmware;	/* CPUID hypervisor signature is "VMwareVMware" */
	int tdx;		/* CPUID says Intel TDX guest */
	char hv_sig[13];	/* CPUID 0x40000000 signature, any vendor; "" if none */
	unsigned int transport;	/* VMW_TRANSPORT_* hypercalls will use */
	uint32_t version;	/* GETVERSION out0 (6 on VMware) */
	uint32_t type;		/* product type, VMW_TYPE_* */
	uint32_t tsc_khz;	/* CPUID 0x40000010 eax; 0 if absent */
	uint32_t apic_khz;	/* CPUID 0x40000010 ebx */
};

/*
 * Probe the backdoor even without the CPUID signature: VMs configured with
 * hypervisor.cpuid.v0 = FALSE, and emulated hosts.  The probe runs under a
 * temporary SIGSEGV/SIGILL guard that is removed before returning.
 */
#define VMW_DETECT_PROBE	1u

/*
 * Fill *info; 1 if VMware answered, 0 if not.  Without VMW_DETECT_PROBE
 * and without the signature no hypercall is made.  The guard swaps
 * process-wide signal handlers for the duration of one instruction:
 * concurrent probes are serialized, and another thread faulting meanwhile
 * is passed to the handler that was in place.
 */
int vmw_detect(struct vmw_info *info, unsigned int flags);

/*
 * The commands (cmd.h) and vmw_chan_open() (rpc.h) issue no hypercall
 * until a backdoor is known to answer: the first of them probes as
 * vmw_detect(VMW_DETECT_PROBE) does, and every probe's answer is kept.
 * Without one they fail with VMW_ENOTVMWARE.  vmw_set_present() replaces
 * that knowledge: 1 present, 0 absent, -1 forget and probe again.  It is
 * for callers that know better than the probe, such as an in-process host
 * that catches the same signals as the probe's guard.
 */
void vmw_set_present(int present);

/* Name of a VMW_TRANSPORT_* value: "io", "vmcall", "vmmcall", "tdx". */
const char *vmw_transport_name(unsigned int transport);

#ifdef __cplusplus
}
#endif

#endif
