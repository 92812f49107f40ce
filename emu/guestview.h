/* SPDX-License-Identifier: MIT */
/*
 * What the host knows of the guest, as vCenter shows it, built from the
 * host's events alone: tools version and type, capabilities, the latest
 * SetGuestInfo payload of each type, the TCLO handshake and heartbeat, and
 * the fate of TCLO commands sent from the control socket.  Used under the
 * host's lock, like the host.
 */
#ifndef VMWCALL_EMU_GUESTVIEW_H
#define VMWCALL_EMU_GUESTVIEW_H

#include <stdint.h>

#include "host.h"
#include "json.h"

#define GV_INFO_TYPES 16
#define GV_MAX_CAPS 64
#define GV_MAX_TCLO 64

struct gv_tclo {
	uint64_t seq;
	char *cmd;
	int64_t chan;		/* -1 until delivered */
	char *reply;
	size_t len;
	int done;
};

struct guestview {
	uint8_t *info[GV_INFO_TYPES];
	size_t info_len[GV_INFO_TYPES];
	uint8_t *disks;		/* SetGuestDiskInfo's JSON */
	size_t disks_len;
	char *version, *versiontype;
	char *caps[GV_MAX_CAPS];
	size_t ncaps;
	char *tools_app;	/* from the guest's "OK ATR <app>" */
	uint64_t handshakes;	/* completed TCLO resets */
	uint64_t last_poll_ms;	/* last message on a TCLO channel, realtime */
	uint32_t tclo_open;	/* TCLO channels open */
	char *statechange;	/* last tools.os.statechange.status arguments */
	uint64_t statechanges;
	struct gv_tclo tclo[GV_MAX_TCLO];
	uint64_t next_seq;
};

void gv_init(struct guestview *g);
void gv_free(struct guestview *g);
/* Feed one host event. */
void gv_event(struct guestview *g, const struct emu_event *ev);
/* Queue cmd for the tools (emu_tclo_push) and follow it: its sequence id, or 0. */
uint64_t gv_tclo_send(struct guestview *g, struct emu_host *h, const char *cmd);
/* The command's entry, or NULL if unknown (or forgotten: GV_MAX_TCLO are kept). */
const struct gv_tclo *gv_tclo_get(const struct guestview *g, uint64_t seq);
/* The "guest" object. */
void gv_json(const struct guestview *g, struct emu_host *h, struct sbuf *b);

#endif
