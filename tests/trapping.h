/* SPDX-License-Identifier: MIT */
/*
 * Tests that need the backdoor instructions to trap (outside VMware, or
 * to be answered by an emulated host) skip where a real backdoor answers.
 */
#ifndef VMWCALL_TESTS_TRAPPING_H
#define VMWCALL_TESTS_TRAPPING_H

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmwcall/hypercall.h"

static void trapping_exit(int sig)
{
	(void)sig;
	_exit(1);
}

/*
 * Call first, before any TAP output: if GETVERSION by `in` from port
 * 0x5658 returns in a child instead of faulting, print the TAP skip
 * plan with the reason and exit.  The child exits from its own handler,
 * so no core is dumped.
 */
static __attribute__((unused)) void need_trapping(void)
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
	if (pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		puts("1..0 # SKIP the VMware backdoor answers here: `in` from port 0x5658 "
		     "did not fault, and these tests need it to trap");
		exit(0);
	}
}

#endif
