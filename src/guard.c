// SPDX-License-Identifier: MIT
/*
 * One LB call in this thread with SIGSEGV/SIGILL turned into an error:
 * the probe's fallback where no child process can be made (child.c).
 *
 * It leaves the caller's state as it found it: the two signals are
 * unblocked in this thread only for the instruction (a synchronous fault
 * on a blocked signal would kill the process), the handler runs on the
 * thread's alternate stack if it has one (SA_ONSTACK, as Go wants), and
 * the mask and both dispositions are put back.  What it cannot avoid:
 * the handlers are process-wide for that instruction, so a handler
 * another thread installs meanwhile is overwritten by the restore, and a
 * fault in another thread meanwhile is passed on to the handler that was
 * in place; and a default action the program never set comes back with
 * libc's SA_RESTORER flag, inert without a handler.  Concurrent guarded
 * calls are serialized.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>

#include "vmwcall/hypercall.h"
#include "probe.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct sigaction old_segv, old_ill;
static __thread sigjmp_buf *armed;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
	const struct sigaction *old = sig == SIGSEGV ? &old_segv : &old_ill;

	if (armed)
		siglongjmp(*armed, 1);
	/* Another thread's fault: what it would have met without us. */
	if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction)
		old->sa_sigaction(sig, si, uc);
	else if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN)
		old->sa_handler(sig);
	else
		signal(sig, SIG_DFL);
}

/* Kept out of line so the registers the asm needs are not live across setjmp. */
static __attribute__((noinline)) void call(struct vmw_regs6 *r)
{
	vmw_lb_call(r, 1);
}

int vmw_guarded_lb(struct vmw_regs6 *r)
{
	struct sigaction sa;
	sigset_t sync, mask;
	sigjmp_buf jb;
	volatile int faulted = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	sigemptyset(&sync);
	sigaddset(&sync, SIGSEGV);
	sigaddset(&sync, SIGILL);
	pthread_mutex_lock(&lock);
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGILL, &sa, &old_ill);
	/* The mask is put back by hand: siglongjmp leaves the handler's in place. */
	pthread_sigmask(SIG_UNBLOCK, &sync, &mask);
	if (sigsetjmp(jb, 0) == 0) {
		armed = &jb;
		call(r);
	} else {
		faulted = 1;
	}
	armed = NULL;
	pthread_sigmask(SIG_SETMASK, &mask, NULL);
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGILL, &old_ill, NULL);
	pthread_mutex_unlock(&lock);
	return faulted ? VMW_PROBE_FAULT : 0;
}
