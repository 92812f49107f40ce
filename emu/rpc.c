// SPDX-License-Identifier: MIT
/*
 * What the host says to complete guest messages: RPCI requests get VMware's
 * "1 result" / "0 error" replies; on TCLO the guest's message is its answer
 * to the previous host command and the reply is the next queued command.
 */
#include <stdlib.h>
#include <string.h>

#include "vmwcall/proto.h"
#include "internal.h"
#include "profile.h"

#define GUESTINFO "guestinfo."

int emu_reply(struct emu_buf *out, int ok, const void *text, size_t len)
{
	out->p = malloc(len + 2);
	if (!out->p)
		return -1;
	out->p[0] = ok ? '1' : '0';
	out->p[1] = ' ';
	memcpy(out->p + 2, text, len);
	out->len = (uint32_t)len + 2;
	out->pos = 0;
	return 0;
}

#define REPLY EMU_REPLY
#define reply emu_reply

/* Does msg[0..len) start with word, followed by a space or the end? */
static size_t is_cmd(const uint8_t *msg, size_t len, const char *word)
{
	size_t n = strlen(word);

	if (len < n || memcmp(msg, word, n) || (len > n && msg[n] != ' '))
		return 0;
	return len > n ? n + 1 : n;
}

/* Copy a guestinfo key (after the prefix) to a C string; -1 if invalid. */
static int info_key(const uint8_t *p, size_t len, char *key)
{
	size_t pre = sizeof(GUESTINFO) - 1;

	if (len <= pre || len - pre > VMW_EMU_MAX_KEY_LEN || memcmp(p, GUESTINFO, pre))
		return -1;
	if (memchr(p, '\0', len))
		return -1;
	memcpy(key, p + pre, len - pre);
	key[len - pre] = '\0';
	return 0;
}

static int info_get(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out)
{
	char key[VMW_EMU_MAX_KEY_LEN + 1];
	const char *val;
	size_t vlen;

	if (info_key(arg, len, key) || !(val = emu_info_get(h, key, &vlen)))
		return REPLY(out, 0, "No value found");
	if (vlen > h->cfg.max_out_size - 2)
		return REPLY(out, 0, "Value too large");
	return reply(out, 1, val, vlen);
}

static int info_set(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out)
{
	char key[VMW_EMU_MAX_KEY_LEN + 1];
	const uint8_t *sp = memchr(arg, ' ', len);
	const char *why;
	int rc;

	if (!sp)
		return REPLY(out, 0, "Invalid arguments");
	if (info_key(arg, (size_t)(sp - arg), key))
		return REPLY(out, 0, "Invalid key");
	if ((why = emu_profile_refuse_set(&h->cfg, len - (size_t)(sp - arg) - 1)))
		return emu_reply(out, 0, why, strlen(why));
	rc = emu_store_guest_set(h, key, sp + 1, len - (size_t)(sp - arg) - 1);
	/* VMware's text for a full store is not known; guests test only the '0'. */
	if (rc == EMU_STORE_FULL)
		return REPLY(out, 0, "Guest info size limit exceeded");
	if (rc)
		return REPLY(out, 0, "Unable to set value");
	return REPLY(out, 1, "");
}

static int rpci(struct emu_host *h, const uint8_t *msg, uint32_t len, struct emu_buf *out)
{
	static const char *const ok_cmds[] = {
		"log", "tools.set.version", "tools.set.versiontype", "tools.capability.",
		"vmx.capability.unified_loop", "SetGuestInfo", "tools.os.statechange.status",
	};
	size_t skip;

	if ((skip = is_cmd(msg, len, "info-get")))
		return info_get(h, msg + skip, len - skip, out);
	if ((skip = is_cmd(msg, len, "info-set")))
		return info_set(h, msg + skip, len - skip, out);
	if ((skip = is_cmd(msg, len, "guestlib.info.get")))
		return emu_rpc_guestlib_info(h, msg + skip, len - skip, out);
	if ((skip = is_cmd(msg, len, "guestlib.stat.get")))
		return emu_rpc_guestlib_stat(h, msg + skip, len - skip, out);
	if (is_cmd(msg, len, "machine.id.get")) {
		if (!h->cfg.machine_id)
			return REPLY(out, 0, "No machine id");
		return reply(out, 1, h->cfg.machine_id, strlen(h->cfg.machine_id));
	}
	for (size_t i = 0; i < sizeof(ok_cmds) / sizeof(*ok_cmds); i++) {
		size_t n = strlen(ok_cmds[i]);

		/* "tools.capability." is a family: a prefix match. */
		if (ok_cmds[i][n - 1] == '.' ? len > n && !memcmp(msg, ok_cmds[i], n)
					     : is_cmd(msg, len, ok_cmds[i]) != 0)
			return REPLY(out, 1, "");
	}
	return REPLY(out, 0, "Unknown command");
}

static int tclo(struct emu_host *h, const uint8_t *msg, uint32_t len, struct emu_buf *out)
{
	struct emu_tclo *t = &h->tclo;
	char *cmd;

	if (len) {
		char *last = malloc(len + 1);

		if (!last)
			return -1;
		memcpy(last, msg, len);
		last[len] = '\0';
		free(t->last);
		t->last = last;
		t->last_len = len;
	}
	cmd = emu_tclo_pop(h);
	if (!cmd)
		return 0;
	out->p = (uint8_t *)cmd;
	out->len = (uint32_t)strlen(cmd);
	out->pos = 0;
	return 0;
}

int emu_rpc_answer(struct emu_host *h, uint32_t proto, const uint8_t *msg, uint32_t len,
		   struct emu_buf *out)
{
	static const uint8_t none[1];

	if (!msg)
		msg = none;
	if (proto != VMW_PROTO_TCLO && h->cfg.rpci_answer) {
		size_t n = 0;

		out->pos = 0;
		if (h->cfg.rpci_answer(h->cfg.rpci_answer_ctx, msg, len, &out->p, &n))
			return -1;
		out->len = (uint32_t)n;
		return 0;
	}
	return proto == VMW_PROTO_TCLO ? tclo(h, msg, len, out) : rpci(h, msg, len, out);
}
