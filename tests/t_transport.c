// SPDX-License-Identifier: MIT
/*
 * Transport state in hypercall.h: an out-of-range mode is refused and
 * never becomes an instruction; the first automatic choice never
 * overwrites a concurrent vmware_hypercall_set_mode(); HB is refused when
 * guest memory is encrypted (here VMW_MEM_ENCRYPTED() is this test's
 * switch, as a kernel's cc_platform_has() would be).
 */
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static int encrypted;
#define VMW_MEM_ENCRYPTED() encrypted

#include "vmwcall/hypercall.h"
#include "host.h"
#include "tap.h"
#include "trap.h"
#include "trapping.h"

#define RACES 2000

static volatile int calls;

static void count(void *ctx, const struct emu_cpu *before, struct emu_cpu *after)
{
	(void)ctx, (void)before, (void)after;
	calls++;
}

/* In a child: a call with the cache holding 99 must not fault. */
static int junk_mode_call(void)
{
	int st;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		vmw_u32 o;

		alarm(10);
		vmware_hypercall_mode = 99;	/* what set_mode refuses, written directly */
		_exit(vmware_hypercall1(VMW_CMD_GETVERSION, 0) == ~0UL &&
		      vmware_hypercall_hb_in(0, 1, 0, 0, 0, 0, &o) == ~0UL ? 0 : 1);
	}
	return pid > 0 && waitpid(pid, &st, 0) == pid ? st : -1;
}

static void *first_call(void *arg)
{
	(void)arg;
	vmware_hypercall_get_mode();
	return NULL;
}

int main(void)
{
	struct emu_config cfg;
	struct emu_host *h;
	int lost = 0, st;
	vmw_u32 o;
	char buf[8];

	need_trapping();
	printf("1..8\n");
	ok(vmware_hypercall_set_mode(VMW_TRANSPORT_VMCALL) == 0 &&
	   vmware_hypercall_get_mode() == VMW_TRANSPORT_VMCALL, "set_mode(vmcall) taken");
	ok(vmware_hypercall_set_mode(VMW_TRANSPORT_TDX + 1) == -1 &&
	   vmware_hypercall_set_mode(~0u) == -1 && vmware_hypercall_get_mode() == VMW_TRANSPORT_VMCALL,
	   "set_mode(5) and set_mode(~0) refused, mode unchanged");
	st = junk_mode_call();
	if (!ok(st == 0, "a mode that is no transport: no instruction, no fault, out0 ~0"))
		fprintf(stderr, "#   wait status 0x%x\n", st);

	/* The automatic choice (io here) racing an explicit one (vmmcall). */
	for (int i = 0; i < RACES; i++) {
		pthread_t t;

		vmware_hypercall_set_mode(VMW_TRANSPORT_AUTO);
		if (pthread_create(&t, NULL, first_call, NULL))
			break;
		vmware_hypercall_set_mode(VMW_TRANSPORT_VMMCALL);
		pthread_join(t, NULL);
		lost += vmware_hypercall_get_mode() != VMW_TRANSPORT_VMMCALL;
	}
	if (!ok(lost == 0, "the first automatic choice never overwrites set_mode() (%d races)", RACES))
		fprintf(stderr, "#   overwritten %d times\n", lost);

	emu_config_default(&cfg);
	h = emu_host_new(&cfg);
	if (!h || emu_trap_install(h))
		return 1;
	emu_trap_set_hook(count, NULL);
	vmware_hypercall_set_mode(VMW_TRANSPORT_IO);
	calls = 0;
	ok(vmware_hypercall_hb_in(VMW_HB_CMD_MESSAGE, sizeof(buf), 0, 0,
				  (unsigned long)(uintptr_t)buf, 0, &o) != ~0UL && calls == 1,
	   "memory not encrypted: HB reaches the host");
	encrypted = 1;
	calls = 0;
	ok(!vmware_hypercall_hb_ok(), "memory encrypted: vmware_hypercall_hb_ok() says no");
	ok(vmware_hypercall_hb_in(VMW_HB_CMD_MESSAGE, sizeof(buf), 0, 0,
				  (unsigned long)(uintptr_t)buf, 0, &o) == ~0UL &&
	   vmware_hypercall_hb_out(VMW_HB_CMD_MESSAGE, sizeof(buf), 0,
				   (unsigned long)(uintptr_t)buf, 0, 0, &o) == ~0UL && o == 0 && calls == 0,
	   "memory encrypted: HB in and out refused, no instruction");
	ok(vmware_hypercall1(VMW_CMD_GETVERSION, 0) == cfg.version && calls == 1,
	   "memory encrypted: LB still works");
	emu_trap_remove();
	emu_host_free(h);
	return tap_failed ? 1 : 0;
}
