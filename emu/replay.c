// SPDX-License-Identifier: MIT
/* --replay: answer RPCI from a transcript, and say where the guest departs from it. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "replay.h"

#define SHOW_MAX 240	/* bytes of a text shown in a report */

struct rp_entry {
	uint8_t *req, *reply;	/* one allocation: req, then reply */
	size_t len, rlen;
	size_t line;
};

struct emu_replay {
	struct rp_entry *e;
	size_t n, cap;
	size_t next;		/* the request expected next */
	size_t after;		/* requests answered after the divergence */
	int diverged;
	FILE *report;
};

size_t emu_replay_len(const struct emu_replay *r)
{
	return r->n;
}

const uint8_t *emu_replay_request(const struct emu_replay *r, size_t i, size_t *len)
{
	*len = r->e[i].len;
	return r->e[i].req;
}

void emu_replay_free(struct emu_replay *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		free(r->e[i].req);
	free(r->e);
	free(r);
}

static __attribute__((format(printf, 4, 5))) int bad(char *err, size_t errlen, size_t line,
						      const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "line %zu: ", line);

	if (n >= 0 && (size_t)n < errlen) {
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/*
 * Member name or name_base64 of o, decoded into out (which holds the
 * line's length): 1 and its length, 0 if absent, -1 if malformed.
 */
static int text(const struct json_obj *o, const char *name, uint8_t *out, size_t *len)
{
	char b64[32];
	const struct json_member *m = json_get(o, name), *b;
	long n;

	snprintf(b64, sizeof(b64), "%s_base64", name);
	b = json_get(o, b64);
	if (m && b)
		return -1;
	if (m) {
		if (m->type != JSON_STR)
			return -1;
		memcpy(out, m->s, m->len);
		*len = m->len;
		return 1;
	}
	if (!b)
		return 0;
	if (b->type != JSON_STR || (n = base64_decode(b->s, b->len, out)) < 0)
		return -1;
	*len = (size_t)n;
	return 1;
}

/* One line: 0 (added, or not an rpc event), -1 with err set. */
static int line_one(struct emu_replay *r, const char *p, size_t n, size_t line, char *scratch,
		    uint8_t *req, uint8_t *rep, char *err, size_t errlen)
{
	const struct json_member *ev;
	struct json_obj o;
	const char *why;
	size_t len = 0, rlen = 0;
	struct rp_entry *e;
	int has_req, has_rep;

	if (json_parse(p, n, scratch, &o, &why))
		return bad(err, errlen, line, "%s", why);
	ev = json_get(&o, "event");
	if (!ev || ev->type != JSON_STR)
		return bad(err, errlen, line, "no \"event\" string");
	if (strcmp(ev->s, "rpc"))
		return 0;
	if (json_get(&o, "request_len") || json_get(&o, "reply_len"))
		return bad(err, errlen, line, "a text was cut (a control client's events; "
			   "replay --rpc-log or vmwcall --record transcripts)");
	if ((has_req = text(&o, "request", req, &len)) <= 0)
		return bad(err, errlen, line, "%s", has_req ? "malformed request" : "no request");
	if ((has_rep = text(&o, "reply", rep, &rlen)) < 0)
		return bad(err, errlen, line, "malformed reply");
	if (!has_rep) {
		/* A call vmwcall saw fail: what the host did with it is unknown. */
		if (json_get(&o, "error"))
			return 0;
		return bad(err, errlen, line, "no reply and no error");
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		struct rp_entry *ne = realloc(r->e, cap * sizeof(*ne));

		if (!ne)
			return bad(err, errlen, line, "%s", strerror(ENOMEM));
		r->e = ne;
		r->cap = cap;
	}
	e = &r->e[r->n];
	if (!(e->req = malloc(len + rlen + 1)))
		return bad(err, errlen, line, "%s", strerror(ENOMEM));
	memcpy(e->req, req, len);
	e->reply = e->req + len;
	memcpy(e->reply, rep, rlen);
	e->len = len;
	e->rlen = rlen;
	e->line = line;
	r->n++;
	return 0;
}

struct emu_replay *emu_replay_parse(const char *buf, size_t n, char *err, size_t errlen)
{
	struct emu_replay *r = calloc(1, sizeof(*r));
	const char *p = buf, *end = buf + n;
	size_t line = 0, big = 0;
	char *scratch = NULL;
	uint8_t *req = NULL, *rep = NULL;
	int rc = 0;

	if (!r) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return NULL;
	}
	r->report = stderr;
	if (n > EMU_REPLAY_MAX_FILE) {
		snprintf(err, errlen, "larger than %u bytes", EMU_REPLAY_MAX_FILE);
		rc = -1;
	}
	/* Lines up to the biggest yet share three buffers, grown as needed. */
	while (!rc && p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (++line > EMU_REPLAY_MAX_LINES) {
			rc = bad(err, errlen, line, "more than %u lines", EMU_REPLAY_MAX_LINES);
			break;
		}
		if (len > EMU_REPLAY_MAX_LINE) {
			rc = bad(err, errlen, line, "longer than %u bytes", EMU_REPLAY_MAX_LINE);
			break;
		}
		if (len >= big) {
			big = len + 1;
			free(scratch), free(req), free(rep);
			scratch = malloc(JSON_SCRATCH(big));
			req = malloc(big), rep = malloc(big);
			if (!scratch || !req || !rep) {
				rc = bad(err, errlen, line, "%s", strerror(ENOMEM));
				break;
			}
		}
		rc = line_one(r, p, len, line, scratch, req, rep, err, errlen);
		p += len + (nl != NULL);
	}
	free(scratch), free(req), free(rep);
	if (rc) {
		emu_replay_free(r);
		return NULL;
	}
	return r;
}

struct emu_replay *emu_replay_load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0, got, cap = EMU_REPLAY_MAX_FILE + 1;
	struct emu_replay *r = NULL;
	char *buf = NULL, *nb;
	size_t sz = 0;

	if (!f) {
		snprintf(err, errlen, "%s", strerror(errno));
		return NULL;
	}
	do {
		if (n == sz) {
			sz = sz ? 2 * sz : 65536;
			if (sz > cap)
				sz = cap;
			if (!(nb = realloc(buf, sz))) {
				snprintf(err, errlen, "%s", strerror(ENOMEM));
				goto out;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, sz - n, f);
		n += got;
	} while (got && n < cap);
	if (ferror(f))
		snprintf(err, errlen, "read error");
	else if (n >= cap)
		snprintf(err, errlen, "larger than %u bytes", EMU_REPLAY_MAX_FILE);
	else
		r = emu_replay_parse(buf, n, err, errlen);
out:
	fclose(f);
	free(buf);
	return r;
}

void emu_replay_attach(struct emu_replay *r, struct emu_config *cfg, FILE *report)
{
	r->report = report;
	cfg->rpci_answer = emu_replay_answer;
	cfg->rpci_answer_ctx = r;
}

/* "text" with C escapes, cut past SHOW_MAX bytes with the full length. */
static void show(FILE *f, const char *label, const uint8_t *s, size_t n)
{
	fprintf(f, "vmwcall-emu:   %-9s \"", label);
	for (size_t i = 0; i < n && i < SHOW_MAX; i++) {
		uint8_t c = s[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20 || c > 0x7E)
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
	fprintf(f, n > SHOW_MAX ? "\"... (%zu bytes)\n" : "\"\n", n);
}

static int answer(uint8_t **reply, size_t *rlen, const void *p, size_t n)
{
	if (!(*reply = malloc(n ? n : 1)))
		return -1;
	memcpy(*reply, p, n);
	*rlen = n;
	return 0;
}

int emu_replay_answer(void *ctx, const uint8_t *msg, size_t len, uint8_t **reply, size_t *rlen)
{
	struct emu_replay *r = ctx;
	const struct rp_entry *e = r->next < r->n ? &r->e[r->next] : NULL;

	if (!r->diverged && e && e->len == len && !memcmp(e->req, msg, len)) {
		r->next++;
		return answer(reply, rlen, e->reply, e->rlen);
	}
	if (!r->diverged) {
		r->diverged = 1;
		if (e) {
			fprintf(r->report, "vmwcall-emu: replay diverged at request %zu of %zu "
				"(transcript line %zu):\n", r->next + 1, r->n, e->line);
			show(r->report, "expected:", e->req, e->len);
		} else {
			fprintf(r->report, "vmwcall-emu: replay diverged: request %zu is past the "
				"transcript's %zu:\n", r->next + 1, r->n);
		}
		show(r->report, "got:", msg, len);
		fflush(r->report);
	} else {
		r->after++;
	}
	return answer(reply, rlen, EMU_REPLAY_DIVERGED, sizeof(EMU_REPLAY_DIVERGED) - 1);
}

int emu_replay_finish(struct emu_replay *r)
{
	if (r->diverged) {
		if (r->after)
			fprintf(r->report, "vmwcall-emu: replay: %zu later requests answered \"%s\"\n",
				r->after, EMU_REPLAY_DIVERGED);
		return 1;
	}
	if (r->next == r->n)
		return 0;
	fprintf(r->report, "vmwcall-emu: replay diverged: the guests sent %zu of the transcript's "
		"%zu requests; missing from request %zu (transcript line %zu):\n", r->next, r->n,
		r->next + 1, r->e[r->next].line);
	show(r->report, "expected:", r->e[r->next].req, r->e[r->next].len);
	return 1;
}
