// SPDX-License-Identifier: MIT
/*
 * Cost of one trapped hypercall answered by the in-process host, next to a
 * bare signal round trip (fault, handler steps past the instruction,
 * return) measured in the same run.  Best of several rounds, to keep the
 * other core's noise out.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <ucontext.h>

#include "vmwcall/hypercall.h"
#include "trap.h"
#include "bench.h"

#define N 200000
#define ROUNDS 5

static void skip_ud2(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig, (void)si;
#ifdef __x86_64__
	uc->uc_mcontext.gregs[REG_RIP] += 2;
#else
	uc->uc_mcontext.gregs[REG_EIP] += 2;
#endif
}

static double bare(void)
{
	struct sigaction sa, old;
	double t;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = skip_ud2;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGILL, &sa, &old);
	t = now();
	for (int i = 0; i < N; i++)
		__asm__ __volatile__("ud2" ::: "memory");
	t = now() - t;
	sigaction(SIGILL, &old, NULL);
	return t / N;
}

static double hypercalls(unsigned int mode)
{
	vmw_u32 b, c;
	double t;

	vmware_hypercall_set_mode(mode);
	t = now();
	for (int i = 0; i < N; i++)
		vmware_hypercall3(VMW_CMD_GETVERSION, ~VMW_MAGIC, &b, &c);
	return (now() - t) / N;
}

int main(void)
{
	struct emu_config cfg;
	struct emu_host *h;
	double b = 1e9, io = 1e9, vmcall = 1e9;

	emu_config_default(&cfg);
	h = emu_host_new(&cfg);
	for (int r = 0; r < ROUNDS; r++) {
		double x = bare();

		b = x < b ? x : b;
		emu_trap_install(h);
		x = hypercalls(VMW_TRANSPORT_IO);
		io = x < io ? x : io;
		x = hypercalls(VMW_TRANSPORT_VMCALL);
		vmcall = x < vmcall ? x : vmcall;
		emu_trap_remove();
	}
	printf("in-process host, %d calls, best of %d:\n", N, ROUNDS);
	printf("  bare signal round trip (ud2, skip)  %7.0f ns\n", b * 1e9);
	printf("  GETVERSION via in  (SIGSEGV)        %7.0f ns  %.2fx\n", io * 1e9, io / b);
	printf("  GETVERSION via vmcall (SIGILL)      %7.0f ns  %.2fx\n", vmcall * 1e9, vmcall / b);
	emu_host_free(h);
	return 0;
}
