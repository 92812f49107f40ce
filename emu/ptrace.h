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

/* Both: -1 with errno if tracing could not be set up. */
int emu_ptrace_run(struct emu_host *h, char *const argv[]);

/* Hold m whenever the runner calls into the host (others share it). */
void emu_ptrace_set_lock(pthread_mutex_t *m);

/* Send sig to the started program (async-signal-safe, for signal handlers). */
void emu_ptrace_forward(int sig);

#endif
