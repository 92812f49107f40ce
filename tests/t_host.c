// SPDX-License-Identifier: MIT
/*
 * The host core on its own: registers and a fake guest memory in,
 * registers out.  Protocol answers, limits, hostile input.
 */
#include <string.h>

#include "vmwcall/proto.h"
#include "cpu.h"
#include "host.h"
#include "tap.h"

#define BASE 0x10000000ull
#define RAM_BASE BASE
#define RAM_SIZE (1 << 20)
#include "ram.h"

static struct emu_regs lb(struct emu_host *h, uint32_t cmd, uint64_t bx, uint64_t dx,
			  uint64_t si, uint64_t di)
{
	struct emu_regs r = { VMW_MAGIC, bx, cmd, dx | VMW_PORT, si, di, 0 };

	if (emu_host_call(h, EMU_INSN_IN, &r, &mem, 7))
		r.ax = 0xDEAD;
	return r;
}

struct chan {
	uint32_t id, hi, lo;
};

static int open_chan(struct emu_host *h, uint32_t proto, struct chan *c)
{
	struct emu_regs r = lb(h, VMW_CMD(VMW_CMD_MESSAGE, VMW_MSG_OPEN),
			       proto | VMW_MSG_FLAG_COOKIE, 0, 0, 0);

	c->id = (uint32_t)(r.dx >> 16), c->hi = (uint32_t)r.si, c->lo = (uint32_t)r.di;
	return r.cx == (uint64_t)VMW_MSG_SUCCESS << 16 ? 0 : -1;
}

static struct emu_regs msg(struct emu_host *h, const struct chan *c, uint32_t sub, uint64_t bx)
{
	return lb(h, VMW_CMD(VMW_CMD_MESSAGE, sub), bx, (uint64_t)c->id << 16, c->hi, c->lo);
}

/* Send text over LB and read the reply back over LB; returns reply length or -1. */
static int rpc_lb(struct emu_host *h, const struct chan *c, const char *req, char *rep, size_t cap)
{
	size_t len = strlen(req);
	struct emu_regs r = msg(h, c, VMW_MSG_SENDSIZE, len);
	uint32_t n;

	if (!(r.cx >> 16 & VMW_MSG_SUCCESS))
		return -1;
	for (size_t i = 0; i < len; i += 4) {
		uint32_t w = 0;

		memcpy(&w, req + i, len - i < 4 ? len - i : 4);
		if (msg(h, c, VMW_MSG_SENDPAYLOAD, w).cx != 0x10000)
			return -1;
	}
	r = msg(h, c, VMW_MSG_RECVSIZE, 0);
	if (r.cx != 0x00830000 || r.dx >> 16 != 1)
		return -1;
	n = (uint32_t)r.bx;
	if (n > cap)
		return -1;
	for (uint32_t i = 0; i < n; i += 4) {
		uint32_t w;

		r = msg(h, c, VMW_MSG_RECVPAYLOAD, 1);
		if (r.cx != 0x10000 || r.dx >> 16 != 2)
			return -1;
		w = (uint32_t)r.bx;
		memcpy(rep + i, &w, n - i < 4 ? n - i : 4);
	}
	if (msg(h, c, VMW_MSG_RECVSTATUS, 1).cx != 0x10000)
		return -1;
	return (int)n;
}

static void test_decode(void)
{
	static const struct {
		uint8_t code[6];
		size_t n;
		int is64, want;
		enum emu_insn insn;
		size_t len;
	} v[] = {
		{ { 0xED }, 1, 1, 0, EMU_INSN_IN, 1 },
		{ { 0xEF }, 1, 0, 0, EMU_INSN_OUT, 1 },
		{ { 0xF3, 0x6C }, 2, 1, 0, EMU_INSN_REP_INSB, 2 },
		{ { 0xF3, 0x48, 0x6E }, 3, 1, 0, EMU_INSN_REP_OUTSB, 3 },
		{ { 0x0F, 0x01, 0xC1 }, 3, 1, 0, EMU_INSN_VMCALL, 3 },
		{ { 0x0F, 0x01, 0xD9 }, 3, 0, 0, EMU_INSN_VMMCALL, 3 },
		{ { 0x66, 0x0F, 0x01, 0xCC }, 4, 1, 0, EMU_INSN_TDCALL, 4 },
		{ { 0x66, 0x0F, 0x01, 0xCC }, 4, 0, -1, 0, 0 },	/* no TDX in 32-bit */
		{ { 0x6C }, 1, 1, -1, 0, 0 },			/* insb without rep */
		{ { 0x66, 0xED }, 2, 1, -1, 0, 0 },		/* 16-bit in */
		{ { 0x0F, 0x01 }, 2, 1, -1, 0, 0 },		/* truncated */
		{ { 0x0F, 0x0B }, 2, 1, -1, 0, 0 },		/* ud2 */
		{ { 0xF3, 0xF3, 0xF3 }, 3, 1, -1, 0, 0 },	/* prefixes only */
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		struct emu_decoded d = { 0 };
		int rc = emu_decode(v[i].code, v[i].n, v[i].is64, &d);

		ok(rc == v[i].want && (rc || (d.insn == v[i].insn && d.len == v[i].len)),
		   "decode vector %zu", i);
	}
}

static void test_lb_commands(struct emu_host *h)
{
	struct emu_regs r;

	r = lb(h, VMW_CMD_GETVERSION, ~VMW_MAGIC, 0, 0, 0);
	ok(r.ax == 6 && r.bx == VMW_MAGIC && r.cx == VMW_TYPE_ESX, "GETVERSION: 6, magic, type");
	r = lb(h, VMW_CMD_GETUUID, 0, 0, 0, 0);
	ok(r.ax == 0x33221100 && r.bx == 0x77665544 && r.cx == 0xBBAA9988 && r.dx == 0xFFEEDDCC,
	   "GETUUID: four little-endian dwords");
	r = lb(h, VMW_CMD_GETHZ, ~0u, 0, 0, 0);
	ok(r.ax == 0x2A05F200 && r.bx == 1 && r.cx == 66000000, "GETHZ: 64-bit TSC Hz, APIC Hz");
	r = lb(h, VMW_CMD_GETTIMEFULL, 0, 0, 0, 0);
	ok(r.ax == VMW_MAGIC && (r.si << 32 | r.dx) > 1700000000u && r.bx < 1000000,
	   "GETTIMEFULL: eax stays magic, 64-bit seconds in esi:edx");
	r = lb(h, VMW_CMD_GETMEMSIZE, 0, 0, 0, 0);
	is_u64(r.ax, 4096, "GETMEMSIZE: MB");
	r = lb(h, 0x7E, 0x1234, 0, 0x5678, 0x9ABC);
	ok(r.ax == 0xFFFFFFFF && r.bx == 0x1234 && r.si == 0x5678 && r.di == 0x9ABC,
	   "unknown command: eax = -1, other registers untouched");

	r = (struct emu_regs){ 0x12345678, 0, VMW_CMD_GETVERSION, VMW_PORT, 0, 0, 0 };
	ok(emu_host_call(h, EMU_INSN_IN, &r, &mem, 0) == -1 && r.ax == 0x12345678,
	   "wrong magic: not a hypercall, registers untouched");
	r = (struct emu_regs){ VMW_MAGIC, 0, VMW_CMD_GETVERSION, 0x80, 0, 0, 0 };
	ok(emu_host_call(h, EMU_INSN_IN, &r, &mem, 0) == -1, "in on another port: not a hypercall");
	r = (struct emu_regs){ VMW_MAGIC, 0, 4, VMW_PORT, 0, 0, 0 };
	ok(emu_host_call(h, EMU_INSN_REP_INSB, &r, &mem, 0) == -1, "rep insb on the LB port: refused");
	r = (struct emu_regs){ VMW_MAGIC, 0, 0x80, 0, 0, 0, 0 };
	ok(emu_host_call(h, EMU_INSN_TDCALL, &r, &mem, 0) == 0 && r.ax == 0xFFFFFFFF,
	   "TDX command outside the mask refused");
}

static void test_channels(void)
{
	struct emu_config cfg;
	struct emu_host *h;
	struct chan c[5], t;
	struct emu_regs r;
	char rep[64];
	int n;

	emu_config_default(&cfg);
	cfg.max_channels = 4;
	h = emu_host_new(&cfg);
	for (int i = 0; i < 4; i++)
		ok(open_chan(h, VMW_PROTO_RPCI, &c[i]) == 0 && c[i].id == (uint32_t)i,
		   "open channel %d", i);
	ok(open_chan(h, VMW_PROTO_RPCI, &c[4]) == -1, "table full: fifth open fails");
	ok(msg(h, &c[1], VMW_MSG_CLOSE, 0).cx == 0x10000, "close channel 1");
	ok(open_chan(h, VMW_PROTO_TCLO, &t) == 0 && t.id == 1, "its slot is reused");
	r = lb(h, VMW_CMD(VMW_CMD_MESSAGE, VMW_MSG_OPEN), 0x12345678, 0, 0, 0);
	is_u64(r.cx, 0, "open with an unknown protocol fails");

	t = c[0];
	t.lo ^= 1;
	is_u64(msg(h, &t, VMW_MSG_SENDSIZE, 4).cx, 0, "wrong cookie: status 0");
	t = c[0];
	t.id = 4000;
	is_u64(msg(h, &t, VMW_MSG_SENDSIZE, 4).cx, 0, "channel id out of range: status 0");
	is_u64(msg(h, &c[0], VMW_MSG_SENDSIZE, VMW_MSG_MAX_IN_SIZE + 1).cx, 0,
	       "message over the 64 KiB limit refused");
	is_u64(msg(h, &c[0], VMW_MSG_RECVPAYLOAD, 1).cx, 0, "payload with nothing to receive: status 0");
	is_u64(msg(h, &c[0], 9, 0).cx, 0, "unknown sub-command: status 0");

	n = rpc_lb(h, &c[0], "info-set guestinfo.k hello world", rep, sizeof(rep));
	ok(n == 2 && !memcmp(rep, "1 ", 2), "LB info-set: \"1 \"");
	n = rpc_lb(h, &c[0], "info-get guestinfo.k", rep, sizeof(rep));
	ok(n == 13 && !memcmp(rep, "1 hello world", 13), "LB info-get returns the value");
	n = rpc_lb(h, &c[0], "info-get guestinfo.nope", rep, sizeof(rep));
	ok(n == 16 && !memcmp(rep, "0 No value found", 16), "missing key: \"0 No value found\"");
	n = rpc_lb(h, &c[0], "frobnicate", rep, sizeof(rep));
	ok(n == 17 && !memcmp(rep, "0 Unknown command", 17), "unknown command");
	n = rpc_lb(h, &c[0], "log hello", rep, sizeof(rep));
	ok(n == 2 && !memcmp(rep, "1 ", 2), "log: \"1 \"");
	n = rpc_lb(h, &c[0], "info-set guestinfo.e ", rep, sizeof(rep));
	ok(n == 2 && emu_info_get(h, "e", NULL) && !*emu_info_get(h, "e", NULL), "empty value stored");

	emu_host_reclaim(h, 7);
	is_u64(msg(h, &c[0], VMW_MSG_SENDSIZE, 1).cx, 0, "reclaimed channel is closed");
	ok(open_chan(h, VMW_PROTO_RPCI, &c[0]) == 0, "and can be opened again");
	emu_host_free(h);
}

static void test_hb(void)
{
	static const char req[] = "info-set guestinfo.bin ";
	struct emu_config cfg;
	struct emu_host *h;
	struct chan c;
	struct emu_regs r;
	size_t len = sizeof(req) - 1 + 3000;

	emu_config_default(&cfg);
	h = emu_host_new(&cfg);
	open_chan(h, VMW_PROTO_RPCI, &c);
	memcpy(ram, req, sizeof(req) - 1);
	for (size_t i = 0; i < 3000; i++)
		ram[sizeof(req) - 1 + i] = (uint8_t)(i * 7 % 255 + 1);	/* no NUL */
	r = msg(h, &c, VMW_MSG_SENDSIZE, len);
	is_u64(r.cx, 0x00810000, "SENDSIZE: SUCCESS|HB exactly");

	r = (struct emu_regs){ VMW_MAGIC, 0x10000, len, (uint64_t)c.id << 16 | VMW_PORT_HB,
			       0xBAD0000000ull, c.lo, c.hi };
	emu_host_call(h, EMU_INSN_REP_OUTSB, &r, &mem, 7);
	is_u64(r.bx >> 16, 0, "HB out from an unmapped address: status 0, no crash");

	r = msg(h, &c, VMW_MSG_SENDSIZE, len);
	r = (struct emu_regs){ VMW_MAGIC, 0x10000, len, (uint64_t)c.id << 16 | VMW_FLAG_HB | VMW_FLAG_OUT,
			       BASE, c.lo, c.hi };
	emu_host_call(h, EMU_INSN_VMCALL, &r, &mem, 7);
	is_u64(r.bx, 0x10000, "HB out over vmcall: SUCCESS");
	ok(emu_info_get(h, "bin", &len) && len == 3000 &&
	   !memcmp(emu_info_get(h, "bin", NULL), ram + sizeof(req) - 1, 3000),
	   "3000 binary bytes stored exactly");

	r = msg(h, &c, VMW_MSG_RECVSIZE, 0);
	is_u64(r.bx, 2, "reply to info-set is 2 bytes");
	msg(h, &c, VMW_MSG_RECVSTATUS, 1);

	memcpy(ram, "info-get guestinfo.bin", 22);
	msg(h, &c, VMW_MSG_SENDSIZE, 22);
	r = (struct emu_regs){ VMW_MAGIC, 0x10000, 22, (uint64_t)c.id << 16 | VMW_PORT_HB,
			       BASE, c.lo, c.hi };
	emu_host_call(h, EMU_INSN_REP_OUTSB, &r, &mem, 7);
	r = msg(h, &c, VMW_MSG_RECVSIZE, 0);
	ok(r.cx == 0x00830000 && r.bx == 3002, "RECVSIZE: 0x00830000, 3002 bytes");
	r = (struct emu_regs){ VMW_MAGIC, 0x10000, 3002, (uint64_t)c.id << 16 | VMW_PORT_HB,
			       c.hi, 0xBAD0000000ull, c.lo };
	emu_host_call(h, EMU_INSN_REP_INSB, &r, &mem, 7);
	is_u64(r.bx >> 16, 0, "HB in to an unmapped address: status 0");
	r = (struct emu_regs){ VMW_MAGIC, 0x10000, 4000, (uint64_t)c.id << 16 | VMW_PORT_HB,
			       c.hi, BASE + 65536, c.lo };
	emu_host_call(h, EMU_INSN_REP_INSB, &r, &mem, 7);
	is_u64(r.bx >> 16, 0, "HB in asking for more than the reply: status 0");
	r = (struct emu_regs){ VMW_MAGIC, 0x10000, 3002, (uint64_t)c.id << 16 | VMW_PORT_HB,
			       c.hi, BASE + 65536, c.lo };
	emu_host_call(h, EMU_INSN_REP_INSB, &r, &mem, 7);
	ok(r.bx == 0x10000 && !memcmp(ram + 65536, "1 ", 2) &&
	   !memcmp(ram + 65538, ram + sizeof(req) - 1, 3000), "HB in: reply delivered exactly");
	is_u64(msg(h, &c, VMW_MSG_RECVSTATUS, 1).cx, 0x10000, "RECVSTATUS acknowledges");
	emu_host_free(h);
}

static void test_options(void)
{
	struct emu_config cfg;
	struct emu_host *h;
	struct chan c;
	struct emu_regs r;
	char rep[64];
	int cpt = 0, n;

	emu_config_default(&cfg);
	cfg.no_cookies = 1;
	cfg.no_hb = 1;
	h = emu_host_new(&cfg);
	ok(open_chan(h, VMW_PROTO_RPCI, &c) == -1, "no_cookies: cookie open refused");
	r = lb(h, VMW_CMD(VMW_CMD_MESSAGE, VMW_MSG_OPEN), VMW_PROTO_RPCI, 0, 0, 0);
	ok(r.cx == 0x10000, "no_cookies: plain open works");
	c = (struct chan){ (uint32_t)(r.dx >> 16), 1, 2 };
	is_u64(msg(h, &c, VMW_MSG_SENDSIZE, 3).cx, 0x10000, "no_hb: SENDSIZE without the HB bit");
	emu_host_free(h);

	emu_config_default(&cfg);
	cfg.checkpoint_every = 2;
	h = emu_host_new(&cfg);
	open_chan(h, VMW_PROTO_RPCI, &c);
	msg(h, &c, VMW_MSG_SENDSIZE, 8);
	ok(msg(h, &c, VMW_MSG_SENDPAYLOAD, 0x6f666e69).cx == 0x10000, "first payload accepted");
	r = msg(h, &c, VMW_MSG_SENDPAYLOAD, 0x7465672d);
	is_u64(r.cx, (uint64_t)VMW_MSG_CPT << 16, "second payload: checkpoint status");
	is_u64(msg(h, &c, VMW_MSG_SENDPAYLOAD, 0).cx, 0, "the interrupted message is gone");
	for (int i = 0; i < 10; i++) {
		n = rpc_lb(h, &c, "log x", rep, sizeof(rep));
		cpt += n < 0;
	}
	ok(cpt > 0 && emu_host_stats(h)->checkpoints > 1, "checkpoints keep coming (%d interrupted)", cpt);
	emu_host_free(h);
}

static void test_tclo(void)
{
	struct emu_config cfg;
	struct emu_host *h;
	struct chan c;
	struct emu_regs r;
	char rep[64];
	size_t len;

	emu_config_default(&cfg);
	h = emu_host_new(&cfg);
	open_chan(h, VMW_PROTO_TCLO, &c);
	msg(h, &c, VMW_MSG_SENDSIZE, 0);
	r = msg(h, &c, VMW_MSG_RECVSIZE, 0);
	ok(r.cx == 0x00830000 && r.bx == 5, "new TCLO channel: the handshake's first command announced");
	r = msg(h, &c, VMW_MSG_RECVPAYLOAD, 1);
	memcpy(rep, &r.bx, 4);
	r = msg(h, &c, VMW_MSG_RECVPAYLOAD, 1);
	rep[4] = (char)r.bx;
	ok(!memcmp(rep, "reset", 5), "guest receives \"reset\"");
	msg(h, &c, VMW_MSG_RECVSTATUS, 1);
	ok(rpc_lb(h, &c, "OK ATR toolbox", rep, sizeof(rep)) == 4 && !memcmp(rep, "ping", 4),
	   "reply sent; the handshake goes on with \"ping\"");
	ok(emu_tclo_last_reply(h, &len) && len == 14 &&
	   !memcmp(emu_tclo_last_reply(h, NULL), "OK ATR toolbox", 14), "host sees the guest's reply");
	emu_host_free(h);
}

/* Random registers and instructions: the core must answer or refuse, never crash. */
static void test_chaos(void)
{
	struct emu_config cfg;
	struct emu_host *h;
	uint64_t x = 88172645463325252ull;
	unsigned long calls = 0;

	emu_config_default(&cfg);
	cfg.checkpoint_every = 5;
	h = emu_host_new(&cfg);
	for (int i = 0; i < 300000; i++) {
		uint64_t v[8];
		struct emu_regs r;

		for (int k = 0; k < 8; k++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			v[k] = x;
		}
		r = (struct emu_regs){ VMW_MAGIC, v[1], VMW_CMD(VMW_CMD_MESSAGE, v[2] % 8),
				       (v[3] & 0x30000) | (v[7] & 1 ? VMW_PORT_HB : VMW_PORT),
				       v[4] & 1 ? BASE + (v[4] >> 44) : v[4], v[5], v[6] };
		if (v[0] % 5 == 0)
			r.bx = v[0] % 3 ? VMW_PROTO_RPCI | (v[1] & VMW_MSG_FLAG_COOKIE) : VMW_PROTO_TCLO;
		if (v[0] % 7 == 0)
			r.cx = v[2] & 0xFFFFFF;
		if (v[0] % 11 == 0)
			r.bx = v[1] % 70000;
		if (emu_host_call(h, (enum emu_insn)(v[7] >> 8) % 7, &r, &mem, (uint32_t)(v[0] & 3)) == 0)
			calls++;
		if (i % 50000 == 0)
			emu_host_reclaim(h, (uint32_t)(v[0] & 3));
	}
	ok(calls > 100000 && emu_host_stats(h)->calls == calls,
	   "300000 random calls: %lu answered, stats agree", calls);
	emu_host_free(h);
}

int main(void)
{
	static const uint8_t uuid[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
					  0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF };
	struct emu_config cfg;
	struct emu_host *h;

	plan(66);
	emu_config_default(&cfg);
	cfg.type = VMW_TYPE_ESX;
	cfg.memsize_mb = 4096;
	cfg.tsc_hz = 5000000000ull;
	memcpy(cfg.uuid, uuid, 16);
	h = emu_host_new(&cfg);
	test_decode();
	test_lb_commands(h);
	emu_host_free(h);
	test_channels();
	test_hb();
	test_options();
	test_tclo();
	test_chaos();
	return done_testing();
}
