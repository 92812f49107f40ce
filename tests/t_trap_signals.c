// SPDX-License-Identifier: MIT
/*
 * The in-process front end (emu/trap.c) leaves the guest's signal state as
 * a real VMware host would: masks, dispositions and flags of the guest's own
 * handlers, signals sent with kill, alternate stacks, hypercalls from signal
 * handlers and from threads that block other signals.  Cases that may kill
 * or hang run in a child with an alarm.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include <valgrind/memcheck.h>

#include "vmwcall/proto.h"
#include "host.h"
#include "tap.h"
#include "trap.h"
#include "trapping.h"

static struct emu_host *h;

/* GETVERSION by port I/O: 6 when answered. */
static unsigned int getversion(unsigned short port)
{
	unsigned int a = VMW_MAGIC, b = ~VMW_MAGIC, c = VMW_CMD_GETVERSION, d = port;

	__asm__ __volatile__("inl %%dx, %%eax" : "+a"(a), "+b"(b), "+c"(c), "+d"(d) :: "memory");
	return b == VMW_MAGIC ? a : ~0u;
}

static int install(void)
{
	return emu_trap_install(h);
}

/* fork; the child runs fn and exits with its value; the parent gets the wait status. */
static int in_child(int (*fn)(void))
{
	int st;
	pid_t p = fork();

	if (p == 0) {
		alarm(5);
		_exit(fn());
	}
	return p > 0 && waitpid(p, &st, 0) == p ? st : -1;
}

/* Handler, flags and mask (only the kernel's NSIG bits of a sigset_t are filled in). */
static int same_action(const struct sigaction *a, const struct sigaction *b)
{
	int same = a->sa_sigaction == b->sa_sigaction && a->sa_flags == b->sa_flags;

	for (int s = 1; s < NSIG; s++)
		same &= sigismember(&a->sa_mask, s) == sigismember(&b->sa_mask, s);
	return same;
}

/* --- the guest's own handler --------------------------------------------- */
static sigjmp_buf env;
static sigset_t seen_mask;
static volatile sig_atomic_t calls;
static volatile int seen_code;

static void guest_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)uc;
	calls++;
	seen_code = si->si_code;
	pthread_sigmask(SIG_BLOCK, NULL, &seen_mask);
	siglongjmp(env, 1);
}

static int set_guest(int sig, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = guest_handler;
	sa.sa_flags = SA_SIGINFO | flags;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR1);
	return sigaction(sig, &sa, NULL);
}

static char *noaccess;

/* A read of a PROT_NONE page: SEGV_ACCERR. */
static int fault_accerr(void)
{
	if (sigsetjmp(env, 1))
		return 1;
	return *(volatile char *)noaccess;
}

/* A hypercall the host refuses (not its port): SIGSEGV SI_KERNEL, not ours. */
static int fault_badport(void)
{
	if (sigsetjmp(env, 1))
		return 1;
	return (int)getversion(0x80);
}

static void guest_mask(void)
{
	for (int k = 0; k < 2; k++) {
		const char *what = k ? "refused hypercall" : "SEGV_ACCERR";
		int r;

		calls = 0;
		memset(&seen_mask, 0, sizeof(seen_mask));
		r = k ? fault_badport() : fault_accerr();
		ok(r == 1 && calls == 1, "%s reaches the guest's handler", what);
		ok(sigismember(&seen_mask, SIGUSR1) == 1 && sigismember(&seen_mask, SIGSEGV) == 1 &&
		   sigismember(&seen_mask, SIGUSR2) == 0,
		   "%s: the guest's handler runs with its sa_mask and the signal blocked, no more", what);
		ok(k ? seen_code == SI_KERNEL : seen_code == SEGV_ACCERR, "%s: its si_code (%d)", what,
		   seen_code);
	}
}

/* SA_NODEFER: the signal stays unblocked in the guest's handler. */
static int nodefer(void)
{
	emu_trap_remove();
	if (set_guest(SIGSEGV, SA_NODEFER) || install() || fault_accerr() != 1)
		return 2;
	return sigismember(&seen_mask, SIGSEGV) == 0 && sigismember(&seen_mask, SIGUSR1) == 1 ? 0 : 1;
}

/* SA_RESETHAND: the first fault reaches the handler, the second kills. */
static int resethand(void)
{
	emu_trap_remove();
	if (set_guest(SIGSEGV, SA_RESETHAND) || install() || fault_accerr() != 1)
		return 2;
	fault_accerr();
	return 3;
}

/* A sent SIGSEGV under SIG_IGN is ignored; the front end stays installed. */
static int sent_ignored(void)
{
	struct sigaction ours, now;

	emu_trap_remove();
	signal(SIGSEGV, SIG_IGN);
	if (install() || sigaction(SIGSEGV, NULL, &ours))
		return 2;
	kill(getpid(), SIGSEGV);
	if (sigaction(SIGSEGV, NULL, &now) || now.sa_sigaction != ours.sa_sigaction)
		return 3;
	if (getversion(VMW_PORT) != 6)
		return 4;
	emu_trap_remove();
	return sigaction(SIGSEGV, NULL, &now) || now.sa_handler != SIG_IGN ? 5 : 0;
}

/* A sent SIGSEGV under SIG_DFL kills, as it would. */
static int sent_default(void)
{
	emu_trap_remove();
	signal(SIGSEGV, SIG_DFL);
	if (install())
		return 2;
	kill(getpid(), SIGSEGV);
	return 3;
}

/* The kernel forces a blocked synchronous SIGSEGV: death (emu/trap.h). */
static int blocked_segv(void)
{
	sigset_t m;

	sigemptyset(&m);
	sigaddset(&m, SIGSEGV);
	pthread_sigmask(SIG_BLOCK, &m, NULL);
	getversion(VMW_PORT);
	return 3;
}

/* --- a hypercall from a signal handler that interrupts the front end ----- */
static volatile unsigned int from_handler;
static volatile sig_atomic_t raised;

static void on_usr1(int sig)
{
	(void)sig;
	from_handler = getversion(VMW_PORT);
}

static void raise_usr1(void *ctx, const struct emu_cpu *before, struct emu_cpu *after)
{
	(void)ctx, (void)before, (void)after;
	if (!raised++)
		raise(SIGUSR1);	/* pending until the front end returns */
}

static int handler_hypercall(void)
{
	signal(SIGUSR1, on_usr1);
	emu_trap_set_hook(raise_usr1, NULL);
	if (getversion(VMW_PORT) != 6)
		return 2;
	return from_handler == 6 ? 0 : 3;
}

/* --- threads ------------------------------------------------------------- */
static void *blocker(void *arg)
{
	sigset_t m, after;
	int good = 0;

	(void)arg;
	sigfillset(&m);
	sigdelset(&m, SIGSEGV);
	sigdelset(&m, SIGILL);
	pthread_sigmask(SIG_SETMASK, &m, NULL);
	pthread_sigmask(SIG_BLOCK, NULL, &m);
	for (int i = 0; i < 200; i++)
		good += getversion(VMW_PORT) == 6;
	pthread_sigmask(SIG_BLOCK, NULL, &after);
	for (int s = 1; s < NSIG; s++)
		good += sigismember(&m, s) != sigismember(&after, s);
	return (void *)(intptr_t)(good == 200);
}

static uintptr_t alt_lo, alt_hi;
static volatile int on_alt;

static void where(void *ctx, const struct emu_cpu *before, struct emu_cpu *after)
{
	uintptr_t here = (uintptr_t)&here;

	(void)ctx, (void)before, (void)after;
	on_alt = here >= alt_lo && here < alt_hi;
}

static void *altstack(void *arg)
{
	static char stack[64 * 1024];
	stack_t ss = { .ss_sp = stack, .ss_size = sizeof(stack) }, prev;
	int good;

	(void)arg;
	if (sigaltstack(&ss, &prev))
		return NULL;
	alt_lo = (uintptr_t)stack;
	alt_hi = alt_lo + sizeof(stack);
	on_alt = -1;
	good = getversion(VMW_PORT) == 6 && on_alt == 1;
	/* Put back the previous one: ASan unmaps a thread's alternate stack at its exit. */
	sigaltstack(&prev, NULL);
	return (void *)(intptr_t)good;
}

static void *run_thread(void *(*fn)(void *))
{
	pthread_t t;
	void *r = NULL;

	if (pthread_create(&t, NULL, fn, NULL) || pthread_join(t, &r))
		return NULL;
	return r;
}

static int killed_by(int st, int sig)
{
	return st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == sig;
}

int main(void)
{
	struct emu_config cfg;
	struct sigaction guest, ours, after;
	int st;

	need_trapping();
	plan(19);
	noaccess = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* memcheck: the fault is the test; let the CPU, not memcheck, refuse the read. */
	(void)VALGRIND_MAKE_MEM_DEFINED(noaccess, 4096);
	emu_config_default(&cfg);
	h = emu_host_new(&cfg);
	if (noaccess == MAP_FAILED || !h || set_guest(SIGSEGV, 0) || sigaction(SIGSEGV, NULL, &guest))
		return 1;
	if (install() || sigaction(SIGSEGV, NULL, &ours))
		return 1;

	ok((ours.sa_flags & SA_ONSTACK) && !(ours.sa_flags & SA_RESETHAND) &&
	   sigismember(&ours.sa_mask, SIGUSR1) == 1 && sigismember(&ours.sa_mask, SIGSEGV) == 1,
	   "front end: SA_ONSTACK, no SA_RESETHAND, every signal blocked while it runs");
	ok(!(ours.sa_flags & SA_RESTART), "front end: SA_RESTART as the guest's handler (none)");
	ok(getversion(VMW_PORT) == 6, "GETVERSION answered");
	guest_mask();

	ok(run_thread(blocker) != NULL,
	   "thread blocking every other signal: 200 hypercalls answered, its mask unchanged");
	ok(!sigaction(SIGSEGV, NULL, &after) && same_action(&after, &ours),
	   "after them the front end is still installed, as it was");
	emu_trap_set_hook(where, NULL);
	ok(run_thread(altstack) != NULL, "thread with an alternate signal stack: answered on it");
	emu_trap_set_hook(NULL, NULL);

	st = in_child(handler_hypercall);
	ok(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "hypercall from a handler of a signal raised while the front end runs: answered (status 0x%x)",
	   st);
	st = in_child(nodefer);
	ok(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "SA_NODEFER guest handler: the signal stays unblocked (status 0x%x)", st);
	ok(killed_by(in_child(resethand), SIGSEGV),
	   "SA_RESETHAND guest handler: the second fault kills with SIGSEGV");
	st = in_child(sent_ignored);
	ok(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	   "kill(SIGSEGV) under SIG_IGN: ignored, front end and SIG_IGN kept (status 0x%x)", st);
	ok(killed_by(in_child(sent_default), SIGSEGV), "kill(SIGSEGV) under SIG_DFL kills");
	ok(killed_by(in_child(blocked_segv), SIGSEGV),
	   "documented limit: a hypercall with SIGSEGV blocked dies of SIGSEGV");

	emu_trap_remove();
	ok(!sigaction(SIGSEGV, NULL, &after) && same_action(&after, &guest),
	   "removed: the guest's handler, flags and mask are back");
	emu_host_free(h);
	return done_testing();
}
