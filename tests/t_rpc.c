// SPDX-License-Identifier: MIT
/*
 * The GuestRPC client against the in-process host: round trips of every
 * awkward length with and without HB, checkpoints, cookie-less hosts,
 * limits both ways, a full channel table, threads, hostile replies, and
 * the number of hypercalls each message costs.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "vmwcall/detect.h"
#include "vmwcall/hypercall.h"
#include "vmwcall/rpc.h"
#include "host.h"
#include "tap.h"
#include "trap.h"
#include "inproc.h"
#include "sigtls.h"
#include "trapping.h"

#define KEY "k"
/* "info-set guestinfo.k " + value fills the 64 KiB guest-to-host limit. */
#define MAX_VAL (VMW_MSG_MAX_IN_SIZE - sizeof("info-set guestinfo." KEY " ") + 1)

static uint64_t calls(void)
{
	return emu_host_stats(host)->calls;
}

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
	/* Every byte value but NUL (the VMX reads a request as a C string). */
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)((i * 7 + seed) % 255 + 1);
}

static int round_trip(struct vmw_chan *c, size_t n, unsigned int seed)
{
	static unsigned char want[VMW_MSG_MAX_IN_SIZE];
	const char *stored;
	char *got = NULL;
	size_t len = 0, slen = 0;
	int rc;

	fill(want, n, seed);
	if ((rc = vmw_info_set(c, KEY, want, n)))
		return fprintf(stderr, "#   set %zu: %s\n", n, vmw_strerror(rc)), 0;
	stored = emu_info_get(host, KEY, &slen);
	if (!stored || slen != n || memcmp(stored, want, n))
		return fprintf(stderr, "#   host stored %zu of %zu bytes\n", slen, n), 0;
	if ((rc = vmw_info_get(c, "guestinfo." KEY, &got, &len)))
		return fprintf(stderr, "#   get %zu: %s\n", n, vmw_strerror(rc)), 0;
	rc = len == n && !memcmp(got, want, n) && got[n] == '\0';
	free(got);
	return rc;
}

static void lengths(const char *what, int no_hb, int no_cookies, uint32_t cpt)
{
	static const size_t ns[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 4095, 4096, 4097, MAX_VAL };
	struct emu_config cfg;
	struct vmw_chan *c;
	int bad = 0, open;

	emu_config_default(&cfg);
	cfg.no_hb = no_hb;
	cfg.no_cookies = no_cookies;
	cfg.checkpoint_every = cpt;
	use(&cfg);
	/* Every line even when the channel does not open: the plan is fixed. */
	open = ok(vmw_chan_open(&c, VMW_PROTO_RPCI) == 0, "%s: channel opens", what);
	for (size_t i = 0; open && i < sizeof(ns) / sizeof(*ns); i++)
		if (!round_trip(c, ns[i], (unsigned int)i)) {
			fprintf(stderr, "#   %s: length %zu failed\n", what, ns[i]);
			bad++;
		}
	ok(open && bad == 0, "%s: info set/get round trips, 0..9, 4095..4097, %zu bytes", what,
	   (size_t)MAX_VAL);
	ok(round_trip(NULL, 4097, 1), "%s: one-shot channel round trip", what);
	if (cpt)
		ok(emu_host_stats(host)->checkpoints > 0, "%s: %llu checkpoints met", what,
		   (unsigned long long)emu_host_stats(host)->checkpoints);
	ok(open && vmw_chan_close(c) == 0, "%s: channel closes", what);
}

static void big(int no_hb)
{
	struct emu_config cfg;
	unsigned char *v = malloc(1 << 20);
	char *got = NULL;
	size_t len = 0;

	emu_config_default(&cfg);
	cfg.no_hb = no_hb;
	use(&cfg);
	fill(v, 1 << 20, 3);
	emu_info_set(host, "big", v, 1 << 20);
	ok(vmw_info_get(NULL, "big", &got, &len) == 0 && len == 1 << 20 && !memcmp(got, v, len),
	   "%s: 1 MiB preloaded value read back", no_hb ? "LB" : "HB");
	free(got);
	free(v);
}

/* Expected calls for one info-get of an n-byte value on a kept channel. */
static uint64_t cost(size_t n, int hb)
{
	size_t req = sizeof("info-get guestinfo.") - 1 + 3, rep = n + 2;

	if (hb)	/* SENDSIZE, HB out; RECVSIZE, HB in, RECVSTATUS */
		return 5;
	return 1 + (req + 3) / 4 + 1 + (rep + 3) / 4 + 1;
}

static void count(int no_hb)
{
	static const size_t ns[] = { 16, 64 << 10, 1 << 20 };
	/* LB at 1 MiB is a quarter million calls: big() reads that already. */
	size_t nn = no_hb ? 2 : 3;
	struct emu_config cfg;
	struct vmw_chan *c;
	char *got;
	size_t len;
	void *v;

	emu_config_default(&cfg);
	cfg.no_hb = no_hb;
	use(&cfg);
	vmw_chan_open(&c, VMW_PROTO_RPCI);
	for (size_t i = 0; i < nn; i++) {
		uint64_t before, n;

		v = calloc(1, ns[i]);
		emu_info_set(host, "n00", v, ns[i]);
		free(v);
		before = calls();
		vmw_info_get(c, "n00", &got, &len);
		n = calls() - before;
		free(got);
		ok(n == cost(ns[i], !no_hb) && len == ns[i],
		   "%s: info-get of %zu B on a kept channel: %llu hypercalls (minimum %llu)",
		   no_hb ? "LB" : "HB", ns[i], (unsigned long long)n,
		   (unsigned long long)cost(ns[i], !no_hb));
		printf("# hypercalls per info-get, %s, %zu B: %llu kept channel\n",
		       no_hb ? "LB" : "HB", ns[i], (unsigned long long)n);
		if (!no_hb) {
			before = calls();
			vmw_info_get(NULL, "n00", &got, &len);
			n = calls() - before;
			free(got);
			ok(n == 7, "HB: one-shot info-get of %zu B: %llu (+ OPEN, CLOSE)", ns[i],
			   (unsigned long long)n);
		}
	}
	vmw_chan_close(c);
}

/* Hostile host: the hook rewrites one step's answer. */
static struct {
	uint32_t sub;		/* MESSAGE sub-command to rewrite (HB: 100 + out) */
	int what;
	int seen_refusal;	/* RECVPAYLOAD/RECVSTATUS with ebx = 0 after it */
	int steps;
} evil;

enum { NONE, SIZE_HUGE, SIZE_TYPE, PAYLOAD_TYPE, CPT_ALWAYS, NO_PREFIX };

static void hostile(void *ctx, const struct emu_cpu *b, struct emu_cpu *a)
{
	uint32_t sub = (uint32_t)(b->cx >> 16) & 0xFFFF;

	(void)ctx;
	if ((b->dx & 0xFFFF) != VMW_PORT || (b->cx & 0xFFFF) != VMW_CMD_MESSAGE)
		return;
	evil.steps++;
	if ((sub == VMW_MSG_RECVPAYLOAD || sub == VMW_MSG_RECVSTATUS) && (uint32_t)b->bx == 0)
		evil.seen_refusal++;
	if (sub != evil.sub)
		return;
	switch (evil.what) {
	case SIZE_HUGE:
		a->bx = 0xFFFFFFFF;
		break;
	case SIZE_TYPE:
		a->dx = (a->dx & 0xFFFF) | 7 << 16;
		break;
	case PAYLOAD_TYPE:
		a->dx = (a->dx & 0xFFFF) | 9 << 16;
		break;
	case CPT_ALWAYS:
		a->cx = (uint64_t)VMW_MSG_CPT << 16;
		break;
	case NO_PREFIX:
		a->bx = (a->bx & ~0xFFFFull) | '?';	/* "1 " becomes "? " */
		break;
	}
}

static void limits(void)
{
	struct emu_config cfg;
	struct vmw_chan *c, *ch[5];
	static unsigned char v[VMW_MSG_MAX_IN_SIZE + 1];
	const struct emu_stats *st;
	uint64_t before, hb_in, out;
	char *got;
	size_t len;
	int rc;

	emu_config_default(&cfg);
	cfg.max_channels = 4;
	use(&cfg);
	st = emu_host_stats(host);

	before = calls();
	ok(vmw_info_set(NULL, KEY, v, MAX_VAL + 1) == VMW_ETOOBIG && calls() == before,
	   "value one byte over the 64 KiB message refused before any hypercall");
	ok(vmw_info_set(NULL, "a b", "x", 1) == VMW_EINVAL && vmw_info_set(NULL, "", "", 0) ==
	   VMW_EINVAL && vmw_info_get(NULL, "guestinfo.", &got, &len) == VMW_EINVAL,
	   "keys with a space, or empty, refused");

	vmw_chan_open(&c, VMW_PROTO_RPCI);
	vmw_chan_set_max_reply(c, 4096);
	emu_info_set(host, "huge", v, 8192);
	hb_in = st->hb_in;
	out = st->bytes_out;
	evil = (typeof(evil)){ 0 };
	emu_trap_set_hook(hostile, NULL);
	rc = vmw_info_get(c, "huge", &got, &len);
	ok(rc == VMW_ETOOBIG && !got, "reply over the caller's 4 KiB limit: VMW_ETOOBIG");
	ok(st->hb_in == hb_in && st->bytes_out == out && evil.seen_refusal == 1,
	   "... refused at RECVSIZE: nothing transferred, RECVPAYLOAD(0) sent");
	/* The call comes first: ok()'s arguments are evaluated in any order. */
	rc = vmw_info_get(c, "nope", &got, &len);
	ok(rc == VMW_EHOST && got && !strcmp(got, "No value found"),
	   "channel still in step: next call answers \"%s\"", got ? got : "NULL");
	free(got);

	evil = (typeof(evil)){ .sub = VMW_MSG_RECVSIZE, .what = SIZE_HUGE };
	ok(vmw_info_get(c, "nope", &got, &len) == VMW_ETOOBIG && evil.seen_refusal == 1,
	   "host announcing a 4 GiB reply: VMW_ETOOBIG, refused");
	evil = (typeof(evil)){ .sub = VMW_MSG_RECVSIZE, .what = SIZE_TYPE };
	ok(vmw_info_get(c, "nope", &got, &len) == VMW_EPROTO, "RECVSIZE edx.hi != 1: VMW_EPROTO");
	cfg.no_hb = 1;
	emu_trap_set_hook(NULL, NULL);
	vmw_chan_close(c);
	use(&cfg);
	emu_trap_set_hook(hostile, NULL);
	vmw_chan_open(&c, VMW_PROTO_RPCI);
	evil = (typeof(evil)){ .sub = VMW_MSG_RECVPAYLOAD, .what = PAYLOAD_TYPE };
	ok(vmw_info_get(c, "nope", &got, &len) == VMW_EPROTO && evil.seen_refusal == 1,
	   "LB: RECVPAYLOAD edx.hi != 2: VMW_EPROTO, reply refused");
	evil = (typeof(evil)){ .sub = VMW_MSG_RECVPAYLOAD, .what = NO_PREFIX };
	ok(vmw_info_get(c, "nope", &got, &len) == VMW_EPROTO && !got,
	   "reply without \"1 \"/\"0 \": VMW_EPROTO");
	evil = (typeof(evil)){ .sub = VMW_MSG_SENDSIZE, .what = CPT_ALWAYS };
	ok(vmw_info_get(c, "nope", &got, &len) == VMW_ECHECKPOINT &&
	   evil.steps == VMW_RPC_MAX_RETRIES, "endless checkpoints: VMW_ECHECKPOINT after %d tries",
	   evil.steps);
	evil = (typeof(evil)){ 0 };
	ok(vmw_info_get(c, "nope", &got, &len) == VMW_EHOST, "and the channel recovers");
	free(got);
	emu_trap_set_hook(NULL, NULL);
	vmw_chan_close(c);

	for (int i = 0; i < 4; i++)
		vmw_chan_open(&ch[i], VMW_PROTO_RPCI);
	ok(vmw_chan_open(&ch[4], VMW_PROTO_RPCI) == VMW_ECHANNEL && !ch[4],
	   "channel table full: VMW_ECHANNEL");
	ok(vmw_rpci_call(NULL, "log x", 5, &got, &len) == VMW_ECHANNEL && !got,
	   "one-shot call with the table full: VMW_ECHANNEL");
	vmw_chan_close(ch[0]);
	ok(vmw_chan_open(&ch[4], VMW_PROTO_RPCI) == 0, "a closed channel frees its slot");
	for (int i = 1; i < 5; i++)
		vmw_chan_close(ch[i]);
}

static void misc(void)
{
	struct emu_config cfg;
	struct vmw_chan *c;
	const char *cmd = NULL;
	int rc;
	size_t n;
	char *got;
	size_t len;
	const char *last;

	emu_config_default(&cfg);
	use(&cfg);
	ok(vmw_log(NULL, "hello from t_rpc") == 0, "log");
	rc = vmw_rpci_call(NULL, "no.such.command", 15, &got, &len);
	ok(rc == VMW_EHOST && got && !strcmp(got, "Unknown command"), "unknown RPCI: VMW_EHOST \"%s\"",
	   got ? got : "NULL");
	free(got);
	got = NULL;
	ok(vmw_rpci_call(NULL, "", 0, NULL, NULL) == VMW_EHOST, "empty RPCI message");
	ok(vmw_info_set(NULL, "guestinfo.p", "with", 4) == 0 &&
	   vmw_info_get(NULL, "p", &got, &len) == 0 && !strcmp(got, "with"),
	   "key with and without the guestinfo. prefix");
	free(got);

	ok(vmw_chan_open(&c, VMW_PROTO_TCLO) == 0, "TCLO channel");
	/* The poll comes first: ok()'s arguments are evaluated in any order. */
	rc = vmw_tclo_poll(c, "", 0, &cmd, &n);
	ok(rc == 0 && n == 5 && !strcmp(cmd, "reset"), "TCLO: a new channel gets the handshake's \"%s\"",
	   rc ? "" : cmd);
	rc = vmw_tclo_poll(c, "OK ATR toolbox", 14, &cmd, &n);
	ok(rc == 0 && n == 4 && !strcmp(cmd, "ping"), "TCLO: reply sent, then \"%s\"", rc ? "" : cmd);
	last = emu_tclo_last_reply(host, &len);
	ok(last && len == 14 && !memcmp(last, "OK ATR toolbox", 14), "host got \"%s\"", last);
	vmw_chan_close(c);
	ok(vmw_chan_open(&c, 0x12345678) == VMW_EINVAL, "unknown protocol refused");

	{
		int bad = 0;

		/* One line whatever happens: a failure must show as "not ok", not as a missing test. */
		for (int e = 0; e >= VMW_ETIMEDOUT; e--)
			bad += !vmw_strerror(e) || !strcmp(vmw_strerror(e), vmw_strerror(e - 1));
		ok(!bad, "vmw_strerror names every code");
	}
}

#define THREADS 8
#define RPCS 200

static void *worker(void *arg)
{
	long id = (long)arg, errors = 0;
	struct vmw_chan *c;
	char key[16], val[32], *got;
	size_t len;

	if (vmw_chan_open(&c, VMW_PROTO_RPCI))
		return (void *)(long)RPCS;
	snprintf(key, sizeof(key), "t%ld", id);
	for (int i = 0; i < RPCS / 2; i++) {
		int n = snprintf(val, sizeof(val), "%ld:%d", id, i);

		if (vmw_info_set(c, key, val, (size_t)n))
			errors++;
		if (vmw_info_get(c, key, &got, &len) || len != (size_t)n || memcmp(got, val, len))
			errors++;
		free(got);
	}
	if (vmw_chan_close(c))
		errors++;
	return (void *)errors;
}

static void threads(void)
{
	struct emu_config cfg;
	pthread_t t[THREADS];
	long errors = 0;
	void *r;

	if (sigtls_broken()) {
		for (int i = 0; i < 2; i++)
			printf("ok %d # SKIP signal handlers return with another thread's TLS here"
			       " (qemu-i386: doc/qemu-user.md)\n", ++tap_n);
		return;
	}
	emu_config_default(&cfg);
	use(&cfg);
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], &r);
		errors += (long)r;
	}
	ok(errors == 0, "%d threads x %d RPCs on their own kept channels: %ld errors",
	   THREADS, RPCS, errors);
	ok(emu_host_stats(host)->rpcs == THREADS * RPCS, "host answered %llu RPCs",
	   (unsigned long long)emu_host_stats(host)->rpcs);
}

int main(void)
{
	char what[64];

	need_trapping();
	/*
	 * lengths: 4 lines each, 5 with checkpoints (19 runs, 14 of them);
	 * big 2, count 6 + 2, limits 14, misc 10, threads 2 (skipped or not).
	 */
	plan(19 * 4 + 14 + 2 + 8 + 14 + 10 + 2);
	vmware_hypercall_set_mode(VMW_TRANSPORT_IO);
	lengths("HB", 0, 0, 0);
	lengths("LB only", 1, 0, 0);
	lengths("no cookies", 0, 1, 0);
	for (uint32_t n = 1; n <= 7; n++) {
		snprintf(what, sizeof(what), "HB, checkpoint every %u", n);
		lengths(what, 0, 0, n);
		snprintf(what, sizeof(what), "LB, checkpoint every %u", n);
		lengths(what, 1, 0, n);
	}
	vmware_hypercall_set_mode(VMW_TRANSPORT_VMCALL);
	lengths("vmcall, HB", 0, 0, 0);
	lengths("vmcall, LB only", 1, 0, 0);
	vmware_hypercall_set_mode(VMW_TRANSPORT_IO);
	big(0);
	big(1);
	count(0);
	count(1);
	limits();
	misc();
	threads();
	emu_trap_remove();
	emu_host_free(host);
	return done_testing();
}
