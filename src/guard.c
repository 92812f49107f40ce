// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>

#include "vmwcall/hypercall.h"
#include "guard.h"

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
	sigjmp_buf jb;
	volatile int faulted = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_fault;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	pthread_mutex_lock(&lock);
	sigaction(SIGSEGV, &sa, &old_segv);
	sigaction(SIGILL, &sa, &old_ill);
	if (sigsetjmp(jb, 1) == 0) {
		armed = &jb;
		call(r);
	} else {
		faulted = 1;
	}
	armed = NULL;
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGILL, &old_ill, NULL);
	pthread_mutex_unlock(&lock);
	return faulted ? -1 : 0;
}
