/* SPDX-License-Identifier: MIT */
/*
 * The control protocol's requests, one JSON object per line, answered
 * against the host through emu/host.h alone.  The caller serialises access
 * to the host; this file keeps no state between requests.  Protocol:
 * doc/vmwcall-emu.1, CONTROL SOCKET.
 */
#ifndef VMWCALL_EMU_CTL_REQ_H
#define VMWCALL_EMU_CTL_REQ_H

#include <stdint.h>

#include "guestview.h"
#include "host.h"
#include "json.h"

/* The longest request line; longer ones are refused whole. */
#define CTL_MAX_REQUEST (4u << 20)

enum ctl_kind {
	CTL_DONE,	/* the reply is in out */
	CTL_EVENTS,	/* reply in out; then stream events */
	CTL_WAIT,	/* no reply yet: poll ctl_wait_check */
};

/* A request that waits for the guest. */
struct ctl_wait {
	enum { W_INFO, W_TOOLS, W_TCLO, W_POWER, W_QUIESCE } what;
	char *key;		/* W_INFO */
	uint8_t *value;		/* W_INFO: NULL: any value */
	size_t vlen;
	char *app;		/* W_TOOLS: the tools application, NULL: the main one */
	uint64_t tclo;		/* W_TCLO, W_POWER: the command's id (emu_tclo_send) */
	uint64_t statechanges;	/* W_POWER: the guest's reports before it */
	uint64_t timeout_ms;
	int has_timeout;
	char *id;		/* the request's "id", as JSON text, or NULL */
};

/* Handle one request line (without its newline), reply line into out. */
enum ctl_kind ctl_handle(struct emu_host *h, struct guestview *gv, const char *line, size_t len,
			 struct sbuf *out, struct ctl_wait *w);

/*
 * Is the wait over?  1: its reply is in out (success, or failure if
 * timed_out or ended: the emulator is ending); 0: keep waiting.
 */
int ctl_wait_check(struct emu_host *h, const struct ctl_wait *w, struct sbuf *out, int timed_out,
		   int ended);
void ctl_wait_free(struct ctl_wait *w);

/* The counts --stats-json writes, as one JSON object. */
void ctl_stats_json(struct sbuf *b, const struct emu_stats *s);

#endif
