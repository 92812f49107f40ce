// SPDX-License-Identifier: MIT
/*
 * RPCI commands of the tools service: its log lines, version, capabilities,
 * guest information, tools options and disk wiper.  Replies are those
 * open-vm-tools 12.2 expects (doc/vmx.md); the text of a refusal is the
 * host's own where VMware's is not known, since guests test only "0 ".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A decimal number of at most 10 digits ending at a space or the end. */
static int number(const uint8_t **p, const uint8_t *end, uint32_t *v)
{
	uint64_t x = 0;
	const uint8_t *s = *p;

	while (s < end && *s >= '0' && *s <= '9' && s - *p < 10)
		x = x * 10 + (uint64_t)(*s++ - '0');
	if (s == *p || x > UINT32_MAX || (s < end && *s != ' '))
		return -1;
	*v = (uint32_t)x;
	*p = s < end ? s + 1 : s;
	return 0;
}

static int ok_empty(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out)
{
	(void)h, (void)arg, (void)len;
	return EMU_REPLY(out, 1, "");
}

static int bad_args(struct emu_buf *out)
{
	return EMU_REPLY(out, 0, "Invalid arguments");
}

static int guest_log(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out)
{
	emu_log(h, "Guest: %.*s", (int)(len > 4000 ? 4000 : len), (const char *)arg);
	return EMU_REPLY(out, 1, "");
}

static int version(struct emu_host *h, const uint8_t *arg, size_t len, int typed, struct emu_buf *out)
{
	const uint8_t *p = arg, *end = arg + len;
	uint32_t v, type = 0;

	if (number(&p, end, &v) || (typed && number(&p, end, &type)) || p != end)
		return bad_args(out);
	h->tools.version = v;
	h->tools.install_type = type;
	emu_log(h, "TOOLS version %u, install type %u", v, type);
	return EMU_REPLY(out, 1, "");
}

static int set_version(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out)
{
	return version(h, arg, len, 0, out);
}

static int set_versiontype(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out)
{
	return version(h, arg, len, 1, out);
}

/* arg: "<name>[ <args>]" after "tools.capability.". */
static int capability(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out)
{
	struct emu_tools_st *t = &h->tools;
	const uint8_t *sp = memchr(arg, ' ', len);
	size_t n = sp ? (size_t)(sp - arg) : len, alen = sp ? len - n - 1 : 0;
	size_t i;

	if (n == 0 || n > EMU_CAP_NAME || alen > EMU_CAP_ARGS)
		return bad_args(out);
	for (i = 0; i < t->ncap; i++)
		if (strlen(t->cap[i].name) == n && !memcmp(t->cap[i].name, arg, n))
			break;
	if (i == EMU_MAX_CAPS)
		return EMU_REPLY(out, 0, "Too many capabilities");
	if (i == t->ncap) {
		memcpy(t->cap[i].name, arg, n);
		t->cap[i].name[n] = '\0';
		t->ncap++;
	}
	memcpy(t->cap[i].args, sp ? sp + 1 : arg, alen);
	t->cap[i].args[alen] = '\0';
	emu_log(h, "TOOLS capability %s '%s'", t->cap[i].name, t->cap[i].args);
	return EMU_REPLY(out, 1, "");
}

static int unified_loop(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out)
{
	if (len == 0 || len > EMU_APP_MAX || memchr(arg, ' ', len))
		return bad_args(out);
	emu_log(h, "TOOLS unified loop for %.*s", (int)len, (const char *)arg);
	return EMU_REPLY(out, 1, "");
}

/* "<ok 0|1> <state 1..5>" after a power operation's script ran. */
static int statechange(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out)
{
	const uint8_t *p = arg, *end = arg + len;
	uint32_t okv, state;

	if (number(&p, end, &okv) || number(&p, end, &state) || p != end || okv > 1 ||
	    state < 1 || state > 5)
		return bad_args(out);
	h->tools.statechange_ok = (int)okv;
	h->tools.statechange_state = (int)state;
	h->tools.statechanges++;
	emu_log(h, "TOOLS state change %u done, %s", state, okv ? "success" : "failure");
	return EMU_REPLY(out, 1, "");
}

static int keep(struct emu_buf *b, const uint8_t *p, size_t n)
{
	uint8_t *c = malloc(n ? n : 1);

	if (!c)
		return -1;
	memcpy(c, p, n);
	free(b->p);
	*b = (struct emu_buf){ .p = c, .len = (uint32_t)n };
	return 0;
}

/* " <type> <payload>": string types end at their NUL, binary ones are exact. */
static int set_guest_info(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out)
{
	static const uint8_t text_types[] = { 1, 4, 5, 6, 7 };
	const uint8_t *p = arg + 1, *end = arg + len;
	uint32_t type;
	size_t n;

	if (len < 2 || arg[0] != ' ' || number(&p, end, &type) || type == 0 ||
	    type >= EMU_GUESTINFO_TYPES || p[-1] != ' ')
		return bad_args(out);
	n = (size_t)(end - p);
	if (memchr(text_types, (int)type, sizeof(text_types)) && memchr(p, '\0', n))
		n = (size_t)((const uint8_t *)memchr(p, '\0', n) - p);
	if (keep(&h->tools.info[type], p, n))
		return -1;
	return EMU_REPLY(out, 1, "");
}

static int set_disk_info(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out)
{
	/* The JSON must at least look like one, as the VMX parses it. */
	if (len < 2 || arg[0] != '{')
		return bad_args(out);
	if (keep(&h->tools.disks, arg, len))
		return -1;
	return EMU_REPLY(out, 1, "");
}

/* "vmx.set_option <option> <old> <new>": the VMX changes the VM's option. */
static int set_option(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out)
{
	const uint8_t *end = arg + len, *a = memchr(arg, ' ', len), *b;
	char cmd[128];
	int i;

	if (!a || !(b = memchr(a + 1, ' ', (size_t)(end - a - 1))) || b + 1 >= end ||
	    memchr(b + 1, ' ', (size_t)(end - b - 1)))
		return bad_args(out);
	i = emu_opt_find((const char *)arg, (size_t)(a - arg));
	if (i < 0)
		return EMU_REPLY(out, 0, "Unknown option");
	if (emu_opt_set(h, (size_t)i, (const char *)b + 1, (size_t)(end - b - 1)))
		return bad_args(out);
	emu_log(h, "TOOLS option %s = %s", emu_opt_name((size_t)i), h->opt[i]);
	/* The running tools service hears of it as a VMX tells it. */
	snprintf(cmd, sizeof(cmd), "Set_Option %s %s", emu_opt_name((size_t)i), h->opt[i]);
	emu_tclo_send(h, NULL, cmd);
	return EMU_REPLY(out, 1, "");
}

static int wiper(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out)
{
	(void)h, (void)arg;
	if (len)
		return bad_args(out);
	return EMU_REPLY(out, 1, "1");	/* "1": wiping (disk shrink) allowed */
}

const void *emu_guest_info(const struct emu_host *h, unsigned type, size_t *len)
{
	const struct emu_buf *b;

	if (type > EMU_GUESTINFO_DISKS)
		return NULL;
	b = type == EMU_GUESTINFO_DISKS ? &h->tools.disks : &h->tools.info[type];
	if (len)
		*len = b->len;
	return b->p;
}

int emu_tools_version(const struct emu_host *h, uint32_t *version, uint32_t *install_type)
{
	if (!h->tools.version)
		return -1;
	*version = h->tools.version;
	*install_type = h->tools.install_type;
	return 0;
}

const char *emu_tools_capability(const struct emu_host *h, const char *name)
{
	for (size_t i = 0; i < h->tools.ncap; i++)
		if (!strcmp(h->tools.cap[i].name, name))
			return h->tools.cap[i].args;
	return NULL;
}

const char *emu_tools_capability_at(const struct emu_host *h, size_t i, const char **args)
{
	if (i >= h->tools.ncap)
		return NULL;
	if (args)
		*args = h->tools.cap[i].args;
	return h->tools.cap[i].name;
}

uint64_t emu_tools_statechange(const struct emu_host *h, int *ok, int *state)
{
	*ok = h->tools.statechange_ok;
	*state = h->tools.statechange_state;
	return h->tools.statechanges;
}

void emu_tools_free(struct emu_tools_st *t)
{
	for (size_t i = 0; i < EMU_GUESTINFO_TYPES; i++)
		free(t->info[i].p);
	free(t->disks.p);
	memset(t, 0, sizeof(*t));
}

const struct emu_rpc_cmd emu_rpc_tools[] = {
	{ "log", guest_log, 0 },
	{ "tools.set.version", set_version, 0 },
	{ "tools.set.versiontype", set_versiontype, 0 },
	{ "tools.capability.", capability, EMU_RPC_FAMILY },
	{ "vmx.capability.unified_loop", unified_loop, 0 },
	{ "SetGuestInfo", set_guest_info, EMU_RPC_RAW },
	{ "SetGuestDiskInfo", set_disk_info, 0 },
	{ "tools.os.statechange.status", statechange, 0 },
	{ "vmx.set_option", set_option, 0 },
	{ "disk.wiper.enable", wiper, 0 },
	{ "update.tools.health", ok_empty, 0 },
	{ NULL, NULL, 0 },
};
