// SPDX-License-Identifier: MIT
/*
 * Prefixes on the backdoor instructions, each decided as the CPU executes
 * it (doc/decoder.md; issue 15 item 12, issue 10 item 8): the decoder's
 * verdict, then what rep insb/outsb do with DF, 0x67 and fs/gs through
 * emu_cpu_step against a fake guest memory.
 */
#include <string.h>

#include "vmwcall/proto.h"
#include "cpu.h"
#include "host.h"
#include "tap.h"

#define BASE 0x10000000ull
static uint8_t ram[8192];

static int ram_ok(uint64_t a, size_t n)
{
	return a >= BASE && a - BASE <= sizeof(ram) && n <= sizeof(ram) - (a - BASE);
}

static int ram_read(void *ctx, uint64_t a, void *dst, size_t n)
{
	(void)ctx;
	if (!ram_ok(a, n))
		return -1;
	memcpy(dst, ram + (a - BASE), n);
	return 0;
}

static int ram_write(void *ctx, uint64_t a, const void *src, size_t n)
{
	(void)ctx;
	if (!ram_ok(a, n))
		return -1;
	memcpy(ram + (a - BASE), src, n);
	return 0;
}

static const struct emu_mem mem = { NULL, ram_read, ram_write };

static void test_prefixes(void)
{
	static const struct {
		const char *what;
		uint8_t code[16];
		size_t n;
		int is64, want;
		enum emu_insn insn;
		size_t len;
	} v[] = {
		{ "es: in", { 0x26, 0xED }, 2, 1, 0, EMU_INSN_IN, 2 },
		{ "cs: in", { 0x2E, 0xED }, 2, 1, 0, EMU_INSN_IN, 2 },
		{ "ss: in", { 0x36, 0xED }, 2, 1, 0, EMU_INSN_IN, 2 },
		{ "ds: in", { 0x3E, 0xED }, 2, 0, 0, EMU_INSN_IN, 2 },
		{ "fs: in", { 0x64, 0xED }, 2, 1, 0, EMU_INSN_IN, 2 },
		{ "gs: in", { 0x65, 0xED }, 2, 0, 0, EMU_INSN_IN, 2 },
		{ "repne in", { 0xF2, 0xED }, 2, 1, 0, EMU_INSN_IN, 2 },
		{ "rep out", { 0xF3, 0xEF }, 2, 1, 0, EMU_INSN_OUT, 2 },
		{ "addr32 in", { 0x67, 0xED }, 2, 1, 0, EMU_INSN_IN, 2 },
		{ "rex.w in", { 0x48, 0xED }, 2, 1, 0, EMU_INSN_IN, 2 },
		{ "lock in: #UD", { 0xF0, 0xED }, 2, 1, -1, 0, 0 },
		{ "16-bit in", { 0x66, 0xED }, 2, 1, -1, 0, 0 },
		{ "gs: rep insb", { 0x65, 0xF3, 0x6C }, 3, 1, 0, EMU_INSN_REP_INSB, 3 },
		{ "repne insb", { 0xF2, 0x6C }, 2, 1, 0, EMU_INSN_REP_INSB, 2 },
		{ "repne outsb", { 0xF2, 0x6E }, 2, 0, 0, EMU_INSN_REP_OUTSB, 2 },
		{ "addr32 rep outsb", { 0x67, 0xF3, 0x6E }, 3, 1, 0, EMU_INSN_REP_OUTSB, 3 },
		{ "addr16 rep outsb", { 0x67, 0xF3, 0x6E }, 3, 0, -1, 0, 0 },
		{ "rex, then rep: rex dropped", { 0x48, 0xF3, 0x6C }, 3, 1, 0, EMU_INSN_REP_INSB, 3 },
		{ "0x48 in 32-bit is dec", { 0x48, 0xED }, 2, 0, -1, 0, 0 },
		{ "rep vmcall", { 0xF3, 0x0F, 0x01, 0xC1 }, 4, 1, -1, 0, 0 },
		{ "repne vmmcall", { 0xF2, 0x0F, 0x01, 0xD9 }, 4, 1, -1, 0, 0 },
		{ "ds: vmcall", { 0x3E, 0x0F, 0x01, 0xC1 }, 4, 1, 0, EMU_INSN_VMCALL, 4 },
		{ "addr32 vmcall", { 0x67, 0x0F, 0x01, 0xC1 }, 4, 1, 0, EMU_INSN_VMCALL, 4 },
		{ "rep tdcall", { 0xF3, 0x66, 0x0F, 0x01, 0xCC }, 5, 1, -1, 0, 0 },
		{ "14 prefixes + in: 15 bytes",
		  { 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E,
		    0xED }, 15, 1, 0, EMU_INSN_IN, 15 },
		{ "15 prefixes + in: 16 bytes, #GP",
		  { 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E, 0x3E,
		    0x3E, 0xED }, 16, 1, -1, 0, 0 },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		struct emu_decoded d = { 0 };
		int rc = emu_decode(v[i].code, v[i].n, v[i].is64, &d);

		ok(rc == v[i].want && (rc || (d.insn == v[i].insn && d.len == v[i].len)),
		   "%s (%s): %s", v[i].what, v[i].is64 ? "64-bit" : "32-bit",
		   v[i].want ? "refused" : "decoded");
	}
}

struct chan {
	uint32_t id, hi, lo;
};

static struct emu_regs lb(struct emu_host *h, uint32_t sub, uint64_t bx, const struct chan *c)
{
	struct emu_regs r = { VMW_MAGIC, bx, VMW_CMD(VMW_CMD_MESSAGE, sub),
			      (c ? (uint64_t)c->id << 16 : 0) | VMW_PORT, c ? c->hi : 0,
			      c ? c->lo : 0, 0 };

	emu_host_call(h, EMU_INSN_IN, &r, &mem, 0);
	return r;
}

/* HB out of n bytes by the instruction in code, with c's registers; bx out, or ~0. */
static uint64_t outsb(struct emu_host *h, const struct chan *ch, const uint8_t *code, size_t len,
		      struct emu_cpu *c, uint64_t si, uint32_t n)
{
	c->ax = VMW_MAGIC, c->bx = VMW_HB_CMD_MESSAGE | VMW_MSG_SUCCESS << 16, c->cx = n;
	c->dx = (uint64_t)ch->id << 16 | VMW_PORT_HB, c->si = si, c->di = ch->lo, c->bp = ch->hi;
	return emu_cpu_step(h, c, code, len, &mem, 0) ? ~0ull : c->bx;
}

static uint64_t insb(struct emu_host *h, const struct chan *ch, const uint8_t *code, size_t len,
		     struct emu_cpu *c, uint64_t di, uint32_t n)
{
	c->ax = VMW_MAGIC, c->bx = VMW_HB_CMD_MESSAGE | VMW_MSG_SUCCESS << 16, c->cx = n;
	c->dx = (uint64_t)ch->id << 16 | VMW_PORT_HB, c->si = ch->hi, c->di = di, c->bp = ch->lo;
	return emu_cpu_step(h, c, code, len, &mem, 0) ? ~0ull : c->bx;
}

/*
 * info-set guestinfo.sxyz to the 8 bytes the instruction reads (the prefix
 * goes over LB); the value the host stored, or "" if the transfer failed.
 */
static const char *sent(struct emu_host *h, const struct chan *ch, const uint8_t *code,
			size_t len, struct emu_cpu *c, uint64_t si)
{
	static const char req[] = "info-set guestinfo.sxyz ";
	static char got[9];
	const char *v;
	size_t n;

	emu_info_set(h, "sxyz", "", 0);
	lb(h, VMW_MSG_SENDSIZE, sizeof(req) - 1 + 8, ch);
	for (size_t i = 0; i + 1 < sizeof(req); i += 4) {
		uint32_t w;

		memcpy(&w, req + i, 4);
		lb(h, VMW_MSG_SENDPAYLOAD, w, ch);
	}
	if (outsb(h, ch, code, len, c, si, 8) != (uint64_t)VMW_MSG_SUCCESS << 16)
		return "";
	lb(h, VMW_MSG_RECVSIZE, 0, ch);
	lb(h, VMW_MSG_RECVSTATUS, 1, ch);
	v = emu_info_get(h, "sxyz", &n);
	memcpy(got, v && n == 8 ? v : "", v && n == 8 ? 8 : 1);
	return got;
}

static void test_strings(void)
{
	static const uint8_t rep_outsb[] = { 0xF3, 0x6E }, a32_outsb[] = { 0x67, 0xF3, 0x6E },
			     fs_outsb[] = { 0x64, 0xF3, 0x6E }, gs_outsb[] = { 0x65, 0xF3, 0x6E },
			     ds_outsb[] = { 0x3E, 0xF3, 0x6E }, rep_insb[] = { 0xF3, 0x6C },
			     es_insb[] = { 0x26, 0xF3, 0x6C }, fs_insb[] = { 0x64, 0xF3, 0x6C },
			     a32_insb[] = { 0x67, 0xF3, 0x6C };
	struct emu_config cfg;
	struct emu_host *h;
	struct emu_regs r;
	struct emu_cpu c;
	struct chan ch;
	const char *v;
	size_t len;

	emu_config_default(&cfg);
	cfg.seed = 1;
	h = emu_host_new(&cfg);
	r = lb(h, VMW_MSG_OPEN, VMW_PROTO_RPCI | VMW_MSG_FLAG_COOKIE, NULL);
	ch = (struct chan){ (uint32_t)(r.dx >> 16), (uint32_t)r.si, (uint32_t)r.di };

	/* DF=1: rep outsb sends rsi, rsi-1, ...: "info-set guestinfo.d " + reversed bytes. */
	memcpy(ram, "guestinfo.d 1234", 16);
	memcpy(ram + 100, "4321 d.ofnitseug tes-ofni", 25);
	lb(h, VMW_MSG_SENDSIZE, 25, &ch);
	c = (struct emu_cpu){ .is64 = 1, .flags = EMU_FLAG_DF | 0x202 };
	is_u64(outsb(h, &ch, rep_outsb, 2, &c, BASE + 124, 25), VMW_MSG_SUCCESS << 16,
	       "DF=1 rep outsb: accepted");
	v = emu_info_get(h, "d", &len);
	ok(v && len == 4 && !memcmp(v, "1234", 4), "DF=1 rep outsb: the bytes went backwards");
	lb(h, VMW_MSG_RECVSIZE, 0, &ch);
	lb(h, VMW_MSG_RECVSTATUS, 1, &ch);

	/* DF=1: rep insb stores at rdi, rdi-1, ... */
	lb(h, VMW_MSG_SENDSIZE, 20, &ch);
	c = (struct emu_cpu){ .is64 = 1 };
	memcpy(ram, "info-get guestinfo.d", 20);
	outsb(h, &ch, rep_outsb, 2, &c, BASE, 20);
	memset(ram + 200, 0, 16);
	r = lb(h, VMW_MSG_RECVSIZE, 0, &ch);
	c.flags = EMU_FLAG_DF;
	is_u64(insb(h, &ch, rep_insb, 2, &c, BASE + 205, (uint32_t)r.bx), VMW_MSG_SUCCESS << 16,
	       "DF=1 rep insb: accepted");
	ok(!memcmp(ram + 200, "4321 1", 6) && ram[206] == 0, "DF=1 rep insb: \"1 1234\" stored backwards, "
	   "ending at rdi");
	lb(h, VMW_MSG_RECVSTATUS, 1, &ch);

	/* 0x67 in 64-bit code: esi, not rsi. */
	memcpy(ram + 300, "abcdefgh", 8);
	c = (struct emu_cpu){ .is64 = 1 };
	ok(!strcmp(sent(h, &ch, a32_outsb, 3, &c, 0xABCD00000000ull | (BASE + 300)), "abcdefgh"),
	   "addr32 rep outsb: reads at esi (upper half of rsi ignored)");
	c = (struct emu_cpu){ .is64 = 1 };
	ok(!*sent(h, &ch, rep_outsb, 2, &c, 0xABCD00000000ull | (BASE + 300)),
	   "the same without 0x67: rsi is unmapped, status 0");
	lb(h, VMW_MSG_SENDSIZE, 0, &ch);	/* drop the half-sent message */
	lb(h, VMW_MSG_RECVSIZE, 0, &ch);
	lb(h, VMW_MSG_RECVSTATUS, 1, &ch);
	c = (struct emu_cpu){ .is64 = 1, .flags = EMU_FLAG_DF };
	ok(!*sent(h, &ch, a32_outsb, 3, &c, 0xABCD00000003ull),
	   "addr32 and DF=1 below 0: the bytes would wrap, status 0");
	lb(h, VMW_MSG_SENDSIZE, 0, &ch);
	lb(h, VMW_MSG_RECVSIZE, 0, &ch);
	lb(h, VMW_MSG_RECVSTATUS, 1, &ch);

	/* Segment overrides on rep outsb: flat ones read rsi, fs/gs add their base. */
	c = (struct emu_cpu){ .is64 = 1 };
	ok(!strcmp(sent(h, &ch, ds_outsb, 3, &c, BASE + 300), "abcdefgh"),
	   "ds: rep outsb reads ds:rsi (flat)");
	c = (struct emu_cpu){ .is64 = 1, .fs_base = BASE + 256, .seg_bases = 1 };
	ok(!strcmp(sent(h, &ch, fs_outsb, 3, &c, 44), "abcdefgh"), "fs: rep outsb reads fs_base + rsi");
	c = (struct emu_cpu){ .is64 = 1, .gs_base = BASE + 299, .seg_bases = 1 };
	ok(!strcmp(sent(h, &ch, gs_outsb, 3, &c, 1), "abcdefgh"), "gs: rep outsb reads gs_base + rsi");
	c = (struct emu_cpu){ .is64 = 1 };
	ok(!*sent(h, &ch, fs_outsb, 3, &c, BASE + 300) && c.ip == 0,
	   "fs: rep outsb where the front end knows no base: refused (not a hypercall)");
	lb(h, VMW_MSG_SENDSIZE, 0, &ch);
	lb(h, VMW_MSG_RECVSIZE, 0, &ch);
	lb(h, VMW_MSG_RECVSTATUS, 1, &ch);

	/* rep insb writes es:rdi whatever the override; 0x67 truncates rdi. */
	lb(h, VMW_MSG_SENDSIZE, 20, &ch);
	c = (struct emu_cpu){ .is64 = 1 };
	outsb(h, &ch, rep_outsb, 2, &c, BASE, 20);
	r = lb(h, VMW_MSG_RECVSIZE, 0, &ch);
	c = (struct emu_cpu){ .is64 = 1, .fs_base = 0x1000, .seg_bases = 1 };
	memset(ram + 400, 0, 16);
	is_u64(insb(h, &ch, fs_insb, 3, &c, BASE + 400, 2), VMW_MSG_SUCCESS << 16,
	       "fs: rep insb: answered");
	ok(!memcmp(ram + 400, "1 ", 2), "fs: rep insb still writes es:rdi");
	c = (struct emu_cpu){ .is64 = 1 };
	is_u64(insb(h, &ch, es_insb, 3, &c, BASE + 402, 2), VMW_MSG_SUCCESS << 16,
	       "es: rep insb: answered");
	c = (struct emu_cpu){ .is64 = 1 };
	is_u64(insb(h, &ch, a32_insb, 3, &c, 0x700000000ull | (BASE + 404), 2),
	       VMW_MSG_SUCCESS << 16, "addr32 rep insb: writes at edi");
	ok(!memcmp(ram + 400, "1 1234", 6), "the reply landed in three pieces, in place");
	emu_host_free(h);
}

int main(void)
{
	plan(42);
	test_prefixes();
	test_strings();
	return done_testing();
}
