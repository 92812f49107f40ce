/* SPDX-License-Identifier: MIT */
/*
 * The JSON the control socket speaks: a growable output buffer with a hard
 * cap, and a strict, bounded parser for one object per line.  Top-level
 * members are decoded (strings binary-safe, "\u0000" included); nested
 * objects and arrays are validated and kept as raw text.
 */
#ifndef VMWCALL_EMU_JSON_H
#define VMWCALL_EMU_JSON_H

#include <stddef.h>
#include <stdint.h>

/* Output: once an append would pass max (or malloc fails), err is set. */
struct sbuf {
	char *p;
	size_t len, cap, max;
	int err;
};

void sb_init(struct sbuf *b, size_t max);
void sb_free(struct sbuf *b);
void sb_put(struct sbuf *b, const void *s, size_t n);
void sb_puts(struct sbuf *b, const char *s);
void sb_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A JSON string of the bytes, which must be valid UTF-8. */
void sb_json_str(struct sbuf *b, const void *s, size_t n);
/*
 * Member "name": bytes that are valid UTF-8 as a string, any other as
 * "name_base64"; past limit bytes, cut (at a character boundary) and
 * followed by "name_len": the full length.  Writes a leading comma if comma.
 */
void sb_json_bytes(struct sbuf *b, int comma, const char *name, const void *s, size_t n,
		   size_t limit);

/* 1 if s[0..n) is valid UTF-8 (no surrogates, no overlongs). */
int utf8_valid(const void *s, size_t n);
/* Base64 (RFC 4648, padded); decode returns the length or -1 if malformed. */
void sb_base64(struct sbuf *b, const void *s, size_t n);
long base64_decode(const char *s, size_t n, uint8_t *out);

#define JSON_MAX_MEMBERS 16
#define JSON_MAX_DEPTH 32

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUM, JSON_STR, JSON_RAW };

struct json_member {
	const char *name;	/* decoded, NUL-terminated */
	enum json_type type;
	const char *s;		/* STR: decoded bytes (NUL-terminated); NUM, RAW: source text */
	size_t len;
	int b;			/* BOOL */
};

struct json_obj {
	struct json_member m[JSON_MAX_MEMBERS];
	size_t n;
};

/*
 * Parse one object filling the whole of in[0..n) (surrounding white space
 * allowed).  scratch must hold n + JSON_MAX_MEMBERS * 2 bytes: decoded text
 * lives there.  0, or -1 with *err set to a static description.
 */
int json_parse(const char *in, size_t n, char *scratch, struct json_obj *o, const char **err);
#define JSON_SCRATCH(n) ((n) + JSON_MAX_MEMBERS * 2)

const struct json_member *json_get(const struct json_obj *o, const char *name);
/* A member that is a non-negative integer <= max: 0 and *v, else -1. */
int json_uint(const struct json_member *m, uint64_t max, uint64_t *v);

/*
 * Walk a raw array (from its '[' on): 1 and the next element's text, 0 at
 * the end, -1 if malformed.  *p advances.
 */
int json_array_next(const char **p, const char *end, const char **elem, size_t *len);

#endif
