// SPDX-License-Identifier: MIT
/* The host's view of the guest: the core's tools state, and the heartbeat. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "guestview.h"
#include "nicinfo.h"

#define MAX_TEXT 4096

void gv_init(struct guestview *g)
{
	memset(g, 0, sizeof(*g));
}

void gv_free(struct guestview *g)
{
	gv_init(g);
}

static uint64_t realtime_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void gv_event(struct guestview *g, const struct emu_event *ev)
{
	if (ev->type == EMU_EV_TCLO_REPLY)
		g->last_poll_ms = realtime_ms();
}

/* A text type of SetGuestInfo (the core keeps it without its NUL). */
static void info_text(struct sbuf *b, struct emu_host *h, const char *name, unsigned type)
{
	size_t n;
	const void *p = emu_guest_info(h, type, &n);

	if (p)
		sb_json_bytes(b, 1, name, p, n, MAX_TEXT);
}

/* Type 11: {uint32 version; char short[129]; char full[513]} then details. */
static void os_name(struct sbuf *b, struct emu_host *h)
{
	size_t n;
	const char *p = emu_guest_info(h, 11, &n);

	if (p && n >= 4 + 129 + 513) {
		sb_json_bytes(b, 1, "os_short_name", p + 4, strnlen(p + 4, 129), MAX_TEXT);
		sb_json_bytes(b, 1, "os_name", p + 4 + 129, strnlen(p + 133, 513), MAX_TEXT);
		return;
	}
	info_text(b, h, "os_name", 5);
	info_text(b, h, "os_short_name", 6);
}

/* Tools version as vCenter shows it: (major << 10) + (minor << 5) + base. */
static void version(struct sbuf *b, struct emu_host *h)
{
	uint32_t v, type;

	if (emu_tools_version(h, &v, &type))
		return;
	sb_printf(b, ",\"tools_version\":%lu", (unsigned long)v);
	if (v != 0x7fffffff)
		sb_printf(b, ",\"tools_version_string\":\"%lu.%lu.%lu\"", (unsigned long)v >> 10,
			  (unsigned long)v >> 5 & 31, (unsigned long)v & 31);
	sb_printf(b, ",\"tools_install_type\":%lu", (unsigned long)type);
}

static void capabilities(struct sbuf *b, struct emu_host *h)
{
	const char *name;

	sb_puts(b, ",\"capabilities\":[");
	for (size_t i = 0; (name = emu_tools_capability_at(h, i, NULL)); i++) {
		if (!utf8_valid(name, strlen(name)))
			continue;	/* a guest's junk */
		if (b->p[b->len - 1] != '[')
			sb_puts(b, ",");
		sb_json_str(b, name, strlen(name));
	}
	sb_puts(b, "]");
}

/* The "disks" array of the guest's SetGuestDiskInfo, once it parses. */
static void disks(struct sbuf *b, struct emu_host *h)
{
	size_t n;
	const char *p = emu_guest_info(h, EMU_GUESTINFO_DISKS, &n);
	const struct json_member *d;
	struct json_obj o;
	const char *err;
	char *scratch;

	if (!p)
		return;
	if (n && p[n - 1] == '\0')
		n--;
	scratch = malloc(JSON_SCRATCH(n));
	if (scratch && !json_parse(p, n, scratch, &o, &err) &&
	    (d = json_get(&o, "disks")) && d->type == JSON_RAW && d->s[0] == '[') {
		sb_puts(b, ",\"disks\":");
		/* The reply is one line: newlines can only be whitespace between tokens. */
		for (size_t i = 0; i < d->len; i++)
			sb_put(b, d->s[i] == '\n' || d->s[i] == '\r' ? " " : d->s + i, 1);
	}
	free(scratch);
}

void gv_quiesce_json(struct emu_host *h, struct sbuf *b)
{
	const char *name, *msg;
	uint32_t code;

	sb_printf(b, "\"state\":\"%s\",\"events\":[", emu_quiesce_name(emu_quiesce_state(h)));
	for (size_t i = 0; (name = emu_quiesce_event(h, i, &code, &msg)); i++) {
		char line[EMU_QUIESCE_LINE];
		int n = snprintf(line, sizeof(line), "%s %lu%s%s", name, (unsigned long)code,
				 *msg ? " " : "", msg);

		if (i)
			sb_puts(b, ",");
		sb_json_str(b, line, n < 0 ? 0 : (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1);
	}
	sb_puts(b, "]");
}

void gv_json(const struct guestview *g, struct emu_host *h, struct sbuf *b)
{
	uint64_t now = realtime_ms();
	int running = emu_tools_state(h, NULL) == EMU_TOOLS_READY && g->last_poll_ms &&
		      now - g->last_poll_ms < 10000;
	const char *msg;
	const void *p;
	size_t n;
	int ok, state, cst, cerr;

	sb_printf(b, "{\"tools_running_status\":\"%s\"",
		  running ? "guestToolsRunning" : "guestToolsNotRunning");
	version(b, h);
	capabilities(b, h);
	info_text(b, h, "host_name", 1);
	os_name(b, h);
	if ((p = emu_guest_info(h, 10, &n)) || (p = emu_guest_info(h, 9, &n))) {
		size_t mark = b->len;

		sb_puts(b, ",\"nics\":");
		if (emu_nicinfo_json(p, n, b)) {
			b->len = mark;
			sb_puts(b, ",\"nics_error\":\"the guest's NIC list does not decode\"");
		}
	}
	/* Uptime in hundredths of a second. */
	if ((p = emu_guest_info(h, 7, &n)) && n && n < 32 && *(const char *)p >= '0' &&
	    *(const char *)p <= '9') {
		char up[32];

		memcpy(up, p, n);
		up[n] = '\0';
		sb_printf(b, ",\"uptime_seconds\":%llu", strtoull(up, NULL, 10) / 100);
	}
	disks(b, h);
	info_text(b, h, "build", 4);
	if (g->last_poll_ms)
		sb_printf(b, ",\"last_heartbeat_ms_ago\":%llu",
			  (unsigned long long)(now - g->last_poll_ms));
	if (emu_tools_statechange(h, &ok, &state))
		sb_printf(b, ",\"last_statechange\":\"%d %d\"", ok, state);
	if (emu_deploypkg_state(h, &cst, &cerr, &msg)) {
		static const char *const names[] = { "idle", "pending", "copying", "deploying",
						     "running", "done" };

		sb_printf(b, ",\"customization\":{\"state\":\"%s\",\"error\":%d",
			  cst >= 0 && cst <= 5 ? names[cst] : "unknown", cerr);
		sb_json_bytes(b, 1, "message", msg, strlen(msg), MAX_TEXT);
		sb_puts(b, "}");
	}
	if (emu_quiesce_state(h) != EMU_QUIESCE_NONE) {
		sb_puts(b, ",\"quiesce\":{");
		gv_quiesce_json(h, b);
		sb_puts(b, "}");
	}
	sb_puts(b, "}");
}
