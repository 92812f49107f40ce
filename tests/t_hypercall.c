// SPDX-License-Identifier: MIT
/*
 * Every hypercall wrapper on every transport, run as the real instructions
 * and answered by the in-process host.  A hook sees the CPU registers the
 * guest loaded and replaces the host's answer with sentinels, so each input
 * is checked in its register and each output at its pointer.
 */
#include <string.h>

#include <valgrind/valgrind.h>

#include "vmwcall/hypercall.h"
#include "tap.h"
#include "trap.h"
#include "trapping.h"

/* User space runs at CPL 3; valgrind's CPU model reads %cs as 0. */
#define USER_CPL (RUNNING_ON_VALGRIND ? 0u : 3u)

#ifdef __aarch64__
#define ARCH_A64 1				/* check x7 too */
#else
#define ARCH_A64 0
#endif

#if defined(__x86_64__) || defined(__aarch64__)
#define W(x) (0x##x##x##ul)			/* a 64-bit sentinel */
#else
#define W(x) (0x##x##ul)
#endif

static const vmw_u32 S[7] = { 0xA0A0A0A0, 0xB1B1B1B1, 0xC2C2C2C2, 0xD3D3D3D3,
			      0xE4E4E4E4, 0xF5F5F5F5, 0x96969696 };
/* Written from the signal handler behind each hypercall: volatile. */
static volatile struct emu_cpu seen;
static volatile int calls, override, hb;

static void hook(void *ctx, const struct emu_cpu *before, struct emu_cpu *after)
{
	(void)ctx;
	memcpy((void *)&seen, before, sizeof(*before));
	calls++;
	if (!override)
		return;
	/* High garbage above the 32-bit answers: the wrappers must truncate. */
	if (vmware_hypercall_mode == VMW_TRANSPORT_TDX) {
		after->r12 = S[0], after->r13 = S[2], after->r14 = S[6];
	} else {
		after->ax = S[0], after->cx = S[2] | (uint64_t)-1 << 32;
		if (hb)		/* LB calls leave rbp alone: it is not declared */
			after->bp = S[6];
	}
	after->bx = S[1] | (uint64_t)-1 << 32, after->dx = S[3], after->si = S[4], after->di = S[5];
}

static const char *name(unsigned int t)
{
	static const char *const n[] = { "auto", "io", "vmcall", "vmmcall", "tdx" };
	return n[t];
}

/* The registers the guest loaded, in the layout of transport t. */
static void check_in(unsigned int t, const char *fn, unsigned long cmd, unsigned long in1,
		     unsigned long dx)
{
	if (t == VMW_TRANSPORT_TDX) {
		is_u64(seen.ax, 0, "%s %s: rax = TDG.VP.VMCALL", name(t), fn);
		is_u64(seen.r10, VMW_TDX_VENDOR_LEAF, "%s %s: r10 = VMware leaf", name(t), fn);
		is_u64(seen.r11, VMW_TDX_HCALL_FUNC, "%s %s: r11 = hypercall", name(t), fn);
		is_u64(seen.r12, VMW_MAGIC, "%s %s: r12 = magic (arg0)", name(t), fn);
		is_u64(seen.r13, cmd, "%s %s: r13 = cmd (arg2)", name(t), fn);
		is_u64(seen.r15, USER_CPL, "%s %s: r15 = CPL", name(t), fn);
		is_u64(seen.cx, VMW_TDX_EXPOSE_REGS, "%s %s: rcx = exposed regs", name(t), fn);
	} else {
		is_u64(seen.ax, VMW_MAGIC, "%s %s: in0 = magic", name(t), fn);
		is_u64(seen.cx, cmd, "%s %s: in2 = cmd", name(t), fn);
	}
#ifdef __aarch64__
	is_u64(seen.x7, (uint64_t)VMW_X7_MAGIC << 32 | VMW_X7_LB, "%s: x7 = magic, in 4 bytes", fn);
#endif
	is_u64(seen.bx, in1, "%s %s: in1", name(t), fn);
	is_u64(seen.dx, dx, "%s %s: in3 with port/flags", name(t), fn);
}

static void lb_matrix(unsigned int t)
{
	const unsigned long cmd = VMW_CMD(0x7E, 0xD);	/* unknown, inside TDX's mask */
	const unsigned long in1 = W(11111111), in3 = W(33330000) & ~0xFFFFul;
	const unsigned long in4 = W(44444444), in5 = W(55555555);
	const unsigned long port = t == VMW_TRANSPORT_IO ? VMW_PORT : VMW_FLAG_LB;
	vmw_u32 o1, o2, o3, o4, o5;
	unsigned long r;

	vmware_hypercall_set_mode(t);
	override = 1;

	calls = 0;
	r = vmware_hypercall1(cmd, in1);
	ok(calls == 1, "%s hypercall1 trapped once", name(t));
	check_in(t, "hypercall1", cmd, in1, port);
	is_u64(r, S[0], "%s hypercall1: returns out0", name(t));

	o1 = o2 = 0;
	r = vmware_hypercall3(cmd, in1, &o1, &o2);
	check_in(t, "hypercall3", cmd, in1, port);
	is_u64(r, S[0], "%s hypercall3: out0", name(t));
	is_u64(o1, S[1], "%s hypercall3: out1", name(t));
	is_u64(o2, S[2], "%s hypercall3: out2", name(t));

	o1 = o2 = o3 = 0;
	r = vmware_hypercall4(cmd, in1, &o1, &o2, &o3);
	check_in(t, "hypercall4", cmd, in1, port);
	is_u64(r, S[0], "%s hypercall4: out0", name(t));
	ok(o1 == S[1] && o2 == S[2] && o3 == S[3], "%s hypercall4: out1..3", name(t));

	o2 = 0;
	r = vmware_hypercall5(cmd, in1, in3, in4, in5, &o2);
	check_in(t, "hypercall5", cmd, in1, in3 | port);
	is_u64(seen.si, in4, "%s hypercall5: in4", name(t));
	is_u64(seen.di, in5, "%s hypercall5: in5", name(t));
	is_u64(r, S[0], "%s hypercall5: out0", name(t));
	is_u64(o2, S[2], "%s hypercall5: out2", name(t));

	o2 = o3 = o4 = o5 = 0;
	r = vmware_hypercall6(cmd, in1, in3, &o2, &o3, &o4, &o5);
	check_in(t, "hypercall6", cmd, in1, in3 | port);
	is_u64(r, S[0], "%s hypercall6: out0", name(t));
	ok(o2 == S[2] && o3 == S[3] && o4 == S[4] && o5 == S[5], "%s hypercall6: out2..5", name(t));

	o1 = o2 = o3 = 0;
	r = vmware_hypercall7(cmd, in1, in3, in4, in5, &o1, &o2, &o3);
	check_in(t, "hypercall7", cmd, in1, in3 | port);
	ok(seen.si == in4 && seen.di == in5, "%s hypercall7: in4, in5", name(t));
	is_u64(r, S[0], "%s hypercall7: out0", name(t));
	ok(o1 == S[1] && o2 == S[2] && o3 == S[3], "%s hypercall7: out1..3", name(t));

	o1 = o2 = o3 = o4 = o5 = 0;
	r = vmware_hypercall9(cmd, in1, in3, in4, in5, &o1, &o2, &o3, &o4, &o5);
	check_in(t, "hypercall9", cmd, in1, in3 | port);
	ok(seen.si == in4 && seen.di == in5, "%s hypercall9: in4, in5", name(t));
	is_u64(r, S[0], "%s hypercall9: out0", name(t));
	ok(o1 == S[1] && o2 == S[2] && o3 == S[3] && o4 == S[4] && o5 == S[5],
	   "%s hypercall9: out1..5", name(t));

	if (t == VMW_TRANSPORT_TDX) {
		calls = 0;
		r = vmware_hypercall1(0x80, in1);	/* outside VMW_TDX_CMD_MASK */
		ok(calls == 0 && r == ~0ul, "tdx: out-of-range command refused without a call");
	}
	override = 0;
}

static void hb_matrix(unsigned int t)
{
	const unsigned long in1 = W(11110000), in2 = W(22222222), in3 = W(33330000) & ~0xFFFFul;
	const unsigned long in4 = W(44444444), in5 = W(55555555), in6 = W(66666666);
	vmw_u32 o1;
	unsigned long r;
	volatile unsigned long canary = 0x5A5A5A5Aul;

	vmware_hypercall_set_mode(t);
	override = hb = 1;
	for (int out = 0; out < 2; out++) {
		const char *fn = out ? "hb_out" : "hb_in";
		unsigned long flags = t == VMW_TRANSPORT_IO ? VMW_PORT_HB
				    : VMW_FLAG_HB | (out ? VMW_FLAG_OUT : 0);

		calls = 0;
		o1 = 0;
		r = out ? vmware_hypercall_hb_out(in1, in2, in3, in4, in5, in6, &o1)
			: vmware_hypercall_hb_in(in1, in2, in3, in4, in5, in6, &o1);
		if (t == VMW_TRANSPORT_TDX) {
			ok(calls == 0 && r == ~0ul && o1 == 0, "tdx %s: refused, no status", fn);
			continue;
		}
		ok(calls == 1, "%s %s trapped once", name(t), fn);
		is_u64(seen.ax, VMW_MAGIC, "%s %s: in0 = magic", name(t), fn);
		is_u64(seen.bx, in1, "%s %s: in1 = cmd", name(t), fn);
		is_u64(seen.cx, in2, "%s %s: in2 = count", name(t), fn);
		is_u64(seen.dx, in3 | flags, "%s %s: in3 with port/flags", name(t), fn);
		is_u64(seen.si, in4, "%s %s: in4", name(t), fn);
		is_u64(seen.di, in5, "%s %s: in5", name(t), fn);
		is_u64(seen.bp, in6, "%s %s: in6 in rbp", name(t), fn);
#ifdef __aarch64__
		is_u64(seen.x7, (uint64_t)VMW_X7_MAGIC << 32 | (out ? VMW_X7_HB_OUT : VMW_X7_HB_IN),
		       "%s: x7 = magic, rep %s", fn, out ? "outsb" : "insb");
#endif
		is_u64(r, S[0], "%s %s: out0", name(t), fn);
		is_u64(o1, S[1], "%s %s: out1", name(t), fn);
		ok(canary == 0x5A5A5A5Aul, "%s %s: frame intact after rbp swap", name(t), fn);
	}
	override = hb = 0;
}

/* The lines lb_matrix and hb_matrix print for transport t: the plan comes first. */
static int lines(unsigned int t)
{
	const int tdx = t == VMW_TRANSPORT_TDX, a64 = ARCH_A64;
	const int in = (tdx ? 7 : 2) + a64 + 2;		/* check_in */
	const int lb = 7 * in + 19 + tdx;
	const int hbl = tdx ? 2 : 2 * (11 + a64);

	return lb + hbl;
}

int main(void)
{
	struct emu_config cfg;
	struct emu_host *h;
	unsigned int last = VMW_TRANSPORT_VMMCALL;
	int n = 0;

	need_trapping();
#if defined(__aarch64__)
	last = VMW_TRANSPORT_IO;	/* the one mechanism: mrs */
#elif defined(__x86_64__)
	last = VMW_TRANSPORT_TDX;
#endif
	for (unsigned int t = VMW_TRANSPORT_IO; t <= last; t++)
		n += lines(t);
	plan(n);
	emu_config_default(&cfg);
	h = emu_host_new(&cfg);
	if (!h || emu_trap_install(h))
		return 1;
	emu_trap_set_hook(hook, NULL);
	for (unsigned int t = VMW_TRANSPORT_IO; t <= last; t++) {
		lb_matrix(t);
		hb_matrix(t);
	}
	emu_trap_remove();
	emu_host_free(h);
	return done_testing();
}
