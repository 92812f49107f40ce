// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the host core against arbitrary guests.  The input is
 * a 4 KiB guest memory image followed by records of (instruction, owner,
 * seven registers); pointers are steered into or just outside that image
 * half the time so HB transfers hit both mapped and unmapped memory.  Some
 * records run instruction bytes from the image through the decoder and
 * emu_cpu_step instead, with DF, 0x67 and segment overrides in play.
 */
#include <stdint.h>
#include <string.h>

#include "vmwcall/proto.h"
#include "cpu.h"
#include "host.h"

#define BASE 0x7f0000000000ull
#define RAM 4096

struct ram {
	uint8_t b[RAM];
};

static int rd(void *ctx, uint64_t a, void *dst, size_t n)
{
	struct ram *m = ctx;

	if (a < BASE || a - BASE > RAM || n > RAM - (a - BASE))
		return -1;
	memcpy(dst, m->b + (a - BASE), n);
	return 0;
}

static int wr(void *ctx, uint64_t a, const void *src, size_t n)
{
	struct ram *m = ctx;

	if (a < BASE || a - BASE > RAM || n > RAM - (a - BASE))
		return -1;
	memcpy(m->b + (a - BASE), src, n);
	return 0;
}

static int64_t fixed_clock(void *ctx)
{
	(void)ctx;
	return 1700000000000000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ram ram;
	struct emu_mem mem = { &ram, rd, wr };
	struct emu_config cfg;
	struct emu_host *h;
	uint32_t words[9];

	if (size < 2)
		return 0;
	emu_config_default(&cfg);
	/* Repeatable: cookies from a seed, a clock that does not move. */
	cfg.seed = 1;
	cfg.clock_us = fixed_clock;
	cfg.checkpoint_every = data[0] & 7;
	cfg.fault_seed = data[0];
	cfg.fault_permille = (uint32_t)(data[0] >> 3) * 30;
	cfg.stop_at = data[0] == 0xFF ? 20 : 0;
	cfg.cpt_at = data[1] >> 5;
	cfg.no_hb = data[1] & 1;
	cfg.no_cookies = data[1] >> 1 & 1;
	cfg.max_channels = 1 + (data[1] >> 2 & 7);
	cfg.max_in_size = 8192;
	data += 2, size -= 2;
	memset(ram.b, 0, RAM);
	memcpy(ram.b, data, size < RAM ? size : RAM);
	data += size < RAM ? size : RAM;
	size -= size < RAM ? size : RAM;
	h = emu_host_new(&cfg);
	if (!h)
		return 0;
	emu_info_set(h, "seed", "value", 5);
	emu_tclo_push(h, "reset");
	for (; size >= sizeof(words); data += sizeof(words), size -= sizeof(words)) {
		struct emu_regs r;
		uint64_t v[7];

		memcpy(words, data, sizeof(words));
		for (int i = 0; i < 7; i++)
			v[i] = words[i + 2];
		/* Steer toward valid calls: the magic, and pointers near guest RAM. */
		if (!(words[0] & 0x100))
			v[0] = VMW_MAGIC;
		if (words[0] & 0x200)
			v[4] = BASE + (v[4] & 0x1FFF);
		if (words[0] & 0x400)
			v[5] = BASE + (v[5] & 0x1FFF);
		if (words[0] & 0x800)
			v[2] = VMW_CMD(VMW_CMD_MESSAGE, v[2] >> 16 & 7);
		if (words[0] & 0x2000) {
			/* Code from the image; bases and flags from the record. */
			size_t off = (words[1] >> 8) % RAM;
			struct emu_cpu c = { .ax = v[0], .bx = v[1], .cx = v[2], .dx = v[3],
					     .si = v[4], .di = v[5], .bp = v[6],
					     .is64 = !(words[1] & 0x10),
					     .flags = words[1] & EMU_FLAG_DF,
					     .fs_base = BASE + (words[1] >> 20),
					     .gs_base = (uint64_t)words[1] << 32,
					     .seg_bases = !!(words[1] & 0x20) };

			emu_cpu_step(h, &c, ram.b + off, RAM - off < EMU_INSN_MAX ? RAM - off :
				     EMU_INSN_MAX, &mem, words[1] & 3);
		} else {
			r = (struct emu_regs){ v[0], v[1], v[2], v[3], v[4], v[5], v[6] };
			emu_host_call(h, (enum emu_insn)(words[0] % 8), &r, &mem, words[1] & 3);
		}
		if (words[0] & 0x1000)
			emu_host_reclaim(h, words[1] & 3);
	}
	emu_host_free(h);
	return 0;
}
