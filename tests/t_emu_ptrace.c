// SPDX-License-Identifier: MIT
/*
 * The ptrace runner against guests whose every instruction we know: this
 * program re-runs itself under $O/vmwcall-emu in a guest mode.  Hypercalls
 * from threads and forks, faults that are not hypercalls, exit statuses,
 * group-stops, channel reclaim when a process dies.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "emu_guest.h"
#include "predict.h"

/*
 * Issue 15 item 1 under the real front end: the attacker opens two
 * channels, solves for the cookie generator, and reads the reply meant
 * for a victim process that opens the next channel.  Exit 0 if the
 * attacker got nothing and the victim its reply.
 */
static int steal(void)
{
	struct chan a, b, v;
	uint32_t seen[4], next[2];
	char rep[64] = "";
	int go[2], done[2], st, got;
	pid_t p;

	if (chan_open(&a) || chan_open(&b) || pipe(go) || pipe(done))
		return 2;
	seen[0] = a.hi, seen[1] = a.lo, seen[2] = b.hi, seen[3] = b.lo;
	step(&a, VMW_MSG_CLOSE, 0, NULL);
	step(&b, VMW_MSG_CLOSE, 0, NULL);
	p = fork();
	if (p == 0) {
		char c = 0;

		if (chan_open(&v) || chan_send(&v, "info-get guestinfo.secret") ||
		    write(go[1], &c, 1) != 1 || read(done[0], &c, 1) != 1)
			_exit(2);
		got = chan_recv(&v, rep, sizeof(rep));
		_exit(got == 9 && !strcmp(rep, "1 hunter2") ? 0 : 3);
	}
	if (read(go[0], rep, 1) != 1)
		return 2;
	/* The victim took the lowest free slot; its cookies are the next two. */
	v = (struct chan){ a.id, 0, 0 };
	if (predict_cookies(seen, next) == 0)
		v.hi = next[0], v.lo = next[1];
	got = chan_recv(&v, rep, sizeof(rep));
	printf("attacker read %d '%s', ", got, got > 0 ? rep : "");
	if (write(done[1], "", 1) != 1 || waitpid(p, &st, 0) != p)
		return 2;
	printf("victim exit %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	return got >= 0 ? 1 : WIFEXITED(st) ? WEXITSTATUS(st) : 4;
}

/* A child that knows its parent's channel id and cookies cannot use it. */
static int borrow(void)
{
	struct chan c;
	char rep[64];
	int st;
	pid_t p;

	if (chan_open(&c) || chan_send(&c, "info-get guestinfo.secret"))
		return 2;
	p = fork();
	if (p == 0)
		_exit(chan_recv(&c, rep, sizeof(rep)) < 0 &&
		      !(step(&c, VMW_MSG_CLOSE, 0, NULL) & VMW_MSG_SUCCESS) ? 0 : 1);
	if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st))
		return 1;
	return chan_recv(&c, rep, sizeof(rep)) == 9 && !strcmp(rep, "1 hunter2") ? 0 : 3;
}

static struct r vmcall(unsigned int cmd)
{
	struct r r = { VMW_MAGIC, ~VMW_MAGIC, cmd, VMW_PORT, 0, 0 };

	__asm__ __volatile__("vmcall"
			     : "+a"(r.a), "+b"(r.b), "+c"(r.c), "+d"(r.d), "+S"(r.si), "+D"(r.di)
			     :: "memory");
	return r;
}

static int good_version(struct r r)
{
	return r.a == 6 && r.b == VMW_MAGIC;
}

static void *thread(void *arg)
{
	for (int i = 0; i < 500; i++)
		if (!good_version(in(VMW_CMD_GETVERSION, ~VMW_MAGIC, VMW_PORT)))
			return arg;
	return NULL;
}

static sigjmp_buf jb;
static volatile int *volatile nowhere;

static void on_segv(int sig)
{
	siglongjmp(jb, sig);
}

/*
 * SIGSEGV blocked in one thread, which makes a hypercall: a real VMware
 * changes no signal state.  Prints the guest's SIGSEGV handler, flags and
 * sa_mask as before/after and whether the thread still blocks it, then
 * makes a real fault, which must reach the handler; exit 0 if all held.
 */
static void on_segv_info(int sig, siginfo_t *si, void *uc)
{
	(void)si, (void)uc;
	siglongjmp(jb, sig);
}

static void *blocked_call(void *arg)
{
	sigset_t m;

	sigemptyset(&m);
	sigaddset(&m, SIGSEGV);
	pthread_sigmask(SIG_BLOCK, &m, NULL);
	if (!good_version(in(VMW_CMD_GETVERSION, ~VMW_MAGIC, VMW_PORT)))
		return arg;
	pthread_sigmask(SIG_BLOCK, NULL, &m);
	return sigismember(&m, SIGSEGV) == 1 ? NULL : arg;
}

static int sigstate(void)
{
	struct sigaction sa, before, after;
	pthread_t t;
	void *res = self;
	int same;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv_info;
	sa.sa_flags = SA_SIGINFO | SA_RESTART;
	sigaddset(&sa.sa_mask, SIGUSR1);
	if (sigaction(SIGSEGV, &sa, NULL) || sigaction(SIGSEGV, NULL, &before) ||
	    pthread_create(&t, NULL, blocked_call, self) || pthread_join(t, &res) ||
	    sigaction(SIGSEGV, NULL, &after))
		return 2;
	same = after.sa_sigaction == before.sa_sigaction && after.sa_flags == before.sa_flags &&
	       sigismember(&after.sa_mask, SIGUSR1) == 1;
	printf("handler %s, flags 0x%x (0x%x before), thread %s SIGSEGV\n",
	       after.sa_sigaction == on_segv_info ? "kept" : "lost", (unsigned)after.sa_flags,
	       (unsigned)before.sa_flags, res ? "lost or unanswered" : "still blocks");
	fflush(stdout);
	if (sigsetjmp(jb, 1) == 0) {
		*nowhere = 1;
		return 3;
	}
	return same && !res ? 0 : 1;
}

/*
 * The runner follows what the guest itself does with SIGSEGV: ignored, it
 * stays ignored across a hypercall (the kernel resets an ignored forced
 * signal too); a SA_RESETHAND handler that a real fault used up stays
 * reset across the next hypercall.  Exit 0 if both held.
 */
static int sigreset(void)
{
	struct sigaction sa, now;
	int ign, dfl;

	signal(SIGSEGV, SIG_IGN);
	if (!good_version(in(VMW_CMD_GETVERSION, ~VMW_MAGIC, VMW_PORT)) ||
	    sigaction(SIGSEGV, NULL, &now))
		return 2;
	ign = now.sa_handler == SIG_IGN;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_segv_info;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND;
	if (sigaction(SIGSEGV, &sa, NULL))
		return 2;
	if (sigsetjmp(jb, 1) == 0) {
		*nowhere = 1;
		return 3;
	}
	if (!good_version(in(VMW_CMD_GETVERSION, ~VMW_MAGIC, VMW_PORT)) ||
	    sigaction(SIGSEGV, NULL, &now))
		return 2;
	dfl = now.sa_handler == SIG_DFL;
	printf("SIG_IGN %s, a used SA_RESETHAND handler %s\n", ign ? "kept" : "lost",
	       dfl ? "stays reset" : "brought back");
	return ign && dfl ? 0 : 1;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * clone(CLONE_UNTRACED) must fail with EPERM rather than start a child the
 * host never sees; clone3 (flags out of a filter's reach) with ENOSYS.
 * Exit 0 if both were refused so.
 */
static int untraced(void)
{
	struct { uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls; }
		args = { CLONE_UNTRACED, 0, 0, 0, SIGCHLD, 0, 0, 0 };
	long p = syscall(SYS_clone, CLONE_UNTRACED | SIGCHLD, 0, 0, 0, 0);
	int e = errno, st;

	if (p == 0)
		_exit(good_version(in(VMW_CMD_GETVERSION, ~VMW_MAGIC, VMW_PORT)) ? 0 : 1);
	if (p > 0) {
		waitpid((pid_t)p, &st, 0);
		printf("escaped: child %ld, status %d\n", p, st);
		return 1;
	}
	p = syscall(435, &args, sizeof(args));
	if (p == 0)
		_exit(0);
	if (p > 0)
		waitpid((pid_t)p, &st, 0);
	printf("clone: %s, clone3: %s\n", strerror(e), p < 0 ? strerror(errno) : "started");
	return e == EPERM && p < 0 && errno == ENOSYS ? 0 : 2;
}

/* Guest modes; the exit status is what the test looks at. */
static int guest(const char *m)
{
	if (!strcmp(m, "getversion")) {
		struct r r = in(VMW_CMD_GETVERSION, ~VMW_MAGIC, VMW_PORT);

		printf("%u %u\n", r.a, r.c);
		return !good_version(r);
	}
	if (!strcmp(m, "uuid")) {
		struct r r = in(VMW_CMD_GETUUID, ~VMW_MAGIC, VMW_PORT);
		struct r s = in(VMW_CMD_GETMEMSIZE, ~VMW_MAGIC, VMW_PORT);

		printf("%08x %08x %08x %08x %u\n", r.a, r.b, r.c, r.d, s.a);
		return 0;
	}
	if (!strcmp(m, "vmcall"))
		return !good_version(vmcall(VMW_CMD_GETVERSION));
	if (!strcmp(m, "badport"))
		in(VMW_CMD_GETVERSION, ~VMW_MAGIC, 0x1234);
	if (!strcmp(m, "null"))
		*nowhere = 1;
	if (!strcmp(m, "ud2"))
		__asm__ __volatile__("ud2");
	if (!strcmp(m, "handler")) {
		/* A refused fault must reach the program's own handler. */
		signal(SIGSEGV, on_segv);
		if (sigsetjmp(jb, 1) == 0)
			in(VMW_CMD_GETVERSION, ~VMW_MAGIC, 0x1234);
		else
			return !good_version(in(VMW_CMD_GETVERSION, ~VMW_MAGIC, VMW_PORT));
		return 1;
	}
	if (!strcmp(m, "threads")) {
		pthread_t t[4];
		void *bad = NULL, *res;

		for (int i = 0; i < 4; i++)
			pthread_create(&t[i], NULL, thread, self);
		for (int i = 0; i < 4; i++)
			if (pthread_join(t[i], &res) || res)
				bad = res;
		return bad != NULL;
	}
	if (!strcmp(m, "fork")) {
		int st;
		pid_t p = fork();

		if (p == 0)
			_exit(good_version(in(VMW_CMD_GETVERSION, ~VMW_MAGIC, VMW_PORT)) ? 3 : 4);
		if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 3)
			return 1;
		return !good_version(in(VMW_CMD_GETVERSION, ~VMW_MAGIC, VMW_PORT));
	}
	if (!strcmp(m, "open")) {
		/* Open a channel and leave without closing it. */
		struct r r = in(VMW_CMD_MESSAGE | VMW_MSG_OPEN << 16, VMW_PROTO_RPCI, VMW_PORT);

		return (r.c >> 16 & VMW_MSG_SUCCESS) ? 0 : 1;
	}
	if (!strcmp(m, "killmid")) {
		/* Half a message on a fresh channel, then die without a word. */
		struct r r = in(VMW_CMD_MESSAGE | VMW_MSG_OPEN << 16, VMW_PROTO_RPCI, VMW_PORT);
		unsigned int dx = (r.d & 0xFFFF0000u) | VMW_PORT;

		if (!(r.c >> 16 & VMW_MSG_SUCCESS))
			return 1;
		r = in(VMW_CMD_MESSAGE | VMW_MSG_SENDSIZE << 16, 100, dx);
		r = in(VMW_CMD_MESSAGE | VMW_MSG_SENDPAYLOAD << 16, 0x6f666e69, dx);
		if (!(r.c >> 16 & VMW_MSG_SUCCESS))
			return 1;
		raise(SIGKILL);
		return 1;
	}
	if (!strcmp(m, "steal"))
		return steal();
	if (!strcmp(m, "borrow"))
		return borrow();
	if (!strcmp(m, "cookies")) {
		struct chan c;
		int rc = chan_open(&c);

		printf("%08x %08x\n", c.hi, c.lo);
		return rc;
	}
	if (!strcmp(m, "untraced"))
		return untraced();
	if (!strcmp(m, "sigstate"))
		return sigstate();
	if (!strcmp(m, "sigreset"))
		return sigreset();
	if (!strcmp(m, "stop")) {
		double t = now();

		raise(SIGSTOP);
		printf("%.3f\n", now() - t);
		return 0;
	}
	if (!strncmp(m, "exit", 4))
		return atoi(m + 4);
	return 99;
}

/* The first field after "(comm) " of /proc/PID/stat: the state letter. */
static char state(pid_t pid)
{
	char path[64], line[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	p = f && fgets(line, sizeof(line), f) ? strrchr(line, ')') : NULL;
	if (f)
		fclose(f);
	return p && p[1] == ' ' ? p[2] : '?';
}

/* A stopped guest stays stopped under the tracer until SIGCONT. */
static void stop_cont(void)
{
	char buf[64], path[64];
	int p[2], st;
	pid_t pid, g = 0;
	ssize_t n;
	FILE *f;
	char s;

	if (pipe(p))
		return;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		execl(emu, emu, "--", self, "--guest", "stop", (char *)NULL);
		_exit(126);
	}
	close(p[1]);
	/* Wait for the stop, then make sure the tracer leaves it stopped. */
	for (int i = 0; i < 250 && !(g > 0 && (state(g) == 't' || state(g) == 'T')); i++) {
		usleep(20000);
		snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
		f = fopen(path, "r");
		if (!f || fscanf(f, "%d", &g) != 1)
			g = 0;
		if (f)
			fclose(f);
	}
	usleep(250000);
	s = g > 0 ? state(g) : '?';
	ok(s == 't' || s == 'T', "group-stop: guest %d still stopped 0.25 s later (state %c)",
	   (int)g, s);
	if (g > 0)
		kill(g, SIGCONT);
	n = read(p[0], buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(p[0]);
	ok(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0 &&
	   atof(buf) >= 0.1, "group-stop: SIGCONT resumes it after %.5s s, exit 0", buf);
}

int main(int argc, char **argv)
{
	char out[256];
	int got;

	if (argc == 3 && !strcmp(argv[1], "--guest"))
		return guest(argv[2]);
	if (find_emu())
		return 0;
	plan(31);

	ok(run(NULL, "getversion", out, sizeof(out)) == 0 && !strcmp(out, "6 4\n"),
	   "in GETVERSION answered: '%.3s'", out);
	ok(run("--type=2", "getversion", out, sizeof(out)) == 0 && !strcmp(out, "6 2\n"),
	   "--type reaches the guest");
	ok(run("--host-version=7", "getversion", out, sizeof(out)) == 1 && !strcmp(out, "7 4\n"),
	   "--host-version reaches the guest");
	/* GNU: --version takes no argument, prints the program's version, runs nothing. */
	ok(run("--version", "exit42", out, sizeof(out)) == 0 &&
	   !strcmp(out, "vmwcall-emu " VMWCALL_VERSION "\n"), "--version prints '%.20s', runs nothing", out);
	ok(run("-V", "exit42", out, sizeof(out)) == 0 &&
	   !strcmp(out, "vmwcall-emu " VMWCALL_VERSION "\n"), "-V the same");
	ok(run("--uuid=01234567-89ab-CDEF-0123-456789abcdef", "uuid", out, sizeof(out)) == 0 &&
	   !strcmp(out, "67452301 efcdab89 67452301 efcdab89 2048\n"), "--uuid reaches GETUUID: %.35s", out);
	ok(run("--memsize=0x20", "uuid", out, sizeof(out)) == 0 && strstr(out, " 32\n"),
	   "--memsize reaches GETMEMSIZE");
	ok(run(NULL, "vmcall", NULL, 0) == 0, "vmcall (SIGILL) answered");
	is_u64(run(NULL, "badport", NULL, 0), 128 + SIGSEGV, "in to another port: SIGSEGV kills, 128+11");
	is_u64(run(NULL, "null", NULL, 0), 128 + SIGSEGV, "NULL write: SIGSEGV kills, 128+11");
	is_u64(run(NULL, "ud2", NULL, 0), 128 + SIGILL, "ud2: SIGILL kills, 128+4");
	ok(run(NULL, "handler", NULL, 0) == 0, "refused fault reaches the guest's handler");
	ok(run(NULL, "threads", NULL, 0) == 0, "4 threads x 500 hypercalls");
	got = run(NULL, "sigstate", out, sizeof(out));	/* before out's length is taken */
	ok(got == 0,
	   "a thread blocking SIGSEGV makes a hypercall: the SIGSEGV handler, flags and mask kept,"
	   " a real fault reaches the handler: %.*s", (int)strcspn(out, "\n"), out);
	got = run(NULL, "sigreset", out, sizeof(out));
	ok(got == 0, "the guest's own SIGSEGV changes are kept: %.*s", (int)strcspn(out, "\n"), out);
	ok(run(NULL, "fork", NULL, 0) == 0, "forked child is served too");
	is_u64(run(NULL, "exit0", NULL, 0), 0, "exit 0 passes through");
	is_u64(run(NULL, "exit42", NULL, 0), 42, "exit 42 passes through");
	is_u64(run(NULL, "exit255", NULL, 0), 255, "exit 255 passes through");
	ok(run("--max-channels=2", "open", NULL, 0) == 0, "a channel opens");
	{
		/* Without reclaim the third process would find the table full. */
		char cmd[PATH_MAX * 6 + 256];

		snprintf(cmd, sizeof(cmd),
			 "'%s' --max-channels=2 -- sh -c 'for i in 1 2 3 4 5 6; do \"%s\" --guest open || exit 1; done'",
			 emu, self);
		is_u64(system(cmd), 0, "channels of exited processes are reclaimed (2 slots, 6 processes)");
		snprintf(cmd, sizeof(cmd),
			 "'%s' --max-channels=1 -- sh -c '\"%s\" --guest open && \"%s\" --guest open'",
			 emu, self, self);
		is_u64(system(cmd), 0, "the same with one slot");
		snprintf(cmd, sizeof(cmd),
			 "'%s' --max-channels=1 -- sh -c '{ \"%s\" --guest killmid; rc=$?; } 2>/dev/null; [ $rc = 137 ] && \"%s\" --guest open'",
			 emu, self, self);
		is_u64(system(cmd), 0, "killed mid-message (SIGKILL): its channel is reclaimed (one slot)");
	}
	ok(run("--set=guestinfo.secret=hunter2", "steal", out, sizeof(out)) == 0,
	   "a guest that predicts another's cookies cannot read its reply: %.*s",
	   (int)strcspn(out, "\n"), out);
	ok(run("--set=guestinfo.secret=hunter2", "borrow", NULL, 0) == 0,
	   "a child with its parent's channel id and cookies is refused");
	{
		char a[32] = "", b[32] = "", c[32] = "";

		ok(run("--seed=9", "cookies", a, sizeof(a)) == 0 &&
		   run("--seed=9", "cookies", b, sizeof(b)) == 0 && !strcmp(a, b) &&
		   run(NULL, "cookies", c, sizeof(c)) == 0 && strcmp(a, c),
		   "--seed=9 twice: the same cookies (%.17s); unseeded: others", a);
	}
	{
		char cmd[2 * PATH_MAX + 64], msg[512] = "";
		FILE *f;
		size_t n;
		int st;

		snprintf(cmd, sizeof(cmd), "'%s' -- '%s' --guest untraced 2>&1", emu, self);
		f = popen(cmd, "r");
		n = f ? fread(msg, 1, sizeof(msg) - 1, f) : 0;
		msg[n] = '\0';
		st = f ? pclose(f) : -1;
		ok(WIFEXITED(st) && WEXITSTATUS(st) == 0 && strstr(msg, "CLONE_UNTRACED refused"),
		   "clone(CLONE_UNTRACED) fails with EPERM and the emulator names the flag; "
		   "clone3 ENOSYS: %.*s", (int)strcspn(msg, "\n"), msg);
	}
	stop_cont();
	is_u64(run(NULL, "nonexistent-mode", NULL, 0), 99, "unknown guest mode exits 99 (sanity)");
	{
		char *argv2[] = { emu, "--", "/nonexistent/program", NULL };
		int st;
		pid_t p = fork();

		if (p == 0) {
			if (freopen("/dev/null", "w", stderr))
				execv(emu, argv2);
			_exit(1);
		}
		ok(waitpid(p, &st, 0) == p && WIFEXITED(st) && WEXITSTATUS(st) == 127,
		   "missing program: 127");
	}
	return done_testing();
}
