// SPDX-License-Identifier: MIT
/*
 * Isolation between guest processes in the host core (issue 15, item 1):
 * cookies no guest can work out from its own, channels that answer only
 * the process that opened them; and the repeatable runs a seed and an
 * injected clock give (issue 10, item 9).
 */
#include <string.h>

#include "vmwcall/proto.h"
#include "host.h"
#include "predict.h"
#include "tap.h"

#define BASE 0x10000000ull
static uint8_t ram[8192];

static int ram_rw(uint64_t a, size_t n)
{
	return a >= BASE && a - BASE <= sizeof(ram) && n <= sizeof(ram) - (a - BASE) ? 0 : -1;
}

static int ram_read(void *ctx, uint64_t a, void *dst, size_t n)
{
	(void)ctx;
	if (ram_rw(a, n))
		return -1;
	memcpy(dst, ram + (a - BASE), n);
	return 0;
}

static int ram_write(void *ctx, uint64_t a, const void *src, size_t n)
{
	(void)ctx;
	if (ram_rw(a, n))
		return -1;
	memcpy(ram + (a - BASE), src, n);
	return 0;
}

static const struct emu_mem mem = { NULL, ram_read, ram_write };

struct chan {
	uint32_t id, hi, lo;
};

static struct emu_regs call(struct emu_host *h, uint32_t owner, uint32_t cmd, uint64_t bx,
			    uint64_t dx, uint64_t si, uint64_t di)
{
	struct emu_regs r = { VMW_MAGIC, bx, cmd, dx | VMW_PORT, si, di, 0 };

	if (emu_host_call(h, EMU_INSN_IN, &r, &mem, owner))
		r.ax = 0xDEAD;
	return r;
}

static int open_chan(struct emu_host *h, uint32_t owner, struct chan *c)
{
	struct emu_regs r = call(h, owner, VMW_CMD(VMW_CMD_MESSAGE, VMW_MSG_OPEN),
				 VMW_PROTO_RPCI | VMW_MSG_FLAG_COOKIE, 0, 0, 0);

	c->id = (uint32_t)(r.dx >> 16), c->hi = (uint32_t)r.si, c->lo = (uint32_t)r.di;
	return r.cx == (uint64_t)VMW_MSG_SUCCESS << 16 ? 0 : -1;
}

static struct emu_regs msg(struct emu_host *h, uint32_t owner, const struct chan *c,
			   uint32_t sub, uint64_t bx)
{
	return call(h, owner, VMW_CMD(VMW_CMD_MESSAGE, sub), bx, (uint64_t)c->id << 16, c->hi, c->lo);
}

/* Send req over LB; 0 if every step succeeded. */
static int send(struct emu_host *h, uint32_t owner, const struct chan *c, const char *req)
{
	size_t len = strlen(req);

	if (msg(h, owner, c, VMW_MSG_SENDSIZE, len).cx >> 16 == 0)
		return -1;
	for (size_t i = 0; i < len; i += 4) {
		uint32_t w = 0;

		memcpy(&w, req + i, len - i < 4 ? len - i : 4);
		if (msg(h, owner, c, VMW_MSG_SENDPAYLOAD, w).cx != 0x10000)
			return -1;
	}
	return 0;
}

/* Read the waiting reply over LB as owner; its length, or -1 if refused. */
static int recv(struct emu_host *h, uint32_t owner, const struct chan *c, char *rep, size_t cap)
{
	struct emu_regs r = msg(h, owner, c, VMW_MSG_RECVSIZE, 0);
	uint32_t n = (uint32_t)r.bx;

	if (r.cx != 0x00830000 || n > cap)
		return -1;
	for (uint32_t i = 0; i < n; i += 4) {
		r = msg(h, owner, c, VMW_MSG_RECVPAYLOAD, 1);
		if (r.cx != 0x10000)
			return -1;
		memcpy(rep + i, &r.bx, n - i < 4 ? n - i : 4);
	}
	return msg(h, owner, c, VMW_MSG_RECVSTATUS, 1).cx == 0x10000 ? (int)n : -1;
}

/* The attack of issue 15 item 1, run against the core. */
static void test_predict(void)
{
	struct emu_config cfg;
	struct emu_host *h;
	struct chan a, b, v;
	uint32_t seen[4], next[2];
	int rc;

	emu_config_default(&cfg);
	h = emu_host_new(&cfg);
	emu_info_set(h, "secret", "hunter2", 7);
	ok(open_chan(h, 1, &a) == 0 && open_chan(h, 1, &b) == 0, "attacker opens two channels");
	seen[0] = a.hi, seen[1] = a.lo, seen[2] = b.hi, seen[3] = b.lo;
	rc = predict_cookies(seen, next);
	ok(open_chan(h, 2, &v) == 0 && send(h, 2, &v, "info-get guestinfo.secret") == 0,
	   "victim opens a channel and asks for its secret");
	ok(rc != 0 || next[0] != v.hi || next[1] != v.lo,
	   "the victim's cookies do not follow from the attacker's (solver: %s)",
	   rc ? "no generator state fits" :
	   next[0] == v.hi && next[1] == v.lo ? "predicted them" : "wrong guess");
	emu_host_free(h);
}

/* Right id, right cookies, wrong process: refused, and the owner is unharmed. */
static void test_owner(void)
{
	struct emu_config cfg;
	struct emu_host *h;
	struct chan v;
	struct emu_regs r;
	char rep[64];
	int n;

	emu_config_default(&cfg);
	h = emu_host_new(&cfg);
	emu_info_set(h, "secret", "hunter2", 7);
	open_chan(h, 2, &v);
	send(h, 2, &v, "info-get guestinfo.secret");
	is_u64(msg(h, 1, &v, VMW_MSG_RECVSIZE, 0).cx, 0, "another owner's RECVSIZE: status 0");
	is_u64(msg(h, 1, &v, VMW_MSG_RECVPAYLOAD, 1).cx, 0, "another owner's RECVPAYLOAD: status 0");
	r = (struct emu_regs){ VMW_MAGIC, VMW_HB_CMD_MESSAGE | VMW_MSG_SUCCESS << 16, 9,
			       (uint64_t)v.id << 16 | VMW_PORT_HB, v.hi, BASE, v.lo };
	emu_host_call(h, EMU_INSN_REP_INSB, &r, &mem, 1);
	ok(r.bx >> 16 == 0 && memcmp(ram, "1 hunter2", 9), "another owner's HB in: status 0, no bytes");
	is_u64(msg(h, 1, &v, VMW_MSG_SENDSIZE, 4).cx, 0, "another owner's SENDSIZE: status 0");
	is_u64(msg(h, 1, &v, VMW_MSG_CLOSE, 0).cx, 0, "another owner's CLOSE: status 0");
	n = recv(h, 2, &v, rep, sizeof(rep));
	ok(n == 9 && !memcmp(rep, "1 hunter2", 9), "the owner still reads its reply intact");
	emu_host_reclaim(h, 1);
	ok(send(h, 2, &v, "log x") == 0, "reclaiming another owner leaves the channel open");
	emu_host_free(h);
}

static void cookies_of(uint64_t seed, struct chan c[3])
{
	struct emu_config cfg;
	struct emu_host *h;

	emu_config_default(&cfg);
	cfg.seed = seed;
	h = emu_host_new(&cfg);
	for (int i = 0; i < 3; i++)
		if (open_chan(h, 0, &c[i]))
			memset(&c[i], 0xFF, sizeof(c[i]));
	emu_host_free(h);
}

static void test_seed(void)
{
	struct chan a[3], b[3], c[3], d[3];

	cookies_of(42, a);
	cookies_of(42, b);
	cookies_of(43, c);
	ok(!memcmp(a, b, sizeof(a)) && a[0].hi != 0xFFFFFFFF, "seed 42 twice: the same cookies");
	ok(memcmp(a, c, sizeof(a)) != 0, "seed 43: other cookies");
	ok(a[0].hi != a[1].hi && a[1].lo != a[2].lo, "seeded cookies differ between channels");
	cookies_of(0, c);
	cookies_of(0, d);
	ok(memcmp(c, d, sizeof(c)) != 0 && memcmp(c, a, sizeof(c)) != 0,
	   "seed 0: every host draws new cookies");
}

/* The status of every step of a faulted conversation, as one fingerprint. */
static uint64_t fault_run(uint64_t seed)
{
	struct emu_config cfg;
	struct emu_host *h;
	struct chan c;
	uint64_t fp = 0;

	emu_config_default(&cfg);
	cfg.seed = seed;
	cfg.fault_seed = 7;
	cfg.fault_permille = 300;
	h = emu_host_new(&cfg);
	for (int i = 0; i < 200; i++) {
		uint64_t st;

		if (open_chan(h, 0, &c))
			continue;
		st = msg(h, 0, &c, VMW_MSG_SENDSIZE, 0).cx;
		fp = (fp ^ st ^ c.hi) * 0x100000001B3ull;
		msg(h, 0, &c, VMW_MSG_CLOSE, 0);
	}
	emu_host_free(h);
	return fp;
}

static int64_t fixed_clock(void *ctx)
{
	return *(int64_t *)ctx;
}

static void test_clock(void)
{
	struct emu_config cfg;
	struct emu_host *h;
	struct emu_regs r;
	int64_t t = 1234567890123456;

	ok(fault_run(5) == fault_run(5) && fault_run(5) != fault_run(6),
	   "faults and cookies repeat with the seed, and change with it");
	emu_config_default(&cfg);
	cfg.clock_us = fixed_clock;
	cfg.clock_ctx = &t;
	h = emu_host_new(&cfg);
	r = call(h, 0, VMW_CMD_GETTIME, 0, 0, 0, 0);
	ok(r.ax == 1234567890 && r.bx == 123456, "GETTIME reads the configured clock");
	t = (int64_t)0x123456789 * 1000000 + 7;
	r = call(h, 0, VMW_CMD_GETTIMEFULL, 0, 0, 0, 0);
	ok(r.si == 1 && r.dx == 0x23456789 && r.bx == 7, "GETTIMEFULL: 64-bit seconds from the clock");
	emu_host_free(h);
	cfg.time_offset_us = INT64_MAX;
	h = emu_host_new(&cfg);
	r = call(h, 0, VMW_CMD_GETTIMEFULL, 0, 0, 0, 0);
	ok((r.si << 32 | r.dx) == INT64_MAX / 1000000 && r.bx == INT64_MAX % 1000000,
	   "clock + offset past INT64_MAX saturates");
	emu_host_free(h);
}

int main(void)
{
	plan(18);
	test_predict();
	test_owner();
	test_seed();
	test_clock();
	return done_testing();
}
