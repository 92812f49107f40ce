// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the emulator's .vmx reader (--vmx) on arbitrary bytes.
 * Whatever it accepts must survive a round trip: dump the store, load the
 * dump into a fresh host, and every key must come back with the same
 * value (keys are escaped too).  Also emu_vmx_unescape on the raw input,
 * and the input's bytes as one key and value, which must round-trip.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "vmx.h"

struct cmp {
	const struct emu_host *other;
	int bad;
};

static int same(void *ctx, const char *key, const char *val, size_t len)
{
	struct cmp *c = ctx;
	size_t n;
	const char *v = emu_info_get(c->other, key, &n);

	c->bad |= !v || n != len || memcmp(v, val, len);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct emu_config cfg;
	struct emu_host *a, *b;
	char err[128], *dump = NULL, *out = malloc(size + 1);
	size_t dlen = 0;
	long n;
	FILE *f;

	if (!out)
		return 0;
	n = emu_vmx_unescape((const char *)data, size, out);
	if (n > (long)size)
		__builtin_trap();
	free(out);

	emu_config_default(&cfg);
	a = emu_host_new(&cfg);
	b = emu_host_new(&cfg);
	f = size ? fmemopen((void *)data, size, "r") : NULL;
	if (!a || !b || !f)
		goto out;
	if (emu_vmx_load(a, f, err, sizeof(err))) {
		if (!memchr(err, '\0', sizeof(err)))
			__builtin_trap();
		/* Rejected: still try the bytes as a key, in an empty store. */
		emu_host_free(a);
		if (!(a = emu_host_new(&cfg)))
			goto out;
	}
	fclose(f);
	f = open_memstream(&dump, &dlen);
	/* Any bytes but NUL make a key a guest could set. */
	if (size && size <= 1024 && !memchr(data, '\0', size)) {
		char key[1025];

		memcpy(key, data, size);
		key[size] = '\0';
		emu_info_set(a, key, data, size);
	}
	if (!f || emu_vmx_dump(a, f))
		__builtin_trap();
	fclose(f);
	f = fmemopen(dump, dlen ? dlen : 1, "r");
	if (!f || (dlen && emu_vmx_load(b, f, err, sizeof(err))))
		__builtin_trap();
	{
		struct cmp c = { b, 0 }, d = { a, 0 };

		/* Both ways: nothing lost, nothing invented. */
		emu_info_each(a, same, &c);
		emu_info_each(b, same, &d);
		if (c.bad || d.bad)
			__builtin_trap();
	}
out:
	if (f)
		fclose(f);
	free(dump);
	emu_host_free(a);
	emu_host_free(b);
	return 0;
}
