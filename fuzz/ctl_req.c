// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the control protocol.  Each input line is a request to
 * one host.  Every reply must be one JSON object line with "ok"; a refused
 * request must leave the guestinfo store as it was; an accepted info.set
 * must read back.  Each line also goes through the encoder: any bytes,
 * written as a member, must parse back to the same bytes.  A line starting
 * with a tab is a guest's RPCI request instead (the rest of it, "\\n" for a
 * newline), so that the "guest" reply shows what guests can send.
 */
#include <stdlib.h>
#include <string.h>

#include "ctl_req.h"
#include "guestview.h"
#include "json.h"

/* A guest's request: "\\n" stands for a newline, which a line cannot hold. */
static void guest_rpci(struct emu_host *h, const uint8_t *p, size_t n)
{
	uint8_t *msg = malloc(n ? n : 1), *reply;
	size_t len = 0, rlen;

	if (!msg)
		return;
	for (size_t i = 0; i < n; i++)
		msg[len++] = i + 1 < n && p[i] == '\\' && p[i + 1] == 'n' ? (i++, '\n') : p[i];
	if (emu_host_rpci(h, msg, len, 0, 1, 0, &reply, &rlen) == 0)
		free(reply);
	free(msg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int hash_one(void *ctx, const char *key, const char *val, size_t len)
{
	uint64_t *h = ctx;

	for (const char *p = key; *p; p++)
		*h = (*h ^ (uint8_t)*p) * 0x100000001B3ull;
	*h = (*h ^ 0xFF) * 0x100000001B3ull;
	for (size_t i = 0; i < len; i++)
		*h = (*h ^ (uint8_t)val[i]) * 0x100000001B3ull;
	*h = (*h ^ len) * 0x100000001B3ull;
	return 0;
}

static uint64_t store_hash(struct emu_host *h)
{
	uint64_t x = 0xCBF29CE484222325ull;

	emu_info_each(h, hash_one, &x);
	return x;
}

/* The reply: one line, one object, "ok" a boolean; returns ok. */
static int check_reply(const struct sbuf *out)
{
	struct json_obj o;
	const struct json_member *ok;
	const char *err;
	char *scratch;
	int r;

	if (out->err || !out->len || out->p[out->len - 1] != '\n' ||
	    memchr(out->p, '\n', out->len - 1))
		__builtin_trap();
	scratch = malloc(JSON_SCRATCH(out->len));
	if (!scratch)
		return 0;
	if (json_parse(out->p, out->len - 1, scratch, &o, &err))
		__builtin_trap();
	ok = json_get(&o, "ok");
	if (!ok || ok->type != JSON_BOOL)
		__builtin_trap();
	r = ok->b;
	free(scratch);
	return r;
}

static void roundtrip(const uint8_t *p, size_t n)
{
	struct sbuf b;
	struct json_obj o;
	const struct json_member *m;
	const char *err;
	char *scratch;

	sb_init(&b, SIZE_MAX);
	sb_puts(&b, "{");
	sb_json_bytes(&b, 0, "v", p, n, SIZE_MAX);
	sb_puts(&b, "}");
	scratch = malloc(JSON_SCRATCH(b.len));
	if (!b.err && scratch) {
		if (json_parse(b.p, b.len, scratch, &o, &err))
			__builtin_trap();
		if ((m = json_get(&o, "v"))) {
			if (m->len != n || memcmp(m->s, p, n))
				__builtin_trap();
		} else {
			uint8_t *d = malloc(n + 3);

			m = json_get(&o, "v_base64");
			if (!m || !d || base64_decode(m->s, m->len, d) != (long)n || memcmp(d, p, n))
				__builtin_trap();
			free(d);
		}
	}
	free(scratch);
	sb_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct emu_config cfg;
	struct emu_host *h;
	const uint8_t *p = data, *end = data + size;
	struct guestview gv;

	emu_config_default(&cfg);
	cfg.max_out_size = 1 << 16;
	h = emu_host_new(&cfg);
	if (!h)
		return 0;
	emu_info_set(h, "seed", "v", 1);
	gv_init(&gv);
	while (p < end) {
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		uint64_t before = store_hash(h);
		struct ctl_wait w;
		struct sbuf out;
		enum ctl_kind k;

		if (n && p[0] == '\t') {
			guest_rpci(h, p + 1, n - 1);
			p += n + 1;
			continue;
		}
		roundtrip(p, n);
		sb_init(&out, SIZE_MAX);
		k = ctl_handle(h, &gv, (const char *)p, n, &out, &w);
		if (k == CTL_WAIT) {
			if (out.len)
				__builtin_trap();
			if (!ctl_wait_check(h, &w, &out, 1, 0))
				__builtin_trap();
			ctl_wait_free(&w);
		}
		if (!check_reply(&out) && store_hash(h) != before)
			__builtin_trap();
		sb_free(&out);
		p += n + 1;
	}
	gv_free(&gv);
	emu_host_free(h);
	return 0;
}
