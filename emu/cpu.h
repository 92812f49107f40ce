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
	/*
	 * For rep insb/outsb (doc/decoder.md): EFLAGS (DF walks backwards),
	 * and the fs/gs bases if the front end knows them (seg_bases set);
	 * an fs/gs override on rep outsb is refused where it does not.
	 */
	uint64_t flags;
	uint64_t fs_base, gs_base;
	int seg_bases;
};

#define EMU_INSN_MAX 15
#define EMU_FLAG_DF 0x400u	/* EFLAGS.DF */

/* Segment override prefixes, for struct emu_decoded.seg. */
enum emu_seg { EMU_SEG_NONE, EMU_SEG_ES, EMU_SEG_CS, EMU_SEG_SS, EMU_SEG_DS, EMU_SEG_FS,
	       EMU_SEG_GS };

/* One decoded instruction and what its prefixes ask of it. */
struct emu_decoded {
	enum emu_insn insn;
	size_t len;		/* bytes, prefixes included */
	enum emu_seg seg;	/* the last segment override, if any */
	int addr_size;		/* 0x67: the other address size */
};

/*
 * Decode code[0..n) as the CPU would (doc/decoder.md): 0 and *d, or -1 if
 * it is not a backdoor instruction or is one in a form we refuse.
 */
int emu_decode(const uint8_t *code, size_t n, int is64, struct emu_decoded *d);

/*
 * Run the instruction at c->ip (its bytes in code[0..n)) on host h.
 * 0: handled, registers updated, ip advanced.  -1: not a hypercall,
 * c untouched; the front end delivers the original signal.
 */
int emu_cpu_step(struct emu_host *h, struct emu_cpu *c, const uint8_t *code, size_t n,
		 const struct emu_mem *mem, uint32_t owner);

#endif
