/* SPDX-License-Identifier: MIT */
/*
 * In-process front end: SIGSEGV/SIGILL handlers that answer this process's
 * own trapped hypercalls from an emu_host, so the unmodified instructions
 * of <vmwcall/hypercall.h> run here as they would on VMware.
 */
#ifndef VMWCALL_EMU_TRAP_H
#define VMWCALL_EMU_TRAP_H

#include "cpu.h"

/*
 * Install the handlers (saving the previous ones) with h as the host.
 * Faults that are not hypercalls go to the previous handler, or kill the
 * process with the original signal.  0, or -1 with errno.
 */
int emu_trap_install(struct emu_host *h);

/* Restore the previous handlers.  The host stays the caller's to free. */
void emu_trap_remove(void);

/*
 * Tests only: called after each answered call with the CPU registers as the
 * guest left them and as they go back; it may change *after.
 */
typedef void emu_trap_hook_fn(void *ctx, const struct emu_cpu *before, struct emu_cpu *after);
void emu_trap_set_hook(emu_trap_hook_fn *fn, void *ctx);

#endif
