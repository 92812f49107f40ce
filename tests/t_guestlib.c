// SPDX-License-Identifier: MIT
/*
 * guestlib replies byte by byte, decoded as libguestlib decodes them; the
 * profile table; QEMU's vmport answers; the VMX's guestinfo rules through
 * the host's RPCI entry point.
 */
#include <string.h>

#include "vmwcall/proto.h"
#include "internal.h"
#include "profile.h"
#include "tap.h"

static const uint8_t uuid[16] = { 0x56, 0x4d, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };

static const struct emu_gl_env env = {
	.session = 0x1122334455667788ull, .mhz = 2400, .memsize_mb = 4096,
	.buildnum = 24022510, .elapsed_ms = 90000, .uuid = uuid,
};

static uint32_t rd_le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd_le64(const uint8_t *p)
{
	return rd_le32(p) | (uint64_t)rd_le32(p + 4) << 32;
}

static uint32_t rd_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static struct emu_buf ask(const struct emu_guestlib *g, const char *arg, int stat)
{
	struct emu_buf out = { 0 };
	int rc = stat ? emu_guestlib_stat(g, &env, (const uint8_t *)arg, strlen(arg), &out)
		      : emu_guestlib_info(g, &env, (const uint8_t *)arg, strlen(arg), &out);

	if (rc)
		exit(1);
	return out;
}

static int text_is(const struct emu_buf *b, const char *want)
{
	size_t n = strlen(want);
	int same = b->len == n && !memcmp(b->p, want, n);

	if (!same)
		fprintf(stderr, "#   got '%.*s', want '%s'\n", (int)b->len, b->p, want);
	return same;
}

/*
 * The V3 stream as vmGuestLib.c reads it: discriminants 1..count in order,
 * each a 4-byte Bool then the value; returns the statistics found (or -1).
 */
struct stat3 {
	uint32_t valid;
	uint64_t v;
	char s[600];
};

static int decode_v3(const uint8_t *p, size_t n, struct stat3 *st)
{
	static const uint8_t u64[] = { 4, 17, 19, 20, 22, 23, 24, 25, 26, 27, 28, 29, 30, 38 };
	size_t o = 4;
	uint32_t count;

	if (n < 4)
		return -1;
	count = rd_be32(p);
	for (uint32_t id = 1; id <= count; id++) {
		int is64 = memchr(u64, (int)id, sizeof(u64)) != NULL;

		if (o + 8 > n || rd_be32(p + o) != id)
			return -1;
		st[id].valid = rd_be32(p + o + 4);
		o += 8;
		if (id == 18 || id == 37) {
			uint32_t len;

			if (o + 4 > n || (len = rd_be32(p + o)) > 512 || o + 4 + len > n)
				return -1;
			memcpy(st[id].s, p + o + 4, len);
			st[id].s[len] = '\0';
			o += 4 + ((len + 3) & ~3u);
		} else if (is64) {
			if (o + 8 > n)
				return -1;
			st[id].v = (uint64_t)rd_be32(p + o) << 32 | rd_be32(p + o + 4);
			o += 8;
		} else {
			if (o + 4 > n)
				return -1;
			st[id].v = rd_be32(p + o);
			o += 4;
		}
	}
	return o == n ? (int)count : -1;
}

static void info_v3(void)
{
	struct emu_guestlib g = { .enabled = 1 };
	static struct stat3 st[EMU_GL_NSTATS + 1];
	struct emu_buf b;

	ok(emu_guestlib_option(&g, "balloon=123") == 0 && emu_guestlib_option(&g, "memLimitMB=2048") == 0 &&
	   emu_guestlib_option(&g, "cpures=500") == 0 && emu_guestlib_option(&g, "pool=/rp/web") == 0 &&
	   emu_guestlib_option(&g, "hostMemPhysMB=65536") == 0, "--guestlib NAME=VALUE by field and toolbox names");
	ok(emu_guestlib_option(&g, "nosuch=1") && emu_guestlib_option(&g, "balloon") &&
	   emu_guestlib_option(&g, "balloon=x") && emu_guestlib_option(&g, "balloon=-1") &&
	   emu_guestlib_option(&g, "balloon=4294967296") && emu_guestlib_option(&g, "session="),
	   "unknown names, bad and out-of-range values refused");
	b = ask(&g, "3", 0);
	ok(b.len >= 2 + 16 && !memcmp(b.p, "1 ", 2), "info.get 3: '1 ' and a header");
	is_u64(rd_le32(b.p + 2), 3, "V3 header: version 3 (little-endian)");
	is_u64(rd_le64(b.p + 6), env.session, "V3 header: the session id");
	is_u64(rd_le32(b.p + 14), b.len - 18, "V3 header: dataSize is the rest of the reply");
	ok(decode_v3(b.p + 18, b.len - 18, st) == EMU_GL_NSTATS, "V3: 38 statistics, 1..38 in order, exact length");
	ok(st[12].valid && st[12].v == 123, "memBalloonedMB as set (%" PRIu64 ")", st[12].v);
	ok(st[7].valid && st[7].v == 2048, "memLimitMB as set");
	ok(st[1].valid && st[1].v == 500, "cpuReservationMHz as set");
	ok(st[2].valid && st[2].v == 0xFFFFFFFFu, "cpuLimitMHz default: unlimited");
	ok(st[5].valid && st[5].v == env.mhz, "hostMHz: the host's MHz");
	ok(st[17].valid && st[17].v == env.elapsed_ms, "elapsedMs 64-bit");
	ok(st[18].valid && !strcmp(st[18].s, "/rp/web"), "resourcePoolPath: '%s'", st[18].s);
	ok(!st[21].valid && st[26].valid && st[26].v == 65536, "host counters invalid unless set");
	ok(st[38].valid && st[38].v == 40960, "memShares64: 10 per MB");
	free(b.p);
}

static void info_v2(void)
{
	struct emu_guestlib g = { .enabled = 1 };
	struct emu_buf b;

	emu_guestlib_option(&g, "swap=77");
	b = ask(&g, "2", 0);
	/* 12-byte header, 15 StatUint32 of 8, 2 StatUint64 of 12, pool {Bool; char[512]}. */
	is_u64(b.len - 2, 12 + 15 * 8 + 2 * 12 + 513, "V2: sizeof(VMGuestLibDataV2) exactly");
	is_u64(rd_le32(b.p + 2), 2, "V2 header: version 2");
	is_u64(rd_le64(b.p + 6), env.session, "V2 header: session");
	/* memSwappedMB: header, 3 x 8, cpuUsedMs 12, hostMHz 8, then 7 x 8. */
	ok(b.p[2 + 12 + 24 + 12 + 8 + 56] == 1, "V2 memSwappedMB valid byte");
	is_u64(rd_le32(b.p + 2 + 12 + 24 + 12 + 8 + 56 + 4), 77, "V2 memSwappedMB value after 3 pad bytes");
	ok(!strcmp((const char *)b.p + b.len - 512, "/"), "V2 resourcePoolPath '/' NUL-padded");
	free(b.p);
}

static void info_refusals(void)
{
	struct emu_guestlib off = { 0 }, on = { .enabled = 1 };
	struct emu_buf b;
	static const char *const bad[] = { "", "4", "1", "x", "3 ", "33333333333", "-3" };

	b = ask(&off, "3", 0);
	ok(text_is(&b, "0 Unknown command"), "disabled (Workstation): exactly '0 Unknown command'");
	free(b.p);
	b = ask(&off, "text session", 1);
	ok(text_is(&b, "0 Unknown command"), "disabled: stat.get also unknown");
	free(b.p);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		b = ask(&on, bad[i], 0);
		ok(text_is(&b, "0 3"), "info.get '%s': '0 3', the highest version", bad[i]);
		free(b.p);
	}
}

static void stat_get(void)
{
	struct emu_guestlib g = { .enabled = 1 };
	struct emu_buf b;

	b = ask(&g, "  ", 1);
	ok(text_is(&b, "1 session\n"), "stat.get with no encoding or name: the list");
	free(b.p);
	b = ask(&g, "text session ", 1);
	ok(text_is(&b, "1 session = 1234605616436508552\nuptime = 90000000\n"
		       "version = VMware ESXi 8.0.0 build-24022510\nprovider = \n"
		       "uuid.bios = 56 4d 01 02 03 04 05 06-07 08 09 0a 0b 0c 0d 0e\n"),
	   "stat.get text session");
	free(b.p);
	b = ask(&g, "xml session", 1);
	ok(b.len > 2 && b.p[0] == '0', "stat.get xml: refused");
	free(b.p);
	b = ask(&g, "text vnet 00:0c:29:1e:23:f3", 1);
	ok(b.len > 2 && b.p[0] == '0', "stat.get of a statistic not served: refused");
	free(b.p);
}

static void profiles(void)
{
	struct emu_config c;

	emu_config_default(&c);
	ok(emu_profile_apply(&c, "esxi") == 0 && c.type == VMW_TYPE_ESX && c.version == 6 &&
	   c.guestlib.enabled && c.max_in_size == 65536 && c.max_out_size == 1048576 &&
	   c.info_limit == 1048576 && c.refuse_empty && c.key_nocase && !c.no_hb && !c.qemu_vmport,
	   "esxi: ESX, HB, 64 KiB in, 1 MiB out, 1 MiB budget, VMX text rules, guestlib");
	ok(emu_profile_apply(&c, "workstation") == 0 && c.type == VMW_TYPE_WORKSTATION &&
	   !c.guestlib.enabled && c.refuse_empty && c.key_nocase && !c.no_hb && !c.qemu_vmport &&
	   c.max_out_size == 1048576, "workstation: Workstation, no guestlib, the same VMX rules");
	ok(emu_profile_apply(&c, "qemu") == 0 && c.qemu_vmport && c.no_hb && c.type == VMW_TYPE_ESX &&
	   !c.guestlib.enabled && c.vcpu_info == 0, "qemu: vmport, ESX type, no HB");
	ok(emu_profile_apply(&c, "ESXi") == -1 && emu_profile_apply(&c, "") == -1, "unknown names refused");
	emu_config_default(&c);
	ok(!emu_profile_refuse_set(&c, 0), "default: empty values stored");
	c.refuse_empty = 1;
	ok(emu_profile_refuse_set(&c, 0) && !emu_profile_refuse_set(&c, 1), "refuse_empty: only empty");
	c.setinfo_disable = 1;
	ok(emu_profile_refuse_set(&c, 5) && !strcmp(emu_profile_refuse_set(&c, 5), "disabled"),
	   "setinfo_disable: every set refused");
}

static struct emu_regs call(struct emu_host *h, enum emu_insn insn, uint32_t cmd, int *rc)
{
	struct emu_regs r = { VMW_MAGIC, 0xB0B0, cmd, VMW_PORT, 0x5151, 0xD1D1, 0xBEBE };

	if (insn == EMU_INSN_REP_INSB)
		r.dx = VMW_PORT_HB;
	*rc = emu_host_call(h, insn, &r, NULL, 1);
	return r;
}

static void qemu(void)
{
	struct emu_config c;
	struct emu_host *h;
	struct emu_regs r;
	int rc;

	emu_config_default(&c);
	emu_profile_apply(&c, "qemu");
	c.memsize_mb = 4608;
	if (!(h = emu_host_new(&c)))
		exit(1);
	r = call(h, EMU_INSN_IN, VMW_CMD_GETVERSION, &rc);
	ok(rc == 0 && r.ax == 6 && r.bx == VMW_MAGIC && r.cx == 2, "qemu GETVERSION: 6, magic, ESX");
	r = call(h, EMU_INSN_IN, VMW_CMD_GETMEMSIZE, &rc);
	ok(r.ax == 0x20000000 && r.bx == 0x1177, "qemu GETMEMSIZE: bytes mod 4 GiB, ebx 0x1177");
	r = call(h, EMU_INSN_IN, VMW_CMD_GETHZ, &rc);
	ok(r.ax == VMW_MAGIC && r.bx == 0xFFFFFFFFu, "qemu GETHZ: unsupported, eax untouched");
	r = call(h, EMU_INSN_IN, VMW_CMD_MESSAGE, &rc);
	ok(r.ax == 0xFFFFFFFFu && r.bx == 0xB0B0 && r.cx == VMW_CMD_MESSAGE && r.dx == VMW_PORT &&
	   r.si == 0x5151 && r.di == 0xD1D1, "qemu MESSAGE: unknown, eax -1, the rest as loaded");
	r = call(h, EMU_INSN_IN, VMW_CMD_GETMHZ, &rc);
	ok(r.ax == 0xFFFFFFFFu && r.bx == 0xB0B0, "qemu GETMHZ: unknown");
	call(h, EMU_INSN_REP_INSB, 0, &rc);
	ok(rc == -1, "qemu: no HB port (the guest's fault is delivered)");
	call(h, EMU_INSN_VMCALL, VMW_CMD_GETVERSION, &rc);
	ok(rc == -1, "qemu: vmcall is no hypercall");
	emu_host_free(h);
}

static const char *rpc(struct emu_host *h, const char *req, size_t *n)
{
	static char keep[4096];
	uint8_t *rep;
	size_t len;

	if (emu_host_rpci(h, req, strlen(req), 0, 1, EMU_VSOCK_CHAN, &rep, &len) || len >= sizeof(keep))
		exit(1);
	memcpy(keep, rep, len);
	keep[len] = '\0';
	free(rep);
	if (n)
		*n = len;
	return keep;
}

static void vmx_rules(void)
{
	struct emu_config c;
	struct emu_host *h;
	const char *r;
	size_t n;

	emu_config_default(&c);
	emu_profile_apply(&c, "esxi");
	c.seed = 9;
	if (!(h = emu_host_new(&c)))
		exit(1);
	r = rpc(h, "info-set guestinfo.k ", NULL);
	ok(!strcmp(r, "0 Invalid value"), "esxi: empty value refused: '%s'", r);
	ok(!strcmp(rpc(h, "info-set guestinfo.Mixed.Case v1", NULL), "1 "), "esxi: set Mixed.Case");
	r = rpc(h, "info-get guestinfo.mixed.CASE", NULL);
	ok(!strcmp(r, "1 v1"), "esxi: keys fold case: '%s'", r);
	r = rpc(h, "guestlib.info.get 3", &n);
	ok(n > 18 && !memcmp(r, "1 ", 2), "esxi: guestlib answers");
	{
		uint64_t s = rd_le64((const uint8_t *)r + 6);
		struct emu_host *h2 = emu_host_new(&c);

		r = rpc(h2, "guestlib.info.get 3", &n);
		ok(s != 0 && rd_le64((const uint8_t *)r + 6) == s, "session id: nonzero, from the seed");
		emu_host_free(h2);
		c.seed = 10;
		h2 = emu_host_new(&c);
		r = rpc(h2, "guestlib.info.get 3", &n);
		ok(rd_le64((const uint8_t *)r + 6) != s, "another seed, another session");
		emu_host_free(h2);
	}
	emu_host_free(h);
	emu_config_default(&c);
	if (!(h = emu_host_new(&c)))
		exit(1);
	ok(!strcmp(rpc(h, "info-set guestinfo.k ", NULL), "1 "), "default host: empty value stored");
	ok(!strcmp(rpc(h, "info-get guestinfo.K", NULL), "0 No value found"), "default host: keys exact");
	ok(!strcmp(rpc(h, "guestlib.info.get 3", NULL), "0 Unknown command"), "default host: no guestlib");
	emu_host_free(h);
}

int main(void)
{
	info_v3();
	info_v2();
	info_refusals();
	stat_get();
	profiles();
	qemu();
	vmx_rules();
	return done_testing();
}
