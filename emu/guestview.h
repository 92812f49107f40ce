/* SPDX-License-Identifier: MIT */
/*
 * What the host knows of the guest, as vCenter shows it.  The tools' state
 * (version, capabilities, guest information, power reports) is the core's
 * (emu/host.h); this view adds only what the control front end measures
 * itself: the time of the last TCLO poll, the heartbeat.  Used under the
 * host's lock, like the host.
 */
#ifndef VMWCALL_EMU_GUESTVIEW_H
#define VMWCALL_EMU_GUESTVIEW_H

#include <stdint.h>

#include "host.h"
#include "json.h"

struct guestview {
	uint64_t last_poll_ms;	/* last message on a TCLO channel, realtime */
};

void gv_init(struct guestview *g);
void gv_free(struct guestview *g);
/* Feed one host event. */
void gv_event(struct guestview *g, const struct emu_event *ev);
/* The last quiesce as members: "state" and "events" (strings "name code[ message]"). */
void gv_quiesce_json(struct emu_host *h, struct sbuf *b);
/* The "guest" object. */
void gv_json(const struct guestview *g, struct emu_host *h, struct sbuf *b);

#endif
