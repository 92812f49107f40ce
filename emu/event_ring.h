/* SPDX-License-Identifier: MIT */
/*
 * A bounded ring of host events, so that the guest's path only copies an
 * event and the control thread formats it later.  Texts are kept up to a
 * cut (their first cut + 1 bytes: enough to cut them at a character
 * boundary) with their full lengths; the time is taken when the event is
 * put.  Producers are serialized by the ring's own lock; the consumer reads
 * the events in place, outside it.  When the ring is full an event is
 * dropped and counted, never waited for.
 */
#ifndef VMWCALL_EMU_EVENT_RING_H
#define VMWCALL_EMU_EVENT_RING_H

#include <stdint.h>
#include <time.h>

#include "host.h"

struct ev_ring;

/* A ring of about bytes (at least one event with texts at the cut): NULL on failure. */
struct ev_ring *ev_ring_new(size_t bytes, size_t cut);
void ev_ring_free(struct ev_ring *r);

/* Copy ev in, stamped with the time: 0, or -1 when full (dropped, counted). */
int ev_ring_put(struct ev_ring *r, const struct emu_event *ev);

/* The sequence number the next event put will have. */
uint64_t ev_ring_seq(struct ev_ring *r);

typedef void ev_ring_fn(void *ctx, uint64_t seq, const struct emu_event *ev,
			const struct timespec *when);

/*
 * Hand every event in the ring to fn, oldest first, then free their
 * space; events dropped since the last call are added to *dropped.
 * Only one thread may take; returns the number of events.
 */
size_t ev_ring_take(struct ev_ring *r, ev_ring_fn *fn, void *ctx, uint64_t *dropped);

#endif
