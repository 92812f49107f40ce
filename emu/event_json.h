/* SPDX-License-Identifier: MIT */
/* One host event as one JSON line, the form the control socket and --rpc-log use. */
#ifndef VMWCALL_EMU_EVENT_JSON_H
#define VMWCALL_EMU_EVENT_JSON_H

#include <time.h>

#include "host.h"
#include "json.h"

/* Default cut for RPC texts in streamed events; --rpc-log keeps whole messages. */
#define EMU_EVENT_TEXT_LIMIT 4096

/*
 * Appends the line (with its newline); texts past limit bytes are cut.
 * The event happened at when (NULL: now).
 */
void emu_event_json(struct sbuf *b, const struct emu_event *ev, size_t limit,
		    const struct timespec *when);

#endif
