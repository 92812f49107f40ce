/* SPDX-License-Identifier: MIT */
/*
 * The VMware hypercall ("backdoor"): registers and instructions only.
 *
 * Header-only and freestanding: no libc, usable in a kernel, a boot loader,
 * firmware or user space; x86-64, i386 and aarch64; GCC and Clang; C99 and C++.
 *
 * Arguments are numbered by the register they travel in, both ways:
 *
 *	arg	x86-64	i386	TDX	aarch64
 *	0	rax	eax	r12	x0	magic in, status out
 *	1	rbx	ebx	rbx	x1
 *	2	rcx	ecx	r13	x2	cmd for LB calls, byte count for HB
 *	3	rdx	edx	rdx	x3	port/flags low 16 bits, data (channel id) high
 *	4	rsi	esi	rsi	x4
 *	5	rdi	edi	rdi	x5
 *	6	rbp	ebp	r14	x6	HB only
 *
 * On aarch64 the one instruction is `mrs xzr, mdccsr_el0` and x7 says which
 * x86 instruction it stands for (proto.h, VMW_X7_*); there is no transport
 * to choose, and vmware_hypercall_get_mode() is always VMW_TRANSPORT_IO.
 *
 * Names follow Linux's asm/vmware.h: vmware_hypercallN() takes cmd and N
 * further arguments, returns out0 and stores 32-bit outputs.  in3's low 16
 * bits must be zero for LB calls; the wrapper fills in the port or flags.
 *
 * Transport.  Define VMW_TRANSPORT before including this header to pin one
 * (one instruction, no branch, like the kernel's patched alternative):
 * VMW_TRANSPORT_IO, _VMCALL, _VMMCALL or _TDX.  Left at VMW_TRANSPORT_AUTO,
 * the first call picks one from CPUID the way Linux and open-vm-tools do and
 * caches it in vmware_hypercall_mode; vmware_hypercall_set_mode() overrides.
 * The cache is one per program or shared object (hidden, so libvmwcall.so
 * exports no data): a program using libvmwcall.so picks the library's
 * transport with vmw_set_transport() (detect.h).
 *
 * HB calls are refused (out0 ~0, no instruction) under TDX and wherever
 * guest memory is encrypted: the host cannot read or write it, and a
 * kernel would have to bounce the data through shared pages.  User space
 * can tell only from CPUID (TDX, or AMD SEV/SEV-ES/SEV-SNP in leaf
 * 0x8000001F: conservative, the SEV status MSR is not readable there).
 * A kernel user must ask its own kernel: define VMW_MEM_ENCRYPTED() before
 * including this header, in Linux as cc_platform_has(CC_ATTR_MEM_ENCRYPT).
 *
 * Every register the host is handed is declared written: a host is free to
 * return data in any of them, and a buggy one must not corrupt our state.
 */
#ifndef VMWCALL_HYPERCALL_H
#define VMWCALL_HYPERCALL_H

#include "proto.h"

#if !defined(__x86_64__) && !defined(__i386__) && !defined(__aarch64__)
#error "vmwcall/hypercall.h: x86 and aarch64 only"
#endif

#ifndef VMW_TRANSPORT
#define VMW_TRANSPORT VMW_TRANSPORT_AUTO
#endif

#ifdef __cplusplus
extern "C" {
#endif

typedef unsigned int vmw_u32;

/* The transport in use; 0 until the first call chooses (one per program or shared object). */
__attribute__((weak, visibility("hidden"))) unsigned int vmware_hypercall_mode;

#if defined(__aarch64__)
/* Canonical arguments 0..6 (x0..x6), named after their x86 registers. */
struct vmw_regs6 {
	unsigned long ax, bx, cx, dx, si, di, bp;
};

#define VMW_MRS		"mrs xzr, mdccsr_el0"
#define VMW_X7(kind)	((unsigned long)VMW_X7_MAGIC << 32 | (kind))

/* What CPUID would choose on x86: here always the one mechanism. */
static __inline__ unsigned int vmware_hypercall_probe_mode(void)
{
	return VMW_TRANSPORT_IO;
}

/* Kept for the API: aarch64 has one mechanism, so the mode changes nothing. */
static __inline__ int vmware_hypercall_set_mode(unsigned int mode)
{
	if (mode > VMW_TRANSPORT_TDX)
		return -1;
	__atomic_store_n(&vmware_hypercall_mode, mode, __ATOMIC_RELAXED);
	return 0;
}

/* HB unless the including kernel says memory is encrypted (no CPUID to ask here). */
static __inline__ int vmware_hypercall_hb_ok(void)
{
#ifdef VMW_MEM_ENCRYPTED
	return !VMW_MEM_ENCRYPTED();
#else
	return 1;
#endif
}

/* The transport the calls use: VMW_TRANSPORT_IO, the x86 I/O descriptor. */
static __inline__ unsigned int vmware_hypercall_get_mode(void)
{
	return VMW_TRANSPORT_IO;
}

/*
 * LB: the host may change x0..x5 (open-vm-tools' backdoorGcc64_arm64.c).
 * When in4/in5 are not live, x4/x5 are only declared written.
 */
static __inline__ __attribute__((always_inline)) void
vmw_lb_call(struct vmw_regs6 *r, int live)
{
	register unsigned long x0 __asm__("x0") = VMW_MAGIC;
	register unsigned long x1 __asm__("x1") = r->bx;
	register unsigned long x2 __asm__("x2") = r->cx;
	register unsigned long x3 __asm__("x3") = r->dx | VMW_PORT;
	register unsigned long x4 __asm__("x4") = r->si;
	register unsigned long x5 __asm__("x5") = r->di;
	register unsigned long x7 __asm__("x7") = VMW_X7(VMW_X7_LB);

	if (live)
		__asm__ __volatile__(VMW_MRS
				     : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3),
				       "+r" (x4), "+r" (x5)
				     : "r" (x7) : "cc", "memory");
	else
		__asm__ __volatile__(VMW_MRS
				     : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3),
				       "=r" (x4), "=r" (x5)
				     : "r" (x7) : "cc", "memory");
	r->ax = x0, r->bx = x1, r->cx = x2, r->dx = x3, r->si = x4, r->di = x5;
}

/* HB: rep insb/outsb, one byte per element; the host may change x0..x6. */
static __inline__ __attribute__((always_inline)) unsigned long
vmw_hb_call(struct vmw_regs6 *r, int out)
{
	register unsigned long x0 __asm__("x0") = VMW_MAGIC;
	register unsigned long x1 __asm__("x1") = r->bx;
	register unsigned long x2 __asm__("x2") = r->cx;
	register unsigned long x3 __asm__("x3") = r->dx | VMW_PORT_HB;
	register unsigned long x4 __asm__("x4") = r->si;
	register unsigned long x5 __asm__("x5") = r->di;
	register unsigned long x6 __asm__("x6") = r->bp;
	register unsigned long x7 __asm__("x7") = VMW_X7(out ? VMW_X7_HB_OUT : VMW_X7_HB_IN);

	__asm__ __volatile__(VMW_MRS
			     : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3),
			       "+r" (x4), "+r" (x5), "+r" (x6)
			     : "r" (x7) : "cc", "memory");
	r->ax = x0, r->bx = x1, r->cx = x2, r->dx = x3, r->si = x4, r->di = x5, r->bp = x6;
	return r->ax;
}
#else	/* x86 */

static __inline__ void
vmw_cpuid(vmw_u32 leaf, vmw_u32 sub, vmw_u32 *a, vmw_u32 *b, vmw_u32 *c, vmw_u32 *d)
{
	__asm__ __volatile__("cpuid"
			     : "=a" (*a), "=b" (*b), "=c" (*c), "=d" (*d)
			     : "a" (leaf), "c" (sub));
}

/* Current privilege level: TDCALL is ring 0 only, and the host wants it in r15. */
static __inline__ unsigned int vmw_cpl(void)
{
	unsigned short cs;

	__asm__ __volatile__("mov %%cs, %0" : "=r" (cs));
	return cs & 3;
}

static __inline__ int vmw_sig_is(vmw_u32 b, vmw_u32 c, vmw_u32 d, const char *s)
{
	const vmw_u32 w[3] = { b, c, d };
	int i;

	for (i = 0; i < 12; i++)
		if ((char)(w[i / 4] >> (8 * (i % 4))) != s[i])
			return 0;
	return 1;
}

/*
 * The transport CPUID says this CPU should use, as Linux does: TDX in ring 0
 * of a TDX guest, then the VMCALL/VMMCALL bits of the VMware features leaf,
 * else port I/O (which is also what a VM hiding its CPUID still answers).
 */
static __inline__ unsigned int vmware_hypercall_probe_mode(void)
{
	vmw_u32 a, b, c, d, max;

	vmw_cpuid(0, 0, &max, &b, &c, &d);
#ifdef __x86_64__
	if (max >= VMW_CPUID_TDX_LEAF && vmw_cpl() == 0) {
		vmw_cpuid(VMW_CPUID_TDX_LEAF, 0, &a, &b, &c, &d);
		if (vmw_sig_is(b, d, c, "IntelTDX    "))
			return VMW_TRANSPORT_TDX;
	}
#endif
	vmw_cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & VMW_CPUID_HV_BIT))
		return VMW_TRANSPORT_IO;
	vmw_cpuid(VMW_CPUID_HV_LEAF, 0, &max, &b, &c, &d);
	if (!vmw_sig_is(b, c, d, "VMwareVMware") || max < VMW_CPUID_FEATURES)
		return VMW_TRANSPORT_IO;
	vmw_cpuid(VMW_CPUID_FEATURES, 0, &a, &b, &c, &d);
	if (c & VMW_CPUID_VMCALL)
		return VMW_TRANSPORT_VMCALL;
	if (c & VMW_CPUID_VMMCALL)
		return VMW_TRANSPORT_VMMCALL;
	return VMW_TRANSPORT_IO;
}

/*
 * Force a transport for every later call (0 = choose again from CPUID).
 * 0, or -1 for a value that is no transport (the mode is then unchanged).
 */
static __inline__ int vmware_hypercall_set_mode(unsigned int mode)
{
	if (mode > VMW_TRANSPORT_TDX)
		return -1;
	__atomic_store_n(&vmware_hypercall_mode, mode, __ATOMIC_RELAXED);
	return 0;
}

/* The transport the next call uses; the first call in AUTO mode chooses it. */
static __inline__ unsigned int vmware_hypercall_get_mode(void)
{
	unsigned int m;

	if (VMW_TRANSPORT != VMW_TRANSPORT_AUTO)
		return VMW_TRANSPORT;
	m = __atomic_load_n(&vmware_hypercall_mode, __ATOMIC_RELAXED);
	if (__builtin_expect(m == 0, 0)) {
		unsigned int none = 0, probed = vmware_hypercall_probe_mode();

		/* Only into an empty cache: a concurrent set_mode() wins. */
		if (__atomic_compare_exchange_n(&vmware_hypercall_mode, &none, probed, 0,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED))
			m = probed;
		else
			m = none;
	}
	return m;
}

/* Encrypted guest memory as CPUID shows it: TDX, or SEV, SEV-ES, SEV-SNP offered. */
static __inline__ int vmware_hypercall_cpuid_mem_encrypted(void)
{
	vmw_u32 a, b, c, d, max;

	vmw_cpuid(0, 0, &max, &b, &c, &d);
	if (max >= VMW_CPUID_TDX_LEAF) {
		vmw_cpuid(VMW_CPUID_TDX_LEAF, 0, &a, &b, &c, &d);
		if (vmw_sig_is(b, d, c, "IntelTDX    "))
			return 1;
	}
	vmw_cpuid(0x80000000u, 0, &max, &b, &c, &d);
	if (max < 0x8000001Fu)
		return 0;
	vmw_cpuid(0x8000001Fu, 0, &a, &b, &c, &d);
	return (a & (1u << 1 | 1u << 3 | 1u << 4)) != 0;	/* SEV, SEV-ES, SEV-SNP */
}

#ifndef VMW_MEM_ENCRYPTED
/* CPUID's answer, asked once per program or shared object: 1 no, 2 yes. */
__attribute__((weak, visibility("hidden"))) unsigned int vmware_hypercall_mem_enc;
#define VMW_MEM_ENCRYPTED() vmw_mem_encrypted_cached()
static __inline__ int vmw_mem_encrypted_cached(void)
{
	unsigned int e = __atomic_load_n(&vmware_hypercall_mem_enc, __ATOMIC_RELAXED);

	if (__builtin_expect(e == 0, 0)) {
		e = vmware_hypercall_cpuid_mem_encrypted() ? 2 : 1;
		__atomic_store_n(&vmware_hypercall_mem_enc, e, __ATOMIC_RELAXED);
	}
	return e == 2;
}
#endif

/* 1 if HB calls may be made: not under TDX, not with encrypted memory. */
static __inline__ int vmware_hypercall_hb_ok(void)
{
	return vmware_hypercall_get_mode() != VMW_TRANSPORT_TDX && !VMW_MEM_ENCRYPTED();
}

/* in3 low 16 bits for each transport. */
#define VMW_DX_LB(m)	((m) == VMW_TRANSPORT_IO ? VMW_PORT : VMW_FLAG_LB)
#define VMW_DX_HB(m, out) ((m) == VMW_TRANSPORT_IO ? VMW_PORT_HB : \
			   VMW_FLAG_HB | ((out) ? VMW_FLAG_OUT : 0))

/*
 * TDG.VP.VMCALL: args 0, 2 and 6 move to r12, r13, r14; r10/r11 name the
 * VMware vendor call, r15 the caller's CPL.  Every exposed register is
 * loaded, so no stack data reaches the host.  Returns ~0 if TDCALL itself
 * or the host refused the call, or the command is outside the TDX mask.
 */
struct vmw_regs6 {
	unsigned long ax, bx, cx, dx, si, di, bp;
};

#ifdef __x86_64__
/* Out of line: its r8-r15 would otherwise be saved on every AUTO-mode call. */
static __attribute__((noinline, unused)) void vmw_tdx_call(struct vmw_regs6 *r)
{
	register unsigned long r8 __asm__("r8") = 0;
	register unsigned long r9 __asm__("r9") = 0;
	register unsigned long r10 __asm__("r10") = VMW_TDX_VENDOR_LEAF;
	register unsigned long r11 __asm__("r11") = VMW_TDX_HCALL_FUNC;
	register unsigned long r12 __asm__("r12") = VMW_MAGIC;
	register unsigned long r13 __asm__("r13") = r->cx;
	register unsigned long r14 __asm__("r14") = r->bp;
	register unsigned long r15 __asm__("r15") = vmw_cpl();
	unsigned long rax = 0, rcx = VMW_TDX_EXPOSE_REGS;

	if (r->cx & ~VMW_TDX_CMD_MASK) {
		r->ax = ~0UL;
		return;
	}
	__asm__ __volatile__(".byte 0x66, 0x0f, 0x01, 0xcc"	/* tdcall */
			     : "+a" (rax), "+c" (rcx), "+b" (r->bx), "+d" (r->dx),
			       "+S" (r->si), "+D" (r->di), "+r" (r8), "+r" (r9),
			       "+r" (r10), "+r" (r11), "+r" (r12), "+r" (r13),
			       "+r" (r14), "+r" (r15)
			     :
			     : "cc", "memory");
	r->ax = (rax || r10) ? ~0UL : r12;
	r->cx = r13;
	r->bp = r14;
}
#else
static __inline__ void vmw_tdx_call(struct vmw_regs6 *r)
{
	r->ax = ~0UL;		/* TDX guests are 64-bit */
}
#endif

/*
 * LB call on the registers in *r (ax is set to the magic).  in4/in5 live
 * says whether rsi/rdi carry inputs; when they do not, they are only
 * declared written, so the compiler loads nothing into them.
 */
#define VMW_LB_ASM(insn, r, live)					\
	do {								\
		if (live)						\
			__asm__ __volatile__(insn			\
				: "+a" ((r)->ax), "+b" ((r)->bx),	\
				  "+c" ((r)->cx), "+d" ((r)->dx),	\
				  "+S" ((r)->si), "+D" ((r)->di)	\
				: : "cc", "memory");			\
		else							\
			__asm__ __volatile__(insn			\
				: "+a" ((r)->ax), "+b" ((r)->bx),	\
				  "+c" ((r)->cx), "+d" ((r)->dx),	\
				  "=S" ((r)->si), "=D" ((r)->di)	\
				: : "cc", "memory");			\
	} while (0)

static __inline__ __attribute__((always_inline)) void
vmw_lb_call(struct vmw_regs6 *r, int live)
{
	unsigned int m = vmware_hypercall_get_mode();

	r->ax = VMW_MAGIC;
	r->dx |= VMW_DX_LB(m);
	switch (m) {
	case VMW_TRANSPORT_VMCALL:
		VMW_LB_ASM("vmcall", r, live);
		break;
	case VMW_TRANSPORT_VMMCALL:
		VMW_LB_ASM("vmmcall", r, live);
		break;
	case VMW_TRANSPORT_TDX:
		vmw_tdx_call(r);
		break;
	case VMW_TRANSPORT_IO:
		VMW_LB_ASM("inl (%%dx), %%eax", r, live);
		break;
	default:
		/* No transport (the cache was written directly): no instruction. */
		r->ax = ~0UL;
		break;
	}
}

/*
 * HB: rbp carries in6/out6.  It may be the frame pointer, so it cannot be an
 * operand; on x86-64 it is swapped with a scratch register around the
 * instruction (no stack use: user space has a red zone), on i386, where no
 * register is left, the whole set is loaded from and stored to memory.
 */
#ifdef __x86_64__
#define VMW_HB_ASM(insn, r)						\
	__asm__ __volatile__("xchg %[bp], %%rbp\n\t" insn "\n\t"	\
			     "xchg %[bp], %%rbp"			\
			     : "+a" ((r)->ax), "+b" ((r)->bx),		\
			       "+c" ((r)->cx), "+d" ((r)->dx),		\
			       "+S" ((r)->si), "+D" ((r)->di),		\
			       [bp] "+r" ((r)->bp)			\
			     : : "cc", "memory")
#else
#define VMW_HB_ASM(insn, r)						\
	__asm__ __volatile__("push %%ebp\n\t"				\
			     "push %%eax\n\t"				\
			     "mov 24(%%eax), %%ebp\n\t"			\
			     "mov 20(%%eax), %%edi\n\t"			\
			     "mov 16(%%eax), %%esi\n\t"			\
			     "mov 12(%%eax), %%edx\n\t"			\
			     "mov 8(%%eax), %%ecx\n\t"			\
			     "mov 4(%%eax), %%ebx\n\t"			\
			     "mov (%%eax), %%eax\n\t"			\
			     insn "\n\t"				\
			     "xchg %%eax, (%%esp)\n\t"			\
			     "mov %%ebp, 24(%%eax)\n\t"			\
			     "mov %%edi, 20(%%eax)\n\t"			\
			     "mov %%esi, 16(%%eax)\n\t"			\
			     "mov %%edx, 12(%%eax)\n\t"			\
			     "mov %%ecx, 8(%%eax)\n\t"			\
			     "mov %%ebx, 4(%%eax)\n\t"			\
			     "popl (%%eax)\n\t"				\
			     "pop %%ebp"				\
			     : : "a" (r)				\
			     : "ebx", "ecx", "edx", "esi", "edi", "cc", "memory")
#endif

static __inline__ __attribute__((always_inline)) unsigned long
vmw_hb_call(struct vmw_regs6 *r, int out)
{
	unsigned int m = vmware_hypercall_hb_ok() ? vmware_hypercall_get_mode() : 0;

	r->ax = VMW_MAGIC;
	r->dx |= VMW_DX_HB(m, out);
	switch (m) {
	case VMW_TRANSPORT_VMCALL:
		VMW_HB_ASM("vmcall", r);
		break;
	case VMW_TRANSPORT_VMMCALL:
		VMW_HB_ASM("vmmcall", r);
		break;
	case VMW_TRANSPORT_IO:
		if (out)
			VMW_HB_ASM("rep outsb", r);
		else
			VMW_HB_ASM("rep insb", r);
		break;
	default:
		/* Not offered (vmware_hypercall_hb_ok()): no status, callers fall back to LB. */
		r->ax = ~0UL;
		r->bx = 0;
		break;
	}
	return r->ax;
}
#endif	/* x86 */

/* LB calls: cmd and in1..in5 in, out1..out5 stored as 32 bits, out0 returned. */
static __inline__ unsigned long
vmware_hypercall1(unsigned long cmd, unsigned long in1)
{
	struct vmw_regs6 r = { 0, in1, cmd, 0, 0, 0, 0 };

	vmw_lb_call(&r, 0);
	return r.ax;
}

/* out1 rbx, out2 rcx. */
static __inline__ unsigned long
vmware_hypercall3(unsigned long cmd, unsigned long in1,
		  vmw_u32 *out1, vmw_u32 *out2)
{
	struct vmw_regs6 r = { 0, in1, cmd, 0, 0, 0, 0 };

	vmw_lb_call(&r, 0);
	*out1 = (vmw_u32)r.bx;
	*out2 = (vmw_u32)r.cx;
	return r.ax;
}

/* out1 rbx, out2 rcx, out3 rdx. */
static __inline__ unsigned long
vmware_hypercall4(unsigned long cmd, unsigned long in1,
		  vmw_u32 *out1, vmw_u32 *out2, vmw_u32 *out3)
{
	struct vmw_regs6 r = { 0, in1, cmd, 0, 0, 0, 0 };

	vmw_lb_call(&r, 0);
	*out1 = (vmw_u32)r.bx;
	*out2 = (vmw_u32)r.cx;
	*out3 = (vmw_u32)r.dx;
	return r.ax;
}

/* in3..in5 in, out2 rcx. */
static __inline__ unsigned long
vmware_hypercall5(unsigned long cmd, unsigned long in1, unsigned long in3,
		  unsigned long in4, unsigned long in5, vmw_u32 *out2)
{
	struct vmw_regs6 r = { 0, in1, cmd, in3, in4, in5, 0 };

	vmw_lb_call(&r, 1);
	*out2 = (vmw_u32)r.cx;
	return r.ax;
}

/* in3 in, out2..out5 rcx, rdx, rsi, rdi. */
static __inline__ unsigned long
vmware_hypercall6(unsigned long cmd, unsigned long in1, unsigned long in3,
		  vmw_u32 *out2, vmw_u32 *out3, vmw_u32 *out4, vmw_u32 *out5)
{
	struct vmw_regs6 r = { 0, in1, cmd, in3, 0, 0, 0 };

	vmw_lb_call(&r, 0);
	*out2 = (vmw_u32)r.cx;
	*out3 = (vmw_u32)r.dx;
	*out4 = (vmw_u32)r.si;
	*out5 = (vmw_u32)r.di;
	return r.ax;
}

/* in3..in5 in, out1..out3 rbx, rcx, rdx. */
static __inline__ unsigned long
vmware_hypercall7(unsigned long cmd, unsigned long in1, unsigned long in3,
		  unsigned long in4, unsigned long in5,
		  vmw_u32 *out1, vmw_u32 *out2, vmw_u32 *out3)
{
	struct vmw_regs6 r = { 0, in1, cmd, in3, in4, in5, 0 };

	vmw_lb_call(&r, 1);
	*out1 = (vmw_u32)r.bx;
	*out2 = (vmw_u32)r.cx;
	*out3 = (vmw_u32)r.dx;
	return r.ax;
}

/* Every LB register both ways: the most an LB call can carry. */
static __inline__ unsigned long
vmware_hypercall9(unsigned long cmd, unsigned long in1, unsigned long in3,
		  unsigned long in4, unsigned long in5,
		  vmw_u32 *out1, vmw_u32 *out2, vmw_u32 *out3,
		  vmw_u32 *out4, vmw_u32 *out5)
{
	struct vmw_regs6 r = { 0, in1, cmd, in3, in4, in5, 0 };

	vmw_lb_call(&r, 1);
	*out1 = (vmw_u32)r.bx;
	*out2 = (vmw_u32)r.cx;
	*out3 = (vmw_u32)r.dx;
	*out4 = (vmw_u32)r.si;
	*out5 = (vmw_u32)r.di;
	return r.ax;
}

/*
 * HB guest-to-host: cmd in rbx, in2 = byte count, in4 = source address,
 * in3 high half = channel id, in5/in6 = the other arguments (cookies).
 */
static __inline__ unsigned long
vmware_hypercall_hb_out(unsigned long cmd, unsigned long in2, unsigned long in3,
			unsigned long in4, unsigned long in5, unsigned long in6,
			vmw_u32 *out1)
{
	struct vmw_regs6 r = { 0, cmd, in2, in3, in4, in5, in6 };

	vmw_hb_call(&r, 1);
	*out1 = (vmw_u32)r.bx;
	return r.ax;
}

/* HB host-to-guest: as hb_out, with in5 = destination address. */
static __inline__ unsigned long
vmware_hypercall_hb_in(unsigned long cmd, unsigned long in2, unsigned long in3,
		       unsigned long in4, unsigned long in5, unsigned long in6,
		       vmw_u32 *out1)
{
	struct vmw_regs6 r = { 0, cmd, in2, in3, in4, in5, in6 };

	vmw_hb_call(&r, 0);
	*out1 = (vmw_u32)r.bx;
	return r.ax;
}

#ifdef __cplusplus
}
#endif

#endif
