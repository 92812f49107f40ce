// SPDX-License-Identifier: MIT
#include "cpu.h"

#include "vmwcall/proto.h"

int emu_decode(const uint8_t *code, size_t n, int is64, enum emu_insn *insn, size_t *len)
{
	size_t i = 0;
	int rep = 0, opsize = 0;

	/* Legacy prefixes, then (64-bit only) one REX. */
	for (; i < n && i < EMU_INSN_MAX; i++) {
		if (code[i] == 0xF3)
			rep = 1;
		else if (code[i] == 0x66)
			opsize = 1;
		else if (code[i] != 0x67 && code[i] != 0x2E && code[i] != 0x3E)
			break;
	}
	if (is64 && i < n && (code[i] & 0xF0) == 0x40)
		i++;
	if (i >= n)
		return -1;
	switch (code[i]) {
	case 0xED:
		if (opsize)
			return -1;	/* 16-bit in: not a backdoor call */
		*insn = EMU_INSN_IN;
		break;
	case 0xEF:
		if (opsize)
			return -1;
		*insn = EMU_INSN_OUT;
		break;
	case 0x6C:
		if (!rep)
			return -1;
		*insn = EMU_INSN_REP_INSB;
		break;
	case 0x6E:
		if (!rep)
			return -1;
		*insn = EMU_INSN_REP_OUTSB;
		break;
	case 0x0F:
		if (i + 2 >= n || code[i + 1] != 0x01)
			return -1;
		if (code[i + 2] == 0xC1 && !opsize)
			*insn = EMU_INSN_VMCALL;
		else if (code[i + 2] == 0xD9 && !opsize)
			*insn = EMU_INSN_VMMCALL;
		else if (code[i + 2] == 0xCC && opsize && is64)
			*insn = EMU_INSN_TDCALL;
		else
			return -1;
		i += 2;
		break;
	default:
		return -1;
	}
	*len = i + 1;
	return 0;
}

int emu_cpu_step(struct emu_host *h, struct emu_cpu *c, const uint8_t *code, size_t n,
		 const struct emu_mem *mem, uint32_t owner)
{
	enum emu_insn insn;
	struct emu_regs r;
	size_t len;

	if (emu_decode(code, n, c->is64, &insn, &len))
		return -1;
	if (insn == EMU_INSN_TDCALL) {
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
	if (emu_host_call(h, insn, &r, mem, owner))
		return -1;
	if (insn == EMU_INSN_TDCALL) {
		c->r12 = r.ax, c->r13 = r.cx, c->r14 = r.bp;
		c->ax = 0;	/* TDCALL completed */
		c->r10 = 0;	/* TDG.VP.VMCALL succeeded */
	} else {
		c->ax = r.ax, c->cx = r.cx, c->bp = r.bp;
	}
	c->bx = r.bx, c->dx = r.dx, c->si = r.si, c->di = r.di;
	c->ip += len;
	return 0;
}
