// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: vmwcall-emu's --set argument.  An accepted argument
 * must split exactly at its first '=' with the prefix removed, and a
 * literal value must read back from the store byte for byte.
 */
#include <stdlib.h>
#include <string.h>

#include "vmwcall/proto.h"
#include "host.h"
#include "preset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), key[64];
	const char *val, *got;
	struct emu_config cfg;
	struct emu_host *h;
	size_t n, p;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (emu_preset_split(s, key, sizeof(key), &val)) {
		free(s);
		return 0;
	}
	n = strlen(key);
	p = VMW_GUESTINFO_PREFIX_LEN;
	if (!n || n >= sizeof(key) || strncmp(s, VMW_GUESTINFO_PREFIX, p) || memcmp(s + p, key, n) ||
	    s[p + n] != '=' || val != s + p + 1 + n || memchr(key, '=', n))
		__builtin_trap();
	emu_config_default(&cfg);
	h = emu_host_new(&cfg);
	if (h && val[0] != '@' && !emu_info_set(h, key, val, strlen(val))) {
		got = emu_info_get(h, key, &n);
		if (!got || n != strlen(val) || memcmp(got, val, n))
			__builtin_trap();
	}
	emu_host_free(h);
	free(s);
	return 0;
}
