// SPDX-License-Identifier: MIT
/*
 * vmwcall-emu against hostile guests: this program re-runs itself under
 * $O/vmwcall-emu as the guest.  The guestinfo store bomb of issue 15 (the
 * emulator's peak RSS, as wait4 reports it, stays bounded).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmwcall/proto.h"
#include "vmwcall/rpc.h"
#include "emu_guest.h"

#define BOMB_SETS 2000
#define BOMB_VAL 65000		/* + "info-set guestinfo.bNNNN " fits 64 KiB */

/* Store BOMB_SETS values of BOMB_VAL bytes; print how many were refused. */
static int bomb(void)
{
	static char val[BOMB_VAL];
	struct vmw_chan *c;
	int stored = 0, refused = 0, other = 0;

	memset(val, 'B', sizeof(val));
	if (vmw_chan_open(&c, VMW_PROTO_RPCI))
		return 2;
	for (int i = 0; i < BOMB_SETS; i++) {
		char key[32];
		int rc;

		snprintf(key, sizeof(key), "b%d", i);
		rc = vmw_info_set(c, key, val, sizeof(val));
		stored += rc == 0;
		refused += rc == VMW_EHOST;
		other += rc != 0 && rc != VMW_EHOST;
	}
	vmw_chan_close(c);
	printf("stored %d refused %d other %d\n", stored, refused, other);
	return 0;
}

static int guest(const char *m)
{
	if (!strcmp(m, "bomb"))
		return bomb();
	return 99;
}

static void store_bomb(void)
{
	char out[256];
	long rss = 0;
	int stored = -1, refused = -1, other = -1;

	int rc = run_rss(NULL, "bomb", out, sizeof(out), &rss);

	ok(rc == 0 && sscanf(out, "stored %d refused %d other %d", &stored, &refused, &other) == 3,
	   "store bomb ran (exit %d)", rc);
	/* 1 MiB / (65000 + key) = 16 values; the rest refused, nothing else failing. */
	ok(stored == 16 && refused == BOMB_SETS - 16 && other == 0,
	   "%d sets of %d bytes: %d stored, %d refused (1 MiB default budget)", BOMB_SETS,
	   BOMB_VAL, stored, refused);
	/* Unbounded, the store alone would hold 130 MB. */
	ok(rss > 0 && rss < 48 * 1024, "emulator peak RSS %ld KiB < 48 MiB under the bomb", rss);
	stored = -1;
	rc = run_rss("--info-limit=2097152", "bomb", out, sizeof(out), &rss);
	if (rc || sscanf(out, "stored %d", &stored) != 1)
		stored = -1;
	ok(stored == 32, "--info-limit 2 MiB: %d stored", stored);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--guest"))
		return guest(argv[2]);
	if (find_emu())
		return 0;
	plan(4);
	/* A small quarantine keeps freed message buffers out of ASan's RSS. */
	setenv("ASAN_OPTIONS", "detect_leaks=0:handle_segv=0:handle_sigill=0:quarantine_size_mb=1", 1);
	store_bomb();
	return done_testing();
}
