// SPDX-License-Identifier: MIT
/*
 * Every function libvmwcall exports, called on this machine as it is (no
 * VMware, no emulator): each returns a clear error or a safe answer and
 * none faults.  The table must name every exported function: the test
 * compares it with the library's dynamic symbols, so a new entry point
 * cannot be added without a check here.  (hypercall.h's wrappers are
 * single instructions by contract, as the kernel's; vmw_detect() and the
 * gate in front of every command are what make them safe to reach.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmwcall/cmd.h"
#include "vmwcall/detect.h"
#include "vmwcall/hypercall.h"
#include "vmwcall/proto.h"
#include "vmwcall/rpc.h"
#include "tap.h"
#include "trapping.h"

#define U32_UNTOUCHED 0xA5A5A5A5u

static void version(void)
{
	uint32_t v = U32_UNTOUCHED, t = U32_UNTOUCHED;

	ok(vmw_get_version(&v, &t) == VMW_ENOTVMWARE && v == U32_UNTOUCHED && t == U32_UNTOUCHED,
	   "vmw_get_version: VMW_ENOTVMWARE, outputs untouched");
}

static void mhz(void)
{
	uint32_t m = U32_UNTOUCHED;

	ok(vmw_get_mhz(&m) == VMW_ENOTVMWARE && m == U32_UNTOUCHED, "vmw_get_mhz: VMW_ENOTVMWARE");
}

static void hz(void)
{
	uint64_t t = 7;
	uint32_t a = U32_UNTOUCHED;

	ok(vmw_get_hz(&t, &a) == VMW_ENOTVMWARE && t == 7 && a == U32_UNTOUCHED,
	   "vmw_get_hz: VMW_ENOTVMWARE");
}

static void host_time(void)
{
	struct vmw_time tm = { .sec = 7 };

	ok(vmw_get_host_time(&tm, sizeof(tm)) == VMW_ENOTVMWARE && tm.sec == 7,
	   "vmw_get_host_time: VMW_ENOTVMWARE");
}

static void uuid(void)
{
	uint8_t u[16] = { 7 };

	ok(vmw_get_uuid(u) == VMW_ENOTVMWARE && u[0] == 7, "vmw_get_uuid: VMW_ENOTVMWARE");
}

static void memsize(void)
{
	uint32_t mb = U32_UNTOUCHED;
	unsigned int how = 7;

	ok(vmw_get_memsize(&mb, &how) == VMW_ENOTVMWARE && mb == U32_UNTOUCHED && how == 7,
	   "vmw_get_memsize: VMW_ENOTVMWARE");
}

static void vcpu(void)
{
	uint32_t b = U32_UNTOUCHED;

	ok(vmw_get_vcpu_info(&b) == VMW_ENOTVMWARE && b == U32_UNTOUCHED,
	   "vmw_get_vcpu_info: VMW_ENOTVMWARE");
}

static void steal_on(void)
{
	ok(vmw_stealclock_enable(0x1000) == VMW_ENOTVMWARE, "vmw_stealclock_enable: VMW_ENOTVMWARE");
}

static void steal_off(void)
{
	ok(vmw_stealclock_disable() == VMW_ENOTVMWARE, "vmw_stealclock_disable: VMW_ENOTVMWARE");
}

static void steal_read(void)
{
	struct vmw_steal_time st = { .clock = 42 };

	/* Reads guest memory only: no host involved. */
	ok(vmw_stealclock_read(&st) == 42, "vmw_stealclock_read: reads the page, no hypercall");
}

static void detect(void)
{
	struct vmw_info i;

	ok(vmw_detect(&i, sizeof(i), 0) == 0 && !i.vmware, "vmw_detect: 0 (CPUID only)");
	ok(vmw_detect(&i, sizeof(i), VMW_DETECT_PROBE) == 0 && !i.vmware, "vmw_detect probe: 0, no fault");
}

static void transport_name(void)
{
	ok(!strcmp(vmw_transport_name(VMW_TRANSPORT_IO), "io") &&
	   !strcmp(vmw_transport_name(12345), "none"), "vmw_transport_name: names, 'none' for junk");
}

static void set_present(void)
{
	uint32_t m;

	vmw_set_present(0);
	ok(vmw_get_mhz(&m) == VMW_ENOTVMWARE, "vmw_set_present(0): commands refuse");
	vmw_set_present(-1);
	ok(vmw_get_mhz(&m) == VMW_ENOTVMWARE, "vmw_set_present(-1): probes again, refuses");
}

static void set_transport(void)
{
	ok(vmw_set_transport(99) == VMW_EINVAL && vmw_set_transport(VMW_TRANSPORT_IO) == 0 &&
	   vmw_set_transport(0) == 0, "vmw_set_transport: refuses 99, takes io and auto");
}

static void strerror_all(void)
{
	int bad = 0;

	for (int e = VMW_ETIMEDOUT; e <= VMW_OK; e++)
		for (int f = e + 1; f <= VMW_OK; f++)
			bad += !strcmp(vmw_strerror(e), vmw_strerror(f));
	ok(!bad && !strcmp(vmw_strerror(VMW_ETIMEDOUT - 1), "Unknown error") &&
	   !strcmp(vmw_strerror(1), "Unknown error"),
	   "vmw_strerror: a distinct text per code, 'Unknown error' otherwise");
}

static void chan_open(void)
{
	struct vmw_chan *c = (struct vmw_chan *)&c;

	ok(vmw_chan_open(&c, VMW_PROTO_RPCI) == VMW_ENOTVMWARE && !c,
	   "vmw_chan_open: VMW_ENOTVMWARE, *c NULL");
	ok(vmw_chan_open(&c, 0x1234) == VMW_EINVAL && !c, "vmw_chan_open: bad protocol: VMW_EINVAL");
}

static void chan_open_via(void)
{
	struct vmw_chan *c = (struct vmw_chan *)&c;
	int rc;

	ok(vmw_chan_open_via(&c, VMW_PROTO_RPCI, VMW_VIA_BACKDOOR) == VMW_ENOTVMWARE && !c,
	   "vmw_chan_open_via backdoor: VMW_ENOTVMWARE, *c NULL");
	c = (struct vmw_chan *)&c;
	rc = vmw_chan_open_via(&c, VMW_PROTO_RPCI, VMW_VIA_VSOCK);
	ok((rc == VMW_ECHANNEL || rc == VMW_ETIMEDOUT) && !c,
	   "vmw_chan_open_via vsock: no VMX on vsock, a clear error (%s)", vmw_strerror(rc));
}

static void chan_via(void)
{
	ok(vmw_chan_via(NULL) == 0, "vmw_chan_via(NULL): 0");
}

/* For functions that return nothing: a child calling fn exits normally. */
static int exits_clean(void (*fn)(void))
{
	int st = -1;
	pid_t pid = fork();

	if (pid == 0) {
		fn();
		_exit(0);
	}
	return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && !WEXITSTATUS(st);
}

static void set_timeout_null(void)
{
	vmw_chan_set_timeout(NULL, 10);
}

static void chan_timeout(void)
{
	ok(exits_clean(set_timeout_null), "vmw_chan_set_timeout(NULL): ignored, no fault");
}

static void chan_close(void)
{
	ok(vmw_chan_close(NULL) == 0, "vmw_chan_close(NULL): 0");
}

static void set_max_null(void)
{
	vmw_chan_set_max_reply(NULL, 10);
}

static void chan_max(void)
{
	ok(exits_clean(set_max_null), "vmw_chan_set_max_reply(NULL): ignored, no fault");
}

static void chan_send(void)
{
	ok(vmw_chan_send(NULL, "x", 1) == VMW_EINVAL, "vmw_chan_send(NULL): VMW_EINVAL");
}

static void chan_recv(void)
{
	const char *m = NULL;
	size_t n = 7;

	ok(vmw_chan_recv(NULL, &m, &n) == VMW_EINVAL && m && !*m && n == 0,
	   "vmw_chan_recv(NULL): VMW_EINVAL, empty reply");
}

static void rpci_call(void)
{
	char *r = (char *)&r;
	size_t n = 7;

	ok(vmw_rpci_call(NULL, "info-get guestinfo.x", 20, &r, &n) == VMW_ENOTVMWARE && !r && !n,
	   "vmw_rpci_call: VMW_ENOTVMWARE, *reply NULL");
}

static void info_get(void)
{
	char *v = (char *)&v;
	size_t n = 7;

	ok(vmw_info_get(NULL, "x", &v, &n) == VMW_ENOTVMWARE && !v && !n,
	   "vmw_info_get: VMW_ENOTVMWARE, *val NULL");
}

static void info_set(void)
{
	ok(vmw_info_set(NULL, "x", "y", 1) == VMW_ENOTVMWARE, "vmw_info_set: VMW_ENOTVMWARE");
	ok(vmw_info_set(NULL, "a b", "y", 1) == VMW_EINVAL, "vmw_info_set: bad key first: VMW_EINVAL");
}

static void log_text(void)
{
	ok(vmw_log(NULL, "hello") == VMW_ENOTVMWARE, "vmw_log: VMW_ENOTVMWARE");
	ok(vmw_log(NULL, NULL) == VMW_EINVAL, "vmw_log(NULL text): VMW_EINVAL");
}

static void tclo_poll(void)
{
	const char *m = NULL;
	size_t n = 7;

	ok(vmw_tclo_poll(NULL, NULL, 0, &m, &n) == VMW_EINVAL && m && n == 0,
	   "vmw_tclo_poll(NULL): VMW_EINVAL");
}

static const struct {
	const char *name;
	void (*check)(void);
} api[] = {
	{ "vmw_detect", detect },
	{ "vmw_transport_name", transport_name },
	{ "vmw_set_present", set_present },
	{ "vmw_set_transport", set_transport },
	{ "vmw_strerror", strerror_all },
	{ "vmw_get_version", version },
	{ "vmw_get_mhz", mhz },
	{ "vmw_get_hz", hz },
	{ "vmw_get_host_time", host_time },
	{ "vmw_get_uuid", uuid },
	{ "vmw_get_memsize", memsize },
	{ "vmw_get_vcpu_info", vcpu },
	{ "vmw_stealclock_enable", steal_on },
	{ "vmw_stealclock_disable", steal_off },
	{ "vmw_stealclock_read", steal_read },
	{ "vmw_chan_open", chan_open },
	{ "vmw_chan_open_via", chan_open_via },
	{ "vmw_chan_via", chan_via },
	{ "vmw_chan_set_timeout", chan_timeout },
	{ "vmw_chan_close", chan_close },
	{ "vmw_chan_set_max_reply", chan_max },
	{ "vmw_chan_send", chan_send },
	{ "vmw_chan_recv", chan_recv },
	{ "vmw_rpci_call", rpci_call },
	{ "vmw_info_get", info_get },
	{ "vmw_info_set", info_set },
	{ "vmw_log", log_text },
	{ "vmw_tclo_poll", tclo_poll },
};

#define NAPI (sizeof(api) / sizeof(*api))

static int listed(const char *name)
{
	for (size_t i = 0; i < NAPI; i++)
		if (!strcmp(api[i].name, name))
			return 1;
	return 0;
}

/* Every function the shared library exports has a row above. */
static void exported(void)
{
	const char *o = getenv("O");
	char cmd[4096], line[256], sym[200], type[8];
	int seen = 0, missing = 0, data = 0;
	FILE *f;

	if (!o) {
		ok(1, "# SKIP O is not set: no libvmwcall.so to list");
		ok(1, "# SKIP as above");
		return;
	}
	snprintf(cmd, sizeof(cmd), "nm -D --defined-only '%s/libvmwcall.so' 2>/dev/null", o);
	f = popen(cmd, "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%*s %7s %199s", type, sym) != 2)
			continue;
		/* Data (B, D, V, ...): one copy per program, clashing across versions. */
		if (strcmp(type, "T") && strcmp(type, "A")) {
			printf("# exported data: %s %s\n", type, sym);
			data++;
		}
		if (strcmp(type, "T"))
			continue;
		sym[strcspn(sym, "@")] = '\0';	/* name@@VMWCALL_0 */
		seen++;
		if (!listed(sym)) {
			printf("# exported but not checked here: %s\n", sym);
			missing++;
		}
	}
	if (f)
		pclose(f);
	ok(seen >= (int)NAPI && !missing, "libvmwcall.so exports %d functions, all in this table", seen);
	ok(f && !data, "libvmwcall.so exports no data symbol");
}

int main(void)
{
	need_trapping();
	plan(36);
	/* Each command must reach the gate's own probe, not a kept answer. */
	vmw_set_present(-1);
	exported();
	for (size_t k = 0; k < NAPI; k++)
		api[k].check();
	return done_testing();
}
