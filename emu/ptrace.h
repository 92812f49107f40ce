/* SPDX-License-Identifier: MIT */
/*
 * ptrace front end: run a program and every process it starts under one
 * emulated host.  Trapped hypercalls are answered and stepped past; every
 * other signal is delivered as it would have been.
 */
#ifndef VMWCALL_EMU_PTRACE_H
#define VMWCALL_EMU_PTRACE_H

#include <pthread.h>

#include "host.h"

/*
 * Start argv (argv[0] looked up in PATH) traced, with the signal
 * dispositions the caller has now.  0, or -1 with errno.
 */
int emu_ptrace_start(char *const argv[]);

/*
 * Serve the started program and its descendants until all of them have
 * exited.  Returns its exit status, 128 + N if signal N killed it, 126/127
 * if it could not be executed (as shells do), -1 if none was started.
 */
int emu_ptrace_wait(struct emu_host *h);

/*
 * fn(ctx) runs in the child, traced, just before it executes the program
 * (front ends install their filters there); -1 is reported, not fatal.
 */
void emu_ptrace_set_setup(int (*fn)(void *ctx), void *ctx);

/* Both: -1 with errno if tracing could not be set up. */
int emu_ptrace_run(struct emu_host *h, char *const argv[]);

/*
 * Make every guest fault CPUID (arch_prctl ARCH_SET_CPUID, 0) after each
 * exec, so that its cpuid traps and the host answers it (emu/cpuid.h).
 * Only where emu_cpuid_can_fault() says the processor can.  The counts
 * say how the injected calls went.
 */
void emu_ptrace_set_cpuid(int on);
struct emu_ptrace_cpuid {
	unsigned long done, failed;
	int last_error;		/* errno of the last failure (ENODEV: no faulting) */
};
const struct emu_ptrace_cpuid *emu_ptrace_cpuid_stats(void);

/* Hold m whenever the runner calls into the host (others share it). */
void emu_ptrace_set_lock(pthread_mutex_t *m);

/*
 * Stop: pass sig (SIGTERM, SIGHUP, SIGINT) to every traced process, then
 * SIGKILL whatever is left after the grace time, so emu_ptrace_wait
 * returns.  Async-signal-safe, for a handler that catches sig before
 * emu_ptrace_wait runs; while it runs, it takes those signals itself
 * (blocked, with sigtimedwait), all but a terminal's SIGINT, which has
 * already reached the foreground guests.
 */
void emu_ptrace_forward(int sig);

/* The grace time of a stop, in milliseconds (default 5000). */
void emu_ptrace_set_grace(unsigned int ms);

#endif
