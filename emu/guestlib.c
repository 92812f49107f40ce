// SPDX-License-Identifier: MIT
/*
 * guestlib.info.get and guestlib.stat.get as an ESXi host answers them.
 *
 * info.get V3 (what open-vm-tools asks first): "1 " then a packed
 * little-endian header {u32 version; u64 sessionId; u32 dataSize} and
 * dataSize bytes of XDR (big-endian): a count, then that many
 * GuestLibV3Stat unions whose discriminants run 1, 2, ... in order (the
 * guest stops at the first out of order).  V2 is a fixed packed struct the
 * guest checks to the byte.  A changed session id makes the guest start
 * over, so it stays fixed for the host's life.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum kind { U32, U64, STR, BYTES };

static const struct stat {
	const char *name, *alias;	/* guestlibV3.x's field; toolbox-cmd's word */
	enum kind kind;
} stats[EMU_GL_NSTATS + 1] = {
	[1] = { "cpuReservationMHz", "cpures", U32 },
	[2] = { "cpuLimitMHz", "cpulimit", U32 },
	[3] = { "cpuShares", NULL, U32 },
	[4] = { "cpuUsedMs", NULL, U64 },
	[5] = { "hostMHz", NULL, U32 },
	[6] = { "memReservationMB", "memres", U32 },
	[7] = { "memLimitMB", "memlimit", U32 },
	[8] = { "memShares", NULL, U32 },
	[9] = { "memMappedMB", NULL, U32 },
	[10] = { "memActiveMB", NULL, U32 },
	[11] = { "memOverheadMB", NULL, U32 },
	[12] = { "memBalloonedMB", "balloon", U32 },
	[13] = { "memSwappedMB", "swap", U32 },
	[14] = { "memSharedMB", NULL, U32 },
	[15] = { "memSharedSavedMB", NULL, U32 },
	[16] = { "memUsedMB", NULL, U32 },
	[17] = { "elapsedMs", NULL, U64 },
	[18] = { "resourcePoolPath", "pool", STR },
	[19] = { "cpuStolenMs", NULL, U64 },
	[20] = { "memTargetSizeMB", NULL, U64 },
	[21] = { "hostCpuNumCores", NULL, U32 },
	[22] = { "hostCpuUsedMs", NULL, U64 },
	[23] = { "hostMemSwappedMB", NULL, U64 },
	[24] = { "hostMemSharedMB", NULL, U64 },
	[25] = { "hostMemUsedMB", NULL, U64 },
	[26] = { "hostMemPhysMB", NULL, U64 },
	[27] = { "hostMemPhysFreeMB", NULL, U64 },
	[28] = { "hostMemKernOvhdMB", NULL, U64 },
	[29] = { "hostMemMappedMB", NULL, U64 },
	[30] = { "hostMemUnmappedMB", NULL, U64 },
	[31] = { "memZippedMB", NULL, U32 },
	[32] = { "memZipSavedMB", NULL, U32 },
	[33] = { "memLLSwappedMB", NULL, U32 },
	[34] = { "memSwapTargetMB", NULL, U32 },
	[35] = { "memBalloonTargetMB", NULL, U32 },
	[36] = { "memBalloonMaxMB", NULL, U32 },
	[37] = { "resourcePoolPathLong", NULL, BYTES },
	[38] = { "memShares64", NULL, U64 },
};

#define POOL_MAX	511	/* string<512> less the V2 struct's NUL */
#define UNLIMITED	0xFFFFFFFFu

int emu_guestlib_option(struct emu_guestlib *g, const char *arg)
{
	const char *eq = strchr(arg, '=');
	size_t n = eq ? (size_t)(eq - arg) : 0;
	char *end;
	uint64_t v;

	if (!eq)
		return -1;
	if (n == 7 && !memcmp(arg, "session", 7)) {
		v = strtoull(eq + 1, &end, 0);
		if (!eq[1] || *end || eq[1] == '-')
			return -1;
		g->session = v;
		return 0;
	}
	for (unsigned id = 1; id <= EMU_GL_NSTATS; id++) {
		const struct stat *s = &stats[id];

		if (!((strlen(s->name) == n && !memcmp(arg, s->name, n)) ||
		      (s->alias && strlen(s->alias) == n && !memcmp(arg, s->alias, n))))
			continue;
		if (s->kind == STR || s->kind == BYTES) {
			if (strlen(eq + 1) > POOL_MAX)
				return -1;
			g->pool = eq + 1;
			g->set |= 1ull << EMU_GL_POOL | 1ull << EMU_GL_POOL_LONG;
			return 0;
		}
		v = strtoull(eq + 1, &end, 0);
		if (!eq[1] || *end || eq[1] == '-' || (s->kind == U32 && v > UINT32_MAX))
			return -1;
		g->val[id] = v;
		g->set |= 1ull << id;
		return 0;
	}
	return -1;
}

/*
 * Defaults: an ESXi VM alone on its host with no reservation and no limit.
 * Limits read 0xFFFFFFFF ("unlimited", vSphere's -1); shares are vSphere's
 * "normal" (1000 per vCPU, 10 per MB); the balloon may take 65% of memory
 * (Mem.CtlMaxPercent).  The host counters 21-30 are off unless set, as an
 * ESXi host keeps them (tools.guestlib.enableHostInfo).
 */
uint64_t emu_guestlib_value(const struct emu_guestlib *g, const struct emu_gl_env *env,
			    unsigned id)
{
	uint64_t mem = env->memsize_mb;

	if (id > EMU_GL_NSTATS)
		return 0;
	if (g->set >> id & 1)
		return g->val[id];
	switch (id) {
	case 2: case 7: return UNLIMITED;
	case 3: return 1000;
	case 4: return env->elapsed_ms;
	case 5: return env->mhz;
	case 8: case 38: return mem * 10;
	case 9: case 16: case 20: return mem;
	case 17: return env->elapsed_ms;
	case 36: return mem * 65 / 100;
	default: return 0;
	}
}

static int valid(const struct emu_guestlib *g, unsigned id)
{
	if (g->set >> id & 1)
		return 1;
	return !(id >= 21 && id <= 30) && id != EMU_GL_POOL_LONG;
}

static const char *pool(const struct emu_guestlib *g)
{
	return g->pool ? g->pool : "/";
}

struct wbuf {
	uint8_t b[2048];	/* V3 with a 511-byte pool is about 900 bytes */
	size_t n;
};

static void be32(struct wbuf *w, uint32_t v)
{
	for (int i = 3; i >= 0; i--)
		w->b[w->n++] = (uint8_t)(v >> (8 * i));
}

static void le(struct wbuf *w, uint64_t v, int bytes)
{
	for (int i = 0; i < bytes; i++)
		w->b[w->n++] = (uint8_t)(v >> (8 * i));
}

static void xdr_opaque(struct wbuf *w, const char *s, size_t n)
{
	be32(w, (uint32_t)n);
	memcpy(w->b + w->n, s, n);
	w->n += n;
	while (w->n % 4)
		w->b[w->n++] = 0;
}

static void v3(const struct emu_guestlib *g, const struct emu_gl_env *env, struct wbuf *w)
{
	size_t size_at;
	uint32_t size;

	le(w, 3, 4);
	le(w, env->session, 8);
	size_at = w->n;
	w->n += 4;
	be32(w, EMU_GL_NSTATS);
	for (unsigned id = 1; id <= EMU_GL_NSTATS; id++) {
		uint64_t v = emu_guestlib_value(g, env, id);
		int ok = valid(g, id);

		be32(w, id);
		be32(w, (uint32_t)ok);
		switch (stats[id].kind) {
		case U32: be32(w, (uint32_t)v); break;
		case U64: be32(w, (uint32_t)(v >> 32)); be32(w, (uint32_t)v); break;
		case STR: xdr_opaque(w, ok ? pool(g) : "", ok ? strlen(pool(g)) : 0); break;
		case BYTES: xdr_opaque(w, ok ? pool(g) : "", ok ? strlen(pool(g)) + 1 : 0); break;
		}
	}
	size = (uint32_t)(w->n - size_at - 4);	/* dataSize counts what follows it */
	for (int i = 0; i < 4; i++)
		w->b[size_at + i] = (uint8_t)(size >> (8 * i));
}

/* V2: packed, Bool is one byte, StatUint32 keeps its natural 8 bytes. */
static void v2(const struct emu_guestlib *g, const struct emu_gl_env *env, struct wbuf *w)
{
	static const uint8_t order[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17 };
	const char *p = pool(g);

	le(w, 2, 4);
	le(w, env->session, 8);
	for (size_t i = 0; i < sizeof(order); i++) {
		unsigned id = order[i];

		w->b[w->n++] = (uint8_t)valid(g, id);
		le(w, 0, 3);
		le(w, emu_guestlib_value(g, env, id), stats[id].kind == U64 ? 8 : 4);
	}
	w->b[w->n++] = (uint8_t)valid(g, EMU_GL_POOL);
	memset(w->b + w->n, 0, 512);
	memcpy(w->b + w->n, p, strlen(p));
	w->n += 512;
}

/* A decimal version number filling arg; -1 if it is anything else. */
static long version(const uint8_t *arg, size_t len)
{
	long v = 0;

	if (len == 0 || len > 9)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (arg[i] < '0' || arg[i] > '9')
			return -1;
		v = v * 10 + (arg[i] - '0');
	}
	return v;
}

int emu_guestlib_info(const struct emu_guestlib *g, const struct emu_gl_env *env,
		      const uint8_t *arg, size_t len, struct emu_buf *out)
{
	struct wbuf w;
	long v;

	if (!g->enabled)
		return EMU_REPLY(out, 0, "Unknown command");
	v = version(arg, len);
	w.n = 0;
	if (v == 3)
		v3(g, env, &w);
	else if (v == 2)
		v2(g, env, &w);
	else
		/* A V3 host names the highest version it has (vmGuestLib.c parses it). */
		return EMU_REPLY(out, 0, "3");
	return emu_reply(out, 1, w.b, w.n);
}

/*
 * stat.get "ENCODING [NAME [PARAM]]": the extended statistics (vSphere
 * 6.0+).  Only the text encoding of the list and of "session" are known
 * well enough (vSphere Guest SDK guide) to be served.
 */
int emu_guestlib_stat(const struct emu_guestlib *g, const struct emu_gl_env *env,
		      const uint8_t *arg, size_t len, struct emu_buf *out)
{
	const uint8_t *name;
	size_t elen, nlen;
	char text[512];
	const uint8_t *u = env->uuid;
	int n;

	if (!g->enabled)
		return EMU_REPLY(out, 0, "Unknown command");
	for (elen = 0; elen < len && arg[elen] != ' '; elen++)
		;
	name = arg + elen + (elen < len);
	len -= (size_t)(name - arg);
	for (nlen = 0; nlen < len && name[nlen] != ' '; nlen++)
		;
	/* No encoding (`vmware-toolbox-cmd stat raw`): text, the default. */
	if (elen != 0 && (elen != 4 || memcmp(arg, "text", 4)))
		return EMU_REPLY(out, 0, "Unsupported encoding");
	if (nlen == 0)
		return EMU_REPLY(out, 1, "session\n");
	if (nlen != 7 || memcmp(name, "session", 7))
		return EMU_REPLY(out, 0, "Unknown statistic");
	n = snprintf(text, sizeof(text),
		     "session = %" PRIu64 "\nuptime = %" PRIu64 "\n"
		     "version = VMware ESXi 8.0.0 build-%u\nprovider = \n"
		     "uuid.bios = %02x %02x %02x %02x %02x %02x %02x %02x-"
		     "%02x %02x %02x %02x %02x %02x %02x %02x\n",
		     env->session, env->elapsed_ms * 1000, env->buildnum,
		     u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7],
		     u[8], u[9], u[10], u[11], u[12], u[13], u[14], u[15]);
	if (n < 0 || (size_t)n >= sizeof(text))
		return EMU_REPLY(out, 0, "Unknown statistic");
	return emu_reply(out, 1, text, (size_t)n);
}
