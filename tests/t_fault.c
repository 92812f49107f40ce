// SPDX-License-Identifier: MIT
/*
 * The GuestRPC client against a host that fails on purpose (emu_config's
 * cpt_at, stop_at and fault_permille), in-process: a checkpoint at every
 * step of an exchange, a host that stops at every step, a full channel
 * table, and 10,000 guestinfo writes under a random mix of checkpoints,
 * failures and dropped channels.  A write that reports success must be in
 * the store exactly; one that reports failure must have left the old value
 * or the new one, never a part; nothing may go unreported.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmwcall/detect.h"
#include "vmwcall/proto.h"
#include "vmwcall/rpc.h"
#include "host.h"
#include "tap.h"
#include "trap.h"
#include "inproc.h"
#include "trapping.h"

#define WRITES 10000
#define KEYS 37

static uint64_t steps(void)
{
	return emu_host_stats(host)->steps;
}

static int has(const char *key, const void *val, size_t len)
{
	size_t n;
	const char *v = emu_info_get(host, key, &n);

	return v && n == len && !memcmp(v, val, len);
}

static void fill(char *p, size_t n, unsigned int seed)
{
	/* No NUL: the VMX reads a request as a C string. */
	for (size_t i = 0; i < n; i++)
		p[i] = (char)((i * 13 + seed) % 255 + 1);
}

/*
 * One info-set and one info-get of len bytes on a kept channel, with a
 * checkpoint at each of their steps in turn: every one must still succeed
 * with the exact value (one checkpoint costs one restart of eight).
 */
static void cpt_everywhere(int no_hb, size_t len)
{
	struct emu_config cfg;
	struct vmw_chan *c;
	char *val = malloc(len), *got;
	size_t n, total;
	uint64_t base;
	int bad = 0;

	emu_config_default(&cfg);
	cfg.no_hb = no_hb;
	use(&cfg);
	fill(val, len, 1);
	/* A clean run counts the steps. */
	vmw_chan_open(&c, VMW_PROTO_RPCI);
	base = steps();
	vmw_info_set(c, "k", val, len);
	vmw_info_get(c, "k", &got, &n);
	free(got);
	total = steps() - base;
	vmw_chan_close(c);
	for (size_t k = 1; k <= total; k++) {
		cfg.cpt_at = k;
		use(&cfg);
		if (vmw_chan_open(&c, VMW_PROTO_RPCI)) {
			bad++;
			continue;
		}
		val[0] = (char)k;
		if (vmw_info_set(c, "k", val, len) || !has("k", val, len))
			bad++;
		else if (vmw_info_get(c, "k", &got, &n) || n != len || memcmp(got, val, len))
			bad++, free(got);
		else
			free(got);
		if (emu_host_stats(host)->checkpoints != 1)
			bad++;
		vmw_chan_close(c);
	}
	ok(total > 4 && !bad, "%s, %zu B: a checkpoint at each of %zu steps, all exact (%d bad)",
	   no_hb ? "LB" : "HB", len, total, bad);
	free(val);
}

/* The host stops answering at each step in turn: a clear error, no hang, the store whole. */
static void stop_everywhere(int no_hb)
{
	struct emu_config cfg;
	struct vmw_chan *c;
	char old[40], val[40], *got;
	size_t n, total, set_steps;
	int bad = 0, failed = 0;

	emu_config_default(&cfg);
	cfg.no_hb = no_hb;
	fill(old, sizeof(old), 2);
	fill(val, sizeof(val), 3);
	use(&cfg);
	vmw_info_set(NULL, "k", val, sizeof(val));
	set_steps = steps();
	vmw_info_get(NULL, "k", &got, &n);
	free(got);
	total = steps();
	for (size_t k = 1; k <= total + 1; k++) {
		int rc;

		cfg.stop_at = k;
		use(&cfg);
		emu_info_set(host, "k", old, sizeof(old));
		rc = vmw_info_set(NULL, "k", val, sizeof(val));
		if (rc && rc != VMW_EIO && rc != VMW_ECHANNEL)
			bad++;
		/* A failed set leaves old or new; a success leaves new. */
		if (rc ? !has("k", old, sizeof(old)) && !has("k", val, sizeof(val))
		       : !has("k", val, sizeof(val)))
			bad++;
		/* Stopped within the set's own steps, the set cannot have succeeded. */
		if (k <= set_steps && !rc)
			bad++;
		failed += rc != 0;
		rc = vmw_info_get(NULL, "k", &got, &n);
		if (rc == 0 ? n != sizeof(val) || memcmp(got, val, n) : got != NULL)
			bad++;
		free(got);
	}
	ok(!bad && failed == (int)set_steps,
	   "%s: host stops at each of %zu steps: %d sets fail (VMW_EIO/VMW_ECHANNEL), store whole",
	   no_hb ? "LB" : "HB", total + 1, failed);
	cfg.stop_at = 0;
	use(&cfg);
	ok(vmw_chan_open(&c, VMW_PROTO_RPCI) == 0 && vmw_chan_close(c) == 0,
	   "%s: a host that answers again serves at once", no_hb ? "LB" : "HB");
}

static void exhaustion(uint32_t max)
{
	struct emu_config cfg;
	struct vmw_chan *c[VMW_MSG_MAX_CHANNELS + 1] = { NULL }, *x = NULL;
	uint32_t opened = 0;
	int err;

	emu_config_default(&cfg);
	cfg.max_channels = max;
	use(&cfg);
	while (opened < max && !vmw_chan_open(&c[opened], VMW_PROTO_RPCI))
		opened++;
	err = vmw_chan_open(&c[opened], opened % 2 ? VMW_PROTO_TCLO : VMW_PROTO_RPCI);
	ok(opened == max && err == VMW_ECHANNEL && !c[opened],
	   "%u channels open, the next gets VMW_ECHANNEL", opened);
	ok(vmw_rpci_call(NULL, "log x", 5, NULL, NULL) == VMW_ECHANNEL,
	   "a one-shot call on a full table: VMW_ECHANNEL");
	vmw_chan_close(c[max / 2]);
	c[max / 2] = NULL;
	ok(vmw_chan_open(&x, VMW_PROTO_RPCI) == 0 && vmw_info_set(x, "a", "b", 1) == 0,
	   "closing one lets the next open and work");
	vmw_chan_close(x);
	for (uint32_t i = 0; i < opened; i++)
		vmw_chan_close(c[i]);
}

/* Swap in a host made from cfg that holds the old host's guestinfo. */
static void rehost(const struct emu_config *cfg)
{
	struct emu_host *old = host;

	host = NULL;
	use(cfg);
	for (int j = 0; j < KEYS; j++) {
		char key[16];
		size_t n;
		const char *v;

		snprintf(key, sizeof(key), "key%d", j);
		if ((v = emu_info_get(old, key, &n)))
			emu_info_set(host, key, v, n);
	}
	emu_host_free(old);
}

static char vals[KEYS][3000];
static size_t lens[KEYS];
static int isset[KEYS];

/* Does the store hold what the model says for key k? */
static int as_recorded(int k, const char *key)
{
	return isset[k] ? has(key, vals[k], lens[k]) : !emu_info_get(host, key, NULL);
}

/* 10,000 writes under a random mix of faults; each checked against the store at once. */
static void mixed(uint32_t seed, uint32_t permille)
{
	struct emu_config cfg;
	struct vmw_chan *c = NULL;
	char val[3000];
	unsigned long long failed = 0, lost = 0, corrupt = 0, unknown = 0, resets = 0;
	uint64_t rng = seed;
	int bad_final = 0;

	emu_config_default(&cfg);
	cfg.fault_seed = seed;
	cfg.fault_permille = permille;
	use(&cfg);
	for (int i = 0; i < WRITES; i++) {
		char key[16];
		size_t len;
		int k, rc;

		/* The client takes HB or LB as each SENDSIZE offers: half the run without HB. */
		if (i == WRITES / 2) {
			vmw_chan_close(c);
			c = NULL;
			cfg.no_hb = 1;
			rehost(&cfg);
		}
		rng = rng * 6364136223846793005ull + 1442695040888963407ull;
		k = (int)((rng >> 33) % KEYS);
		/* Mostly short; every 64th long enough for hundreds of LB steps. */
		len = (rng >> 20) % 64 ? (rng >> 40) % 200 : (rng >> 40) % sizeof(val);
		fill(val, len, (unsigned int)i);
		snprintf(key, sizeof(key), "key%d", k);
		if (!c && vmw_chan_open(&c, VMW_PROTO_RPCI)) {
			/* A refused open is a reported failure; nothing was sent. */
			c = NULL;
			failed++;
			corrupt += !as_recorded(k, key);
			continue;
		}
		rc = vmw_info_set(c, key, val, len);
		if (rc == 0) {
			lost += !has(key, val, len);
		} else {
			failed++;
			unknown += rc != VMW_EIO && rc != VMW_ECHECKPOINT && rc != VMW_ECHANNEL &&
				   rc != VMW_EPROTO;
			corrupt += !has(key, val, len) && !as_recorded(k, key);
			/* A real client resets its channel after a failure. */
			vmw_chan_close(c);
			c = NULL;
			resets++;
		}
		/* A failed write may or may not have landed: the model follows the store. */
		if (has(key, val, len)) {
			memcpy(vals[k], val, len);
			lens[k] = len;
			isset[k] = 1;
		}
	}
	vmw_chan_close(c);
	/* Fault-free, through the client: every key reads back as recorded. */
	cfg.fault_permille = 0;
	rehost(&cfg);
	for (int j = 0; j < KEYS; j++) {
		char key[16], *got = NULL;
		size_t n;
		int rc;

		snprintf(key, sizeof(key), "key%d", j);
		rc = vmw_info_get(NULL, key, &got, &n);
		bad_final += isset[j] ? rc || n != lens[j] || memcmp(got, vals[j], n) : rc != VMW_EHOST;
		free(got);
	}
	printf("# %d writes, faults at %u.%u%% of message steps (seed %u): %llu ok, "
	       "%llu reported failed, %llu channel resets; lost %llu, corrupted %llu\n",
	       WRITES, permille / 10, permille % 10, seed, WRITES - failed, failed, resets,
	       lost, corrupt);
	ok(lost == 0, "no write that reported success is missing (lost %llu)", lost);
	ok(corrupt == 0, "no write left a partial or foreign value (corrupted %llu)", corrupt);
	ok(unknown == 0 && failed > 100, "every failure is a clear error code (%llu failures)", failed);
	ok(bad_final == 0, "all %d keys read back through the client as recorded", KEYS);
}

int main(void)
{
	need_trapping();
	plan(18);
	cpt_everywhere(0, 10);
	cpt_everywhere(0, 5000);
	cpt_everywhere(1, 10);
	cpt_everywhere(1, 301);
	stop_everywhere(0);
	stop_everywhere(1);
	exhaustion(4);
	exhaustion(VMW_MSG_MAX_CHANNELS);
	/* make soak varies the seed. */
	mixed(getenv("VMWCALL_FAULT_SEED") ? (uint32_t)strtoul(getenv("VMWCALL_FAULT_SEED"), NULL, 0)
					   : 1, 20);
	emu_trap_remove();
	emu_host_free(host);
	return done_testing();
}
