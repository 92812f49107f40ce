// SPDX-License-Identifier: MIT
/*
 * The ptrace runner.  PTRACE_SEIZE rather than TRACEME: group-stops then
 * arrive as PTRACE_EVENT_STOP and can be left in place with PTRACE_LISTEN,
 * so job control still works, and a new child's first stop is a SIGTRAP
 * event stop, not a SIGSTOP that must be told apart from a real one.
 *
 * Guest memory: the host may touch only what the guest itself could.
 * process_vm_readv/writev respect page protections and are the normal
 * path.  They fail with EPERM once a guest makes itself non-dumpable
 * (prctl(PR_SET_DUMPABLE, 0), as ssh-agent and gpg-agent do) unless we
 * are privileged; /proc/PID/mem and /proc/PID/maps descriptors opened
 * while it was still dumpable (at exec, fork, attach) keep working, but
 * /proc/PID/mem writes even read-only pages (FOLL_FORCE), so every access
 * through it is first checked against the protections in maps (a guest
 * thread that mprotect()s between check and write only affects its own
 * private pages: FOLL_FORCE never writes a shared read-only mapping).  The
 * descriptors belong to one tracee each: nothing one guest does changes
 * how another's memory is reached.  Threads and vfork children share
 * their parent's memory and get copies of its descriptors; a child that a
 * non-dumpable process forks is non-dumpable from birth, so unless we are
 * privileged its memory cannot be reached and its hypercalls fault as
 * they would with no host.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cpu.h"
#include "cpu_a64.h"
#include "inject.h"
#include "maps.h"
#include "ptrace.h"
#include "sigkeep.h"
#include "untraced.h"

#define MAX_TRACEES 4096
#define I386_CS 0x23		/* the user code segment of 32-bit processes */

/*
 * Channels belong to processes, so each thread's tgid is remembered; mem
 * and maps are its /proc descriptors (-1: none), see above.
 */
struct tracee {
	pid_t tid, tgid;
	int mem, maps;
};

/* What the memory accessors need: whom to ask, and the fallback. */
struct guest {
	pid_t tid;
	int mem, maps;
};

static struct tracee tab[MAX_TRACEES];
static size_t ntab;
static volatile pid_t root_pid;
static pthread_mutex_t *host_lock;

void emu_ptrace_set_lock(pthread_mutex_t *m)
{
	host_lock = m;
}

static void lock(int on)
{
	if (host_lock)
		(on ? pthread_mutex_lock : pthread_mutex_unlock)(host_lock);
}

/* Process events for the host's observers. */
static void note(struct emu_host *h, enum emu_event_type type, pid_t pid, int status)
{
	struct emu_event ev = { .type = type, .owner = (uint32_t)pid, .status = status };
	char path[64], exe[4096];
	ssize_t n = 0;

	if (type == EMU_EV_EXEC) {
		snprintf(path, sizeof(path), "/proc/%d/exe", (int)pid);
		n = readlink(path, exe, sizeof(exe));
		ev.data = exe;
		ev.len = n > 0 ? (size_t)n : 0;
	}
	emu_host_emit(h, &ev);
}
static volatile sig_atomic_t stop_sig;	/* a stop asked for, not yet passed on */
static unsigned int grace_ms = 5000;
static struct timespec kill_at;		/* survivors of a stop get SIGKILL then */

static struct tracee *find(pid_t tid)
{
	for (size_t i = 0; i < ntab; i++)
		if (tab[i].tid == tid)
			return &tab[i];
	return NULL;
}

/* NULL only if the table is full; the tracee is then served uncached. */
static struct tracee *add(pid_t tid)
{
	struct tracee *t = find(tid);

	if (t || ntab == MAX_TRACEES)
		return t;
	tab[ntab] = (struct tracee){ tid, 0, -1, -1 };
	return &tab[ntab++];
}

static void close_fds(struct tracee *t)
{
	if (t->mem >= 0)
		close(t->mem);
	if (t->maps >= 0)
		close(t->maps);
	t->mem = t->maps = -1;
}

static void drop(pid_t tid)
{
	struct tracee *t = find(tid);

	if (t) {
		close_fds(t);
		*t = tab[--ntab];
	}
}

static pid_t tgid_of(struct tracee *t, pid_t tid)
{
	char path[64], buf[512], *p;
	pid_t tgid = tid;
	ssize_t n;
	int fd;

	if (t && t->tgid)
		return t->tgid;
	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		buf[n > 0 ? n : 0] = '\0';
		p = strstr(buf, "\nTgid:");
		if (p && strtol(p + 6, NULL, 10) > 0)
			tgid = (pid_t)strtol(p + 6, NULL, 10);
	}
	if (t)
		t->tgid = tgid;
	return tgid;
}

/*
 * Open tid's mem and maps while the kernel still lets us; if it does not
 * (a non-dumpable parent's new thread or vfork child), use copies of the
 * descriptors of like, whose memory the new task shares, or of any thread
 * of its process: a new thread may stop, run and call the host before its
 * creator's clone event is seen.
 */
static void open_fds(struct tracee *t, const struct tracee *like, int search)
{
	pid_t tgid = tgid_of(t, t->tid);
	char path[64];

	close_fds(t);
	for (size_t i = 0; search && !like && i < ntab; i++)
		if (&tab[i] != t && tab[i].tgid == tgid && tab[i].mem >= 0)
			like = &tab[i];
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)t->tid);
	t->mem = open(path, O_RDWR | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/maps", (int)t->tid);
	t->maps = open(path, O_RDONLY | O_CLOEXEC);
	if ((t->mem < 0 || t->maps < 0) && like && like->mem >= 0 && like->maps >= 0) {
		close_fds(t);
		t->mem = fcntl(like->mem, F_DUPFD_CLOEXEC, 0);
		t->maps = fcntl(like->maps, F_DUPFD_CLOEXEC, 0);
	}
	if (t->mem < 0 || t->maps < 0)
		close_fds(t);
}


/*
 * n bytes at addr, as the guest could read (perm 'r'), write ('w') or
 * execute ('x', for the instruction fetch) them; 0 or -1.
 */
static int vm_io(const struct guest *g, uint64_t addr, void *buf, size_t n, char perm)
{
	struct iovec l = { buf, n }, r = { (void *)(uintptr_t)addr, n };
	int wr = perm == 'w';
	ssize_t got;

	if (n == 0)
		return 0;
	if ((uint64_t)(uintptr_t)addr != addr || addr > (uint64_t)INT64_MAX - n)
		return -1;
	got = wr ? process_vm_writev(g->tid, &l, 1, &r, 1, 0)
		 : process_vm_readv(g->tid, &l, 1, &r, 1, 0);
	if (got == (ssize_t)n)
		return 0;
	/* A short transfer or EFAULT is the guest's protection speaking. */
	if (got >= 0 || (errno != EPERM && errno != ENOSYS))
		return -1;
	if (g->mem < 0 || emu_maps_allow(g->maps, addr, n, perm))
		return -1;
	got = wr ? pwrite64(g->mem, buf, n, (off64_t)addr) : pread64(g->mem, buf, n, (off64_t)addr);
	return got == (ssize_t)n ? 0 : -1;
}

static int vm_read(void *ctx, uint64_t addr, void *dst, size_t n)
{
	return vm_io(ctx, addr, dst, n, 'r');
}

static int vm_write(void *ctx, uint64_t addr, const void *src, size_t n)
{
	return vm_io(ctx, addr, (void *)src, n, 'w');
}

/*
 * The code bytes at ip, as many as are there up to EMU_INSN_MAX: an
 * instruction may end a mapping whose next page is unmapped (JIT code,
 * one-page stubs).  The page holding ip was just executed; the next one
 * is read separately so that its absence costs only the bytes past it.
 */
static size_t fetch(const struct guest *g, uint64_t ip, uint8_t *code)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	size_t first = page - ip % page;

	if (vm_io(g, ip, code, EMU_INSN_MAX, 'x') == 0)
		return EMU_INSN_MAX;
	if (first >= EMU_INSN_MAX || vm_io(g, ip, code, first, 'x'))
		return 0;
	return first;
}

#if defined(__aarch64__)
/* No PTRACE_GETREGS here: the general registers are the NT_PRSTATUS regset. */
static int regset(int req, pid_t tid, struct user_regs_struct *u)
{
	struct iovec v = { u, sizeof(*u) };

	/* An AArch32 tracee has a smaller set: not a guest we answer. */
	return ptrace(req, tid, (void *)NT_PRSTATUS, &v) || v.iov_len != sizeof(*u) ? -1 : 0;
}
#define GETREGS(tid, u) regset(PTRACE_GETREGSET, tid, u)
#define SETREGS(tid, u) regset(PTRACE_SETREGSET, tid, u)
#define STEP emu_a64_step

static void load(struct emu_cpu *c, const struct user_regs_struct *u)
{
	*c = (struct emu_cpu){ u->regs[0], u->regs[1], u->regs[2], u->regs[3], u->regs[4],
			       u->regs[5], u->regs[6], .ip = u->pc, .is64 = 1, .x7 = u->regs[7] };
}

static void store(struct user_regs_struct *u, const struct emu_cpu *c)
{
	u->regs[0] = c->ax, u->regs[1] = c->bx, u->regs[2] = c->cx, u->regs[3] = c->dx;
	u->regs[4] = c->si, u->regs[5] = c->di, u->regs[6] = c->bp, u->pc = c->ip;
}
#elif defined(__x86_64__)
static void load(struct emu_cpu *c, const struct user_regs_struct *u)
{
	*c = (struct emu_cpu){ .ax = u->rax, .bx = u->rbx, .cx = u->rcx, .dx = u->rdx,
			       .si = u->rsi, .di = u->rdi, .bp = u->rbp, .r10 = u->r10,
			       .r11 = u->r11, .r12 = u->r12, .r13 = u->r13, .r14 = u->r14,
			       .r15 = u->r15, .ip = u->rip, .is64 = u->cs != I386_CS,
			       .flags = u->eflags };
	/* A 32-bit tracee's fs/gs bases come from descriptors we do not read. */
	if (c->is64)
		c->fs_base = u->fs_base, c->gs_base = u->gs_base, c->seg_bases = 1;
}

static void store(struct user_regs_struct *u, const struct emu_cpu *c)
{
	u->rax = c->ax, u->rbx = c->bx, u->rcx = c->cx, u->rdx = c->dx, u->rsi = c->si;
	u->rdi = c->di, u->rbp = c->bp, u->r10 = c->r10, u->r12 = c->r12, u->r13 = c->r13;
	u->r14 = c->r14, u->rip = c->ip;
}
#else
/* An i386 tracer only ever sees i386 tracees. */
#define U32(x) ((uint32_t)(x))
static void load(struct emu_cpu *c, const struct user_regs_struct *u)
{
	*c = (struct emu_cpu){ U32(u->eax), U32(u->ebx), U32(u->ecx), U32(u->edx), U32(u->esi),
			       U32(u->edi), U32(u->ebp), .ip = U32(u->eip), .is64 = 0,
			       .flags = U32(u->eflags) };
}

static void store(struct user_regs_struct *u, const struct emu_cpu *c)
{
	u->eax = (long)c->ax, u->ebx = (long)c->bx, u->ecx = (long)c->cx, u->edx = (long)c->dx;
	u->esi = (long)c->si, u->edi = (long)c->di, u->ebp = (long)c->bp, u->eip = (long)c->ip;
}
#endif
#ifndef STEP
#define GETREGS(tid, u) ptrace(PTRACE_GETREGS, tid, 0, u)
#define SETREGS(tid, u) ptrace(PTRACE_SETREGS, tid, 0, u)
#define STEP emu_cpu_step
#endif

/* 0 if the fault at the tracee's ip was a hypercall and has been answered. */
static int answer(struct emu_host *h, struct tracee *t, pid_t tid)
{
	struct user_regs_struct u;
	struct guest g = { tid, t ? t->mem : -1, t ? t->maps : -1 };
	struct emu_mem mem = { &g, vm_read, vm_write };
	uint8_t code[EMU_INSN_MAX];
	struct emu_cpu c;
	size_t n;

	if (GETREGS(tid, &u))
		return -1;
	load(&c, &u);
	n = fetch(&g, c.ip, code);
	if (!n || STEP(h, &c, code, n, &mem, (uint32_t)tgid_of(t, tid)))
		return -1;
	store(&u, &c);
	return SETREGS(tid, &u) ? -1 : 0;
}

/* Only a fault the CPU raised can be a hypercall; kill(SIGSEGV) is not. */
static int trapped(pid_t tid, int sig)
{
	siginfo_t si;

	if (sig != SIGSEGV && sig != SIGILL)
		return 0;
	if (ptrace(PTRACE_GETSIGINFO, tid, 0, &si))
		return 0;
	return sig == SIGSEGV ? si.si_code == SI_KERNEL : si.si_code > 0;
}

static int stopsig(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU;
}

/*
 * CPUID faulting after every exec (emu/inject.h): the injections under
 * way, few at once (a tracee has one only between its exec and its first
 * instruction), and what they returned.
 */
#define MAX_INJECT 64
static int cpuid_fault;
static struct {
	pid_t tid;
	struct emu_inject in;
} inj[MAX_INJECT];
static struct emu_ptrace_cpuid cpuid_st;

void emu_ptrace_set_cpuid(int on)
{
	cpuid_fault = on;
}

const struct emu_ptrace_cpuid *emu_ptrace_cpuid_stats(void)
{
	return &cpuid_st;
}

/* At tid's exec event: 1 if an injection took over resuming it. */
static int inject_begin(pid_t tid)
{
	for (size_t i = 0; cpuid_fault && i < MAX_INJECT; i++) {
		if (inj[i].tid == 0) {
			if (emu_inject_begin(&inj[i].in, tid))
				break;
			inj[i].tid = tid;
			return 1;
		}
	}
	if (cpuid_fault)
		cpuid_st.failed++;
	return 0;
}

/* A stop of a tracee with an injection under way: 1 if it was the injection's. */
static int inject_stop(pid_t tid, int sig)
{
	long res = 0;
	int mine;

	for (size_t i = 0; i < MAX_INJECT; i++) {
		if (inj[i].tid != tid)
			continue;
		res = 1;	/* no result yet */
		mine = emu_inject_stop(&inj[i].in, tid, sig, &res);
		if (!inj[i].in.state) {
			inj[i].tid = 0;
			if (res == 0)
				cpuid_st.done++;
			else
				cpuid_st.failed++, cpuid_st.last_error = res < 0 ? (int)-res : EIO;
		}
		return mine;
	}
	return 0;
}

static void gone(struct emu_host *h, pid_t tid, int st)
{
	struct tracee *t = find(tid);

	for (size_t i = 0; i < MAX_INJECT; i++)
		if (inj[i].tid == tid)
			inj[i].tid = 0;
	/* A process is gone when its leader is; its channels go with it. */
	emu_sigkeep_gone(tid, !t || !t->tgid || t->tgid == tid);
	if (!t || !t->tgid || t->tgid == tid) {
		emu_host_reclaim(h, (uint32_t)tid);
		note(h, EMU_EV_EXIT, tid, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
	}
	drop(tid);
}

/*
 * A process about to exit (PTRACE_EVENT_EXIT) is let go: its exit is
 * noted now, with the status the stop carries, and its real parent reaps
 * it as it would without us.  Kept traced, its zombie is ours to reap
 * first, yet a parent that watches a pidfd is woken at the exit and finds
 * nothing to reap: glib's child watch (2.74) then reports status 0 for a
 * script that failed.  Our own child, and a leader whose threads live on,
 * exit as before.
 */
static int let_go(struct emu_host *h, struct tracee *t, pid_t tid)
{
	pid_t tgid = tgid_of(t, tid);
	unsigned long msg;

	if (tid == root_pid || ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg))
		return 0;
	for (size_t i = 0; i < ntab; i++)
		if (tab[i].tid != tid && tgid_of(&tab[i], tab[i].tid) == tgid)
			return 0;
	gone(h, tid, (int)msg);
	ptrace(PTRACE_DETACH, tid, 0, 0);
	return 1;
}

static void event(struct emu_host *h, struct tracee *t, pid_t tid, int ev, int sig)
{
	struct tracee *n = NULL;
	unsigned long msg;
	int shares;

	switch (ev) {
	case PTRACE_EVENT_EXIT:
		if (let_go(h, t, tid))
			return;
		break;
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		/* Unless its first stop came first and opened them already. */
		if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) == 0 && (n = add((pid_t)msg)) &&
		    n->mem < 0) {
			shares = ev == PTRACE_EVENT_VFORK ||
				 (t && tgid_of(n, n->tid) == tgid_of(t, tid));
			open_fds(n, shares ? t : NULL, 1);
		}
		/* A new process (not a thread) starts with its parent's dispositions. */
		if (n && (ev != PTRACE_EVENT_CLONE || tgid_of(n, n->tid) != tgid_of(t, tid)))
			emu_sigkeep_fork(tgid_of(t, tid), (pid_t)msg);
		if (n && ev != PTRACE_EVENT_CLONE)
			note(h, EMU_EV_START, (pid_t)msg, tgid_of(t, tid));
		break;
	case PTRACE_EVENT_SECCOMP:
		if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) == 0 && msg == EMU_SIGKEEP_TAG)
			emu_sigkeep_syscall(tid, tgid_of(t, tid));
		else
			emu_untraced_stop(tid);
		break;
	case PTRACE_EVENT_EXEC:
		/* A thread that execs takes the leader's tid: forget its old one. */
		if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) == 0 && (pid_t)msg != tid)
			drop((pid_t)msg);
		/* The old image and its channel cookies are gone. */
		emu_host_reclaim(h, (uint32_t)tid);
		emu_sigkeep_exec(tid);
		t = find(tid);
		if (t) {
			/* Threads of the old image still listed keep nothing of it. */
			for (size_t i = 0; i < ntab; i++)
				if (tab[i].tgid == tid)
					close_fds(&tab[i]);
			t->tgid = tid;
			/* A new image is dumpable (unless set-id): open its memory now. */
			open_fds(t, NULL, 0);
		}
		note(h, EMU_EV_EXEC, tid, 0);
		if (inject_begin(tid))
			return;
		break;
	case PTRACE_EVENT_STOP:
		/* A group-stop: stay stopped until SIGCONT, as untraced. */
		if (stopsig(sig)) {
			ptrace(PTRACE_LISTEN, tid, 0, 0);
			return;
		}
		/* A new child's first stop (before it ran), or a group-stop's end. */
		if (t && t->mem < 0)
			open_fds(t, NULL, 1);
		break;
	}
	ptrace(PTRACE_CONT, tid, 0, 0);
}

static int (*setup)(void *ctx);
static void *setup_ctx;


void emu_ptrace_set_setup(int (*fn)(void *ctx), void *ctx)
{
	setup = fn;
	setup_ctx = ctx;
}

static _Noreturn void start(char *const argv[], int go)
{
	char c;

	/* Wait until the parent has seized us, so exec is already traced. */
	if (read(go, &c, 1) != 1)
		_exit(125);
	if (setup && setup(setup_ctx))
		fprintf(stderr, "vmwcall-emu: guest setup: %s\n", strerror(errno));
	if (emu_untraced_install())
		fprintf(stderr, "vmwcall-emu: cannot refuse CLONE_UNTRACED (seccomp: %s); "
			"a guest could start processes outside the host\n", strerror(errno));
	execvp(argv[0], argv);
	fprintf(stderr, "vmwcall-emu: %s: %s\n", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

/* Two descriptors per tracee: take the hard limit (the guests keep theirs). */
static void more_fds(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

int emu_ptrace_start(char *const argv[])
{
	const long opts = PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
			  PTRACE_O_TRACEEXEC | PTRACE_O_TRACESECCOMP | PTRACE_O_EXITKILL |
			  PTRACE_O_TRACEEXIT;
	int go[2], st, e;
	pid_t root;

	if (pipe2(go, O_CLOEXEC))
		return -1;
	root = fork();
	if (root < 0) {
		e = errno;
		close(go[0]), close(go[1]);
		errno = e;
		return -1;
	}
	if (root == 0) {
		close(go[1]);
		start(argv, go[0]);
	}
	close(go[0]);
	if (ptrace(PTRACE_SEIZE, root, 0, opts) || write(go[1], "", 1) != 1) {
		e = errno;
		close(go[1]);
		kill(root, SIGKILL);
		waitpid(root, &st, 0);
		errno = e;
		return -1;
	}
	close(go[1]);
	root_pid = root;
	for (size_t i = 0; i < ntab; i++)
		close_fds(&tab[i]);
	ntab = 0;
	add(root);
	more_fds();
	return 0;
}

/* Every traced process (its leader stands for it) gets sig. */
static void signal_all(int sig)
{
	for (size_t i = 0; i < ntab; i++)
		if (tgid_of(&tab[i], tab[i].tid) == tab[i].tid)
			kill(tab[i].tid, sig);
}

static int64_t ms_until(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (t->tv_sec - now.tv_sec) * 1000 + (t->tv_nsec - now.tv_nsec) / 1000000;
}

/*
 * The next wait status, or -1 when no tracee is left.  The stop signals and
 * SIGCHLD stay blocked and are taken with sigtimedwait, so a signal that
 * arrives just before we sleep still wakes us; a handler and a blocking
 * waitpid would race.  A stop is passed to every process (a script's
 * background jobs and a shell's foreground child too), stopped ones are
 * continued so they can act on it, and whatever is left after grace_ms is
 * killed.  A terminal's ^C already reached the foreground guests: not again.
 */
static pid_t next_event(int *st, const sigset_t *set)
{
	for (;;) {
		struct timespec ts = { 1, 0 };
		siginfo_t si;
		pid_t tid;
		int sig;

		if ((sig = stop_sig)) {
			stop_sig = 0;
			signal_all(sig);
			signal_all(SIGCONT);
			clock_gettime(CLOCK_MONOTONIC, &kill_at);
			kill_at.tv_sec += grace_ms / 1000 + (kill_at.tv_nsec >= 1000000000 -
						 (long)(grace_ms % 1000) * 1000000);
			kill_at.tv_nsec = (kill_at.tv_nsec + (long)(grace_ms % 1000) * 1000000) %
					  1000000000;
		}
		if (kill_at.tv_sec && ms_until(&kill_at) <= 0) {
			signal_all(SIGKILL);
			kill_at = (struct timespec){ 0 };
		}
		tid = waitpid(-1, st, __WALL | WNOHANG);
		if (tid != 0 && !(tid < 0 && errno == EINTR))
			return tid;
		/* SIGCHLD covers every tracee stop and exit; the timeout is a backstop. */
		if (kill_at.tv_sec && ms_until(&kill_at) < 1000) {
			int64_t ms = ms_until(&kill_at);

			ts = (struct timespec){ 0, ms > 0 ? ms * 1000000 : 0 };
		}
		sig = sigtimedwait(set, &si, &ts);
		if (sig > 0 && sig != SIGCHLD && !(sig == SIGINT && si.si_code == SI_KERNEL))
			stop_sig = sig;
	}
}

int emu_ptrace_wait(struct emu_host *h)
{
	pid_t root = root_pid, tid;
	int st, status = -1;
	sigset_t set, old;

	if (root <= 0)
		return -1;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, &old);
	/* Until every tracee is gone: a script's background jobs share the host. */
	lock(1);
	for (;;) {
		struct tracee *t;
		int sig;

		/* The host is shared (control socket) except while we wait. */
		lock(0);
		tid = next_event(&st, &set);
		lock(1);
		if (tid < 0)
			break;
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			gone(h, tid, st);
			if (tid == root) {
				status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
				root_pid = 0;
			}
			continue;
		}
		if (!WIFSTOPPED(st))
			continue;
		sig = WSTOPSIG(st);
		t = add(tid);
		if (emu_sigkeep_stop(tid, st))
			continue;
		if (cpuid_fault && inject_stop(tid, sig))
			continue;
		if (st >> 16) {
			event(h, t, tid, st >> 16, sig);
			continue;
		}
		if (trapped(tid, sig) && answer(h, t, tid) == 0) {
			if (emu_sigkeep_fault(tid, tgid_of(t, tid), sig))
				continue;
			sig = 0;
		}
		if (sig == SIGSEGV || sig == SIGILL)
			emu_sigkeep_delivered(tgid_of(t, tid), sig);
		ptrace(PTRACE_CONT, tid, 0, sig);
	}
	lock(0);
	sigprocmask(SIG_SETMASK, &old, NULL);
	kill_at = (struct timespec){ 0 };
	return status;
}

int emu_ptrace_run(struct emu_host *h, char *const argv[])
{
	return emu_ptrace_start(argv) ? -1 : emu_ptrace_wait(h);
}

void emu_ptrace_forward(int sig)
{
	stop_sig = sig;
	/* Wake emu_ptrace_wait if it sleeps (we may be another thread). */
	kill(getpid(), SIGCHLD);
}

void emu_ptrace_set_grace(unsigned int ms)
{
	grace_ms = ms;
}
