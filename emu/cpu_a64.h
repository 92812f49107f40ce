/* SPDX-License-Identifier: MIT */
/*
 * The aarch64 decoder.  VMware guests on arm execute `mrs xzr, mdccsr_el0`
 * (an EL0 read of the debug channel status, which traps to the hypervisor)
 * with x7 describing the x86 I/O instruction it stands for; x0..x6 carry
 * the same arguments as rax..rbp.  Pure: built and tested on every host.
 */
#ifndef VMWCALL_EMU_CPU_A64_H
#define VMWCALL_EMU_CPU_A64_H

#include "cpu.h"

#define EMU_A64_INSN_LEN 4

/*
 * The x86 instruction that code[0..n) and x7 stand for: 0 and *insn, or -1
 * if code is not the mrs, or x7 is not an in/out of 4 bytes through the
 * port in x3 or a forward rep insb/outsb, each with the magic in bits 63:32.
 */
int emu_a64_decode(const uint8_t *code, size_t n, uint64_t x7, enum emu_insn *insn);

/*
 * As emu_cpu_step, for an aarch64 guest: x0..x6 in c->ax..c->bp, x7 in
 * c->x7, pc in c->ip.  0: answered, pc advanced by 4.  -1: c untouched.
 */
int emu_a64_step(struct emu_host *h, struct emu_cpu *c, const uint8_t *code, size_t n,
		 const struct emu_mem *mem, uint32_t owner);

#endif
