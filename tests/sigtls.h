/* SPDX-License-Identifier: MIT */
/*
 * Does a thread come back from a signal handler with its own TLS?
 * qemu-i386 (7.2, linux-user) reloads %gs on sigreturn from one GDT that
 * all threads share, whose TLS entry holds the base of the thread that set
 * it last, so every other thread returns with that thread's TLS (errno,
 * malloc's tcache: heap corruption).  The kernel keeps a TLS entry per
 * thread.  Tests that trap in several threads at once skip where this
 * probe fails (doc/qemu-user.md; doc/qemu-i386-tls.c prints it).
 */
#ifndef VMWCALL_TESTS_SIGTLS_H
#define VMWCALL_TESTS_SIGTLS_H

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#define SIGTLS_THREADS 4

#if defined(__i386__) || defined(__x86_64__)
/* REG_RIP, REG_EIP: <sys/ucontext.h> names them only under _GNU_SOURCE. */
#ifdef __x86_64__
#define SIGTLS_IP 16
#else
#define SIGTLS_IP 14
#endif
static pthread_barrier_t sigtls_all_made;
static volatile int sigtls_moved[SIGTLS_THREADS];	/* not the return value: it goes through TLS */

/* The thread's control block: glibc keeps its own address at %gs:0 / %fs:0. */
static void *sigtls_self(void)
{
	void *p;
#ifdef __x86_64__
	__asm__ volatile("mov %%fs:0, %0" : "=r"(p));
#else
	__asm__ volatile("mov %%gs:0, %0" : "=r"(p));
#endif
	return p;
}

static void sigtls_skip_in(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig, (void)si;
	uc->uc_mcontext.gregs[SIGTLS_IP] += 1;	/* past "in" */
}

/* Traps once every thread exists (so the last one's TLS is in qemu's GDT). */
static void *sigtls_trap(void *arg)
{
	void *before = sigtls_self();

	pthread_barrier_wait(&sigtls_all_made);
	__asm__ volatile("inb %%dx, %%al" : : "d"(0x5658) : "eax", "memory");
	sigtls_moved[(intptr_t)arg] = sigtls_self() != before;
	return NULL;
}

/*
 * 1 if some thread returned from its SIGSEGV handler with another thread's
 * TLS (or the probe could not run), else 0.  In a child, so that neither its
 * handler nor its threads touch the caller.
 */
static __attribute__((unused)) int sigtls_broken(void)
{
	pid_t p;
	int st;

	fflush(stdout);
	p = fork();
	if (p == 0) {
		struct sigaction sa;
		pthread_t t[SIGTLS_THREADS];
		int bad = 0;

		alarm(10);	/* a thread on another's TLS may hang: then broken too */
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = sigtls_skip_in;
		sa.sa_flags = SA_SIGINFO;
		if (sigaction(SIGSEGV, &sa, NULL) ||
		    pthread_barrier_init(&sigtls_all_made, NULL, SIGTLS_THREADS))
			_exit(2);
		for (intptr_t i = 0; i < SIGTLS_THREADS; i++)
			if (pthread_create(&t[i], NULL, sigtls_trap, (void *)i))
				_exit(2);
		for (int i = 0; i < SIGTLS_THREADS; i++) {
			pthread_join(t[i], NULL);
			bad |= sigtls_moved[i];
		}
		_exit(bad);
	}
	return p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 0;
}
#else
/* Elsewhere the thread pointer is a register that sigreturn does not reload from a table. */
static __attribute__((unused)) int sigtls_broken(void)
{
	return 0;
}
#endif

#endif
