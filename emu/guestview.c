// SPDX-License-Identifier: MIT
/* The host's view of the guest, from RPC and TCLO events. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vmwcall/proto.h"
#include "guestview.h"
#include "nicinfo.h"

#define MAX_TEXT 4096

void gv_init(struct guestview *g)
{
	memset(g, 0, sizeof(*g));
	g->next_seq = 1;
}

static void tclo_clear(struct gv_tclo *t)
{
	free(t->cmd);
	free(t->reply);
	memset(t, 0, sizeof(*t));
}

void gv_free(struct guestview *g)
{
	for (size_t i = 0; i < GV_INFO_TYPES; i++)
		free(g->info[i]);
	for (size_t i = 0; i < g->ncaps; i++)
		free(g->caps[i]);
	for (size_t i = 0; i < GV_MAX_TCLO; i++)
		tclo_clear(&g->tclo[i]);
	free(g->disks);
	free(g->version);
	free(g->versiontype);
	free(g->tools_app);
	free(g->statechange);
	gv_init(g);
}

/* A text argument as a C string: up to the first NUL, at most MAX_TEXT bytes. */
static char *text(const void *p, size_t n)
{
	const char *nul = memchr(p, '\0', n);
	char *s;

	if (nul)
		n = (size_t)(nul - (const char *)p);
	if (n > MAX_TEXT)
		n = MAX_TEXT;
	s = malloc(n + 1);
	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

static void replace(char **dst, char *s)
{
	if (s) {
		free(*dst);
		*dst = s;
	}
}

/* Does msg start with word and a space?  The argument's offset, or 0. */
static size_t arg(const uint8_t *msg, size_t len, const char *word)
{
	size_t n = strlen(word);

	return len > n && !memcmp(msg, word, n) && msg[n] == ' ' ? n + 1 : 0;
}

static uint64_t realtime_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void rpc(struct guestview *g, const uint8_t *m, size_t len, const uint8_t *reply, size_t rlen)
{
	size_t a;

	if (rlen < 1 || reply[0] != '1')
		return;	/* the host refused it: nothing learnt */
	if ((a = arg(m, len, "SetGuestInfo"))) {
		/* "SetGuestInfo  <type> <payload>": the type after the second space. */
		size_t i = a;
		unsigned type = 0;
		uint8_t *p;

		while (i < len && m[i] == ' ')
			i++;
		if (i >= len || m[i] < '0' || m[i] > '9')
			return;
		while (i < len && m[i] >= '0' && m[i] <= '9' && type < 1000)
			type = type * 10 + (unsigned)(m[i++] - '0');
		if (type >= GV_INFO_TYPES || i >= len || m[i] != ' ')
			return;
		i++;
		p = malloc(len - i + 1);
		if (!p)
			return;
		memcpy(p, m + i, len - i);
		free(g->info[type]);
		g->info[type] = p;
		g->info_len[type] = len - i;
	} else if ((a = arg(m, len, "SetGuestDiskInfo"))) {
		uint8_t *p = malloc(len - a + 1);

		if (!p)
			return;
		memcpy(p, m + a, len - a);
		free(g->disks);
		g->disks = p;
		g->disks_len = len - a;
	} else if ((a = arg(m, len, "tools.set.versiontype"))) {
		replace(&g->versiontype, text(m + a, len - a));
	} else if ((a = arg(m, len, "tools.set.version"))) {
		replace(&g->version, text(m + a, len - a));
	} else if ((a = arg(m, len, "tools.os.statechange.status"))) {
		replace(&g->statechange, text(m + a, len - a));
		g->statechanges++;
	} else if (len > 17 && !memcmp(m, "tools.capability.", 17)) {
		char *c = text(m + 17, len - 17);

		if (!c)
			return;
		for (size_t i = 0; i < g->ncaps; i++)
			if (!strcmp(g->caps[i], c)) {
				free(c);
				return;
			}
		if (g->ncaps < GV_MAX_CAPS)
			g->caps[g->ncaps++] = c;
		else
			free(c);
	}
}

static void tclo_cmd(struct guestview *g, uint32_t chan, const uint8_t *m, size_t len)
{
	/* The oldest undelivered command of ours with this text (the queue is FIFO). */
	struct gv_tclo *best = NULL;

	for (size_t i = 0; i < GV_MAX_TCLO; i++) {
		struct gv_tclo *t = &g->tclo[i];

		if (t->seq && t->chan < 0 && strlen(t->cmd) == len && !memcmp(t->cmd, m, len) &&
		    (!best || t->seq < best->seq))
			best = t;
	}
	if (best)
		best->chan = chan;
}

static void tclo_reply(struct guestview *g, uint32_t chan, const uint8_t *m, size_t len)
{
	g->last_poll_ms = realtime_ms();
	if (!len)
		return;	/* a poll: the heartbeat */
	if (len > 7 && !memcmp(m, "OK ATR ", 7)) {
		replace(&g->tools_app, text(m + 7, len - 7));
		g->handshakes++;
	}
	/* The guest answers the last command delivered on its channel. */
	for (size_t i = 0; i < GV_MAX_TCLO; i++) {
		struct gv_tclo *t = &g->tclo[i];

		if (t->seq && !t->done && t->chan == (int64_t)chan) {
			t->reply = malloc(len + 1);
			if (t->reply) {
				memcpy(t->reply, m, len);
				t->reply[len] = '\0';
				t->len = len;
			}
			t->done = 1;
			return;
		}
	}
}

void gv_event(struct guestview *g, const struct emu_event *ev)
{
	switch (ev->type) {
	case EMU_EV_RPC:
		rpc(g, ev->data, ev->len, ev->data2, ev->len2);
		break;
	case EMU_EV_TCLO_CMD:
		tclo_cmd(g, ev->chan, ev->data, ev->len);
		break;
	case EMU_EV_TCLO_REPLY:
		tclo_reply(g, ev->chan, ev->data, ev->len);
		break;
	case EMU_EV_OPEN:
	case EMU_EV_CLOSE:
		if (ev->proto == VMW_PROTO_TCLO) {
			g->tclo_open += ev->type == EMU_EV_OPEN ? 1 : (g->tclo_open ? -1u : 0);
			if (ev->type == EMU_EV_CLOSE)
				/* Commands in flight there will not be answered. */
				for (size_t i = 0; i < GV_MAX_TCLO; i++)
					if (g->tclo[i].seq && !g->tclo[i].done &&
					    g->tclo[i].chan == (int64_t)ev->chan)
						g->tclo[i].done = -1;
		}
		break;
	default:
		break;
	}
}

uint64_t gv_tclo_send(struct guestview *g, struct emu_host *h, const char *cmd)
{
	struct gv_tclo *slot = &g->tclo[0];

	/* Reuse the oldest entry: finished ones first. */
	for (size_t i = 0; i < GV_MAX_TCLO; i++) {
		struct gv_tclo *t = &g->tclo[i];

		if (!t->seq) {
			slot = t;
			break;
		}
		if ((t->done && !slot->done) || (!!t->done == !!slot->done && t->seq < slot->seq))
			slot = t;
	}
	if (emu_tclo_push(h, cmd))
		return 0;
	tclo_clear(slot);
	slot->cmd = strdup(cmd);
	if (!slot->cmd)
		return 0;
	slot->seq = g->next_seq++;
	slot->chan = -1;
	return slot->seq;
}

const struct gv_tclo *gv_tclo_get(const struct guestview *g, uint64_t seq)
{
	for (size_t i = 0; i < GV_MAX_TCLO; i++)
		if (seq && g->tclo[i].seq == seq)
			return &g->tclo[i];
	return NULL;
}

static void info_text(struct sbuf *b, const struct guestview *g, const char *name, int type)
{
	const uint8_t *p = g->info[type];
	size_t n = g->info_len[type];

	if (!p)
		return;
	if (n && p[n - 1] == '\0')
		n--;	/* string types carry their NUL */
	sb_json_bytes(b, 1, name, p, n, MAX_TEXT);
}

/* Type 11: {uint32 version; char short[129]; char full[513]} then details. */
static void os_name(struct sbuf *b, const struct guestview *g)
{
	const uint8_t *p = g->info[11];
	size_t n = g->info_len[11];

	if (p && n >= 4 + 129 + 513) {
		sb_json_bytes(b, 1, "os_short_name", p + 4, strnlen((const char *)p + 4, 129),
			      MAX_TEXT);
		sb_json_bytes(b, 1, "os_name", p + 4 + 129, strnlen((const char *)p + 133, 513),
			      MAX_TEXT);
		return;
	}
	info_text(b, g, "os_name", 5);
	info_text(b, g, "os_short_name", 6);
}

/* Tools version as vCenter shows it: (major << 10) + (minor << 5) + base. */
static void version(struct sbuf *b, const struct guestview *g, struct emu_host *h)
{
	const char *v = g->version;
	size_t len;

	if (!v)
		v = emu_info_get(h, "vmtools.versionNumber", &len);
	if (v && *v >= '0' && *v <= '9') {
		unsigned long n = strtoul(v, NULL, 10);

		sb_printf(b, ",\"tools_version\":%lu", n);
		if (n != 0x7fffffff)
			sb_printf(b, ",\"tools_version_string\":\"%lu.%lu.%lu\"", n >> 10,
				  n >> 5 & 31, n & 31);
	}
	if (g->versiontype)
		sb_json_bytes(b, 1, "tools_version_type", g->versiontype, strlen(g->versiontype),
			      MAX_TEXT);
}

/* The "disks" array of the guest's SetGuestDiskInfo, once it parses. */
static void disks(struct sbuf *b, const struct guestview *g)
{
	size_t n = g->disks_len;
	const struct json_member *d;
	struct json_obj o;
	const char *err;
	char *scratch;

	if (!g->disks)
		return;
	if (n && g->disks[n - 1] == '\0')
		n--;
	scratch = malloc(JSON_SCRATCH(n));
	if (scratch && !json_parse((const char *)g->disks, n, scratch, &o, &err) &&
	    (d = json_get(&o, "disks")) && d->type == JSON_RAW && d->s[0] == '[') {
		sb_puts(b, ",\"disks\":");
		sb_put(b, d->s, d->len);
	}
	free(scratch);
}

void gv_json(const struct guestview *g, struct emu_host *h, struct sbuf *b)
{
	uint64_t now = realtime_ms();
	int running = g->tclo_open && g->handshakes && g->last_poll_ms &&
		      now - g->last_poll_ms < 10000;

	sb_printf(b, "{\"tools_running_status\":\"%s\"",
		  running ? "guestToolsRunning" : "guestToolsNotRunning");
	version(b, g, h);
	if (g->tools_app)
		sb_json_bytes(b, 1, "tools_app", g->tools_app, strlen(g->tools_app), MAX_TEXT);
	sb_puts(b, ",\"capabilities\":[");
	for (size_t i = 0; i < g->ncaps; i++) {
		if (!utf8_valid(g->caps[i], strlen(g->caps[i])))
			continue;	/* a guest's junk */
		if (b->p[b->len - 1] != '[')
			sb_puts(b, ",");
		sb_json_str(b, g->caps[i], strlen(g->caps[i]));
	}
	sb_puts(b, "]");
	info_text(b, g, "host_name", 1);
	os_name(b, g);
	if (g->info[10] || g->info[9]) {
		int t = g->info[10] ? 10 : 9;
		size_t mark = b->len;

		sb_puts(b, ",\"nics\":");
		if (emu_nicinfo_json(g->info[t], g->info_len[t], b)) {
			b->len = mark;
			sb_puts(b, ",\"nics_error\":\"the guest's NIC list does not decode\"");
		}
	}
	if (g->info[7]) {
		char *up = text(g->info[7], g->info_len[7]);

		/* Uptime in hundredths of a second. */
		if (up && *up >= '0' && *up <= '9')
			sb_printf(b, ",\"uptime_seconds\":%llu", strtoull(up, NULL, 10) / 100);
		free(up);
	}
	disks(b, g);
	info_text(b, g, "build", 4);
	if (g->last_poll_ms)
		sb_printf(b, ",\"last_heartbeat_ms_ago\":%llu",
			  (unsigned long long)(now - g->last_poll_ms));
	if (g->statechange)
		sb_json_bytes(b, 1, "last_statechange", g->statechange, strlen(g->statechange),
			      MAX_TEXT);
	sb_puts(b, "}");
}
