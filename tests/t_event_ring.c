// SPDX-License-Identifier: MIT
/*
 * The control socket's event ring: events come back whole and in order
 * across many wraps, texts are kept to the cut with their full lengths,
 * a full ring drops and counts, a taken ring has room again.
 */
#include <string.h>

#include "event_ring.h"
#include "tap.h"

#define CUT 100

struct seen {
	uint64_t n, next_seq, bad;
	int gaps;		/* a full ring: a small event may fit where a big one did not */
	size_t len, dlen_ok;
};

static uint8_t text[5000];

/* Event i: a length that varies with i, texts from text[] at an offset of i. */
static struct emu_event make(uint64_t i)
{
	struct emu_event ev = { .type = EMU_EV_RPC, .owner = (uint32_t)i, .chan = 7,
				.proto = 1, .status = -3 };

	ev.len = (size_t)(i * 37 % 400);
	ev.data = text + i % 50;
	ev.len2 = (size_t)(i % 3);
	ev.data2 = i % 3 ? text + 1 : NULL;
	ev.key = i % 5 ? NULL : "some.key";
	return ev;
}

static void check(void *ctx, uint64_t seq, const struct emu_event *ev,
		  const struct timespec *when)
{
	struct seen *s = ctx;
	struct emu_event want = make(seq);
	size_t keep = want.len < CUT + 1 ? want.len : CUT + 1;

	if (seq < s->next_seq || (!s->gaps && seq != s->next_seq) || ev->owner != want.owner || ev->type != want.type ||
	    ev->chan != 7 || ev->proto != 1 || ev->status != -3 || ev->len != want.len ||
	    ev->len2 != want.len2 || !ev->data || memcmp(ev->data, want.data, keep) ||
	    !ev->data2 != !want.data2 || (want.data2 && memcmp(ev->data2, want.data2, want.len2)) ||
	    !ev->key != !want.key || (want.key && strcmp(ev->key, want.key)) || when->tv_sec <= 0)
		s->bad++;
	s->next_seq = seq + 1;
	s->n++;
}

int main(void)
{
	struct ev_ring *r = ev_ring_new(0, CUT);	/* the smallest: two big events */
	struct seen s = { 0 };
	uint64_t dropped = 0, put = 0, full = 0;

	plan(7);
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = (uint8_t)(i * 7 + 1);
	ok(r != NULL, "a ring");
	if (!r)
		return 1;
	/* Few at a time: the ring wraps again and again, never full. */
	for (uint64_t i = 0; i < 20000; i++) {
		struct emu_event ev = make(i);

		full += ev_ring_put(r, &ev) != 0;
		put++;
		if (i % 3 == 2)
			ev_ring_take(r, check, &s, &dropped);
	}
	ev_ring_take(r, check, &s, &dropped);
	ok(!full && !dropped, "20000 events taken three at a time: none dropped");
	ok(s.n == put && !s.bad, "each came back whole and in order (%llu of %llu, %llu wrong)",
	   (unsigned long long)s.n, (unsigned long long)put, (unsigned long long)s.bad);
	/* Nobody takes: the ring fills, the rest is dropped and counted. */
	for (uint64_t i = 0; i < 1000; i++) {
		struct emu_event ev = make(put++);

		full += ev_ring_put(r, &ev) != 0;
	}
	ok(full > 0 && full < 1000, "an untaken ring fills: %llu of 1000 dropped",
	   (unsigned long long)full);
	s.next_seq = ev_ring_seq(r) - 1000;
	s.n = 0;
	s.gaps = 1;
	ev_ring_take(r, check, &s, &dropped);
	ok(dropped == full && s.n == 1000 - full,
	   "the drops are counted (%llu) and the rest comes back (%llu)",
	   (unsigned long long)dropped, (unsigned long long)s.n);
	ok(!s.bad, "the ones kept came back whole");
	{
		struct emu_event ev = make(put);

		ok(ev_ring_put(r, &ev) == 0, "taken, the ring has room again");
	}
	ev_ring_free(r);
	return done_testing();
}
