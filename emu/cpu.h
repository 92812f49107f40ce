/* SPDX-License-Identifier: MIT */
/*
 * What both front ends share: decode the instruction that trapped, map the
 * CPU registers onto the host's canonical ones (TDX moves args 0, 2, 6 to
 * r12, r13, r14), call the host and step past the instruction.
 */
#ifndef VMWCALL_EMU_CPU_H
#define VMWCALL_EMU_CPU_H

#include "host.h"

struct emu_cpu {
	uint64_t ax, bx, cx, dx, si, di, bp;
	uint64_t r10, r11, r12, r13, r14, r15;
	uint64_t ip;
	int is64;		/* 64-bit code segment */
	uint64_t x7;		/* aarch64 (cpu_a64.h): x0..x6 are ax..bp, pc is ip */
};

#define EMU_INSN_MAX 15

/* Decode code[0..n): 0 and the instruction and its length, else -1. */
int emu_decode(const uint8_t *code, size_t n, int is64, enum emu_insn *insn, size_t *len);

/*
 * Run the instruction at c->ip (its bytes in code[0..n)) on host h.
 * 0: handled, registers updated, ip advanced.  -1: not a hypercall,
 * c untouched; the front end delivers the original signal.
 */
int emu_cpu_step(struct emu_host *h, struct emu_cpu *c, const uint8_t *code, size_t n,
		 const struct emu_mem *mem, uint32_t owner);

#endif
