// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the host's RPCI and TCLO text handling, message by
 * message, with the properties a guest relies on: every RPCI request gets
 * a "1 " or "0 " reply; a successful info-set reads back exactly with
 * info-get, up to the request's first NUL (the VMX reads C strings); no
 * reply is larger than the host's limit.  On two TCLO channels, each
 * answering whatever it likes: a channel gets queued commands only once
 * its handshake is over and only if it named itself "toolbox", and then in
 * the order they were queued; the guest's last answer is kept.  In the
 * namespace database (namespaces "NS" and "ns2"): a refused request changes
 * nothing, a one-operation set-keys that succeeds reads back exactly, and
 * every value a get returns ends in a NUL.
 * Input: a byte for the reply limit (and whether a machine id is set),
 * then records of (kind byte, 16-bit length, bytes).
 */
#include <stdlib.h>
#include <string.h>

#include "vmwcall/proto.h"
#include "internal.h"

static const uint8_t *take(const uint8_t **p, size_t *n, size_t want, size_t *got)
{
	const uint8_t *r = *p;

	*got = want < *n ? want : *n;
	*p += *got, *n -= *got;
	return r;
}

static void readback(struct emu_host *h, const uint8_t *msg, size_t len)
{
	static const char get[] = "info-get ";
	const uint8_t *sp = memchr(msg + 9, ' ', len - 9);
	size_t klen = (size_t)(sp - (msg + 9)), vlen = len - 9 - klen - 1;
	uint8_t *q = malloc(sizeof(get) - 1 + klen);
	struct emu_buf out = { 0 };

	if (!q)
		return;
	memcpy(q, get, sizeof(get) - 1);
	memcpy(q + sizeof(get) - 1, msg + 9, klen);
	if (emu_rpc_answer(h, q, (uint32_t)(sizeof(get) - 1 + klen), &out))
		__builtin_trap();
	/* A value may be too large for one reply; then "0 ", never a wrong "1 ". */
	if (out.len < 2 || (out.p[0] == '1' &&
			    (out.len - 2 != vlen || memcmp(out.p + 2, sp + 1, vlen))))
		__builtin_trap();
	free(out.p);
	free(q);
}

/* A digest of the whole namespace database. */
static uint64_t ns_digest(const struct emu_host *h)
{
	uint64_t d = 1469598103934665603ull;

	for (size_t i = 0; i < emu_ns_count(h); i++) {
		const char *ns = emu_ns_name(h, i), *k, *v;
		size_t len;

		for (size_t j = 0; (k = emu_ns_key_at(h, ns, j, &v, &len)); j++) {
			for (const char *c = k; *c; c++)
				d = (d ^ (uint8_t)*c) * 1099511628211ull;
			d = (d ^ 0x100) * 1099511628211ull;
			for (size_t x = 0; x < len; x++)
				d = (d ^ (uint8_t)v[x]) * 1099511628211ull;
			d = (d ^ 0x200) * 1099511628211ull;
		}
	}
	return d;
}

static const char *next_field(const char *p, const char *end)
{
	p += strlen(p) + 1;
	return p < end ? p : NULL;
}

/* A set-keys of one operation the host accepted: the key now holds its value. */
static void ns_readback(struct emu_host *h, const uint8_t *msg, size_t len)
{
	static const char cmd[] = "namespace-priv-set-keys ";
	char *b = malloc(len + 1);
	const char *end, *ns, *n, *op, *k, *v, *got;
	size_t glen;

	if (!b)
		return;
	end = b + len;
	memcpy(b, msg, len);
	b[len] = '\0';
	ns = b + sizeof(cmd) - 1;
	if ((n = next_field(ns, end)) && !strcmp(n, "1") && (op = next_field(n, end)) &&
	    (k = next_field(op, end)) && (v = next_field(k, end))) {
		got = emu_ns_get(h, ns, k, &glen);
		if (*v ? !got || glen != strlen(v) || memcmp(got, v, glen) : got != NULL)
			__builtin_trap();
	}
	free(b);
}

static void ns_check(struct emu_host *h, const uint8_t *msg, size_t len, const struct emu_buf *out,
		     uint64_t before)
{
	static const char set[] = "namespace-priv-set-keys ", get[] = "namespace-priv-get-values ";

	if (out->p[0] == '0' && ns_digest(h) != before)
		__builtin_trap();
	if (out->p[0] != '1')
		return;
	if (len > sizeof(get) - 1 && !memcmp(msg, get, sizeof(get) - 1) && out->p[out->len - 1])
		__builtin_trap();
	if (len > sizeof(set) - 1 && !memcmp(msg, set, sizeof(set) - 1))
		ns_readback(h, msg, len);
}

#define QLEN 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct emu_config cfg;
	struct emu_host *h;
	char *queued[QLEN];	/* what the host must hand out, in order */
	size_t pushed = 0, popped = 0;

	if (size < 1)
		return 0;
	emu_config_default(&cfg);
	cfg.max_out_size = 64 + data[0] * 16;
	cfg.machine_id = data[0] & 1 ? "56 4d 12 34" : NULL;
	h = emu_host_new(&cfg);
	if (!h || emu_ns_create(h, "NS") || emu_ns_create(h, "ns2")) {
		emu_host_free(h);
		return 0;
	}
	for (int i = 0; i < 2; i++)
		h->chan[i].open = 1, h->chan[i].proto = VMW_PROTO_TCLO;
	data++, size--;
	while (size >= 3) {
		uint8_t kind = data[0];
		size_t want = (size_t)data[1] | (size_t)data[2] << 8, len;
		const uint8_t *msg;
		struct emu_buf out = { 0 };
		int rc;

		data += 3, size -= 3;
		msg = take(&data, &size, want, &len);
		switch (kind % 3) {
		case 0: {
			uint64_t before = ns_digest(h);

			rc = emu_rpc_answer(h, msg, (uint32_t)len, &out);
			if (rc || out.len < 2 || out.len > cfg.max_out_size ||
			    (out.p[0] != '1' && out.p[0] != '0') || out.p[1] != ' ')
				__builtin_trap();
			ns_check(h, msg, len, &out, before);
			if (memchr(msg, '\0', len))
				len = (size_t)((const uint8_t *)memchr(msg, '\0', len) - msg);
			if (len > 9 && !memcmp(msg, "info-set ", 9) && out.p[0] == '1' &&
			    memchr(msg + 9, ' ', len - 9))
				readback(h, msg, len);
			break;
		}
		case 1: {
			struct emu_chan *c = &h->chan[kind >> 2 & 1];

			rc = emu_tclo_answer(h, c, msg, (uint32_t)len, &out);
			if (rc)
				__builtin_trap();
			/* Handshake commands are the host's own; queued ones only go here. */
			if (out.len && c->tc.wait_id) {
				char *want = popped < pushed ? queued[popped++ % QLEN] : NULL;

				if (!c->tc.ready || strcmp(c->tc.app, EMU_TOOLS_APP))
					__builtin_trap();
				if (!want || strlen(want) != out.len || memcmp(want, out.p, out.len))
					__builtin_trap();
				free(want);
			}
			if (len) {
				size_t n;
				const char *last = emu_tclo_last_reply(h, &n);

				if (!last || n != len || memcmp(last, msg, len))
					__builtin_trap();
			}
			break;
		}
		case 2: {
			char cmd[64];
			size_t n = len < sizeof(cmd) - 1 ? len : sizeof(cmd) - 1;

			memcpy(cmd, msg, n);
			cmd[n] = '\0';
			if (cmd[0] && !memchr(cmd, '\0', n) && pushed - popped < QLEN &&
			    !emu_tclo_push(h, cmd) && (queued[pushed % QLEN] = strdup(cmd)))
				pushed++;
			break;
		}
		}
		free(out.p);
	}
	while (popped < pushed)
		free(queued[popped++ % QLEN]);
	emu_host_free(h);
	return 0;
}
