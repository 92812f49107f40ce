/* SPDX-License-Identifier: MIT */
/*
 * ptrace front end: run a program and every process it starts under one
 * emulated host.  Trapped hypercalls are answered and stepped past; every
 * other signal is delivered as it would have been.
 */
#ifndef VMWCALL_EMU_PTRACE_H
#define VMWCALL_EMU_PTRACE_H

#include "host.h"

/*
 * Run argv (argv[0] looked up in PATH) and serve it and its descendants
 * until all of them have exited.  Returns argv's exit status, 128 + N if
 * signal N killed it, 126/127 if it could not be executed (as shells do),
 * or -1 with errno if tracing could not be set up.
 */
int emu_ptrace_run(struct emu_host *h, char *const argv[]);

/* Forward sig to the program being run (for the caller's signal handlers). */
void emu_ptrace_forward(int sig);

#endif
