// SPDX-License-Identifier: MIT
/*
 * What the host says to complete RPCI requests: VMware's "1 result" or
 * "0 error" replies.
 *
 * The VMX reads an RPCI request as a C string: open-vm-tools sends most of
 * them with the terminating NUL counted, some without, so the text ends at
 * the first NUL.  Only the commands whose arguments are binary (namespace
 * database, binary guest info) see the bytes after it.
 */
#include <stdlib.h>
#include <string.h>

#include "vmwcall/proto.h"
#include "internal.h"
#include "profile.h"

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

/* Copy a guestinfo key (after the prefix) to a C string; -1 if invalid. */
static int info_key(const uint8_t *p, size_t len, char *key)
{
	size_t pre = VMW_GUESTINFO_PREFIX_LEN;

	if (len <= pre || len - pre > VMW_EMU_MAX_KEY_LEN || memcmp(p, VMW_GUESTINFO_PREFIX, pre))
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
		return EMU_REPLY(out, 0, "No value found");
	if (vlen > h->cfg.max_out_size - 2)
		return EMU_REPLY(out, 0, "Value too large");
	return emu_reply(out, 1, val, vlen);
}

static int info_set(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out)
{
	char key[VMW_EMU_MAX_KEY_LEN + 1];
	const uint8_t *sp = memchr(arg, ' ', len);
	const char *why;
	int rc;

	if (!sp)
		return EMU_REPLY(out, 0, "Invalid arguments");
	if (info_key(arg, (size_t)(sp - arg), key))
		return EMU_REPLY(out, 0, "Invalid key");
	if ((why = emu_profile_refuse_set(&h->cfg, len - (size_t)(sp - arg) - 1)))
		return emu_reply(out, 0, why, strlen(why));
	rc = emu_store_guest_set(h, key, sp + 1, len - (size_t)(sp - arg) - 1);
	/* VMware's text for a full store is not known; guests test only the '0'. */
	if (rc == EMU_STORE_FULL)
		return EMU_REPLY(out, 0, "Guest info size limit exceeded");
	if (rc)
		return EMU_REPLY(out, 0, "Unable to set value");
	return EMU_REPLY(out, 1, "");
}

static int machine_id(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out)
{
	(void)arg, (void)len;
	if (!h->cfg.machine_id)
		return EMU_REPLY(out, 0, "No machine id");
	return emu_reply(out, 1, h->cfg.machine_id, strlen(h->cfg.machine_id));
}

static const struct emu_rpc_cmd core[] = {
	{ "info-get", info_get, 0 },
	{ "info-set", info_set, 0 },
	{ "machine.id.get", machine_id, 0 },
	{ "guestlib.info.get", emu_rpc_guestlib_info, 0 },
	{ "guestlib.stat.get", emu_rpc_guestlib_stat, 0 },
	{ NULL, NULL, 0 },
};

static const struct emu_rpc_cmd *const tables[] = {
	core, emu_rpc_tools, emu_rpc_vmbackup, emu_rpc_deploypkg, emu_rpc_namespace,
};

/* The command named by msg's first word (n bytes), or NULL. */
static const struct emu_rpc_cmd *lookup(const uint8_t *msg, size_t n)
{
	for (size_t t = 0; t < sizeof(tables) / sizeof(*tables); t++) {
		for (const struct emu_rpc_cmd *c = tables[t]; c->name; c++) {
			size_t k = strlen(c->name);

			if (c->flags & EMU_RPC_FAMILY ? n > k && !memcmp(msg, c->name, k)
						      : n == k && !memcmp(msg, c->name, k))
				return c;
		}
	}
	return NULL;
}

static int rpci(struct emu_host *h, const uint8_t *msg, size_t len, struct emu_buf *out)
{
	const struct emu_rpc_cmd *c;
	size_t n = 0;

	while (n < len && msg[n] != ' ' && msg[n] != '\0')
		n++;
	c = lookup(msg, n);
	if (!c)
		return EMU_REPLY(out, 0, "Unknown command");
	if (!(c->flags & EMU_RPC_RAW)) {
		const uint8_t *nul = memchr(msg, '\0', len);

		if (nul)
			len = (size_t)(nul - msg);
	}
	/* The name, then one space; a family member keeps its full name. */
	if (c->flags & EMU_RPC_FAMILY)
		n = strlen(c->name);
	else if (n < len)
		n++;
	return c->fn(h, msg + n, len - n, out);
}

int emu_rpc_answer(struct emu_host *h, const uint8_t *msg, uint32_t len, struct emu_buf *out)
{
	static const uint8_t none[1];

	if (!msg)
		msg = none;
	if (h->cfg.rpci_answer) {
		size_t n = 0;

		out->pos = 0;
		if (h->cfg.rpci_answer(h->cfg.rpci_answer_ctx, msg, len, &out->p, &n))
			return -1;
		out->len = (uint32_t)n;
		return 0;
	}
	return rpci(h, msg, len, out);
}
