// SPDX-License-Identifier: MIT
/* Host events as JSON lines. */
#include <inttypes.h>
#include <stdio.h>
#include <time.h>

#include "vmwcall/proto.h"
#include "event_json.h"

static const char *const names[] = {
	[EMU_EV_RPC] = "rpc",		[EMU_EV_LOG] = "log",
	[EMU_EV_TCLO_CMD] = "tclo",	[EMU_EV_TCLO_REPLY] = "tclo_reply",
	[EMU_EV_INFO] = "info",		[EMU_EV_OPEN] = "open",
	[EMU_EV_CLOSE] = "close",	[EMU_EV_START] = "start",
	[EMU_EV_EXEC] = "exec",		[EMU_EV_EXIT] = "exit",
};

/* "key": the full guestinfo name; keys are the guest's bytes, maybe not UTF-8. */
static void info_key(struct sbuf *b, const char *key)
{
	char full[16 + 1024];
	int n = snprintf(full, sizeof(full), VMW_GUESTINFO_PREFIX "%s", key);

	if (n < 0 || (size_t)n >= sizeof(full))
		n = sizeof(full) - 1;
	sb_json_bytes(b, 1, "key", full, (size_t)n, sizeof(full));
}

void emu_event_json(struct sbuf *b, const struct emu_event *ev, size_t limit,
		    const struct timespec *when)
{
	struct timespec ts;

	if (when)
		ts = *when;
	else
		clock_gettime(CLOCK_REALTIME, &ts);
	sb_printf(b, "{\"event\":\"%s\",\"time\":%lld.%03ld,\"pid\":%" PRIu32,
		  (unsigned)ev->type < sizeof(names) / sizeof(*names) ? names[ev->type] : "?",
		  (long long)ts.tv_sec, ts.tv_nsec / 1000000, ev->owner);
	switch (ev->type) {
	case EMU_EV_RPC:
		sb_printf(b, ",\"chan\":%" PRIu32, ev->chan);
		sb_json_bytes(b, 1, "request", ev->data, ev->len, limit);
		sb_json_bytes(b, 1, "reply", ev->data2, ev->len2, limit);
		break;
	case EMU_EV_LOG:
		sb_json_bytes(b, 1, "text", ev->data, ev->len, limit);
		break;
	case EMU_EV_TCLO_CMD:
		sb_printf(b, ",\"chan\":%" PRIu32, ev->chan);
		sb_json_bytes(b, 1, "command", ev->data, ev->len, limit);
		break;
	case EMU_EV_TCLO_REPLY:
		sb_printf(b, ",\"chan\":%" PRIu32, ev->chan);
		sb_json_bytes(b, 1, "reply", ev->data, ev->len, limit);
		break;
	case EMU_EV_INFO:
		info_key(b, ev->key);
		if (ev->data)
			sb_json_bytes(b, 1, "value", ev->data, ev->len, limit);
		else
			sb_puts(b, ",\"deleted\":true");
		break;
	case EMU_EV_OPEN:
	case EMU_EV_CLOSE:
		sb_printf(b, ",\"chan\":%" PRIu32 ",\"proto\":\"%s\"", ev->chan,
			  ev->proto == VMW_PROTO_TCLO ? "tclo" : "rpci");
		break;
	case EMU_EV_START:
		sb_printf(b, ",\"parent\":%d", ev->status);
		break;
	case EMU_EV_EXEC:
		sb_json_bytes(b, 1, "path", ev->data, ev->len, limit);
		break;
	case EMU_EV_EXIT:
		sb_printf(b, ",\"status\":%d", ev->status);
		break;
	}
	sb_puts(b, "}\n");
}
