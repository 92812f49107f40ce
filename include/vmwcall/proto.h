/* SPDX-License-Identifier: MIT */
/*
 * VMware backdoor protocol constants: the one header the guest side and the
 * emulated host share. Numbers only; no code, no libc.
 */
#ifndef VMWCALL_PROTO_H
#define VMWCALL_PROTO_H

#define VMW_MAGIC		0x564D5868u	/* "VMXh", in0 of every call */
#define VMW_PORT		0x5658u		/* LB port (in3 low 16 bits) */
#define VMW_PORT_HB		0x5659u		/* HB port */

/* How a hypercall reaches the host (hypercall.h); 0: choose from CPUID. */
#define VMW_TRANSPORT_AUTO	0
#define VMW_TRANSPORT_IO	1		/* in, rep insb/outsb on the ports */
#define VMW_TRANSPORT_VMCALL	2
#define VMW_TRANSPORT_VMMCALL	3
#define VMW_TRANSPORT_TDX	4		/* TDG.VP.VMCALL */

/* in3 low 16 bits when the transport is VMCALL/VMMCALL instead of a port. */
#define VMW_FLAG_LB		0x0u
#define VMW_FLAG_HB		0x1u
#define VMW_FLAG_OUT		0x2u		/* HB guest-to-host */

/*
 * aarch64: the guest executes `mrs xzr, mdccsr_el0` with x7 describing the
 * x86 I/O instruction it stands for (VMware's "x86 I/O space on arm").
 * Bits 63:32 are the magic; bits 4:3 the kind: 01 in/out with the port in
 * x3, 11 rep ins/outs; 00 (immediate port) and 10 (no rep) are not used here.
 */
#define VMW_X7_MAGIC		0x86u		/* x7 bits 63:32 */
#define VMW_X7_SIZE_MASK	0x3u		/* bits 1:0: 0 byte, 1 word, 2 dword */
#define VMW_X7_SIZE4		0x2u
#define VMW_X7_IN		(1u << 2)	/* direction: in/ins; clear: out/outs */
#define VMW_X7_DX		(1u << 3)	/* port in x3 (or, with STR, rep) */
#define VMW_X7_STR		(1u << 4)	/* string instruction */
#define VMW_X7_DF		(1u << 5)	/* strings: EFLAGS.DF */
#define VMW_X7_LB		(VMW_X7_DX | VMW_X7_IN | VMW_X7_SIZE4)	/* in (%dx), %eax */
#define VMW_X7_HB_OUT		(VMW_X7_STR | VMW_X7_DX)		/* rep outsb */
#define VMW_X7_HB_IN		(VMW_X7_STR | VMW_X7_DX | VMW_X7_IN)	/* rep insb */
#define VMW_A64_MRS_MDCCSR	0xD533011Fu	/* mrs xzr, mdccsr_el0 */

/* LB commands: in2 bits 15:0; bits 31:16 carry a sub-command. */
#define VMW_CMD_GETMHZ		1
#define VMW_CMD_GETVERSION	10
#define VMW_CMD_GETGUIOPTIONS	13
#define VMW_CMD_GETHWVERSION	17
#define VMW_CMD_GETUUID		19
#define VMW_CMD_GETMEMSIZE	20
#define VMW_CMD_GETTIME		23
#define VMW_CMD_MESSAGE		30
#define VMW_CMD_GETHZ		45
#define VMW_CMD_GETTIMEFULL	46
#define VMW_CMD_GETTIMEFULL_WITH_LAG 55
#define VMW_CMD_GETVCPU_INFO	68
#define VMW_CMD_STEALCLOCK	91
#define VMW_CMD_GETBUILDNUM	100
#define VMW_CMD(cmd, sub)	((unsigned long)(cmd) | ((unsigned long)(sub) << 16))

/* TDX masks the command word: bits 6:0 command, 19:16 sub-command. */
#define VMW_TDX_CMD_MASK	0xF007Ful
#define VMW_TDX_VENDOR_LEAF	0x1AF7E4909ull	/* r10 of TDG.VP.VMCALL */
#define VMW_TDX_HCALL_FUNC	1		/* r11 */
#define VMW_TDX_EXPOSE_REGS	0xFFCCu		/* rcx: rbx rdx rsi rdi r8-r15 */

/* HB commands: in1 bits 15:0; bits 31:16 carry the message status. */
#define VMW_HB_CMD_MESSAGE	0

/* GETVERSION */
#define VMW_VERSION_MAGIC	6		/* out0 from a real host */
#define VMW_TYPE_PROBE		0xFFFF0000u	/* in2 high half: ask for the product type */
#define VMW_TYPE_UNSET		0
#define VMW_TYPE_EXPRESS	1
#define VMW_TYPE_ESX		2
#define VMW_TYPE_SERVER		3
#define VMW_TYPE_WORKSTATION	4
#define VMW_TYPE_ACE		5

/* GETVCPU_INFO bits */
#define VMW_VCPU_SYNC_VTSCS	(1u << 1)
#define VMW_VCPU_LEGACY_X2APIC	(1u << 3)
#define VMW_VCPU_MMIO_HONORS_PAT (1u << 4)
#define VMW_VCPU_RESERVED	(1u << 31)	/* set: command not implemented */

/* STEALCLOCK results (out0) */
#define VMW_STEALCLOCK_NOT_AVAILABLE 0xFFFFFFFFu
#define VMW_STEALCLOCK_DISABLED	0
#define VMW_STEALCLOCK_ENABLED	1

/* GuestRPC: MESSAGE sub-commands (in2 bits 31:16). */
#define VMW_MSG_OPEN		0
#define VMW_MSG_SENDSIZE	1
#define VMW_MSG_SENDPAYLOAD	2
#define VMW_MSG_RECVSIZE	3
#define VMW_MSG_RECVPAYLOAD	4
#define VMW_MSG_RECVSTATUS	5
#define VMW_MSG_CLOSE		6

/* GuestRPC status: out2 bits 31:16 (LB) or out1 bits 31:16 (HB). */
#define VMW_MSG_SUCCESS		0x01u
#define VMW_MSG_DORECV		0x02u
#define VMW_MSG_CLOSED		0x04u
#define VMW_MSG_UNSENT		0x08u
#define VMW_MSG_CPT		0x10u		/* checkpoint: restart the message */
#define VMW_MSG_POWEROFF	0x20u
#define VMW_MSG_TIMEOUT		0x40u
#define VMW_MSG_HB		0x80u		/* host takes HB payloads */

#define VMW_PROTO_RPCI		0x49435052u	/* "RPCI" */
#define VMW_PROTO_TCLO		0x4F4C4354u	/* "TCLO" */
#define VMW_MSG_FLAG_COOKIE	0x80000000u

#define VMW_MSG_MAX_CHANNELS	128		/* VMware's channel table */
#define VMW_MSG_MAX_IN_SIZE	65536u		/* guest-to-host message limit */

/* RPCI "info-get guestinfo.KEY", "info-set guestinfo.KEY VALUE". */
#define VMW_GUESTINFO_PREFIX	"guestinfo."
#define VMW_GUESTINFO_PREFIX_LEN (sizeof(VMW_GUESTINFO_PREFIX) - 1)

/* CPUID */
#define VMW_CPUID_HV_BIT	(1u << 31)	/* leaf 1 ecx */
#define VMW_CPUID_HV_LEAF	0x40000000u	/* ebx:ecx:edx = "VMwareVMware" */
#define VMW_CPUID_FEATURES	0x40000010u	/* eax TSC kHz, ebx APIC kHz, ecx bits */
#define VMW_CPUID_VMMCALL	(1u << 0)
#define VMW_CPUID_VMCALL	(1u << 1)
#define VMW_CPUID_TDX_LEAF	0x21u		/* ebx:edx:ecx = "IntelTDX    " */

/*
 * GuestRPC over vsock: a stream to the hypervisor's context, each packet a
 * big-endian u32 length and then a DataMap (open-vm-tools lib/dataMap).
 * A source port below 1024 marks the caller privileged.
 */
#define VMW_VSOCK_CID		0u		/* VMCI_HYPERVISOR_CONTEXT_ID */
#define VMW_VSOCK_PORT_TCLO	975u
#define VMW_VSOCK_PORT_RPCI	976u
#define VMW_VSOCK_PRIV_PORT_MAX	1023u

/* DataMap entry: i32 type, i32 field id, value; all big-endian. */
#define VMW_DM_INT64		1		/* u32 low, then u32 high */
#define VMW_DM_STRING		2		/* i32 length > 0, bytes */
#define VMW_DM_INT64LIST	3		/* i32 count, count INT64s */
#define VMW_DM_STRINGLIST	4		/* i32 count, count STRINGs */

/* GuestRPC packet fields and types. */
#define VMW_PKT_FIELD_TYPE	1		/* INT64: VMW_PKT_DATA or _PING */
#define VMW_PKT_FIELD_PAYLOAD	2		/* STRING: the message */
#define VMW_PKT_FIELD_FAST_CLOSE 3		/* INT64 1: one request, then close */
#define VMW_PKT_DATA		1
#define VMW_PKT_PING		2

#endif
