// SPDX-License-Identifier: MIT
/*
 * The library's probe outside VMware, under the signal state real programs
 * create: a thread with every signal blocked, an alternate signal stack,
 * another thread installing handlers meanwhile, and a sandbox that refuses
 * clone() (the guard fallback).  The probe must answer "no" and leave
 * every disposition, flag, mask and the alternate stack as it found them.
 * Each case runs in a process of its own, so a crash or a hang is reported.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/filter.h>
#include <linux/seccomp.h>
#include <valgrind/valgrind.h>

#include "vmwcall/cmd.h"
#include "vmwcall/detect.h"
#include "tap.h"
#include "trapping.h"

/* Fewer under valgrind, which runs one thread at a time, slowly. */
#define PROBES (RUNNING_ON_VALGRIND ? 4 : 200)

/* The signal state a probe must not change. */
struct state {
	struct sigaction segv, ill, chld;
	sigset_t mask;
	stack_t alt;
};

static void snap(struct state *s)
{
	memset(s, 0, sizeof(*s));
	sigaction(SIGSEGV, NULL, &s->segv);
	sigaction(SIGILL, NULL, &s->ill);
	sigaction(SIGCHLD, NULL, &s->chld);
	pthread_sigmask(SIG_SETMASK, NULL, &s->mask);
	sigaltstack(NULL, &s->alt);
}

static int same_set(const sigset_t *a, const sigset_t *b)
{
	for (int i = 1; i < NSIG; i++)
		if (sigismember(a, i) != sigismember(b, i))
			return 0;
	return 1;
}

/*
 * Every flag but SA_RESTORER: glibc adds that one to whatever it installs,
 * so the guard's restore of a default action the program never set shows
 * it; it names the return trampoline of a handler and does nothing else.
 */
static int same_action(const struct sigaction *a, const struct sigaction *b)
{
	const int restorer = 0x04000000;

	return a->sa_handler == b->sa_handler &&
	       (a->sa_flags & ~restorer) == (b->sa_flags & ~restorer) &&
	       same_set(&a->sa_mask, &b->sa_mask);
}

static int same_alt(const stack_t *a, const stack_t *b)
{
	return a->ss_sp == b->ss_sp && a->ss_size == b->ss_size && a->ss_flags == b->ss_flags;
}

static volatile sig_atomic_t app_signals;

static void app_handler(int sig, siginfo_t *si, void *uc)
{
	(void)sig, (void)si, (void)uc;
	app_signals++;
}

/* Handlers an application (a Go runtime, say) has in place: SA_ONSTACK, masks, flags. */
static void app_setup(void)
{
	static char alt[1 << 16];
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt) };
	struct sigaction sa;
	sigset_t m;

	sigaltstack(&ss, NULL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = app_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR1);
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
	sigaction(SIGILL, &sa, NULL);
	sigemptyset(&m);
	sigaddset(&m, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &m, NULL);
}

/* Every probe path: the gate's first probe, a forced re-probe, vmw_detect. */
static int probe_all(void)
{
	struct vmw_info info;
	uint32_t mhz = 7;

	vmw_set_present(-1);
	if (vmw_get_mhz(&mhz) != VMW_ENOTVMWARE || mhz != 7)
		return 10;
	vmw_set_present(-1);
	if (vmw_get_uuid((uint8_t[16]){ 0 }) != VMW_ENOTVMWARE)
		return 11;
	if (vmw_detect(&info, sizeof(info), VMW_DETECT_PROBE) != 0 || info.vmware)
		return 12;
	return 0;
}

/* With state checks around it. */
static int probe_checked(void)
{
	struct state before, after;
	int rc;

	snap(&before);
	rc = probe_all();
	snap(&after);
	if (rc)
		return rc;
	if (!same_action(&before.segv, &after.segv) || !same_action(&before.ill, &after.ill))
		return 20;
	if (!same_action(&before.chld, &after.chld))
		return 21;
	if (!same_set(&before.mask, &after.mask))
		return 22;
	if (!same_alt(&before.alt, &after.alt))
		return 23;
	return 0;
}

static void *blocked_worker(void *arg)
{
	sigset_t all;

	(void)arg;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, NULL);
	return (void *)(intptr_t)probe_checked();
}

/* A worker thread with every signal blocked, as daemons have them. */
static int blocked_thread(void)
{
	pthread_t t;
	void *rc;

	if (pthread_create(&t, NULL, blocked_worker, NULL) || pthread_join(t, &rc))
		return 2;
	return (int)(intptr_t)rc;
}

/* Application handlers with SA_ONSTACK on an alternate stack, some signals blocked. */
static int app_state(void)
{
	int rc;

	app_setup();
	rc = probe_checked();
	if (!rc && app_signals)
		return 24;	/* the probe's child must send no SIGCHLD */
	return rc;
}

static volatile int probe_result;

static void probe_on_altstack(int sig)
{
	stack_t now;

	(void)sig;
	sigaltstack(NULL, &now);
	probe_result = now.ss_flags & SS_ONSTACK ? probe_checked() : 3;
}

/* Probing while running on the alternate stack (from a SA_ONSTACK handler). */
static int on_altstack(void)
{
	struct sigaction sa;

	app_setup();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = probe_on_altstack;
	sa.sa_flags = SA_ONSTACK;
	sigaction(SIGUSR1, &sa, NULL);
	probe_result = 4;
	raise(SIGUSR1);
	return probe_result;
}

static volatile int stop;
static void h_a(int sig) { (void)sig; }
static void h_b(int sig) { (void)sig; }

/* Installs its own SIGSEGV handlers and counts each read-back that is not its own. */
static void *installer(void *arg)
{
	long *clobbered = arg;
	struct sigaction sa, now;
	int i = 0;

	memset(&sa, 0, sizeof(sa));
	while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
		sa.sa_handler = i++ & 1 ? h_a : h_b;
		sigaction(SIGSEGV, &sa, NULL);
		if (RUNNING_ON_VALGRIND)
			usleep(1000);	/* its one-thread-at-a-time lock would starve the prober */
		else
			sched_yield();
		sigaction(SIGSEGV, NULL, &now);
		*clobbered += now.sa_handler != sa.sa_handler;
	}
	return NULL;
}

/* Another thread installs handlers while this one probes. */
static int concurrent_installs(void)
{
	struct vmw_info info;
	pthread_t t;
	long clobbered = 0;
	int rc = 0;

	if (pthread_create(&t, NULL, installer, &clobbered))
		return 2;
	for (int i = 0; i < PROBES && !rc; i++)
		if (vmw_detect(&info, sizeof(info), VMW_DETECT_PROBE) != 0)
			rc = 12;
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	pthread_join(t, NULL);
	if (!rc && clobbered)
		return 30;
	return rc;
}

/* The probe's child is reaped: no zombie, no child left for the application's wait(). */
static int no_child_left(void)
{
	int rc = probe_all();

	if (!rc && (waitpid(-1, NULL, WNOHANG | __WALL) != -1 || errno != ECHILD))
		return 40;
	return rc;
}

/* A sandbox that refuses clone(): the probe falls back to the guard. */
static int refuse_clone(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(*f), f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog))
		return 5;
	/* glibc's fork() is clone(): it must be refused now. */
	if (fork() != -1 || errno != EPERM)
		return 6;
	return 0;
}

static int guard_blocked(void)
{
	sigset_t all;

	if (refuse_clone())
		return refuse_clone();
	/* The main thread: threads may need clone() too. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, NULL);
	return probe_checked();
}

static int guard_app_state(void)
{
	int rc = refuse_clone();

	return rc ? rc : app_state();
}

static int guard_on_altstack(void)
{
	int rc = refuse_clone();

	return rc ? rc : on_altstack();
}

/* Run fn in a child process: its exit code, or 128 + the signal that ended it. */
static int isolated(int (*fn)(void))
{
	int st;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		alarm(30);	/* a probe that loops on its fault ends as SIGALRM */
		_exit(fn());
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static const struct {
	int (*fn)(void);
	const char *what;
	int seccomp;
} cases[] = {
	{ blocked_thread, "worker thread with every signal blocked: VMW_ENOTVMWARE, state unchanged", 0 },
	{ app_state, "SA_ONSTACK handlers, alternate stack, blocked signals: all unchanged, no SIGCHLD", 0 },
	{ on_altstack, "probing on the alternate stack (from a SA_ONSTACK handler): unchanged", 0 },
	{ concurrent_installs, "another thread's handler installs are never overwritten", 0 },
	{ no_child_left, "no child left behind for the application's wait()", 0 },
	{ guard_blocked, "clone refused, guard: every signal blocked: VMW_ENOTVMWARE, unchanged", 1 },
	{ guard_app_state, "clone refused, guard: SA_ONSTACK handlers, alternate stack: unchanged", 1 },
	{ guard_on_altstack, "clone refused, guard: probing on the alternate stack: unchanged", 1 },
};

int main(void)
{
	const size_t n = sizeof(cases) / sizeof(*cases);

	need_trapping();
	printf("1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		int rc;

		if (cases[i].seccomp && RUNNING_ON_VALGRIND) {
			/* valgrind 3.19 itself dies of SIGSEGV once a seccomp filter is in place. */
			ok(1, "# SKIP under valgrind, which cannot run a seccomp filter: %s",
			   cases[i].what);
			continue;
		}
		rc = isolated(cases[i].fn);

		if (!ok(rc == 0, "%s", cases[i].what))
			fprintf(stderr, "#   %s %d\n", rc > 128 ? "killed by signal" : "failed check",
				rc > 128 ? rc - 128 : rc);
	}
	return tap_failed ? 1 : 0;
}
