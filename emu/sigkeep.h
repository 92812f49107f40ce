/* SPDX-License-Identifier: MIT */
/*
 * Keeping the guest's SIGSEGV and SIGILL handlers across hypercalls under
 * the ptrace runner.  A hypercall faults; when the faulting thread blocks
 * the signal (or the process ignores it) the kernel's forced delivery
 * resets the disposition to SIG_DFL and unblocks it before the tracer
 * sees the stop, a change no real VMware makes.  So the runner records
 * what each process installs (the untraced filter hands it every x86-64
 * rt_sigaction) and, after answering such a fault, has the thread itself
 * put it back.
 */
#ifndef VMWCALL_EMU_SIGKEEP_H
#define VMWCALL_EMU_SIGKEEP_H

#include <sys/types.h>

/* SECCOMP_RET_DATA of the filter's rt_sigaction stops: "SA". */
#define EMU_SIGKEEP_TAG 0x5341

/*
 * tid (of process tgid) is in a PTRACE_EVENT_SECCOMP stop tagged
 * EMU_SIGKEEP_TAG: record what its rt_sigaction is about to install.
 * The caller continues it.
 */
void emu_sigkeep_syscall(pid_t tid, pid_t tgid);

/*
 * tid's fault on sig (SIGSEGV or SIGILL) was a hypercall, answered, and is
 * to be suppressed: 1 if the kernel had reset the recorded disposition and
 * tid has been resumed to reinstall it (its next stops go to
 * emu_sigkeep_stop), 0 if there was nothing to do (continue it as usual).
 */
int emu_sigkeep_fault(pid_t tid, pid_t tgid, int sig);

/*
 * Any stop of tid (wait status st): 1 if it was a reinstall's own and tid
 * has been resumed; 0 if not (a reinstall under way, if any, is undone and
 * the stop is the caller's).
 */
int emu_sigkeep_stop(pid_t tid, int st);

/* sig is passed to tid's handler: a handler with SA_RESETHAND is reset. */
void emu_sigkeep_delivered(pid_t tgid, int sig);

/* A fork: child starts with parent's record.  An exec: caught ones reset. */
void emu_sigkeep_fork(pid_t parent, pid_t child);
void emu_sigkeep_exec(pid_t tgid);

/* Thread tid is gone; when it leads its process, the process's record goes too. */
void emu_sigkeep_gone(pid_t tid, int leader);

#endif
