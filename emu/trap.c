// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

#include "cpu_a64.h"
#include "selfmem.h"
#include "trap.h"

static struct emu_host *host;
static int installed;
static struct sigaction old_segv, old_ill;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static emu_trap_hook_fn *hook;
static void *hook_ctx;

/* Guest memory is ours; a bad guest pointer is an error, not a fault. */
static int self_read(void *ctx, uint64_t addr, void *dst, size_t n)
{
	(void)ctx;
	if ((uint64_t)(uintptr_t)addr != addr)
		return -1;
	return emu_self_read(dst, (uintptr_t)addr, n) == n ? 0 : -1;
}

static int self_write(void *ctx, uint64_t addr, const void *src, size_t n)
{
	(void)ctx;
	if ((uint64_t)(uintptr_t)addr != addr)
		return -1;
	return emu_self_write((uintptr_t)addr, src, n);
}

#if defined(__aarch64__)
#define GREGS(X) X(ax, regs[0]) X(bx, regs[1]) X(cx, regs[2]) X(dx, regs[3]) \
	X(si, regs[4]) X(di, regs[5]) X(bp, regs[6]) X(x7, regs[7]) X(ip, pc)
#define GREG(uc, R) ((uc)->uc_mcontext.R)
#define STEP emu_a64_step
#define IS64 1
typedef uint64_t ureg;
#elif defined(__x86_64__)
#define GREGS(X) X(ax, REG_RAX) X(bx, REG_RBX) X(cx, REG_RCX) X(dx, REG_RDX) \
	X(si, REG_RSI) X(di, REG_RDI) X(bp, REG_RBP) X(r10, REG_R10) X(r11, REG_R11) \
	X(r12, REG_R12) X(r13, REG_R13) X(r14, REG_R14) X(r15, REG_R15) X(ip, REG_RIP) \
	X(flags, REG_EFL)
#define IS64 1
typedef uint64_t ureg;
#else
#define GREGS(X) X(ax, REG_EAX) X(bx, REG_EBX) X(cx, REG_ECX) X(dx, REG_EDX) \
	X(si, REG_ESI) X(di, REG_EDI) X(bp, REG_EBP) X(ip, REG_EIP) X(flags, REG_EFL)
#define IS64 0
typedef uint32_t ureg;
#endif
#ifndef GREG
#define GREG(uc, R) ((uc)->uc_mcontext.gregs[R])
#define STEP emu_cpu_step
#endif

/*
 * A signal that is not a hypercall gets what the kernel would have given it
 * had we not been installed, so the guest's own signal state stays its own:
 * its handler runs with its sa_mask (and the signal, unless SA_NODEFER) added
 * to the interrupted mask, SA_RESETHAND resets it, SIG_IGN ignores a sent
 * signal, and SIG_DFL kills.  We never change the disposition except on the
 * way to that death.
 */
static void chain(int sig, siginfo_t *si, ucontext_t *uc)
{
	struct sigaction *old = sig == SIGSEGV ? &old_segv : &old_ill;
	struct sigaction a = *old;
	sigset_t m = uc->uc_sigmask;

	if (a.sa_handler == SIG_IGN && si->si_code <= 0)
		return;	/* sent (kill, tgkill, sigqueue): ignored as it would be */
	if (a.sa_handler == SIG_DFL || a.sa_handler == SIG_IGN) {
		/*
		 * A fault: return into it with the default action, the real death
		 * (the kernel forces it even under SIG_IGN).  A sent signal: raise
		 * it again, unblocked, with the default action.
		 */
		signal(sig, SIG_DFL);
		if (si->si_code <= 0) {
			sigemptyset(&m);
			sigaddset(&m, sig);
			pthread_sigmask(SIG_UNBLOCK, &m, NULL);
			raise(sig);
		}
		return;
	}
	if (a.sa_flags & SA_RESETHAND) {
		old->sa_handler = SIG_DFL;
		old->sa_flags &= ~SA_SIGINFO;
	}
	sigorset(&m, &m, &a.sa_mask);
	if (!(a.sa_flags & SA_NODEFER))
		sigaddset(&m, sig);
	pthread_sigmask(SIG_SETMASK, &m, NULL);
	if (a.sa_flags & SA_SIGINFO)
		a.sa_sigaction(sig, si, uc);
	else
		a.sa_handler(sig);
	/* Our return (sigreturn) restores uc_sigmask, as the guest's would. */
}

static void on_trap(int sig, siginfo_t *si, void *ucv)
{
	static const struct emu_mem mem = { NULL, self_read, self_write };
	ucontext_t *uc = ucv;
	uint8_t code[EMU_INSN_MAX];
	struct emu_cpu c = { .is64 = IS64 }, before;
	int saved = errno, rc = -1;
	size_t n;

	/* Only faults the CPU raised (a valgrind'ed #UD may say ILL_ILLOPC). */
	if ((sig == SIGSEGV && si->si_code != SI_KERNEL) || si->si_code <= 0)
		goto not_ours;
#define LOAD(f, R) c.f = (ureg)GREG(uc, R);
	GREGS(LOAD)
	pthread_mutex_lock(&lock);	/* also serializes emu_self_read/write */
	/*
	 * The bytes at ip were just fetched, so its page is readable; only an
	 * instruction that may run into the next page needs the safe copy.
	 */
	if (((uintptr_t)c.ip & 4095) <= 4096 - sizeof(code)) {
		memcpy(code, (const void *)(uintptr_t)c.ip, sizeof(code));
		n = sizeof(code);
	} else {
		n = emu_self_read(code, (uintptr_t)c.ip, sizeof(code));
	}
	if (n > 0 && host) {
		before = c;
		rc = STEP(host, &c, code, n, &mem, 0);
		if (rc == 0 && hook)
			hook(hook_ctx, &before, &c);
	}
	pthread_mutex_unlock(&lock);
	errno = saved;
	if (rc == 0) {
#define STORE(f, R) GREG(uc, R) = (ureg)c.f;
		GREGS(STORE)
		return;
	}
not_ours:
	errno = saved;
	chain(sig, si, uc);
	errno = saved;
}

/*
 * Our handler runs with every signal blocked, so a guest handler that makes
 * a hypercall cannot interrupt us holding the lock; chain() sets the mask the
 * guest's handler would have had.  SA_ONSTACK: a thread with an alternate
 * signal stack (Go, small thread stacks) is answered on it.  SA_RESTART as the
 * guest's handler asks; an ignored or default signal interrupts no system
 * call, so then always.
 */
static int take(int sig, struct sigaction *old)
{
	struct sigaction sa;

	if (sigaction(sig, NULL, old))
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_trap;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	if (old->sa_handler == SIG_DFL || old->sa_handler == SIG_IGN || (old->sa_flags & SA_RESTART))
		sa.sa_flags |= SA_RESTART;
	sigfillset(&sa.sa_mask);
	return sigaction(sig, &sa, NULL);
}

int emu_trap_install(struct emu_host *h)
{
	pthread_mutex_lock(&lock);
	host = h;
	pthread_mutex_unlock(&lock);
	if (installed)
		return 0;
	if (take(SIGSEGV, &old_segv))
		return -1;
	if (take(SIGILL, &old_ill)) {
		sigaction(SIGSEGV, &old_segv, NULL);
		return -1;
	}
	installed = 1;
	return 0;
}

void emu_trap_remove(void)
{
	if (!installed)
		return;
	installed = 0;
	sigaction(SIGSEGV, &old_segv, NULL);
	sigaction(SIGILL, &old_ill, NULL);
	pthread_mutex_lock(&lock);
	host = NULL;
	hook = NULL;
	pthread_mutex_unlock(&lock);
}

void emu_trap_set_hook(emu_trap_hook_fn *fn, void *ctx)
{
	pthread_mutex_lock(&lock);
	hook = fn;
	hook_ctx = ctx;
	pthread_mutex_unlock(&lock);
}
