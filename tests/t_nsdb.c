// SPDX-License-Identifier: MIT
/*
 * The namespace database through the host core: the requests open-vm-tools
 * sends, byte for byte, and hostile ones (truncated fields, numOps larger
 * than the operations sent, huge numOps, missing NULs, oversize values,
 * full namespaces); a refused set-keys changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "tap.h"

static struct emu_host *h;
static char rep[70000];
static size_t rlen;

/* Request of n bytes (NULs included); the reply in rep, rlen. */
static const char *rpc(const void *req, size_t n)
{
	uint8_t *r;

	rlen = 0;
	rep[0] = '\0';
	if (emu_host_rpci(h, req, n, 0, 1, EMU_VSOCK_CHAN, &r, &rlen) || rlen >= sizeof(rep))
		return "(failed)";
	memcpy(rep, r, rlen);
	rep[rlen] = '\0';
	free(r);
	return rep;
}

#define RPC(lit) rpc(lit, sizeof(lit) - 1)
#define SET "namespace-priv-set-keys "
#define GET "namespace-priv-get-values "

/* ns's key is val (NULL: absent). */
static int holds(const char *ns, const char *key, const char *val)
{
	size_t len;
	const char *v = emu_ns_get(h, ns, key, &len);

	if (!val)
		return v == NULL;
	return v && len == strlen(val) && !memcmp(v, val, len);
}

static void guest_requests(void)
{
	const char *r;

	/* vmware-namespace-cmd set-key NS -k K -v V (namespacetool.c). */
	r = RPC(SET "NS\0" "1\0" "0\0" "K\0" "V\0" "\0");
	ok(!strcmp(r, "1 ") && holds("NS", "K", "V"), "set-key: '%s', stored", r);
	r = RPC(GET "NS\0" "K\0");
	ok(rlen == 4 && !memcmp(rep, "1 V\0", 4), "get-value: '1 V' and a NUL (%zu bytes)", rlen);
	/* vgauthImport's five keys in one request; each value NUL-ended, in order. */
	RPC(SET "NS\0" "2\0" "0\0" "a\0" "xy\0" "\0" "0\0" "b\0" "z\0" "\0");
	r = RPC(GET "NS\0" "b\0" "K\0" "a\0");
	ok(rlen == 9 && !memcmp(rep, "1 z\0V\0xy\0", 9), "get of three keys: values in key order");
	/* Compare-and-set: opcode 1 against oldValue. */
	r = RPC(SET "NS\0" "1\0" "1\0" "K\0" "W\0" "X\0");
	ok(!strcmp(r, "0 Old value does not match") && holds("NS", "K", "V"),
	   "CAS against a wrong old value: '%s', unchanged", r);
	r = RPC(SET "NS\0" "1\0" "1\0" "K\0" "W\0" "V\0");
	ok(!strcmp(r, "1 ") && holds("NS", "K", "W"), "CAS against the right one: '%s'", r);
	r = RPC(SET "NS\0" "1\0" "1\0" "new\0" "N\0" "\0");
	ok(!strcmp(r, "1 ") && holds("NS", "new", "N"), "CAS of an absent key against '': '%s'", r);
	/* serviceDiscovery's DeleteData: opcode 0, empty value, an extra NUL at the end. */
	r = RPC(SET "NS\0" "2\0" "0\0" "a\0" "\0" "\0" "0\0" "gone\0" "\0" "\0" "\0");
	ok(!strcmp(r, "1 ") && holds("NS", "a", NULL), "delete (one key absent), trailing NUL: '%s'", r);
	r = RPC(GET "NS\0" "a\0");
	ok(!strcmp(r, "0 Key not found"), "get of a deleted key: '%s'", r);
	r = RPC(GET "NS\0" "b\0" "a\0");
	ok(!strcmp(r, "0 Key not found"), "one key of several missing fails the get: '%s'", r);
	r = RPC(GET "other\0" "K\0");
	ok(!strcmp(r, "0 No such namespace"), "get in a namespace the host did not create: '%s'", r);
	r = RPC(SET "other\0" "1\0" "0\0" "K\0" "V\0" "\0");
	ok(!strcmp(r, "0 No such namespace") && emu_ns_count(h) == 1,
	   "a guest cannot create a namespace: '%s'", r);
	/* Operations apply in order: the second sees the first. */
	r = RPC(SET "NS\0" "2\0" "0\0" "s\0" "1\0" "\0" "1\0" "s\0" "2\0" "1\0");
	ok(!strcmp(r, "1 ") && holds("NS", "s", "2"), "a CAS sees an earlier op of its request: '%s'",
	   r);
}

/* Every request here is refused and leaves the namespace as it was. */
static void hostile(void)
{
	static const struct {
		const char *what, *req, *want;
		size_t len;
	} bad[] = {
#define B(what, lit, want) { what, lit, want, sizeof(lit) - 1 }
		B("no arguments", SET, "0 Invalid arguments"),
		B("empty namespace name", SET "\0" "1\0", "0 Invalid arguments"),
		B("no numOps", SET "NS\0", "0 Invalid arguments"),
		B("numOps not a number", SET "NS\0" "x\0", "0 Invalid arguments"),
		B("numOps negative", SET "NS\0" "-1\0", "0 Invalid arguments"),
		B("huge numOps", SET "NS\0" "99999999999999999999\0" "0\0" "K\0" "X\0" "\0",
		  "0 Invalid arguments"),
		B("numOps 257", SET "NS\0" "257\0", "0 Invalid arguments"),
		B("numOps 2, one op sent", SET "NS\0" "2\0" "0\0" "K\0" "X\0" "\0",
		  "0 Invalid arguments"),
		B("op truncated after the key", SET "NS\0" "1\0" "0\0" "K", "0 Invalid arguments"),
		B("op without oldValue", SET "NS\0" "1\0" "0\0" "K\0" "X\0", "0 Invalid arguments"),
		B("opcode 2", SET "NS\0" "1\0" "2\0" "K\0" "X\0" "\0", "0 Invalid arguments"),
		B("opcode 01", SET "NS\0" "1\0" "01\0" "K\0" "X\0" "\0", "0 Invalid arguments"),
		B("empty key", SET "NS\0" "1\0" "0\0" "\0" "X\0" "\0", "0 Invalid arguments"),
		B("bytes after the last op", SET "NS\0" "1\0" "0\0" "K\0" "X\0" "\0" "junk",
		  "0 Invalid arguments"),
		B("second op's CAS fails: first not applied",
		  SET "NS\0" "2\0" "0\0" "K\0" "X\0" "\0" "1\0" "s\0" "3\0" "9\0",
		  "0 Old value does not match"),
		B("get without keys", GET "NS\0", "0 Invalid arguments"),
		B("get without namespace", GET, "0 Invalid arguments"),
		B("get with an empty key in the middle", GET "NS\0" "\0" "K\0", "0 Invalid arguments"),
#undef B
	};
	size_t len;
	char *big = malloc(EMU_NS_VALUE_MAX + 64);
	const char *r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		r = rpc(bad[i].req, bad[i].len);
		ok(!strcmp(r, bad[i].want) && holds("NS", "K", "W") && holds("NS", "s", "2"),
		   "%s: '%s', nothing changed", bad[i].what, r);
	}
	/* A get whose last key lacks its NUL still reads it (C-string fields). */
	r = RPC(GET "NS\0" "K");
	ok(rlen == 4 && !memcmp(rep, "1 W\0", 4), "get without the final NUL: '%s'", r);
	if (!big)
		return;
	/* Values up to EMU_NS_VALUE_MAX bytes; one more is refused. */
	len = (size_t)sprintf(big, SET "NS%c1%c0%cbig%c", 0, 0, 0, 0);
	memset(big + len, 'v', EMU_NS_VALUE_MAX + 1);
	big[len + EMU_NS_VALUE_MAX + 1] = '\0';
	big[len + EMU_NS_VALUE_MAX + 2] = '\0';
	r = rpc(big, len + EMU_NS_VALUE_MAX + 3);
	ok(!strcmp(r, "0 Value too large") && holds("NS", "big", NULL), "value of %d bytes: '%s'",
	   EMU_NS_VALUE_MAX + 1, r);
	big[len + EMU_NS_VALUE_MAX] = '\0';
	r = rpc(big, len + EMU_NS_VALUE_MAX + 2);
	ok(!strcmp(r, "1 ") && emu_ns_get(h, "NS", "big", &len) && len == EMU_NS_VALUE_MAX,
	   "value of %d bytes: '%s', stored", EMU_NS_VALUE_MAX, r);
	free(big);
}

/* Key count, total bytes and namespace count are bounded. */
static void limits(void)
{
	char key[32], name[EMU_NS_NAME_MAX + 2];
	static char val[EMU_NS_VALUE_MAX];
	size_t i, len;
	int rc = 0;

	ok(emu_ns_create(h, "full") == 0, "create 'full'");
	for (i = 0; i < EMU_NS_KEYS && !rc; i++) {
		snprintf(key, sizeof(key), "k%zu", i);
		rc = emu_ns_set(h, "full", key, "v", 1);
	}
	ok(!rc && emu_ns_set(h, "full", "one-more", "v", 1) == -1, "%d keys, then refused",
	   EMU_NS_KEYS);
	ok(emu_ns_set(h, "full", "k0", "w", 1) == 0, "replacing a key of a full namespace works");
	ok(!strcmp(RPC(SET "full\0" "1\0" "0\0" "x\0" "v\0" "\0"), "0 Too many keys"),
	   "a guest's set past the limit: '%s'", rep);
	ok(!strcmp(RPC(SET "full\0" "2\0" "0\0" "k1\0" "\0" "\0" "0\0" "x\0" "v\0" "\0"), "1 ") &&
	   holds("full", "x", "v") && holds("full", "k1", NULL),
	   "one delete makes room in the same request: '%s'", rep);
	memset(val, 'b', sizeof(val));
	ok(emu_ns_create(h, "bytes") == 0, "create 'bytes'");
	rc = 0;
	for (i = 0; !rc; i++) {
		snprintf(key, sizeof(key), "b%zu", i);
		rc = emu_ns_set(h, "bytes", key, val, sizeof(val));
	}
	ok(i > 200 && i < 300, "total bytes bounded: refused at value %zu of %d bytes", i,
	   EMU_NS_VALUE_MAX);
	ok(emu_ns_set(h, "bytes", "b0", NULL, 0) == 0 && !emu_ns_get(h, "bytes", "b0", &len) &&
	   emu_ns_set(h, "bytes", key, val, sizeof(val)) == 0, "a delete frees its bytes");
	ok(emu_ns_set(h, "bytes", "nul", "a\0b", 3) == -1, "the host cannot store a NUL");
	ok(emu_ns_create(h, "") == -1, "empty name refused");
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ok(emu_ns_create(h, name) == -1, "name of %d bytes refused", EMU_NS_NAME_MAX + 1);
	name[EMU_NS_NAME_MAX] = '\0';
	ok(emu_ns_create(h, name) == 0, "name of %d bytes accepted", EMU_NS_NAME_MAX);
	for (i = emu_ns_count(h), rc = 0; i < EMU_NS_MAX && !rc; i++) {
		snprintf(key, sizeof(key), "ns%zu", i);
		rc = emu_ns_create(h, key);
	}
	ok(!rc && emu_ns_count(h) == EMU_NS_MAX && emu_ns_create(h, "over") == -1 &&
	   emu_ns_create(h, "NS") == 0, "%d namespaces, then refused (an existing one is fine)",
	   EMU_NS_MAX);
}

int main(void)
{
	struct emu_config cfg;

	plan(46);
	emu_config_default(&cfg);
	h = emu_host_new(&cfg);
	if (!h || emu_ns_create(h, "NS")) {
		ok(0, "host");
		return 1;
	}
	guest_requests();
	hostile();
	limits();
	emu_host_free(h);
	return done_testing();
}
