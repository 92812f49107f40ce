// SPDX-License-Identifier: MIT
/* Control requests: parse, check every member, act through emu/host.h. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vmwcall/proto.h"
#include "ctl_req.h"

#define MAX_TIMEOUT_MS (7u * 24 * 3600 * 1000)

struct req {
	struct json_obj o;
	const char *op;
	struct sbuf id;		/* the "id" member as JSON text; empty if none */
};

static void head(struct sbuf *out, const struct req *q, int ok)
{
	sb_puts(out, "{");
	if (q && q->id.len) {
		sb_puts(out, "\"id\":");
		sb_put(out, q->id.p, q->id.len);
		sb_puts(out, ",");
	}
	sb_puts(out, ok ? "\"ok\":true" : "\"ok\":false");
}

static enum ctl_kind error(struct sbuf *out, const struct req *q, const char *what)
{
	head(out, q, 0);
	sb_puts(out, ",\"error\":");
	sb_json_str(out, what, strlen(what));
	sb_puts(out, "}\n");
	return CTL_DONE;
}

static enum ctl_kind done(struct sbuf *out, const struct req *q)
{
	head(out, q, 1);
	sb_puts(out, "}\n");
	return CTL_DONE;
}

/* Every member is one the op takes ("op" and "id" always). */
static const char *unknown_member(const struct req *q, const char *const *allowed)
{
	for (size_t i = 0; i < q->o.n; i++) {
		const char *name = q->o.m[i].name;
		size_t j;

		if (!strcmp(name, "op") || !strcmp(name, "id"))
			continue;
		for (j = 0; allowed[j] && strcmp(allowed[j], name); j++)
			;
		if (!allowed[j])
			return name;
	}
	return NULL;
}

/* The "key" member without its guestinfo. prefix; NULL if missing or invalid. */
static const char *key_of(const struct req *q, const char **why)
{
	const struct json_member *m = json_get(&q->o, "key");
	const char *k;

	*why = "\"key\" must be a string";
	if (!m || m->type != JSON_STR)
		return NULL;
	k = m->s;
	if (!strncmp(k, VMW_GUESTINFO_PREFIX, VMW_GUESTINFO_PREFIX_LEN))
		k += VMW_GUESTINFO_PREFIX_LEN;
	*why = "the key is empty, or holds a NUL byte";
	if (!*k || strlen(m->s) != m->len)
		return NULL;
	return k;
}

/* "value" (a string) or "value_base64": decoded into *buf (malloc'd). */
static int value_of(const struct req *q, uint8_t **buf, size_t *len, const char **why)
{
	const struct json_member *v = json_get(&q->o, "value");
	const struct json_member *b = json_get(&q->o, "value_base64");
	long n;

	*buf = NULL;
	if (v && b) {
		*why = "give \"value\" or \"value_base64\", not both";
		return -1;
	}
	if (!v && !b)
		return 0;
	if ((v ? v : b)->type != JSON_STR) {
		*why = "the value must be a string";
		return -1;
	}
	*buf = malloc((v ? v : b)->len + 1);
	if (!*buf) {
		*why = "out of memory";
		return -1;
	}
	if (v) {
		memcpy(*buf, v->s, v->len);
		*len = v->len;
		return 1;
	}
	n = base64_decode(b->s, b->len, *buf);
	if (n < 0) {
		free(*buf);
		*buf = NULL;
		*why = "\"value_base64\" is not base64";
		return -1;
	}
	*len = (size_t)n;
	return 1;
}

/* A successful get: {"ok":true,"value":...}. */
static enum ctl_kind value_reply(struct sbuf *out, const struct req *q, const char *val, size_t len)
{
	head(out, q, 1);
	sb_json_bytes(out, 1, "value", val, len, SIZE_MAX);
	sb_puts(out, "}\n");
	return CTL_DONE;
}

static enum ctl_kind info_get(struct emu_host *h, const struct req *q, struct sbuf *out)
{
	static const char *const allowed[] = { "key", NULL };
	const char *why, *key = key_of(q, &why), *val;
	size_t len;

	if (unknown_member(q, allowed))
		return error(out, q, "info.get takes \"key\"");
	if (!key)
		return error(out, q, why);
	val = emu_info_get(h, key, &len);
	if (!val)
		return error(out, q, "No value found");
	return value_reply(out, q, val, len);
}

static enum ctl_kind info_set(struct emu_host *h, const struct req *q, struct sbuf *out)
{
	static const char *const allowed[] = { "key", "value", "value_base64", NULL };
	const char *why, *key = key_of(q, &why);
	uint8_t *val;
	size_t len;
	int rc;

	if (unknown_member(q, allowed))
		return error(out, q, "info.set takes \"key\" and \"value\" or \"value_base64\"");
	if (!key)
		return error(out, q, why);
	rc = value_of(q, &val, &len, &why);
	if (rc < 0)
		return error(out, q, why);
	if (rc == 0)
		return error(out, q, "info.set needs \"value\" or \"value_base64\"");
	rc = emu_info_set(h, key, val, len);
	free(val);
	if (rc)
		return error(out, q, "Unable to set value: key or value too long, or too many keys");
	return done(out, q);
}

static enum ctl_kind info_del(struct emu_host *h, const struct req *q, struct sbuf *out)
{
	static const char *const allowed[] = { "key", NULL };
	const char *why, *key = key_of(q, &why);

	if (unknown_member(q, allowed))
		return error(out, q, "info.del takes \"key\"");
	if (!key)
		return error(out, q, why);
	if (emu_info_del(h, key))
		return error(out, q, "No value found");
	return done(out, q);
}

static int list_one(void *ctx, const char *key, const char *val, size_t len)
{
	struct sbuf *out = ctx;
	char full[16 + 1024];
	size_t k = strlen(key);

	(void)val, (void)len;
	if (k > sizeof(full) - sizeof(VMW_GUESTINFO_PREFIX))
		k = sizeof(full) - sizeof(VMW_GUESTINFO_PREFIX);
	memcpy(full, VMW_GUESTINFO_PREFIX, VMW_GUESTINFO_PREFIX_LEN);
	memcpy(full + VMW_GUESTINFO_PREFIX_LEN, key, k);
	if (out->p[out->len - 1] != '[')
		sb_puts(out, ",");
	sb_puts(out, "{");
	/* A key of bytes that are not UTF-8 comes as key_base64. */
	sb_json_bytes(out, 0, "key", full, VMW_GUESTINFO_PREFIX_LEN + k, SIZE_MAX);
	sb_puts(out, "}");
	return out->err;
}

static enum ctl_kind info_list(struct emu_host *h, const struct req *q, struct sbuf *out)
{
	static const char *const allowed[] = { NULL };

	if (unknown_member(q, allowed))
		return error(out, q, "info.list takes no arguments");
	head(out, q, 1);
	sb_puts(out, ",\"keys\":[");
	emu_info_each(h, list_one, out);
	sb_puts(out, "]}\n");
	return CTL_DONE;
}

void ctl_stats_json(struct sbuf *b, const struct emu_stats *s)
{
	sb_printf(b, "{\"hypercalls\": %" PRIu64 ", \"lb\": %" PRIu64 ", \"hb_in\": %" PRIu64
		  ", \"hb_out\": %" PRIu64 ", \"bytes_in\": %" PRIu64 ", \"bytes_out\": %" PRIu64,
		  s->calls, s->lb, s->hb_in, s->hb_out, s->bytes_in, s->bytes_out);
	sb_printf(b, ", \"rpcs\": %" PRIu64 ", \"checkpoints\": %" PRIu64 ", \"faults\": %" PRIu64
		  ", \"steps\": %" PRIu64 ", \"refused\": %" PRIu64 "}",
		  s->rpcs, s->checkpoints, s->faults, s->steps, s->refused);
}

static enum ctl_kind stats(struct emu_host *h, const struct req *q, struct sbuf *out)
{
	static const char *const allowed[] = { NULL };

	if (unknown_member(q, allowed))
		return error(out, q, "stats takes no arguments");
	head(out, q, 1);
	sb_puts(out, ",\"stats\":");
	ctl_stats_json(out, emu_host_stats(h));
	sb_puts(out, "}\n");
	return CTL_DONE;
}

static enum ctl_kind events(const struct req *q, struct sbuf *out)
{
	static const char *const allowed[] = { NULL };

	if (unknown_member(q, allowed))
		return error(out, q, "events takes no arguments");
	head(out, q, 1);
	sb_puts(out, ",\"events\":true}\n");
	return CTL_EVENTS;
}

static int timeout_of(const struct req *q, struct ctl_wait *w)
{
	const struct json_member *t = json_get(&q->o, "timeout_ms");

	w->timeout_ms = 0;
	w->has_timeout = t != NULL;
	return t && json_uint(t, MAX_TIMEOUT_MS, &w->timeout_ms) ? -1 : 0;
}

static char *id_copy(const struct req *q)
{
	char *id;

	if (!q->id.len)
		return NULL;
	id = malloc(q->id.len + 1);
	if (id)
		memcpy(id, q->id.p, q->id.len + 1);
	return id;
}

static enum ctl_kind start_wait(struct emu_host *h, struct sbuf *out,
				struct ctl_wait *w);

static enum ctl_kind wait_info(struct emu_host *h, const struct req *q,
			       struct sbuf *out, struct ctl_wait *w)
{
	static const char *const allowed[] = { "key", "value", "value_base64", "timeout_ms", NULL };
	const char *why, *key = key_of(q, &why);
	int rc;

	if (unknown_member(q, allowed))
		return error(out, q, "wait.info takes \"key\", \"value\" and \"timeout_ms\"");
	if (!key)
		return error(out, q, why);
	if (timeout_of(q, w))
		return error(out, q, "\"timeout_ms\" must be an integer 0..604800000");
	rc = value_of(q, &w->value, &w->vlen, &why);
	if (rc < 0)
		return error(out, q, why);
	w->what = W_INFO;
	w->key = strdup(key);
	w->id = id_copy(q);
	if (!w->key || (q->id.len && !w->id)) {
		ctl_wait_free(w);
		return error(out, q, "out of memory");
	}
	return start_wait(h, out, w);
}

static enum ctl_kind start_wait(struct emu_host *h, struct sbuf *out,
				struct ctl_wait *w)
{
	if (ctl_wait_check(h, w, out, 0, 0)) {
		ctl_wait_free(w);
		return CTL_DONE;
	}
	return CTL_WAIT;
}

/* The optional "app" member: 0 and *app (NULL if absent), or -1 if not a string. */
static int app_of(const struct req *q, const char **app)
{
	const struct json_member *a = json_get(&q->o, "app");

	*app = NULL;
	if (!a)
		return 0;
	if (a->type != JSON_STR || strlen(a->s) != a->len)
		return -1;
	*app = a->s;
	return 0;
}

static enum ctl_kind wait_tools(struct emu_host *h, const struct req *q,
				struct sbuf *out, struct ctl_wait *w)
{
	static const char *const allowed[] = { "app", "timeout_ms", NULL };
	const char *app;

	if (unknown_member(q, allowed))
		return error(out, q, "wait.tools takes \"app\" and \"timeout_ms\"");
	if (timeout_of(q, w))
		return error(out, q, "\"timeout_ms\" must be an integer 0..604800000");
	if (app_of(q, &app))
		return error(out, q, "\"app\" must be a string");
	w->what = W_TOOLS;
	w->id = id_copy(q);
	w->app = app ? strdup(app) : NULL;
	if ((q->id.len && !w->id) || (app && !w->app)) {
		ctl_wait_free(w);
		return error(out, q, "out of memory");
	}
	return start_wait(h, out, w);
}

/* Send cmd to the tools and wait for the answer (and for a power op, the script). */
static enum ctl_kind send_tclo(struct emu_host *h, const struct req *q,
			       struct sbuf *out, struct ctl_wait *w, const char *app,
			       const char *cmd, int power)
{
	int ok, state;

	if (timeout_of(q, w))
		return error(out, q, "\"timeout_ms\" must be an integer 0..604800000");
	w->what = power ? W_POWER : W_TCLO;
	w->statechanges = emu_tools_statechange(h, &ok, &state);
	w->id = id_copy(q);
	if (q->id.len && !w->id)
		return error(out, q, "out of memory");
	w->tclo = emu_tclo_send(h, app, cmd);
	if (!w->tclo) {
		ctl_wait_free(w);
		return error(out, q, "cannot queue the command: bad application or the TCLO "
				     "queue is full");
	}
	return start_wait(h, out, w);
}

static enum ctl_kind tclo(struct emu_host *h, const struct req *q,
			  struct sbuf *out, struct ctl_wait *w)
{
	static const char *const allowed[] = { "cmd", "app", "timeout_ms", NULL };
	const struct json_member *cmd = json_get(&q->o, "cmd");
	const char *app;

	if (unknown_member(q, allowed))
		return error(out, q, "tclo takes \"cmd\", \"app\" and \"timeout_ms\"");
	if (!cmd || cmd->type != JSON_STR || !cmd->len || strlen(cmd->s) != cmd->len)
		return error(out, q, "\"cmd\" must be a non-empty string without NUL");
	if (app_of(q, &app))
		return error(out, q, "\"app\" must be a string");
	return send_tclo(h, q, out, w, app, cmd->s, 0);
}

/* Start a quiesce and wait for its end: completed, aborted or failed. */
static enum ctl_kind quiesce(struct emu_host *h, const struct req *q, struct sbuf *out,
			     struct ctl_wait *w)
{
	static const char *const allowed[] = { "abort", "timeout_ms", NULL };
	const struct json_member *a = json_get(&q->o, "abort");

	if (unknown_member(q, allowed))
		return error(out, q, "quiesce takes \"abort\" and \"timeout_ms\"");
	if (a && a->type != JSON_BOOL)
		return error(out, q, "\"abort\" must be true or false");
	if (timeout_of(q, w))
		return error(out, q, "\"timeout_ms\" must be an integer 0..604800000");
	w->what = W_QUIESCE;
	w->id = id_copy(q);
	if (q->id.len && !w->id)
		return error(out, q, "out of memory");
	if (emu_quiesce_start(h, a && a->b)) {
		ctl_wait_free(w);
		return error(out, q, "a quiesce is under way, or the TCLO queue is full");
	}
	return start_wait(h, out, w);
}

static enum ctl_kind power(struct emu_host *h, const struct req *q,
			   struct sbuf *out, struct ctl_wait *w)
{
	static const char *const allowed[] = { "action", "timeout_ms", NULL };
	static const char *const ops[][2] = {
		{ "halt", "OS_Halt" }, { "reboot", "OS_Reboot" }, { "suspend", "OS_Suspend" },
		{ "resume", "OS_Resume" }, { "poweron", "OS_PowerOn" },
	};
	const struct json_member *a = json_get(&q->o, "action");

	if (unknown_member(q, allowed))
		return error(out, q, "power takes \"action\" and \"timeout_ms\"");
	for (size_t i = 0; a && a->type == JSON_STR && i < sizeof(ops) / sizeof(*ops); i++)
		if (!strcmp(a->s, ops[i][0]))
			return send_tclo(h, q, out, w, NULL, ops[i][1], 1);
	return error(out, q, "\"action\" must be halt, reboot, suspend, resume or poweron");
}

static enum ctl_kind guest(struct emu_host *h, struct guestview *gv, const struct req *q,
			   struct sbuf *out)
{
	static const char *const allowed[] = { NULL };

	if (unknown_member(q, allowed))
		return error(out, q, "guest takes no arguments");
	head(out, q, 1);
	sb_puts(out, ",\"guest\":");
	gv_json(gv, h, out);
	sb_puts(out, "}\n");
	return CTL_DONE;
}

int ctl_wait_check(struct emu_host *h, const struct ctl_wait *w, struct sbuf *out, int timed_out,
		   int ended)
{
	struct req q = { .id = { .p = w->id, .len = w->id ? strlen(w->id) : 0 } };
	const char *val, *reply, *app;
	size_t len, rlen;
	uint64_t changes;
	int rc, ok, state;
	enum emu_quiesce_st st;

	switch (w->what) {
	case W_INFO:
		val = emu_info_get(h, w->key, &len);
		if (val && (!w->value || (len == w->vlen && !memcmp(val, w->value, len)))) {
			head(out, &q, 1);
			sb_json_bytes(out, 1, "value", val, len, SIZE_MAX);
			sb_puts(out, "}\n");
			return 1;
		}
		break;
	case W_TOOLS:
		if (emu_tools_state(h, w->app) == EMU_TOOLS_READY) {
			head(out, &q, 1);
			app = w->app ? w->app : EMU_TOOLS_APP;
			sb_json_bytes(out, 1, "app", app, strlen(app), 256);
			sb_puts(out, "}\n");
			return 1;
		}
		break;
	case W_QUIESCE:
		st = emu_quiesce_state(h);
		if (st == EMU_QUIESCE_STARTED || st == EMU_QUIESCE_COMMITTED) {
			if (!timed_out)
				break;
			/* As vCenter gives up: the host aborts the guest's quiesce. */
			emu_quiesce_abort(h);
		}
		head(out, &q, 1);
		sb_puts(out, ",");
		gv_quiesce_json(h, out);
		if (timed_out && st != EMU_QUIESCE_COMPLETED && st != EMU_QUIESCE_ABORTED &&
		    st != EMU_QUIESCE_FAILED)
			sb_puts(out, ",\"timed_out\":true");
		sb_puts(out, "}\n");
		return 1;
	case W_TCLO:
	case W_POWER:
		rc = emu_tclo_result(h, w->tclo, &reply, &rlen);
		if (rc < 0)
			return error(out, &q, "the tools closed the channel before answering, or the "
					      "command was forgotten (too many in flight)"), 1;
		changes = emu_tools_statechange(h, &ok, &state);
		/* A power op is over when the script has run: the guest reports it. */
		if (rc > 0 && (w->what == W_TCLO || rlen < 2 || memcmp(reply, "OK", 2) ||
			       changes > w->statechanges)) {
			head(out, &q, 1);
			sb_json_bytes(out, 1, "reply", reply, rlen, SIZE_MAX);
			if (w->what == W_POWER && changes > w->statechanges)
				sb_printf(out, ",\"statechange\":\"%d %d\"", ok, state);
			sb_puts(out, "}\n");
			return 1;
		}
		break;
	}
	if (timed_out)
		return error(out, &q, "timed out"), 1;
	if (ended)
		return error(out, &q, "the emulator ended first"), 1;
	return 0;
}

void ctl_wait_free(struct ctl_wait *w)
{
	free(w->key);
	free(w->app);
	free(w->value);
	free(w->id);
	memset(w, 0, sizeof(*w));
}

static int take_id(struct req *q, struct sbuf *out)
{
	const struct json_member *id = json_get(&q->o, "id");

	sb_init(&q->id, 1024);
	if (!id)
		return 0;
	if (id->type == JSON_STR)
		sb_json_str(&q->id, id->s, id->len);
	else if (id->type == JSON_NUM)
		sb_put(&q->id, id->s, id->len);
	if (id->type == JSON_STR || id->type == JSON_NUM) {
		if (!q->id.err)
			return 0;
		sb_free(&q->id);
		error(out, NULL, "\"id\" is longer than 1000 bytes");
		return -1;
	}
	error(out, NULL, "\"id\" must be a string or a number");
	return -1;
}

/* Member name as a string without a NUL in it; NULL otherwise. */
static const char *str_of(const struct req *q, const char *name)
{
	const struct json_member *m = json_get(&q->o, name);

	return m && m->type == JSON_STR && strlen(m->s) == m->len ? m->s : NULL;
}

static enum ctl_kind ns_create(struct emu_host *h, const struct req *q, struct sbuf *out)
{
	static const char *const allowed[] = { "name", NULL };
	const char *name = str_of(q, "name");

	if (unknown_member(q, allowed) || !name)
		return error(out, q, "ns.create takes \"name\", a string");
	if (emu_ns_create(h, name))
		return error(out, q, "the name is empty or too long, or there are too many namespaces");
	return done(out, q);
}

static enum ctl_kind ns_get(struct emu_host *h, const struct req *q, struct sbuf *out)
{
	static const char *const allowed[] = { "name", "key", NULL };
	const char *name = str_of(q, "name"), *key = str_of(q, "key"), *val;
	size_t len;

	if (unknown_member(q, allowed) || !name || !key)
		return error(out, q, "ns.get takes \"name\" and \"key\", strings");
	if (!(val = emu_ns_get(h, name, key, &len)))
		return error(out, q, "No such namespace or key");
	return value_reply(out, q, val, len);
}

/* An empty value deletes, as a guest's set-keys does. */
static enum ctl_kind ns_set(struct emu_host *h, const struct req *q, struct sbuf *out)
{
	static const char *const allowed[] = { "name", "key", "value", NULL };
	const char *name = str_of(q, "name"), *key = str_of(q, "key");
	const struct json_member *v = json_get(&q->o, "value");

	if (unknown_member(q, allowed) || !name || !key || !v || v->type != JSON_STR)
		return error(out, q, "ns.set takes \"name\", \"key\" and \"value\", strings");
	if (emu_ns_set(h, name, key, v->s, v->len))
		return error(out, q, "no such namespace, key or value too long, a NUL in the value, "
				     "or the namespace full");
	return done(out, q);
}

static const struct {
	const char *op;
	enum ctl_kind (*fn)(struct emu_host *h, const struct req *q, struct sbuf *out);
} verbs[] = {
	{ "info.get", info_get },
	{ "info.set", info_set },
	{ "info.del", info_del },
	{ "info.list", info_list },
	{ "stats", stats },
	{ "ns.create", ns_create },
	{ "ns.get", ns_get },
	{ "ns.set", ns_set },
};

enum ctl_kind ctl_handle(struct emu_host *h, struct guestview *gv, const char *line, size_t len,
			 struct sbuf *out, struct ctl_wait *w)
{
	char *scratch = malloc(JSON_SCRATCH(len));
	const struct json_member *op;
	enum ctl_kind k = CTL_DONE;
	const char *err;
	struct req q;

	memset(w, 0, sizeof(*w));
	if (!scratch)
		return error(out, NULL, "out of memory");
	if (json_parse(line, len, scratch, &q.o, &err)) {
		error(out, NULL, err);
		goto out;
	}
	if (take_id(&q, out))
		goto out;
	op = json_get(&q.o, "op");
	if (!op || op->type != JSON_STR) {
		error(out, &q, "the request needs \"op\", a string");
		goto out_id;
	}
	q.op = op->s;
	if (!strcmp(q.op, "events"))
		k = events(&q, out);
	else if (!strcmp(q.op, "wait.info"))
		k = wait_info(h, &q, out, w);
	else if (!strcmp(q.op, "wait.tools"))
		k = wait_tools(h, &q, out, w);
	else if (!strcmp(q.op, "tclo"))
		k = tclo(h, &q, out, w);
	else if (!strcmp(q.op, "power"))
		k = power(h, &q, out, w);
	else if (!strcmp(q.op, "quiesce"))
		k = quiesce(h, &q, out, w);
	else if (!strcmp(q.op, "guest"))
		k = guest(h, gv, &q, out);
	else {
		size_t i;

		for (i = 0; i < sizeof(verbs) / sizeof(*verbs) && strcmp(verbs[i].op, q.op); i++)
			;
		if (i < sizeof(verbs) / sizeof(*verbs))
			k = verbs[i].fn(h, &q, out);
		else
			error(out, &q, "unknown op");
	}
out_id:
	sb_free(&q.id);
out:
	free(scratch);
	return k;
}
