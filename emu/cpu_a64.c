// SPDX-License-Identifier: MIT
#include "cpu_a64.h"

#include "vmwcall/proto.h"

int emu_a64_decode(const uint8_t *code, size_t n, uint64_t x7, enum emu_insn *insn)
{
	uint32_t word;

	if (n < EMU_A64_INSN_LEN)
		return -1;
	/* A64 instructions are little-endian whatever the data endianness. */
	word = code[0] | (uint32_t)code[1] << 8 | (uint32_t)code[2] << 16 | (uint32_t)code[3] << 24;
	if (word != VMW_A64_MRS_MDCCSR || x7 >> 32 != VMW_X7_MAGIC)
		return -1;
	switch ((uint32_t)x7) {
	case VMW_X7_LB:
		*insn = EMU_INSN_IN;
		break;
	case VMW_X7_LB & ~VMW_X7_IN:
		*insn = EMU_INSN_OUT;
		break;
	case VMW_X7_HB_IN:
		*insn = EMU_INSN_REP_INSB;
		break;
	case VMW_X7_HB_OUT:
		*insn = EMU_INSN_REP_OUTSB;
		break;
	default:
		/* Byte or word I/O, an immediate port, strings without rep, DF set, reserved bits. */
		return -1;
	}
	return 0;
}

int emu_a64_step(struct emu_host *h, struct emu_cpu *c, const uint8_t *code, size_t n,
		 const struct emu_mem *mem, uint32_t owner)
{
	enum emu_insn insn;
	struct emu_regs r;

	if (emu_a64_decode(code, n, c->x7, &insn))
		return -1;
	r = (struct emu_regs){ c->ax, c->bx, c->cx, c->dx, c->si, c->di, c->bp };
	if (emu_host_call(h, insn, &r, mem, owner))
		return -1;
	c->ax = r.ax, c->bx = r.bx, c->cx = r.cx, c->dx = r.dx;
	c->si = r.si, c->di = r.di, c->bp = r.bp;
	c->ip += EMU_A64_INSN_LEN;
	return 0;
}
