/* SPDX-License-Identifier: MIT */
/*
 * Tests that need the backdoor instructions to trap (outside VMware, or
 * to be answered by an emulated host) skip where a real backdoor answers.
 * The one check: C tests call need_trapping(), shell tests the same
 * through tests/trapping.c (tests/trapping.sh).
 */
#ifndef VMWCALL_TESTS_TRAPPING_H
#define VMWCALL_TESTS_TRAPPING_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmwcall/hypercall.h"

#define TRAPPING_SKIP_PLAN "1..0 # SKIP the VMware backdoor answers here: `in` from port 0x5658 " \
	"did not fault, and these tests need it to trap"

static void trapping_exit(int sig)
{
	(void)sig;
	_exit(1);
}

/*
 * 1 if GETVERSION by `in` from port 0x5658 faults, 0 if it returns: tried
 * in a child, which exits from its own handler (no core is dumped).
 */
static __attribute__((unused)) int backdoor_traps(void)
{
	struct sigaction sa = { .sa_handler = trapping_exit };
	sigset_t none;
	vmw_u32 bx, cx;
	int st;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		sigaction(SIGSEGV, &sa, NULL);
		sigaction(SIGILL, &sa, NULL);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		vmware_hypercall_set_mode(VMW_TRANSPORT_IO);
		vmware_hypercall3(VMW_CMD_GETVERSION, 0, &bx, &cx);
		_exit(0);
	}
	return !(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

/* Call first, before any TAP output: where the backdoor answers, print the skip plan and exit. */
static __attribute__((unused)) void need_trapping(void)
{
	if (!backdoor_traps()) {
		puts(TRAPPING_SKIP_PLAN);
		exit(0);
	}
}

#endif
