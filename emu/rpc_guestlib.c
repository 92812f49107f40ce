// SPDX-License-Identifier: MIT
/* The guestlib RPCI commands: the host's state in, guestlib.c's replies out. */
#include <errno.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>

#include "internal.h"

static int64_t clock_us(const struct emu_host *h)
{
	struct timespec ts;

	if (h->cfg.clock_us)
		return h->cfg.clock_us(h->cfg.clock_ctx);
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void emu_guestlib_start(struct emu_host *h)
{
	uint64_t x = h->cfg.guestlib.session;
	ssize_t n;

	h->gl_t0_us = clock_us(h);
	if (!x && h->cfg.seed) {
		/* splitmix64 of the seed: a seeded run repeats its session id. */
		x = h->cfg.seed ^ 0x67756573746C6962ull;	/* "guestlib" */
		x = (x ^ x >> 30) * 0xBF58476D1CE4E5B9ull;
		x = (x ^ x >> 27) * 0x94D049BB133111EBull;
		x ^= x >> 31;
	} else if (!x) {
		do
			n = getrandom(&x, sizeof(x), GRND_NONBLOCK);
		while (n < 0 && errno == EINTR);
		if (n != (ssize_t)sizeof(x))
			x = (uint64_t)h->gl_t0_us * 0x9E3779B97F4A7C15ull;
	}
	h->gl_session = x ? x : 1;
}

static void env(const struct emu_host *h, struct emu_gl_env *e)
{
	int64_t dt = clock_us(h) - h->gl_t0_us;

	e->session = h->gl_session;
	e->mhz = h->cfg.mhz;
	e->memsize_mb = h->cfg.memsize_mb;
	e->buildnum = h->cfg.buildnum;
	e->elapsed_ms = dt > 0 ? (uint64_t)dt / 1000 : 0;
	e->uuid = h->cfg.uuid;
}

/* guestlib sends its requests with or without the C string's NUL. */
static size_t text_len(const uint8_t *arg, size_t len)
{
	const uint8_t *nul = memchr(arg, '\0', len);

	return nul ? (size_t)(nul - arg) : len;
}

int emu_rpc_guestlib_info(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out)
{
	struct emu_gl_env e;

	env(h, &e);
	return emu_guestlib_info(&h->cfg.guestlib, &e, arg, text_len(arg, len), out);
}

int emu_rpc_guestlib_stat(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out)
{
	struct emu_gl_env e;

	env(h, &e);
	return emu_guestlib_stat(&h->cfg.guestlib, &e, arg, text_len(arg, len), out);
}
