// SPDX-License-Identifier: MIT
/* Typed events for the host's observer, derived where each thing happens. */
#include <string.h>

#include "vmwcall/proto.h"
#include "internal.h"

void emu_host_set_event(struct emu_host *h, emu_event_fn *fn, void *ctx)
{
	h->event = fn;
	h->event_ctx = ctx;
}

void emu_host_emit(struct emu_host *h, const struct emu_event *ev)
{
	if (h->event)
		h->event(h->event_ctx, ev);
}

/* A guest message on c (in c->in) has just been answered with reply. */
void emu_ev_message(struct emu_host *h, const struct emu_chan *c, const struct emu_buf *reply)
{
	struct emu_event ev = { .owner = c->owner, .chan = (uint32_t)(c - h->chan),
				.proto = c->proto };
	const uint8_t *msg = c->in.p;
	size_t len = c->in.len;

	if (!h->event)
		return;
	if (c->proto == VMW_PROTO_TCLO) {
		/* The guest's message answers the last command (empty: a poll, the
		 * tools' heartbeat); the reply is the next command. */
		ev.type = EMU_EV_TCLO_REPLY;
		ev.data = msg, ev.len = len;
		h->event(h->event_ctx, &ev);
		if (reply->len) {
			ev.type = EMU_EV_TCLO_CMD;
			ev.data = reply->p, ev.len = reply->len;
			h->event(h->event_ctx, &ev);
		}
		return;
	}
	emu_ev_rpci(h, ev.owner, ev.chan, msg, len, reply->p, reply->len);
}

void emu_ev_rpci(struct emu_host *h, uint32_t owner, uint32_t chan, const uint8_t *msg,
		 size_t len, const uint8_t *reply, size_t rlen)
{
	struct emu_event ev = { .type = EMU_EV_RPC, .owner = owner, .chan = chan,
				.proto = VMW_PROTO_RPCI, .data = msg, .len = len,
				.data2 = reply, .len2 = rlen };

	if (!h->event)
		return;
	h->event(h->event_ctx, &ev);
	if (len > 4 && !memcmp(msg, "log ", 4)) {
		ev.type = EMU_EV_LOG;
		/* The line is a C string, as the VMX reads it: up to its first NUL. */
		ev.data = msg + 4, ev.len = strnlen((const char *)msg + 4, len - 4);
		ev.data2 = NULL, ev.len2 = 0;
		h->event(h->event_ctx, &ev);
	}
}

void emu_ev_chan(struct emu_host *h, const struct emu_chan *c, int open)
{
	struct emu_event ev = { open ? EMU_EV_OPEN : EMU_EV_CLOSE, c->owner,
				(uint32_t)(c - h->chan), c->proto, 0, NULL, NULL, NULL, 0, 0 };

	if (h->event)
		h->event(h->event_ctx, &ev);
}

void emu_ev_info(struct emu_host *h, const char *key, const char *val, size_t len)
{
	struct emu_event ev = { .type = EMU_EV_INFO, .owner = h->caller, .key = key,
				.data = val, .len = len };

	if (h->event)
		h->event(h->event_ctx, &ev);
}
