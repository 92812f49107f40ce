// SPDX-License-Identifier: MIT
/*
 * TCLO as a VMX drives it.  A guest's TCLO channel polls: each message it
 * sends is its answer to the previous command (empty when there was none),
 * and the reply is the next command.  A new channel first gets the tools
 * handshake (reset, ping, Capabilities_Register, the Set_Option burst,
 * Time_Synchronize for the main service); its "OK ATR <app>" answer to reset
 * names the application, and commands queued for that application then go
 * to it in order.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmwcall/proto.h"
#include "internal.h"

/* Handshake steps after reset and ping; then the options, then the tail. */
enum { HS_RESET, HS_PING, HS_CAPS, HS_OPTS, HS_SYNC = HS_OPTS + EMU_OPT_N, HS_DONE, HS_FAILED };

static int app_ok(const char *s, size_t n)
{
	if (n == 0 || n > EMU_APP_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return 0;
	}
	return 1;
}

static char *dup_text(const uint8_t *p, size_t n);

uint64_t emu_tclo_send(struct emu_host *h, const char *app, const char *cmd)
{
	return cmd ? emu_tclo_send_bytes(h, app, cmd, strlen(cmd)) : 0;
}

uint64_t emu_tclo_send_bytes(struct emu_host *h, const char *app, const void *cmd, size_t len)
{
	struct emu_tclo *t = &h->tclo;
	struct emu_tclo_rec *r;
	uint64_t id;
	char *c;

	if (!app)
		app = EMU_TOOLS_APP;
	if (!app_ok(app, strlen(app)) || !cmd || len > h->cfg.max_out_size)
		return 0;
	if (!t->next_id)
		t->next_id = 1;
	id = t->next_id;
	r = &t->rec[id % VMW_EMU_MAX_TCLO];
	if (r->st == EMU_TCLO_QUEUED || r->st == EMU_TCLO_SENT)
		return 0;
	if (!(c = dup_text(cmd, len)))
		return 0;
	free(r->cmd);
	free(r->reply);
	*r = (struct emu_tclo_rec){ .id = id, .st = EMU_TCLO_QUEUED, .cmd = c, .cmd_len = len };
	strcpy(r->app, app);
	t->next_id++;
	return id;
}

int emu_tclo_push(struct emu_host *h, const char *cmd)
{
	return emu_tclo_send(h, NULL, cmd) ? 0 : -1;
}

static struct emu_tclo_rec *rec(const struct emu_tclo *t, uint64_t id)
{
	const struct emu_tclo_rec *r = &t->rec[id % VMW_EMU_MAX_TCLO];

	return id && r->id == id ? (struct emu_tclo_rec *)r : NULL;
}

int emu_tclo_result(const struct emu_host *h, uint64_t id, const char **reply, size_t *len)
{
	const struct emu_tclo_rec *r = rec(&h->tclo, id);

	if (!r || r->st == EMU_TCLO_DROPPED)
		return -1;
	if (r->st != EMU_TCLO_DONE)
		return 0;
	if (reply)
		*reply = r->reply;
	if (len)
		*len = r->reply_len;
	return 1;
}

enum emu_tools emu_tools_state(const struct emu_host *h, const char *app)
{
	enum emu_tools st = EMU_TOOLS_NONE;

	if (!app)
		app = EMU_TOOLS_APP;
	for (size_t i = 0; i < h->cfg.max_channels; i++) {
		const struct emu_chan *c = &h->chan[i];

		if (!c->open || c->proto != VMW_PROTO_TCLO || strcmp(c->tc.app, app))
			continue;
		if (c->tc.ready)
			return EMU_TOOLS_READY;
		st = EMU_TOOLS_HANDSHAKE;
	}
	return st;
}

const char *emu_tclo_last_reply(const struct emu_host *h, size_t *len)
{
	if (len)
		*len = h->tclo.last_len;
	return h->tclo.last;
}

static char *dup_text(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

/* The guest answered the handshake step before tc->stage. */
static void handshake_answer(struct emu_host *h, struct emu_tclo_chan *tc, const uint8_t *msg,
			     size_t len)
{
	static const char atr[] = "OK ATR ";
	size_t k = sizeof(atr) - 1;

	tc->hs_wait = 0;
	if (tc->stage != HS_RESET + 1)
		return;
	/* A guest that does not name its application gets no more commands. */
	if (len <= k || memcmp(msg, atr, k) || !app_ok((const char *)msg + k, len - k)) {
		tc->stage = HS_FAILED;
		emu_log(h, "TCLO: reset answered '%.*s': not a tools service", (int)(len < 80 ? len : 80),
			(const char *)msg);
		return;
	}
	memcpy(tc->app, msg + k, len - k);
	tc->app[len - k] = '\0';
	emu_log(h, "TCLO: channel of application %s", tc->app);
}

/* The handshake command for tc->stage into buf, or 0 once there is none. */
static int handshake_cmd(const struct emu_host *h, struct emu_tclo_chan *tc, char *buf, size_t cap)
{
	for (;;) {
		unsigned s = tc->stage;

		if (s >= HS_DONE)
			return 0;
		tc->stage++;
		if (s == HS_RESET)
			return snprintf(buf, cap, "reset");
		if (s == HS_PING)
			return snprintf(buf, cap, "ping");
		if (s == HS_CAPS)
			return snprintf(buf, cap, "Capabilities_Register");
		if (s < HS_SYNC)
			return snprintf(buf, cap, "Set_Option %s %s", emu_opt_name(s - HS_OPTS),
					h->opt[s - HS_OPTS]);
		if (!strcmp(tc->app, EMU_TOOLS_APP))
			return snprintf(buf, cap, "Time_Synchronize 0");
	}
}

static struct emu_tclo_rec *next_for(struct emu_tclo *t, const char *app)
{
	uint64_t lo = t->next_id > VMW_EMU_MAX_TCLO ? t->next_id - VMW_EMU_MAX_TCLO : 1;

	for (uint64_t id = lo; id < t->next_id; id++) {
		struct emu_tclo_rec *r = rec(t, id);

		if (r && r->st == EMU_TCLO_QUEUED && !strcmp(r->app, app))
			return r;
	}
	return NULL;
}

static int put(struct emu_buf *out, const char *cmd, size_t n)
{
	out->p = (uint8_t *)dup_text((const uint8_t *)cmd, n);
	if (!out->p)
		return -1;
	out->len = (uint32_t)n;
	out->pos = 0;
	return 0;
}

int emu_tclo_answer(struct emu_host *h, struct emu_chan *c, const uint8_t *msg, uint32_t len,
		    struct emu_buf *out)
{
	struct emu_tclo *t = &h->tclo;
	struct emu_tclo_chan *tc = &c->tc;
	struct emu_tclo_rec *r;
	char buf[128];
	int n;

	if (len) {
		char *last = dup_text(msg, len);

		if (!last)
			return -1;
		free(t->last);
		t->last = last;
		t->last_len = len;
	}
	if (tc->hs_wait) {
		handshake_answer(h, tc, msg, len);
	} else if (tc->wait_id && (r = rec(t, tc->wait_id))) {
		/* An empty poll instead of an answer: the guest lost the command. */
		if (!len) {
			r->st = EMU_TCLO_DROPPED;
		} else if ((r->reply = dup_text(msg, len))) {
			r->reply_len = len;
			r->st = EMU_TCLO_DONE;
			emu_log(h, "TCLO: %s: '%s' -> '%.*s'", r->app, r->cmd,
				(int)(len < 1024 ? len : 1024), r->reply);
		} else {
			return -1;
		}
		tc->wait_id = 0;
	}
	if (!tc->ready && tc->stage != HS_FAILED) {
		n = handshake_cmd(h, tc, buf, sizeof(buf));
		if (n > 0) {
			tc->hs_wait = 1;
			return put(out, buf, (size_t)n);
		}
		tc->ready = 1;
		emu_log(h, "TCLO: %s: handshake done", tc->app);
	}
	if (!tc->ready || !(r = next_for(t, tc->app)))
		return 0;
	if (put(out, r->cmd, r->cmd_len))
		return -1;
	r->st = EMU_TCLO_SENT;
	tc->wait_id = r->id;
	return 0;
}

void emu_tclo_close(struct emu_host *h, struct emu_chan *c)
{
	struct emu_tclo_rec *r = rec(&h->tclo, c->tc.wait_id);

	if (r && r->st == EMU_TCLO_SENT)
		r->st = EMU_TCLO_DROPPED;
	c->tc = (struct emu_tclo_chan){ 0 };
}

void emu_tclo_free(struct emu_tclo *t)
{
	for (size_t i = 0; i < VMW_EMU_MAX_TCLO; i++) {
		free(t->rec[i].cmd);
		free(t->rec[i].reply);
	}
	free(t->last);
	memset(t, 0, sizeof(*t));
}
