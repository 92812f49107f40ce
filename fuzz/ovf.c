// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: --ovf-prop.  An accepted property must come back out
 * of the document byte for byte once its character references are read,
 * with no markup character left raw in between.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ovf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Undo the escapes of an attribute value t[0..n) into out; its length. */
static size_t unescape(const char *t, size_t n, char *out)
{
	static const struct {
		const char *ref;
		char c;
	} refs[] = { { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' },
		     { "&apos;", '\'' }, { "&#9;", '\t' }, { "&#10;", '\n' }, { "&#13;", '\r' } };
	size_t o = 0;

	for (size_t i = 0; i < n;) {
		size_t k, len;

		if (t[i] == '<' || t[i] == '"')
			__builtin_trap();
		if (t[i] != '&') {
			out[o++] = t[i++];
			continue;
		}
		len = 0;
		for (k = 0; k < sizeof(refs) / sizeof(*refs) && !len; k++) {
			if (!strncmp(t + i, refs[k].ref, strlen(refs[k].ref))) {
				out[o++] = refs[k].c;
				len = strlen(refs[k].ref);
			}
		}
		if (!len)
			__builtin_trap();
		i += len;
	}
	return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *doc, *back, err[256];
	const char *kv, *key, *val, *q, *eq;
	size_t len, n;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	kv = s;
	doc = emu_ovf_env(&kv, 1, &len, err, sizeof(err));
	if (!doc || !(back = malloc(len + 1))) {
		free(doc);
		free(s);
		return 0;
	}
	eq = strchr(s, '=');
	key = strstr(doc, "<Property oe:key=\"");
	if (!eq || !key || strlen(doc) != len)
		__builtin_trap();
	key += 18;
	val = strstr(key, "\" oe:value=\"");
	if (!val)
		__builtin_trap();
	n = unescape(key, (size_t)(val - key), back);
	if (n != (size_t)(eq - s) || memcmp(back, s, n))
		__builtin_trap();
	val += 12;
	q = strstr(val, "\"/>\n   </PropertySection>");
	if (!q)
		__builtin_trap();
	n = unescape(val, (size_t)(q - val), back);
	if (n != strlen(eq + 1) || memcmp(back, eq + 1, n))
		__builtin_trap();
	free(back);
	free(doc);
	free(s);
	return 0;
}
