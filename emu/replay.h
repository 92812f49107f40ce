/* SPDX-License-Identifier: MIT */
/*
 * --replay FILE: a host that answers RPCI requests as a transcript did.
 * The transcript is JSON lines in the event format of --rpc-log (and of
 * vmwcall --record); only "rpc" events count, in file order.  The rule:
 * the Nth RPCI request the guests send, over every process and channel,
 * must equal the Nth rpc event's request byte for byte, and gets its
 * reply.  The first request that differs, or comes past the end, is a
 * divergence: reported once, answered (with every later one) "0 Replay
 * diverged"; requests never sent are reported by emu_replay_finish().
 * Events with "error" and no reply (a call vmwcall saw fail) are skipped:
 * what the host did with them is unknown.
 *
 * The file is untrusted: lines, their count and the whole are bounded,
 * and a malformed line is an error naming it.
 */
#ifndef VMWCALL_EMU_REPLAY_H
#define VMWCALL_EMU_REPLAY_H

#include <stdint.h>
#include <stdio.h>

#include "host.h"

#define EMU_REPLAY_MAX_LINE	(8u << 20)	/* bytes in one line */
#define EMU_REPLAY_MAX_LINES	1000000u
#define EMU_REPLAY_MAX_FILE	(256u << 20)
#define EMU_REPLAY_DIVERGED	"0 Replay diverged"

struct emu_replay;

/* Parse a transcript held in buf.  NULL with err set ("line N: why"). */
struct emu_replay *emu_replay_parse(const char *buf, size_t n, char *err, size_t errlen);
/* Read and parse the file at path; NULL with err set. */
struct emu_replay *emu_replay_load(const char *path, char *err, size_t errlen);
void emu_replay_free(struct emu_replay *r);

/* Requests the transcript holds; the ith of them. */
size_t emu_replay_len(const struct emu_replay *r);
const uint8_t *emu_replay_request(const struct emu_replay *r, size_t i, size_t *len);

/*
 * Make cfg's host answer RPCI from r (emu_config.rpci_answer); divergences
 * are reported on report, each line prefixed with "vmwcall-emu: ".
 */
void emu_replay_attach(struct emu_replay *r, struct emu_config *cfg, FILE *report);

/* The answerer itself: 0 and *reply (malloc'd), or -1 if memory is short. */
int emu_replay_answer(void *ctx, const uint8_t *msg, size_t len, uint8_t **reply, size_t *rlen);

/* After the run: 0 if every request matched and none is missing; else 1, said. */
int emu_replay_finish(struct emu_replay *r);

#endif
