// SPDX-License-Identifier: MIT
#include <string.h>

#include "cpu.h"

#include "vmwcall/proto.h"

/*
 * Prefixes and what each backdoor instruction makes of them; the table and
 * its reasons are in doc/decoder.md.  Summary: prefixes an instruction has
 * no use for are ignored, as the CPU ignores them (a segment override or
 * 0x67 on in, out, vmcall; rep on in/out); rep insb always writes
 * ES:rDI; rep outsb reads through its segment (flat but for fs/gs); 0x67
 * makes rep insb/outsb use esi/edi (16-bit addressing in 32-bit code is
 * refused); F2 counts as rep on insb/outsb, as on both vendors' CPUs; F2
 * and F3 select other instructions in the 0F 01 space, so vmcall,
 * vmmcall and tdcall refuse them; lock is #UD.
 */
int emu_decode(const uint8_t *code, size_t n, int is64, struct emu_decoded *d)
{
	static const uint8_t segs[] = { 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65 };
	int rep = 0, opsize = 0, addr = 0;
	enum emu_seg seg = EMU_SEG_NONE;
	size_t i = 0;

	if (n > EMU_INSN_MAX)
		n = EMU_INSN_MAX;	/* longer is #GP: never a hypercall */
	for (; i < n; i++) {
		const uint8_t *s = memchr(segs, code[i], sizeof(segs));

		if (s)
			seg = (enum emu_seg)(EMU_SEG_ES + (s - segs));
		else if (code[i] == 0xF2 || code[i] == 0xF3)
			rep = code[i];
		else if (code[i] == 0x66)
			opsize = 1;
		else if (code[i] == 0x67)
			addr = 1;
		else if (!(is64 && (code[i] & 0xF0) == 0x40))
			break;	/* REX counts only last, so it may come and go */
	}
	if (i >= n)
		return -1;
	*d = (struct emu_decoded){ .seg = seg, .addr_size = addr };
	switch (code[i]) {
	case 0xED:
	case 0xEF:
		if (opsize)
			return -1;	/* 16-bit in/out: not a backdoor call */
		d->insn = code[i] == 0xED ? EMU_INSN_IN : EMU_INSN_OUT;
		break;
	case 0x6C:
	case 0x6E:
		/* One byte is not a transfer; 16-bit addressing: no guest's. */
		if (!rep || (addr && !is64))
			return -1;
		d->insn = code[i] == 0x6C ? EMU_INSN_REP_INSB : EMU_INSN_REP_OUTSB;
		break;
	case 0x0F:
		if (i + 1 < n && code[i + 1] == 0xA2) {
			d->insn = EMU_INSN_CPUID;	/* prefixes mean nothing to it */
			i += 1;
			break;
		}
		if (i + 2 >= n || code[i + 1] != 0x01 || rep)
			return -1;
		if (code[i + 2] == 0xC1 && !opsize)
			d->insn = EMU_INSN_VMCALL;
		else if (code[i + 2] == 0xD9 && !opsize)
			d->insn = EMU_INSN_VMMCALL;
		else if (code[i + 2] == 0xCC && opsize && is64)
			d->insn = EMU_INSN_TDCALL;
		else
			return -1;
		i += 2;
		break;
	default:
		return -1;
	}
	d->len = i + 1;
	return 0;
}

/*
 * How rep insb/outsb reach guest memory: the host asks for n bytes "at"
 * the rdi/rsi it was given; the CPU would move them from that address up,
 * or down with DF, within the address size, offset by the segment base.
 */
struct span {
	const struct emu_mem *mem;
	uint64_t mask, base;
	int down;
};

/* The lowest address of the n bytes, or -1 if they wrap (the CPU faults). */
static int span_at(const struct span *s, uint64_t a, size_t n, uint64_t *lo)
{
	a &= s->mask;
	if (n == 0)
		n = 1;
	if (s->down ? a < n - 1 : n - 1 > s->mask - a)
		return -1;
	a = s->down ? a - (n - 1) : a;
	if (a > UINT64_MAX - s->base)
		return -1;
	*lo = a + s->base;
	return 0;
}

static void reverse(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		uint8_t t = p[i];

		p[i] = p[n - 1 - i], p[n - 1 - i] = t;
	}
}

static int span_read(void *ctx, uint64_t a, void *dst, size_t n)
{
	const struct span *s = ctx;
	uint64_t lo;

	if (span_at(s, a, n, &lo) || s->mem->read(s->mem->ctx, lo, dst, n))
		return -1;
	if (s->down)
		reverse(dst, n);
	return 0;
}

/* Backwards in chunks: no allocation, as a signal handler may be calling. */
static int span_write(void *ctx, uint64_t a, const void *src, size_t n)
{
	const struct span *s = ctx;
	const uint8_t *p = src;
	uint8_t tmp[256];
	uint64_t lo;

	if (span_at(s, a, n, &lo))
		return -1;
	if (!s->down)
		return s->mem->write(s->mem->ctx, lo, src, n);
	/* Byte i of the stream lands at lo + n - 1 - i. */
	for (size_t i = 0; i < n; i += sizeof(tmp)) {
		size_t c = n - i < sizeof(tmp) ? n - i : sizeof(tmp);

		for (size_t k = 0; k < c; k++)
			tmp[k] = p[i + c - 1 - k];
		if (s->mem->write(s->mem->ctx, lo + (n - i - c), tmp, c))
			return -1;
	}
	return 0;
}

/* The span of c's string instruction d; -1 if we cannot honour its segment. */
static int span_of(const struct emu_cpu *c, const struct emu_decoded *d,
		   const struct emu_mem *mem, struct span *s)
{
	*s = (struct span){ mem, c->is64 && !d->addr_size ? UINT64_MAX : 0xFFFFFFFF, 0,
			    !!(c->flags & EMU_FLAG_DF) };
	/* insb writes ES:rDI whatever the prefix says; ES, CS, SS, DS are flat. */
	if (d->insn == EMU_INSN_REP_OUTSB && (d->seg == EMU_SEG_FS || d->seg == EMU_SEG_GS)) {
		if (!c->seg_bases || !c->is64)
			return -1;
		s->base = d->seg == EMU_SEG_FS ? c->fs_base : c->gs_base;
	}
	return 0;
}

int emu_cpu_step(struct emu_host *h, struct emu_cpu *c, const uint8_t *code, size_t n,
		 const struct emu_mem *mem, uint32_t owner)
{
	struct emu_mem smem = { NULL, span_read, span_write };
	struct emu_decoded d;
	struct emu_regs r;
	struct span s;

	if (emu_decode(code, n, c->is64, &d))
		return -1;
	if (d.insn == EMU_INSN_REP_INSB || d.insn == EMU_INSN_REP_OUTSB) {
		if (span_of(c, &d, mem, &s))
			return -1;
		smem.ctx = &s;
		mem = &smem;
	}
	if (d.insn == EMU_INSN_TDCALL) {
		/* Only TDG.VP.VMCALL (leaf 0) of VMware's vendor function. */
		if (c->ax != 0 || c->r10 != VMW_TDX_VENDOR_LEAF || c->r11 != VMW_TDX_HCALL_FUNC)
			return -1;
		r = (struct emu_regs){ c->r12, c->bx, c->r13, c->dx, c->si, c->di, c->r14 };
	} else {
		r = (struct emu_regs){ c->ax, c->bx, c->cx, c->dx, c->si, c->di, c->bp };
	}
	if (!c->is64) {
		r.ax &= 0xFFFFFFFF, r.bx &= 0xFFFFFFFF, r.cx &= 0xFFFFFFFF, r.dx &= 0xFFFFFFFF;
		r.si &= 0xFFFFFFFF, r.di &= 0xFFFFFFFF, r.bp &= 0xFFFFFFFF;
	}
	if (emu_host_call(h, d.insn, &r, mem, owner))
		return -1;
	if (d.insn == EMU_INSN_TDCALL) {
		c->r12 = r.ax, c->r13 = r.cx, c->r14 = r.bp;
		c->ax = 0;	/* TDCALL completed */
		c->r10 = 0;	/* TDG.VP.VMCALL succeeded */
	} else {
		c->ax = r.ax, c->cx = r.cx, c->bp = r.bp;
	}
	c->bx = r.bx, c->dx = r.dx, c->si = r.si, c->di = r.di;
	c->ip += d.len;
	return 0;
}
