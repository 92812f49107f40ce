/* SPDX-License-Identifier: MIT */
/* Is this a VMware virtual machine?  Safe anywhere: never faults. */
#ifndef VMWCALL_DETECT_H
#define VMWCALL_DETECT_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "proto.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Structs the library fills (struct vmw_info, struct vmw_time in cmd.h)
 * grow only at the end, and the functions that fill them take the size
 * the caller was compiled with (sizeof *info): they write at most that
 * many bytes and zero any the library does not know, so old programs run
 * with a newer library and new programs with an older one.  A size short
 * of the struct's first version (through the last field listed here
 * today), or a NULL pointer, gives VMW_EINVAL and writes nothing.
 */
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
 * hypervisor.cpuid.v0 = FALSE, and emulated hosts.
 */
#define VMW_DETECT_PROBE	1u

/*
 * Fill *info (size: sizeof *info, as above); 1 if VMware answered, 0 if
 * not, VMW_EINVAL for a bad size.  Without VMW_DETECT_PROBE and without
 * the signature no hypercall is made.
 *
 * The probe (one GETVERSION) runs in a short-lived child process that
 * shares this one's memory and has signal state of its own: it works
 * under any signal mask, on an alternate signal stack and while other
 * threads change handlers, and it changes no disposition, flag, mask or
 * stack of the caller; the child sends no SIGCHLD and is reaped before
 * return.  All signals are blocked in the calling thread while the child
 * runs.  Where no child can be made (clone refused), it falls back to a
 * guard in the calling thread that swaps the process's SIGSEGV/SIGILL
 * handlers for one instruction: that fallback overwrites a handler
 * another thread installs meanwhile.
 */
int vmw_detect(struct vmw_info *info, size_t size, unsigned int flags);

/*
 * The commands (cmd.h) and vmw_chan_open() (rpc.h) issue no hypercall
 * until a backdoor is known to answer: the first of them probes as
 * vmw_detect(VMW_DETECT_PROBE) does, and every probe's answer is kept.
 * Without one they fail with VMW_ENOTVMWARE.
 *
 * vmw_set_present() exists for one caller: a host emulated inside this
 * process, answering the instructions from this process's own signal
 * handlers (vmwcall's tests do that), which the probe's child cannot
 * reach.  It replaces the kept answer: 1 present, 0 absent, -1 forget
 * and probe again.  Programs on VMware or under a ptrace-based host
 * (vmwcall-emu) never need it.
 */
void vmw_set_present(int present);

/*
 * The transport libvmwcall's own calls use (VMW_TRANSPORT_*, 0 = choose
 * from CPUID): hypercall.h's vmware_hypercall_set_mode() for the library,
 * which a program linked to libvmwcall.so cannot reach directly.  0, or
 * VMW_EINVAL for a value that is no transport.
 */
int vmw_set_transport(unsigned int transport);

/* Name of a VMW_TRANSPORT_* value: "io", "vmcall", "vmmcall", "tdx"; else "none". */
const char *vmw_transport_name(unsigned int transport);

#ifdef __cplusplus
}
#endif

#endif
