// SPDX-License-Identifier: MIT
/*
 * The typed commands against the in-process host: every value as
 * configured, on each transport; then hosts that lack a command or answer
 * nonsense (a hook rewrites the answer) must give an error code.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vmwcall/cmd.h"
#include "vmwcall/detect.h"
#include "vmwcall/hypercall.h"
#include "host.h"
#include "tap.h"
#include "trap.h"
#include "trapping.h"

static const char *const tname[] = { "auto", "io", "vmcall", "vmmcall" };

/* Rewrite the answer to one command: sets the listed output registers. */
static struct {
	uint32_t cmd;
	int set_ax, set_bx, set_cx;
	uint64_t ax, bx, cx;
} fake;

static void hook(void *ctx, const struct emu_cpu *before, struct emu_cpu *after)
{
	(void)ctx;
	if ((before->cx & 0xFFFF) != fake.cmd)
		return;
	if (fake.set_ax)
		after->ax = fake.ax;
	if (fake.set_bx)
		after->bx = fake.bx;
	if (fake.set_cx)
		after->cx = fake.cx;
}

static void faking(uint32_t cmd, int a, uint64_t ax, int b, uint64_t bx, int c, uint64_t cx)
{
	fake.cmd = cmd;
	fake.set_ax = a, fake.ax = ax;
	fake.set_bx = b, fake.bx = bx;
	fake.set_cx = c, fake.cx = cx;
}

static void values(const struct emu_config *cfg, unsigned int t)
{
	const char *n = tname[t];
	uint32_t v = 0, ty = 0, mhz = 0, apic = 0, mb = 0, bits = 0;
	unsigned int how = 99;
	uint64_t tsc = 0;
	uint8_t uuid[16];
	struct vmw_time tm = { 0 };
	int64_t want;

	vmware_hypercall_set_mode(t);
	int rc;

	rc = vmw_get_version(&v, &ty);
	ok(!rc && v == cfg->version && ty == cfg->type, "%s: version %u type %u", n, v, ty);
	rc = vmw_get_mhz(&mhz);
	ok(!rc && mhz == cfg->mhz, "%s: %u MHz", n, mhz);
	rc = vmw_get_hz(&tsc, &apic);
	ok(!rc && tsc == cfg->tsc_hz && apic == cfg->apic_hz,
	   "%s: TSC %llu Hz, APIC %u Hz", n, (unsigned long long)tsc, apic);
	ok(vmw_get_uuid(uuid) == 0 && !memcmp(uuid, cfg->uuid, 16), "%s: BIOS UUID bytes", n);
	rc = vmw_get_memsize(&mb, &how);
	ok(!rc && mb == cfg->memsize_mb && how == VMW_MEMSIZE_MB, "%s: %u MB", n, mb);
	rc = vmw_get_vcpu_info(&bits);
	ok(!rc && bits == cfg->vcpu_info, "%s: vcpu bits 0x%x", n, bits);
	want = (int64_t)time(NULL) + cfg->time_offset_us / 1000000;
	rc = vmw_get_host_time(&tm, sizeof(tm));
	ok(!rc && tm.full && (int64_t)tm.sec >= want - 2 &&
	   (int64_t)tm.sec <= want + 2 && tm.usec < 1000000 && tm.max_lag_us == 1000000,
	   "%s: host time %llu.%06u (full)", n, (unsigned long long)tm.sec, tm.usec);
	ok(vmw_stealclock_enable(0x1000) == VMW_EUNSUPPORTED,
	   "%s: steal clock not available -> VMW_EUNSUPPORTED", n);
	ok(vmw_stealclock_disable() == VMW_EUNSUPPORTED, "%s: steal clock disable too", n);
}

/*
 * A host that answers GETVERSION and leaves every register of any other
 * call as the guest loaded it (QEMU's vmport for commands it lacks): no
 * typed command may take the registers it loaded for an answer.
 */
static void ignoring_host(unsigned int t)
{
	const char *n = tname[t];
	struct emu_config cfg;
	struct emu_host *h;
	uint32_t v = 0, ty = 0, u = 7, a = 7;
	uint64_t tsc = 7;
	int r;
	uint8_t id[16] = { 7 };
	struct vmw_time tm = { .sec = 7 };

	emu_config_default(&cfg);
	cfg.only_cmds = 1ull << VMW_CMD_GETVERSION;
	h = emu_host_new(&cfg);
	if (!h || emu_trap_install(h))
		exit(1);
	vmware_hypercall_set_mode(t);
	r = vmw_get_version(&v, &ty);	/* first: ok()'s arguments are evaluated in any order */
	ok(r == 0 && v == cfg.version, "%s, GETVERSION only: version %u", n, v);
	ok(vmw_get_mhz(&u) == VMW_EUNSUPPORTED && u == 7, "%s, ignored: GETMHZ -> VMW_EUNSUPPORTED", n);
	ok(vmw_get_hz(&tsc, &a) == VMW_EUNSUPPORTED && tsc == 7,
	   "%s, ignored: GETHZ -> VMW_EUNSUPPORTED", n);
	ok(vmw_get_host_time(&tm, sizeof(tm)) == VMW_EUNSUPPORTED && tm.sec == 7,
	   "%s, ignored: GETTIMEFULL/GETTIME -> VMW_EUNSUPPORTED", n);
	ok(vmw_get_uuid(id) == VMW_EUNSUPPORTED && id[0] == 7,
	   "%s, ignored: GETUUID -> VMW_EUNSUPPORTED", n);
	ok(vmw_get_memsize(&u, NULL) == VMW_EUNSUPPORTED && u == 7,
	   "%s, ignored: GETMEMSIZE -> VMW_EUNSUPPORTED", n);
	ok(vmw_get_vcpu_info(&u) == VMW_EUNSUPPORTED && u == 7,
	   "%s, ignored: GET_VCPU_INFO -> VMW_EUNSUPPORTED", n);
	ok(vmw_stealclock_enable(0x1000) == VMW_EUNSUPPORTED,
	   "%s, ignored: STEALCLOCK enable -> VMW_EUNSUPPORTED", n);
	ok(vmw_stealclock_disable() == VMW_EUNSUPPORTED,
	   "%s, ignored: STEALCLOCK disable -> VMW_EUNSUPPORTED", n);
	emu_trap_remove();
	emu_host_free(h);
}

int main(void)
{
	static const uint8_t uuid[16] = { 0x42, 0x0f, 0xff, 0xff, 0xff, 0xff, 0, 1,
					  2, 3, 4, 5, 6, 7, 8, 0x99 };
	struct emu_config cfg;
	struct emu_host *h, *h2, *h3;
	uint32_t v, ty, u32;
	unsigned int how;
	uint64_t tsc;
	uint8_t id[16];
	struct vmw_time tm;
	struct vmw_steal_time st = { .clock = 0x123456789abcdefull };
	int r;

	need_trapping();
	plan(78);
	emu_config_default(&cfg);
	cfg.type = VMW_TYPE_ESX;
	cfg.mhz = 3456;
	cfg.tsc_hz = 0x1234567890ull;	/* above 32 bits */
	cfg.apic_hz = 100000000;
	memcpy(cfg.uuid, uuid, 16);
	cfg.memsize_mb = 65536;
	cfg.vcpu_info = VMW_VCPU_LEGACY_X2APIC;
	cfg.time_offset_us = (int64_t)5000000000 * 1000000;	/* past 2106: 64-bit seconds */
	h = emu_host_new(&cfg);
	/* No host yet: the gate's probe must fail cleanly, and remember it. */
	ok(vmw_get_mhz(&u32) == VMW_ENOTVMWARE, "no backdoor: VMW_ENOTVMWARE, no fault");
	if (!h || emu_trap_install(h))
		return 1;
	ok(vmw_get_mhz(&u32) == VMW_ENOTVMWARE, "the probe's answer is kept");
	/* The probe's child is not answered by this process's handlers: say it is there. */
	vmw_set_present(1);
	for (unsigned int t = VMW_TRANSPORT_IO; t <= VMW_TRANSPORT_VMMCALL; t++)
		values(&cfg, t);
	vmware_hypercall_set_mode(VMW_TRANSPORT_IO);

	/* A host that lacks the commands, or says so in their own way. */
	cfg.mhz = 0;
	cfg.memsize_mb = 0;
	cfg.tsc_hz = 0xFFFFFFFF00000000ull;
	cfg.vcpu_info = VMW_VCPU_RESERVED;
	cfg.version = 0xFFFFFFFF;
	h2 = emu_host_new(&cfg);
	emu_trap_install(h2);
	ok(vmw_get_version(&v, &ty) == VMW_ENOTVMWARE, "version 0xFFFFFFFF -> VMW_ENOTVMWARE");
	ok(vmw_get_mhz(&u32) == VMW_EUNSUPPORTED, "0 MHz -> VMW_EUNSUPPORTED");
	ok(vmw_get_memsize(&u32, NULL) == VMW_EUNSUPPORTED, "0 MB -> VMW_EUNSUPPORTED");
	ok(vmw_get_hz(&tsc, &u32) == VMW_EUNSUPPORTED, "GETHZ ebx 0xFFFFFFFF -> VMW_EUNSUPPORTED");
	ok(vmw_get_vcpu_info(&u32) == VMW_EUNSUPPORTED, "vcpu bit 31 -> VMW_EUNSUPPORTED");
	emu_trap_install(h);

	emu_trap_set_hook(hook, NULL);
	faking(VMW_CMD_GETVERSION, 0, 0, 1, 0x12345678, 0, 0);
	ok(vmw_get_version(&v, &ty) == VMW_ENOTVMWARE, "GETVERSION ebx != magic -> VMW_ENOTVMWARE");
	faking(VMW_CMD_GETVERSION, 0, 0, 0, 0, 1, VMW_CMD(VMW_CMD_GETVERSION, 0xFFFF));
	ok(vmw_get_version(&v, &ty) == 0 && ty == VMW_TYPE_UNSET, "type probe ignored -> UNSET");
	faking(VMW_CMD_GETMHZ, 1, 0x80000000u, 0, 0, 0, 0);
	ok(vmw_get_mhz(&u32) == VMW_EUNSUPPORTED, "negative MHz -> error");
	faking(VMW_CMD_GETHZ, 1, 0, 1, 0, 0, 0);
	ok(vmw_get_hz(&tsc, &u32) == VMW_EPROTO, "0 Hz -> VMW_EPROTO");
	faking(VMW_CMD_GETUUID, 1, 0xFFFFFFFF, 1, ~VMW_MAGIC & 0xFFFFFFFF, 1, VMW_CMD_GETUUID);
	ok(vmw_get_uuid(id) == VMW_EUNSUPPORTED, "GETUUID untouched -> VMW_EUNSUPPORTED");
	/* QEMU's vmport: bytes modulo 4 GiB, ebx 0x1177. */
	faking(VMW_CMD_GETMEMSIZE, 1, 256u << 20, 1, 0x1177, 0, 0);
	how = 99;
	ok(vmw_get_memsize(&u32, &how) == 0 && u32 == 256 && how == VMW_MEMSIZE_QEMU,
	   "QEMU byte count 0x10000000 -> 256 MB, flagged");
	faking(VMW_CMD_GETMEMSIZE, 1, 0x1000, 1, 0x1177, 0, 0);
	ok(vmw_get_memsize(&u32, &how) == VMW_EPROTO, "QEMU count below 1 MiB -> VMW_EPROTO");
	faking(VMW_CMD_GETTIMEFULL, 1, 0xFFFFFFFF, 0, 0, 0, 0);
	ok(vmw_get_host_time(&tm, sizeof(tm)) == VMW_EUNSUPPORTED,
	   "no GETTIMEFULL, and 32-bit GETTIME cannot say 2128 -> VMW_EUNSUPPORTED");
	emu_config_default(&cfg);
	h3 = emu_host_new(&cfg);
	emu_trap_install(h3);
	r = vmw_get_host_time(&tm, sizeof(tm));
	ok(r == 0 && !tm.full && (int64_t)tm.sec >= (int64_t)time(NULL) - 2,
	   "no GETTIMEFULL: GETTIME fallback, %llu", (unsigned long long)tm.sec);
	emu_trap_install(h);
	faking(VMW_CMD_GETTIMEFULL, 0, 0, 1, 1000000, 0, 0);
	ok(vmw_get_host_time(&tm, sizeof(tm)) == VMW_EPROTO, "usec 1000000 -> VMW_EPROTO");
	faking(VMW_CMD_STEALCLOCK, 1, VMW_STEALCLOCK_ENABLED, 0, 0, 0, 0);
	ok(vmw_stealclock_enable(0x2000) == 0, "steal clock enabled");
	ok(vmw_stealclock_disable() == VMW_EHOST, "disable answered 'enabled' -> VMW_EHOST");
	ok(vmw_stealclock_enable(0x2001) == VMW_EINVAL, "unaligned steal clock -> VMW_EINVAL");
	faking(VMW_CMD_STEALCLOCK, 1, VMW_STEALCLOCK_DISABLED, 0, 0, 0, 0);
	ok(vmw_stealclock_disable() == 0, "steal clock disabled");
	faking(VMW_CMD_STEALCLOCK, 1, 7, 0, 0, 0, 0);
	ok(vmw_stealclock_enable(0x2000) == VMW_EPROTO, "steal clock state 7 -> VMW_EPROTO");
	ok(vmw_stealclock_read(&st) == 0x123456789abcdefull, "steal clock read");
	emu_trap_set_hook(NULL, NULL);

	emu_trap_remove();
	for (unsigned int t = VMW_TRANSPORT_IO; t <= VMW_TRANSPORT_VMMCALL; t++)
		ignoring_host(t);
	vmware_hypercall_set_mode(VMW_TRANSPORT_IO);
	vmw_set_present(-1);
	ok(vmw_get_uuid(id) == VMW_ENOTVMWARE, "host gone, forgotten: probe again -> VMW_ENOTVMWARE");
	emu_host_free(h);
	emu_host_free(h2);
	emu_host_free(h3);
	return done_testing();
}
