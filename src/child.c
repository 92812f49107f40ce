// SPDX-License-Identifier: MIT
/*
 * One LB call in a short-lived child: the probe's first choice.
 *
 * Why a child: the instruction faults outside VMware, and a fault meets
 * the signal state of whoever runs it.  In the caller's thread it would
 * need the caller's SIGSEGV/SIGILL unblocked (a synchronous fault on a
 * blocked signal kills the process), a handler swapped process-wide
 * (racing every thread that installs its own) and the caller's stack
 * (perhaps a small alternate one).  A child has its own handler table,
 * mask and stack, so the caller's state is never touched, and a fault
 * only ends the child.
 *
 * How: clone(CLONE_VM | CLONE_VFORK) shares our memory and suspends this
 * thread until the child is gone, so it costs no page-table copy however
 * large the process.  It sends no signal when it ends (exit signal 0):
 * no SIGCHLD reaches the application's handler, and only a wait with
 * __WALL, ours, can reap it.  All signals are blocked across clone() so
 * that no handler of the application ever runs in the child, which shares
 * its memory; the child then installs a handler of its own that exits.
 * The answer travels in a MAP_SHARED page that also holds the child's
 * stack: shared even where CLONE_VM is dropped (valgrind runs vfork as
 * fork).  A ptrace-based host (vmwcall-emu) follows the child like any
 * other.  An in-process host answering from a signal handler of this
 * process is not the child's handler: it must say so (vmw_set_present()).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmwcall/hypercall.h"
#include "probe.h"

#define AREA (64u << 10)	/* the answer, then the child's stack */

struct job {
	struct vmw_regs6 r;
	int done;
};

/*
 * The child runs on the stack mapped below: not instrumented, so that
 * AddressSanitizer does not take _exit() there for a jump off its thread's
 * stack and warn.
 */
#if defined(__has_attribute)
#if __has_attribute(no_sanitize_address)
#define PLAIN __attribute__((no_sanitize_address))
#endif
#endif
#ifndef PLAIN
#define PLAIN
#endif

static PLAIN void faulted(int sig)
{
	(void)sig;
	_exit(1);
}

static PLAIN int child(void *arg)
{
	struct job *j = arg;
	struct sigaction sa;
	sigset_t m;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = faulted;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sigfillset(&m);
	sigdelset(&m, SIGSEGV);
	sigdelset(&m, SIGILL);
	sigprocmask(SIG_SETMASK, &m, NULL);
	vmw_lb_call(&j->r, 1);
	__atomic_store_n(&j->done, 1, __ATOMIC_RELEASE);
	_exit(0);
}

int vmw_child_lb(struct vmw_regs6 *r)
{
	sigset_t all, old;
	struct job *j;
	int saved = errno, st, rc = VMW_PROBE_FAULT;
	pid_t pid;

	j = mmap(NULL, AREA, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (j == MAP_FAILED) {
		errno = saved;
		return VMW_PROBE_NOCHILD;
	}
	j->r = *r;
	j->done = 0;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	pid = clone(child, (char *)j + AREA, CLONE_VM | CLONE_VFORK, j);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (pid < 0) {
		rc = VMW_PROBE_NOCHILD;
	} else {
		while (waitpid(pid, &st, __WALL) < 0 && errno == EINTR)
			;
		if (__atomic_load_n(&j->done, __ATOMIC_ACQUIRE)) {
			*r = j->r;
			rc = 0;
		}
	}
	munmap(j, AREA);
	errno = saved;
	return rc;
}
