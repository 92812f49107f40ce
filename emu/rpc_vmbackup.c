// SPDX-License-Identifier: MIT
/*
 * A quiesce (vmbackup), driven by the host as a VMX drives it for a
 * quiesced snapshot: the TCLO command starts it, the guest reports each
 * step with "vmbackup.eventSet <event> <code> <message>", and once it says
 * the snapshot may be taken (prov.snapshotCommit) the host answers
 * vmbackup.snapshotDone, or vmbackup.abort.  The guest ends every quiesce
 * with req.done.  Events: open-vm-tools' lib/include/vmware/guestrpc/vmbackup.h.
 *
 * The host asks only for the scripts-only type (vmbackup.startWithOpts,
 * quiesceApps and quiesceFS off, execScripts on): the guest's null
 * provider then runs its freeze and thaw scripts and calls sync(), and never
 * freezes a filesystem, which on a machine that is not a VM would freeze
 * the machine itself.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static const char *const events[] = {
	"reset", "req.aborted", "req.done", "req.error", "req.manifest", "req.genericManifest",
	"prov.snapshotAbort", "prov.snapshotCommit", "prov.snapshotPrepare", "req.writerError",
	"req.keepAlive",
};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16), p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

int emu_quiesce_start(struct emu_host *h, int abort)
{
	/* XDR GuestQuiesceParams: version 1, the V1 arm present, createManifest,
	 * quiesceApps, quiesceFS, writableSnapshot, execScripts, scriptArg (empty),
	 * timeout (0: the guest's default), diskUuids (empty). */
	static const uint32_t params[] = { 1, 1, 0, 0, 0, 0, 1, 0, 0, 0 };
	static const char name[] = "vmbackup.startWithOpts ";
	uint8_t cmd[sizeof(name) - 1 + sizeof(params)];
	struct emu_quiesce *q = &h->quiesce;
	enum emu_quiesce_st st = emu_quiesce_state(h);
	uint64_t id;

	if (st == EMU_QUIESCE_STARTED || st == EMU_QUIESCE_COMMITTED)
		return -1;
	memcpy(cmd, name, sizeof(name) - 1);
	for (size_t i = 0; i < sizeof(params) / sizeof(*params); i++)
		put32(cmd + sizeof(name) - 1 + 4 * i, params[i]);
	id = emu_tclo_send_bytes(h, NULL, cmd, sizeof(cmd));
	if (!id)
		return -1;
	*q = (struct emu_quiesce){ .st = EMU_QUIESCE_STARTED, .abort = !!abort, .start_id = id,
				   .serial = q->serial + 1 };
	emu_log(h, "VMBACKUP: quiesce %llu started (scripts only)%s",
		(unsigned long long)q->serial, abort ? ", to be aborted" : "");
	return 0;
}

int emu_quiesce_abort(struct emu_host *h)
{
	struct emu_quiesce *q = &h->quiesce;
	enum emu_quiesce_st st = emu_quiesce_state(h);

	if ((st != EMU_QUIESCE_STARTED && st != EMU_QUIESCE_COMMITTED) || q->abort_sent)
		return -1;
	q->abort = 1;
	if (!emu_tclo_send(h, NULL, "vmbackup.abort"))
		return -1;
	q->abort_sent = 1;
	emu_log(h, "VMBACKUP: quiesce %llu aborted by the host", (unsigned long long)q->serial);
	return 0;
}

enum emu_quiesce_st emu_quiesce_state(const struct emu_host *h)
{
	const struct emu_quiesce *q = &h->quiesce;
	const char *reply;
	size_t len;
	int rc;

	/* The guest refused the start (one already running, bad parameters)
	 * or lost it: nothing will follow. */
	if (q->st == EMU_QUIESCE_STARTED && !q->nev) {
		rc = emu_tclo_result(h, q->start_id, &reply, &len);
		if (rc < 0 || (rc > 0 && (len < 2 || memcmp(reply, "OK", 2))))
			return EMU_QUIESCE_FAILED;
	}
	return q->st;
}

const char *emu_quiesce_event(const struct emu_host *h, size_t i, uint32_t *code, const char **msg)
{
	const struct emu_quiesce *q = &h->quiesce;

	if (i >= q->nev)
		return NULL;
	if (code)
		*code = q->ev[i].code;
	if (msg)
		*msg = q->ev[i].msg;
	return q->ev[i].name;
}

/* "<event> <code> <message>": the message may be empty, the space before it not. */
static int event_set(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out)
{
	struct emu_quiesce *q = &h->quiesce;
	const uint8_t *end = arg + len, *sp = memchr(arg, ' ', len), *p;
	const char *name = NULL;
	enum emu_quiesce_st st;
	uint64_t code = 0;
	size_t n;

	if (!sp)
		return EMU_REPLY(out, 0, "Invalid arguments");
	n = (size_t)(sp - arg);
	for (size_t i = 0; i < sizeof(events) / sizeof(*events); i++)
		if (strlen(events[i]) == n && !memcmp(events[i], arg, n))
			name = events[i];
	for (p = sp + 1; p < end && *p >= '0' && *p <= '9' && code <= UINT32_MAX; p++)
		code = code * 10 + (uint64_t)(*p - '0');
	if (!name || p == sp + 1 || code > UINT32_MAX || (p < end && *p != ' '))
		return EMU_REPLY(out, 0, "Invalid arguments");
	st = emu_quiesce_state(h);
	if (st != EMU_QUIESCE_STARTED && st != EMU_QUIESCE_COMMITTED)
		return EMU_REPLY(out, 0, "No quiesce operation in progress");
	p = p < end ? p + 1 : p;
	n = (size_t)(end - p);
	emu_log(h, "VMBACKUP: event %s %u '%.*s'", name, (unsigned)code, (int)(n > 256 ? 256 : n),
		(const char *)p);
	if (!strcmp(name, "req.keepAlive")) {
		q->keepalives++;
		return EMU_REPLY(out, 1, "");
	}
	if (q->nev < EMU_QUIESCE_EVENTS) {
		struct emu_quiesce_ev *e = &q->ev[q->nev++];

		snprintf(e->name, sizeof(e->name), "%s", name);
		e->code = (uint32_t)code;
		if (n > EMU_QUIESCE_MSG)
			n = EMU_QUIESCE_MSG;
		memcpy(e->msg, p, n);
		e->msg[n] = '\0';
	}
	if (!strcmp(name, "req.aborted") || !strcmp(name, "prov.snapshotAbort")) {
		q->guest_abort = 1;
	} else if (!strcmp(name, "req.error") || !strcmp(name, "req.writerError")) {
		q->guest_error = 1;
	} else if (!strcmp(name, "prov.snapshotCommit") && q->st == EMU_QUIESCE_STARTED) {
		/* The guest is quiesced: take the snapshot (there is none to take),
		 * or abort as asked. */
		q->st = EMU_QUIESCE_COMMITTED;
		if (q->abort)
			emu_quiesce_abort(h);
		else if (!emu_tclo_send(h, NULL, "vmbackup.snapshotDone"))
			q->guest_error = 1;
	} else if (!strcmp(name, "req.done")) {
		q->st = q->abort || q->guest_abort ? EMU_QUIESCE_ABORTED
			: q->guest_error || q->st != EMU_QUIESCE_COMMITTED ? EMU_QUIESCE_FAILED
			: EMU_QUIESCE_COMPLETED;
		emu_log(h, "VMBACKUP: quiesce %llu %s", (unsigned long long)q->serial,
			emu_quiesce_name(q->st));
	}
	return EMU_REPLY(out, 1, "");
}

const char *emu_quiesce_name(enum emu_quiesce_st st)
{
	static const char *const names[] = { "none", "started", "committed", "completed",
					     "aborted", "failed" };

	return (unsigned)st < sizeof(names) / sizeof(*names) ? names[st] : "unknown";
}

const struct emu_rpc_cmd emu_rpc_vmbackup[] = {
	{ "vmbackup.eventSet", event_set, 0 },
	{ NULL, NULL, 0 },
};
