// SPDX-License-Identifier: MIT
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "vmwcall/proto.h"
#include "vmx.h"

#define PRELEN VMW_GUESTINFO_PREFIX_LEN

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * What a key may hold as written: VMware's reader takes a name up to
 * whitespace, '=' or '#'; '"' and control bytes are kept out too, and '|'
 * starts an escape.  Bytes from 0x80 stay raw, as VMware leaves them in
 * values, so UTF-8 keys read as written.
 */
static int namech(int c)
{
	return c > ' ' && c != 0x7F && c != '"' && c != '=' && c != '#';
}

int emu_vmx_keych(int c)
{
	return namech(c) && c != '|';
}

long emu_vmx_unescape(const char *s, size_t n, char *out)
{
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		int hi, lo;

		if (s[i] == '"')
			return -1;
		if (s[i] != '|') {
			out[o++] = s[i];
			continue;
		}
		if (n - i < 3 || (hi = hexval((unsigned char)s[i + 1])) < 0 ||
		    (lo = hexval((unsigned char)s[i + 2])) < 0)
			return -1;
		out[o++] = (char)(hi << 4 | lo);
		i += 2;
	}
	return (long)o;
}

/* One line without its newline into *buf: 1, 0 at the end, -1 if too long. */
static int get_line(FILE *f, char **buf, size_t *cap, size_t *len)
{
	int c;

	*len = 0;
	while ((c = getc(f)) != EOF && c != '\n') {
		if (*len + 1 >= *cap) {
			size_t ncap = *cap ? 2 * *cap : 256;
			char *p;

			if (ncap > EMU_VMX_MAX_LINE + 1)
				ncap = EMU_VMX_MAX_LINE + 1;
			if (*len >= EMU_VMX_MAX_LINE)
				return -1;
			p = realloc(*buf, ncap);
			if (!p)
				return -1;
			*buf = p, *cap = ncap;
		}
		(*buf)[(*len)++] = (char)c;
	}
	if (c == EOF && *len == 0)
		return 0;
	if (*cap == 0 && !(*buf = malloc(*cap = 1)))
		return -1;
	(*buf)[*len] = '\0';
	return 1;
}

static int space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

#define FAIL(...) do { snprintf(err, errlen, __VA_ARGS__); goto out; } while (0)

int emu_vmx_load(struct emu_host *h, FILE *f, char *err, size_t errlen)
{
	char *line = NULL, *eq;
	size_t cap = 0, len, lineno = 0, a, b, v, e;
	long n, k;
	int rc = -1, got;

	while ((got = get_line(f, &line, &cap, &len)) > 0) {
		lineno++;
		for (a = 0; a < len && space(line[a]); a++)
			;
		for (e = len; e > a && space(line[e - 1]); e--)
			;
		if (a == e || line[a] == '#')
			continue;
		if (!(eq = memchr(line + a, '=', e - a)))
			FAIL("%zu: expected KEY = \"VALUE\"", lineno);
		for (b = (size_t)(eq - line); b > a && space(line[b - 1]); b--)
			;
		for (v = (size_t)(eq - line) + 1; v < e && space(line[v]); v++)
			;
		if (a == b)
			FAIL("%zu: empty key", lineno);
		for (size_t i = a; i < b; i++)
			if (!namech((unsigned char)line[i]))
				FAIL("%zu: bad character in key", lineno);
		if (e - v < 2 || line[v] != '"' || line[e - 1] != '"')
			FAIL("%zu: value must be in double quotes", lineno);
		if (b - a < PRELEN || strncasecmp(line + a, VMW_GUESTINFO_PREFIX, PRELEN))
			continue;
		if (b - a == PRELEN)
			FAIL("%zu: guestinfo key without a name", lineno);
		n = emu_vmx_unescape(line + v + 1, e - v - 2, line + v);
		if (n < 0)
			FAIL("%zu: bad |XX escape or bare quote in value", lineno);
		/*
		 * Keys carry |XX escapes too (emu_vmx_dump writes them for bytes
		 * a name cannot hold); VMware's own reader does not decode names.
		 */
		k = emu_vmx_unescape(line + a + PRELEN, b - a - PRELEN, line + a + PRELEN);
		if (k < 0)
			FAIL("%zu: bad |XX escape in key", lineno);
		if (memchr(line + a + PRELEN, '\0', (size_t)k))
			FAIL("%zu: NUL byte in key", lineno);
		line[a + PRELEN + (size_t)k] = '\0';
		if (emu_info_set(h, line + a + PRELEN, line + v, (size_t)n))
			FAIL("%zu: cannot store %s: key or value too long, or out of memory",
			     lineno, line + a);
	}
	if (got < 0)
		FAIL("%zu: line longer than %u bytes, or out of memory", lineno + 1,
		     EMU_VMX_MAX_LINE);
	if (ferror(f))
		FAIL("%zu: read error", lineno + 1);
	rc = 0;
out:
	free(line);
	return rc;
}

static void escape(FILE *f, const char *s, size_t n, int (*raw)(int c))
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (raw(c))
			putc(c, f);
		else
			fprintf(f, "|%02X", c);
	}
}

/* Values: printable ASCII but '"' and '|' as is, every other byte escaped. */
static int valch(int c)
{
	return c >= 0x20 && c < 0x7F && c != '"' && c != '|';
}

static int dump_one(void *ctx, const char *key, const char *val, size_t len)
{
	FILE *f = ctx;

	fputs(VMW_GUESTINFO_PREFIX, f);
	escape(f, key, strlen(key), emu_vmx_keych);
	fputs(" = \"", f);
	escape(f, val, len, valch);
	fputs("\"\n", f);
	return ferror(f) ? -1 : 0;
}

int emu_vmx_dump(const struct emu_host *h, FILE *f)
{
	int rc = emu_info_each(h, dump_one, f);

	return rc || ferror(f) ? -1 : 0;
}
