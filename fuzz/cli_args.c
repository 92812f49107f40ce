// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: what the vmwcall CLI parses and escapes itself.
 * `vmwcall call`'s arguments (options, registers as 32-bit numbers) go
 * through cmd_call() with the backdoor check stubbed out, so a run stops
 * right before the hypercall; every exit must be the one an independent
 * reading of the arguments predicts.  json_member() must give a JSON string
 * that decodes back to its input when that is UTF-8 (checked here by
 * decoding code points, not by json_member's table), and base64 that
 * decodes back to it otherwise.
 *
 * Input: a selector byte, then NUL-separated arguments (call) or the bytes
 * to escape (json_member).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The CLI's diagnostics would be 10^7 lines on the fuzzer's stderr. */
static FILE *quiet;
#undef stderr
#define stderr quiet

#include "../cli/util.c"

static int reached;	/* cmd_call() parsed everything and wanted the backdoor */

static int fuzz_need_vmware(struct vmw_info *info)
{
	(void)info;
	reached = 1;
	return 0;
}

#define need_vmware fuzz_need_vmware
#include "../cli/cmd_call.c"

void usage(FILE *f)
{
	(void)f;
}

/* A register as the man page has it: decimal, 0x hex or 0 octal, no sign, <= 2^32-1. */
static int reg_ok(const char *s, unsigned long long *v)
{
	unsigned int base = 10;

	*v = 0;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, s += 2;
	else if (s[0] == '0')
		base = 8;
	if (!*s)
		return 0;
	for (; *s; s++) {
		unsigned int d;

		if (*s >= '0' && *s <= '9')
			d = (unsigned int)(*s - '0');
		else if (*s >= 'a' && *s <= 'f')
			d = (unsigned int)(*s - 'a' + 10);
		else if (*s >= 'A' && *s <= 'F')
			d = (unsigned int)(*s - 'A' + 10);
		else
			return 0;
		if (d >= base)
			return 0;
		*v = *v * base + d;
		if (*v > 0xFFFFFFFFull)
			return 0;
	}
	return 1;
}

static int transport_ok(const char *s)
{
	return !strcmp(s, "io") || !strcmp(s, "vmcall") || !strcmp(s, "vmmcall");
}

/* What cmd_call() must return for argv[1..argc), by the usage line alone. */
static int predict(int argc, char **argv)
{
	unsigned long long v[5] = { 0 };
	int i = 1;

	for (; i < argc && !strncmp(argv[i], "--", 2); i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (!strcmp(argv[i], "--help"))
			return 0;
		if (!strcmp(argv[i], "--json"))
			continue;
		if (!strncmp(argv[i], "--transport=", 12)) {
			if (!transport_ok(argv[i] + 12))
				return EXIT_USAGE;
		} else if (!strcmp(argv[i], "--transport")) {
			if (i + 1 >= argc || !transport_ok(argv[i + 1]))
				return EXIT_USAGE;
			i++;
		} else {
			return EXIT_USAGE;
		}
	}
	if (argc - i < 1 || argc - i > 5)
		return EXIT_USAGE;
	for (int j = 0; i + j < argc; j++)
		if (!reg_ok(argv[i + j], &v[j]))
			return EXIT_USAGE;
	return v[2] & 0xFFFF ? EXIT_USAGE : EXIT_FAIL;
}

static void call(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[9];
	struct opts o = { 0 };
	int argc = 0, rc, want;

	if (!buf)
		return;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = "call";
	for (char *p = buf; p <= buf + size && argc < 8; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	reached = 0;
	want = predict(argc, argv);
	rc = cmd_call(argc, argv, &o);
	if (rc != want || reached != (want == EXIT_FAIL))
		__builtin_trap();
	free(buf);
}

static int hex(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

static int valid_utf8(const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		uint32_t c = s[i], cp;
		size_t k = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : c >= 0x80 ? 9 : 0;

		if (k == 9 || c >= 0xF8 || n - i <= k)
			return 0;
		cp = k ? c & (0x3Fu >> k) : c;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + j] & 0x3F);
		}
		if ((k == 1 && cp < 0x80) || (k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
		    cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += k + 1;
	}
	return 1;
}

static int b64val(char c)
{
	const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(a, c) : NULL;

	return p ? (int)(p - a) : -1;
}

/* "v_base64":"..." must decode to data[0..size). */
static void check_base64(const uint8_t *data, size_t size, const char *out, size_t olen)
{
	size_t j = 0;

	if (olen != 12 + (size + 2) / 3 * 4 + 1 || memcmp(out, "\"v_base64\":\"", 12) ||
	    out[olen - 1] != '"')
		__builtin_trap();
	for (size_t i = 12; i < olen - 1; i += 4) {
		int v[4];

		for (int k = 0; k < 4; k++)
			v[k] = out[i + k] == '=' ? 0 : b64val(out[i + k]);
		if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[3] < 0)
			__builtin_trap();
		for (int k = 0; k < 3 && j < size; k++, j++)
			if (data[j] != (uint8_t)(((v[0] << 18 | v[1] << 12 | v[2] << 6 | v[3]) >>
						  (16 - 8 * k)) & 0xFF))
				__builtin_trap();
	}
	if (j != size)
		__builtin_trap();
}

static void json(const uint8_t *data, size_t size)
{
	char *out = NULL, *all = NULL;
	size_t olen = 0, alen = 0, j = 0;
	FILE *f = open_memstream(&all, &alen);

	if (!f)
		return;
	json_member(f, "v", (const char *)data, size);
	fclose(f);
	if (!valid_utf8(data, size)) {
		check_base64(data, size, all, alen);
		free(all);
		return;
	}
	if (alen < 6 || memcmp(all, "\"v\":", 4))
		__builtin_trap();
	out = all + 4;
	olen = alen - 4;
	if (olen < 2 || out[0] != '"' || out[olen - 1] != '"')
		__builtin_trap();
	for (size_t i = 1; i < olen - 1; i++, j++) {
		unsigned char c = (unsigned char)out[i];
		int want;

		if (c < 0x20 || c == 0x7f || c == '"')
			__builtin_trap();
		if (c != '\\') {
			want = c;
		} else if (i + 1 >= olen - 1) {
			__builtin_trap();
		} else if (out[++i] == 'u') {
			int h[4];

			if (i + 4 >= olen - 1)
				__builtin_trap();
			for (int k = 0; k < 4; k++)
				if ((h[k] = hex(out[i + 1 + k])) < 0)
					__builtin_trap();
			want = h[0] << 12 | h[1] << 8 | h[2] << 4 | h[3];
			i += 4;
		} else {
			const char *e = strchr("\"\\nt", out[i]);

			if (!e || !out[i])
				__builtin_trap();
			want = out[i] == 'n' ? '\n' : out[i] == 't' ? '\t' : out[i];
		}
		if (j >= size || data[j] != want)
			__builtin_trap();
	}
	if (j != size)
		__builtin_trap();
	free(all);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!quiet && !(quiet = fopen("/dev/null", "w")))
		abort();
	if (size < 1)
		return 0;
	if (data[0] & 1)
		json(data + 1, size - 1);
	else
		call(data + 1, size - 1);
	return 0;
}
