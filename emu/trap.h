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
 *
 * Signal state.  A real host changes none of the guest's; this front end
 * keeps what it can:
 * - A signal that is not a hypercall (a real fault, one sent with kill)
 *   gets what the kernel would have given it: the previous handler runs with
 *   its sa_mask and the signal (unless SA_NODEFER) added to the interrupted
 *   mask, SA_RESETHAND resets it, SIG_IGN ignores a sent signal, SIG_DFL
 *   kills.  The handler runs on the alternate signal stack if the thread has
 *   one, whether or not it asked for SA_ONSTACK.
 * - Our handler has SA_ONSTACK (it needs about 4 KiB beyond the kernel's
 *   frame) and blocks every signal while it runs, so a hypercall from a
 *   signal handler is answered too.
 * It cannot:
 * - Answer a hypercall while its signal is blocked (SIGSEGV for port I/O,
 *   SIGILL for VMCALL, VMMCALL, TDCALL; a handler's sa_mask and a SIGSEGV
 *   handler without SA_NODEFER count): the kernel unblocks a fault's signal,
 *   resets its disposition to SIG_DFL and kills the process before any code
 *   of ours runs.  Use the ptrace front end (vmwcall-emu) for such guests.
 * - Hide itself: sigaction(SIGSEGV or SIGILL) shows our handler, and one
 *   the guest installs afterwards replaces it (hypercalls then reach the
 *   guest's handler).  Install after the guest's handlers.  Where
 *   process_vm_readv is refused (qemu-user, container seccomp profiles)
 *   guest memory goes through a pipe (emu/selfmem.c): two descriptors
 *   the guest can see.
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
