// SPDX-License-Identifier: MIT
/* JSON output with a cap, and a strict parser for flat request objects. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

void sb_init(struct sbuf *b, size_t max)
{
	*b = (struct sbuf){ .max = max };
}

void sb_free(struct sbuf *b)
{
	free(b->p);
	sb_init(b, b->max);
}

static int sb_room(struct sbuf *b, size_t n)
{
	size_t cap;
	char *p;

	if (b->err)
		return 0;
	if (n > b->max - b->len) {
		b->err = 1;
		return 0;
	}
	if (b->len + n + 1 <= b->cap)
		return 1;
	cap = b->cap ? b->cap : 256;
	while (cap < b->len + n + 1)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p) {
		b->err = 1;
		return 0;
	}
	b->p = p;
	b->cap = cap;
	return 1;
}

void sb_put(struct sbuf *b, const void *s, size_t n)
{
	if (!n || !sb_room(b, n))
		return;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void sb_puts(struct sbuf *b, const char *s)
{
	sb_put(b, s, strlen(s));
}

void sb_printf(struct sbuf *b, const char *fmt, ...)
{
	char tmp[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		b->err = 1;
	else
		sb_put(b, tmp, (size_t)n);
}

/* Length of the UTF-8 character at s (at most n bytes), 0 if invalid. */
static size_t utf8_char(const uint8_t *s, size_t n)
{
	uint32_t c;
	size_t len;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2, c = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3, c = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3F);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
	    (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	return len;
}

int utf8_valid(const void *s, size_t n)
{
	const uint8_t *p = s;

	for (size_t i = 0, k; i < n; i += k)
		if (!(k = utf8_char(p + i, n - i)))
			return 0;
	return 1;
}

void sb_json_str(struct sbuf *b, const void *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *p = s;
	size_t run = 0;

	sb_put(b, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		char esc[6] = { '\\', 0 };
		size_t k = 2;

		if (p[i] >= 0x20 && p[i] != '"' && p[i] != '\\' && p[i] != 0x7f) {
			run++;
			continue;
		}
		sb_put(b, p + i - run, run);
		run = 0;
		switch (p[i]) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\t': esc[1] = 't'; break;
		case '\r': esc[1] = 'r'; break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[p[i] >> 4];
			esc[5] = hex[p[i] & 15];
			k = 6;
		}
		sb_put(b, esc, k);
	}
	sb_put(b, p + n - run, run);
	sb_put(b, "\"", 1);
}

void sb_json_bytes(struct sbuf *b, int comma, const char *name, const void *s, size_t n,
		   size_t limit)
{
	const uint8_t *p = s;
	size_t cut = n < limit ? n : limit;
	int text;

	/* Cutting must not split a character: back up over continuation bytes. */
	if (cut < n)
		while (cut > 0 && (p[cut] & 0xC0) == 0x80)
			cut--;
	text = utf8_valid(p, cut);
	if (!text)
		cut = n < limit ? n : limit;
	sb_printf(b, "%s\"%s%s\":", comma ? "," : "", name, text ? "" : "_base64");
	if (text)
		sb_json_str(b, p, cut);
	else
		sb_base64(b, p, cut);
	if (cut < n)
		sb_printf(b, ",\"%s_len\":%zu", name, n);
}

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void sb_base64(struct sbuf *b, const void *s, size_t n)
{
	const uint8_t *p = s;
	char q[4];

	sb_put(b, "\"", 1);
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;

		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		q[0] = b64[v >> 18];
		q[1] = b64[v >> 12 & 63];
		q[2] = i + 1 < n ? b64[v >> 6 & 63] : '=';
		q[3] = i + 2 < n ? b64[v & 63] : '=';
		sb_put(b, q, 4);
	}
	sb_put(b, "\"", 1);
}

long base64_decode(const char *s, size_t n, uint8_t *out)
{
	size_t o = 0;

	if (n % 4)
		return -1;
	for (size_t i = 0; i < n; i += 4) {
		uint32_t v = 0;
		int pad = 0;

		for (size_t j = 0; j < 4; j++) {
			const char *c = s[i + j] ? strchr(b64, s[i + j]) : NULL;

			if (s[i + j] == '=' && i + 4 == n && j >= 2 && (j == 3 || s[i + 3] == '='))
				pad++, v <<= 6;
			else if (c && !pad)
				v = v << 6 | (uint32_t)(c - b64);
			else
				return -1;
		}
		out[o++] = (uint8_t)(v >> 16);
		if (pad < 2)
			out[o++] = (uint8_t)(v >> 8);
		if (pad < 1)
			out[o++] = (uint8_t)v;
	}
	return (long)o;
}

/* The parser.  p walks the input; out (NULL: validate only) takes decoded text. */
struct parse {
	const char *p, *end;
	char *out;
	const char *err;
};

static void ws(struct parse *ps)
{
	while (ps->p < ps->end &&
	       (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

static int fail(struct parse *ps, const char *err)
{
	if (!ps->err)
		ps->err = err;
	return -1;
}

static int hex4(struct parse *ps, uint32_t *v)
{
	*v = 0;
	if (ps->end - ps->p < 4)
		return fail(ps, "bad \\u escape");
	for (int i = 0; i < 4; i++) {
		char c = *ps->p++;
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;

		if (d < 0)
			return fail(ps, "bad \\u escape");
		*v = *v << 4 | (uint32_t)d;
	}
	return 0;
}

static void emit(char **o, uint32_t c)
{
	if (!*o)
		return;
	if (c < 0x80) {
		*(*o)++ = (char)c;
	} else if (c < 0x800) {
		*(*o)++ = (char)(0xC0 | c >> 6);
		*(*o)++ = (char)(0x80 | (c & 0x3F));
	} else if (c < 0x10000) {
		*(*o)++ = (char)(0xE0 | c >> 12);
		*(*o)++ = (char)(0x80 | (c >> 6 & 0x3F));
		*(*o)++ = (char)(0x80 | (c & 0x3F));
	} else {
		*(*o)++ = (char)(0xF0 | c >> 18);
		*(*o)++ = (char)(0x80 | (c >> 12 & 0x3F));
		*(*o)++ = (char)(0x80 | (c >> 6 & 0x3F));
		*(*o)++ = (char)(0x80 | (c & 0x3F));
	}
}

/* At a '"': if s, decode into ps->out (then NUL-terminated) and set *s, *len. */
static int string(struct parse *ps, const char **s, size_t *len)
{
	char *o = s && len ? ps->out : NULL, *start = o;

	ps->p++;
	for (;;) {
		uint8_t c;
		size_t k;

		if (ps->p >= ps->end)
			return fail(ps, "unterminated string");
		c = (uint8_t)*ps->p;
		if (c == '"')
			break;
		if (c < 0x20)
			return fail(ps, "control character in string");
		if (c == '\\') {
			uint32_t u, lo;
			const char *e;

			if (++ps->p >= ps->end)
				return fail(ps, "unterminated string");
			c = (uint8_t)*ps->p++;
			if (c == 'u') {
				if (hex4(ps, &u))
					return -1;
				if (u >= 0xDC00 && u <= 0xDFFF)
					return fail(ps, "lone surrogate");
				if (u >= 0xD800 && u <= 0xDBFF) {
					if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u')
						return fail(ps, "lone surrogate");
					ps->p += 2;
					if (hex4(ps, &lo))
						return -1;
					if (lo < 0xDC00 || lo > 0xDFFF)
						return fail(ps, "lone surrogate");
					u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
				}
				emit(&o, u);
				continue;
			}
			e = strchr("\"\\/bfnrt", c);
			if (!c || !e)
				return fail(ps, "bad escape");
			emit(&o, (uint32_t)"\"\\/\b\f\n\r\t"[e - "\"\\/bfnrt"]);
			continue;
		}
		k = utf8_char((const uint8_t *)ps->p, (size_t)(ps->end - ps->p));
		if (!k)
			return fail(ps, "invalid UTF-8");
		if (o) {
			memcpy(o, ps->p, k);
			o += k;
		}
		ps->p += k;
	}
	ps->p++;
	if (o && s && len) {
		*len = (size_t)(o - start);
		*o++ = '\0';
		*s = start;
		ps->out = o;
	}
	return 0;
}

static int digits(struct parse *ps)
{
	const char *s = ps->p;

	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9')
		ps->p++;
	return ps->p > s ? 0 : fail(ps, "bad number");
}

static int number(struct parse *ps)
{
	if (ps->p < ps->end && *ps->p == '-')
		ps->p++;
	if (ps->p < ps->end && *ps->p == '0')
		ps->p++;
	else if (digits(ps))
		return -1;
	if (ps->p < ps->end && *ps->p == '.') {
		ps->p++;
		if (digits(ps))
			return -1;
	}
	if (ps->p < ps->end && (*ps->p == 'e' || *ps->p == 'E')) {
		ps->p++;
		if (ps->p < ps->end && (*ps->p == '+' || *ps->p == '-'))
			ps->p++;
		if (digits(ps))
			return -1;
	}
	return 0;
}

static int word(struct parse *ps, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, w, n))
		return fail(ps, "unexpected character");
	ps->p += n;
	return 0;
}

/* Any value, validated only (out is NULL), depth levels deep. */
static int skip(struct parse *ps, int depth)
{
	char close;

	if (depth > JSON_MAX_DEPTH)
		return fail(ps, "nested too deep");
	ws(ps);
	if (ps->p >= ps->end)
		return fail(ps, "unexpected end");
	switch (*ps->p) {
	case '"': return string(ps, NULL, NULL);
	case 't': return word(ps, "true");
	case 'f': return word(ps, "false");
	case 'n': return word(ps, "null");
	case '{': close = '}'; break;
	case '[': close = ']'; break;
	default: return number(ps);
	}
	ps->p++;
	ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return 0;
	}
	for (;;) {
		if (close == '}') {
			ws(ps);
			if (ps->p >= ps->end || *ps->p != '"')
				return fail(ps, "expected a member name");
			if (string(ps, NULL, NULL))
				return -1;
			ws(ps);
			if (ps->p >= ps->end || *ps->p++ != ':')
				return fail(ps, "expected ':'");
		}
		if (skip(ps, depth + 1))
			return -1;
		ws(ps);
		if (ps->p >= ps->end)
			return fail(ps, "unexpected end");
		if (*ps->p == close) {
			ps->p++;
			return 0;
		}
		if (*ps->p++ != ',')
			return fail(ps, "expected ',' or the end of the object");
	}
}

static int member_value(struct parse *ps, struct json_member *m)
{
	const char *start;
	char *out;

	ws(ps);
	if (ps->p >= ps->end)
		return fail(ps, "unexpected end");
	start = ps->p;
	switch (*ps->p) {
	case '"':
		m->type = JSON_STR;
		return string(ps, &m->s, &m->len);
	case 't':
	case 'f':
		m->type = JSON_BOOL;
		m->b = *ps->p == 't';
		return word(ps, m->b ? "true" : "false");
	case 'n':
		m->type = JSON_NULL;
		return word(ps, "null");
	}
	out = ps->out;
	ps->out = NULL;
	m->type = *ps->p == '{' || *ps->p == '[' ? JSON_RAW : JSON_NUM;
	if (skip(ps, 1))
		return -1;
	ps->out = out;
	m->s = start;
	m->len = (size_t)(ps->p - start);
	return 0;
}

int json_parse(const char *in, size_t n, char *scratch, struct json_obj *o, const char **err)
{
	struct parse ps = { in, in + n, scratch, NULL };

	o->n = 0;
	ws(&ps);
	if (ps.p >= ps.end || *ps.p++ != '{')
		goto bad_start;
	ws(&ps);
	if (ps.p < ps.end && *ps.p == '}') {
		ps.p++;
		goto end;
	}
	for (;;) {
		struct json_member *m;

		ws(&ps);
		if (ps.p >= ps.end || *ps.p != '"') {
			fail(&ps, "expected a member name");
			goto out;
		}
		if (o->n == JSON_MAX_MEMBERS) {
			fail(&ps, "too many members");
			goto out;
		}
		m = &o->m[o->n];
		if (string(&ps, &m->name, &m->len))
			goto out;
		if (strlen(m->name) != m->len) {
			fail(&ps, "NUL in a member name");
			goto out;
		}
		if (json_get(o, m->name)) {
			fail(&ps, "duplicate member");
			goto out;
		}
		o->n++;
		ws(&ps);
		if (ps.p >= ps.end || *ps.p++ != ':') {
			fail(&ps, "expected ':'");
			goto out;
		}
		if (member_value(&ps, m))
			goto out;
		ws(&ps);
		if (ps.p < ps.end && *ps.p == '}') {
			ps.p++;
			break;
		}
		if (ps.p >= ps.end || *ps.p++ != ',') {
			fail(&ps, "expected ',' or '}'");
			goto out;
		}
	}
end:
	ws(&ps);
	if (ps.p != ps.end)
		fail(&ps, "text after the object");
	goto out;
bad_start:
	fail(&ps, "not a JSON object");
out:
	*err = ps.err;
	return ps.err ? -1 : 0;
}

const struct json_member *json_get(const struct json_obj *o, const char *name)
{
	for (size_t i = 0; i < o->n; i++)
		if (!strcmp(o->m[i].name, name))
			return &o->m[i];
	return NULL;
}

int json_uint(const struct json_member *m, uint64_t max, uint64_t *v)
{
	uint64_t x = 0;

	if (!m || m->type != JSON_NUM || m->len > 20)
		return -1;
	for (size_t i = 0; i < m->len; i++) {
		unsigned d = (unsigned)(m->s[i] - '0');

		if (d > 9 || x > (UINT64_MAX - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	if (x > max)
		return -1;
	*v = x;
	return 0;
}

int json_array_next(const char **p, const char *end, const char **elem, size_t *len)
{
	struct parse ps = { *p, end, NULL, NULL };

	ws(&ps);
	if (ps.p < end && (*ps.p == '[' || *ps.p == ','))
		ps.p++;
	ws(&ps);
	if (ps.p >= end || *ps.p == ']')
		return 0;
	*elem = ps.p;
	if (skip(&ps, 1))
		return -1;
	*len = (size_t)(ps.p - *elem);
	*p = ps.p;
	return 1;
}
