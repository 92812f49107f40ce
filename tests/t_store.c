// SPDX-License-Identifier: MIT
/*
 * The guestinfo store's bounds: what a guest may store in total (VMware's
 * tools.setInfo.sizeLimit) and what a lookup costs when keys share a long
 * prefix.  Cost is counted in key comparisons, not seconds (bench/store.c
 * has the time).
 */
#include <string.h>

#include "vmwcall/proto.h"
#include "vmwcall/rpc.h"
#include "internal.h"
#include "inproc.h"
#include "tap.h"
#include "trapping.h"

#define NKEYS 65536
#define PREFIX_LEN 1000

static char big[64 << 10];

static int each_sorted(void *ctx, const char *key, const char *val, size_t len)
{
	const char **prev = ctx;

	(void)val, (void)len;
	if (*prev && strcmp(*prev, key) >= 0)
		return 1;
	*prev = key;
	return 0;
}

static void many_keys(void)
{
	struct emu_config cfg;
	static char key[PREFIX_LEN + 16];
	struct emu_host *h;
	uint64_t cmps;
	const char *prev = NULL, *v;
	size_t len;
	int bad = 0;

	emu_config_default(&cfg);
	cfg.info_limit = UINT64_MAX;
	h = emu_host_new(&cfg);
	memset(key, 'k', PREFIX_LEN);
	/* Descending order: the worst case for an unbalanced tree. */
	for (int i = NKEYS - 1; i >= 0; i--) {
		snprintf(key + PREFIX_LEN, 16, "%05d", i);
		bad += emu_store_guest_set(h, key, key + PREFIX_LEN, 5) != 0;
	}
	ok(bad == 0 && h->info.n == NKEYS, "%d keys with a %d-byte common prefix stored", NKEYS,
	   PREFIX_LEN);
	/* Balanced: at most 1.44 log2(n + 2) levels, one comparison each. */
	cmps = h->info.cmps;
	ok(cmps <= (uint64_t)NKEYS * 2 * 24, "loading took %llu key comparisons (<= 2 * 24 per key)",
	   (unsigned long long)cmps);
	for (int i = 0; i < NKEYS; i += 7) {
		snprintf(key + PREFIX_LEN, 16, "%05d", i);
		v = emu_info_get(h, key, &len);
		bad += !v || len != 5 || memcmp(v, key + PREFIX_LEN, 5);
	}
	ok(bad == 0, "every 7th key reads back");
	cmps = h->info.cmps;
	snprintf(key + PREFIX_LEN, 16, "%05d", NKEYS / 3);
	emu_info_get(h, key, NULL);
	ok(h->info.cmps - cmps <= 24, "one lookup: %llu comparisons",
	   (unsigned long long)(h->info.cmps - cmps));
	ok(emu_info_each(h, each_sorted, &prev) == 0 && prev, "emu_info_each visits keys sorted");
	snprintf(key + PREFIX_LEN, 16, "x");
	ok(emu_info_set(h, key, "v", 1) != 0 && emu_store_guest_set(h, key, "v", 1) != 0,
	   "key %d + 1 refused (VMW_EMU_MAX_KEYS)", NKEYS);
	/* Deleting keeps the tree whole and balanced. */
	for (int i = 0; i < NKEYS; i += 2) {
		snprintf(key + PREFIX_LEN, 16, "%05d", i);
		bad += emu_info_del(h, key) != 0;
	}
	for (int i = 0; i < NKEYS; i += 5) {
		snprintf(key + PREFIX_LEN, 16, "%05d", i);
		bad += (emu_info_get(h, key, NULL) != NULL) != (i & 1);
	}
	prev = NULL;
	ok(bad == 0 && h->info.n == NKEYS / 2 && emu_info_each(h, each_sorted, &prev) == 0 &&
	   h->info.guest_bytes == (uint64_t)NKEYS / 2 * (PREFIX_LEN + 5 + 5),
	   "every other key deleted: the rest read back, sorted, budget returned");
	cmps = h->info.cmps;
	snprintf(key + PREFIX_LEN, 16, "%05d", 1);
	emu_info_get(h, key, NULL);
	ok(h->info.cmps - cmps <= 24, "one lookup after deletes: %llu comparisons",
	   (unsigned long long)(h->info.cmps - cmps));
	emu_host_free(h);
}

static void budget_core(void)
{
	struct emu_config cfg;
	struct emu_host *h;
	const char *v;
	size_t len;
	int n = 0;

	emu_config_default(&cfg);
	ok(cfg.info_limit == 1048576, "default budget is tools.setInfo.sizeLimit's 1 MiB");
	cfg.info_limit = 100;
	h = emu_host_new(&cfg);
	ok(emu_store_guest_set(h, "a", big, 59) == 0, "60 bytes of 100 stored");
	ok(emu_store_guest_set(h, "b", big, 40) == EMU_STORE_FULL && !emu_info_get(h, "b", NULL),
	   "41 more refused, nothing stored");
	ok(emu_store_guest_set(h, "b", big, 39) == 0, "40 more fill the budget exactly");
	ok(emu_store_guest_set(h, "a", "x", 1) == 0, "shrinking a guest key is allowed");
	ok(emu_store_guest_set(h, "b", big, 97) == 0 && h->info.guest_bytes == 100,
	   "freed bytes count again (%llu used)", (unsigned long long)h->info.guest_bytes);
	ok(emu_store_guest_set(h, "a", "xy", 2) == EMU_STORE_FULL &&
	   (v = emu_info_get(h, "a", &len)) && len == 1 && *v == 'x',
	   "a refused overwrite keeps the old value");
	ok(emu_info_set(h, "host", big, 4096) == 0, "the host's own keys are not held to it");
	ok(emu_info_set(h, "b", "y", 1) == 0 && h->info.guest_bytes == 2,
	   "a key the host overwrites stops counting");
	ok(emu_store_guest_set(h, "host", big, 90) == 0 && h->info.guest_bytes == 96,
	   "a host key the guest overwrites counts");
	emu_host_free(h);
	cfg.info_limit = 0;
	h = emu_host_new(&cfg);
	ok(emu_store_guest_set(h, "a", "", 0) == EMU_STORE_FULL, "budget 0 refuses every set");
	emu_host_free(h);
	/* The bomb of issue 15, in-process: 16,000 sets of 64 KiB. */
	emu_config_default(&cfg);
	h = emu_host_new(&cfg);
	for (int i = 0; i < 16000; i++) {
		char key[16];

		snprintf(key, sizeof(key), "bomb%d", i);
		n += emu_store_guest_set(h, key, big, sizeof(big)) == 0;
	}
	ok(n == 15 && h->info.guest_bytes <= cfg.info_limit,
	   "16000 sets of 64 KiB: %d stored, %llu bytes held", n,
	   (unsigned long long)h->info.guest_bytes);
	emu_host_free(h);
}

/* Through the real client and the message channel: the refusal a guest sees. */
static void budget_rpc(void)
{
	struct emu_config cfg;
	struct vmw_chan *c;
	char *reply = NULL;
	static char req[80 << 10];
	int n = 0, rc = 0;

	emu_config_default(&cfg);
	cfg.info_limit = 200 << 10;
	use(&cfg);
	if (!ok(vmw_chan_open(&c, VMW_PROTO_RPCI) == 0, "channel opens"))
		return;
	for (int i = 0; i < 5 && rc == 0; i++) {
		int k = snprintf(req, sizeof(req), "info-set guestinfo.v%d ", i);

		memset(req + k, 'v', 60 << 10);
		free(reply);
		reply = NULL;
		rc = vmw_rpci_call(c, req, (size_t)k + (60 << 10), &reply, NULL);
		n += rc == 0;
	}
	ok(n == 3 && rc == VMW_EHOST && reply && !strcmp(reply, "Guest info size limit exceeded"),
	   "the 4th 60 KiB set over a 200 KiB budget: \"0 %s\"", reply ? reply : "(none)");
	free(reply);
	ok(vmw_info_get(c, "v3", &reply, NULL) == VMW_EHOST, "the refused key is not stored");
	free(reply);
	vmw_chan_close(c);
}

int main(void)
{
	need_trapping();
	plan(23);
	memset(big, 'b', sizeof(big));
	many_keys();
	budget_core();
	budget_rpc();
	emu_host_free(host);
	return done_testing();
}
