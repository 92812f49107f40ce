// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: --replay's transcript parser.  Any bytes either parse
 * or give an error naming a line (or the size); a parsed transcript then
 * replays: its own requests, in order, never diverge, and one more does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int diverged(const uint8_t *reply, size_t rlen)
{
	return rlen == sizeof(EMU_REPLAY_DIVERGED) - 1 &&
	       !memcmp(reply, EMU_REPLAY_DIVERGED, rlen);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *null;
	struct emu_config cfg;
	struct emu_replay *r;
	char err[256] = "";
	uint8_t *reply;
	size_t len, rlen;

	if (!null && !(null = fopen("/dev/null", "w")))
		return 0;
	r = emu_replay_parse((const char *)data, size, err, sizeof(err));
	if (!r) {
		if (strncmp(err, "line ", 5) && strncmp(err, "larger", 6))
			__builtin_trap();
		return 0;
	}
	emu_config_default(&cfg);
	emu_replay_attach(r, &cfg, null);
	for (size_t i = 0; i < emu_replay_len(r); i++) {
		const uint8_t *req = emu_replay_request(r, i, &len);

		if (cfg.rpci_answer(cfg.rpci_answer_ctx, req, len, &reply, &rlen))
			return emu_replay_free(r), 0;	/* memory short */
		free(reply);
	}
	if (emu_replay_finish(r))
		__builtin_trap();
	if (cfg.rpci_answer(cfg.rpci_answer_ctx, (const uint8_t *)"x", 1, &reply, &rlen) == 0) {
		if (!diverged(reply, rlen) || !emu_replay_finish(r))
			__builtin_trap();
		free(reply);
	}
	emu_replay_free(r);
	return 0;
}
