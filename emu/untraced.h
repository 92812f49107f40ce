/* SPDX-License-Identifier: MIT */
/*
 * Keeping every guest process under the ptrace runner: clone() with
 * CLONE_UNTRACED would start a child the tracer never sees (its hypercalls
 * fault for real and it outlives the emulator).  A seccomp filter, set up
 * in the first guest before exec and inherited by all its descendants,
 * hands such a clone to the tracer, which refuses it with EPERM and says
 * so; clone3, whose flags a filter cannot read, fails with ENOSYS so that
 * libc falls back to clone.  The same filter hands x86-64 rt_sigaction to
 * the tracer too, tagged EMU_SIGKEEP_TAG, for sigkeep.c's record.
 */
#ifndef VMWCALL_EMU_UNTRACED_H
#define VMWCALL_EMU_UNTRACED_H

#include <sys/types.h>

/*
 * Install the filter in the calling process (the guest-to-be, after fork,
 * before exec).  Without CAP_SYS_ADMIN it sets no_new_privs first, which
 * costs a traced program nothing: set-id bits are already ignored under an
 * unprivileged tracer.  0, or -1 with errno.
 */
int emu_untraced_install(void);

/*
 * Handle tid's PTRACE_EVENT_SECCOMP stop (the tracer needs
 * PTRACE_O_TRACESECCOMP) unless it is sigkeep.c's: our clone refusal gets
 * EPERM and a message on stderr; a stop from a filter of the guest's own
 * gets what it would without a tracer, ENOSYS.  Either way the system
 * call is skipped.
 */
void emu_untraced_stop(pid_t tid);

#endif
