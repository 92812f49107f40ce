// SPDX-License-Identifier: MIT
/*
 * The ptrace runner.  PTRACE_SEIZE rather than TRACEME: group-stops then
 * arrive as PTRACE_EVENT_STOP and can be left in place with PTRACE_LISTEN,
 * so job control still works, and a new child's first stop is a SIGTRAP
 * event stop, not a SIGSTOP that must be told apart from a real one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cpu.h"
#include "ptrace.h"

#define MAX_TRACEES 4096
#define I386_CS 0x23		/* the user code segment of 32-bit processes */

/* Channels belong to processes, so each thread's tgid is remembered. */
struct tracee {
	pid_t tid, tgid;
};

static struct tracee tab[MAX_TRACEES];
static size_t ntab;
static volatile pid_t root_pid;
static int use_procmem;	/* process_vm_* unavailable: go through /proc/PID/mem */

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
	tab[ntab] = (struct tracee){ tid, 0 };
	return &tab[ntab++];
}

static void drop(pid_t tid)
{
	struct tracee *t = find(tid);

	if (t)
		*t = tab[--ntab];
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

static int procmem(pid_t pid, uint64_t addr, void *buf, size_t n, int wr)
{
	char path[64];
	ssize_t got;
	int fd;

	if (addr > (uint64_t)INT64_MAX - n)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)pid);
	fd = open(path, (wr ? O_WRONLY : O_RDONLY) | O_CLOEXEC);
	if (fd < 0)
		return -1;
	got = wr ? pwrite64(fd, buf, n, (off64_t)addr) : pread64(fd, buf, n, (off64_t)addr);
	close(fd);
	return got == (ssize_t)n ? 0 : -1;
}

static int vm_io(pid_t pid, uint64_t addr, void *buf, size_t n, int wr)
{
	struct iovec l = { buf, n }, r = { (void *)(uintptr_t)addr, n };
	ssize_t got;

	if ((uint64_t)(uintptr_t)addr != addr)
		return -1;
	if (!use_procmem) {
		got = wr ? process_vm_writev(pid, &l, 1, &r, 1, 0)
			 : process_vm_readv(pid, &l, 1, &r, 1, 0);
		if (got == (ssize_t)n)
			return 0;
		if (got >= 0 || (errno != EPERM && errno != ENOSYS))
			return -1;
		use_procmem = 1;
	}
	return procmem(pid, addr, buf, n, wr);
}

static int vm_read(void *ctx, uint64_t addr, void *dst, size_t n)
{
	return vm_io(*(pid_t *)ctx, addr, dst, n, 0);
}

static int vm_write(void *ctx, uint64_t addr, const void *src, size_t n)
{
	return vm_io(*(pid_t *)ctx, addr, (void *)src, n, 1);
}

/* Code bytes at ip; word by word if the instruction ends a mapping. */
static size_t fetch(pid_t tid, uint64_t ip, uint8_t *code)
{
	size_t n = 0;

	if (vm_io(tid, ip, code, EMU_INSN_MAX, 0) == 0)
		return EMU_INSN_MAX;
	while (n < EMU_INSN_MAX) {
		long w;

		errno = 0;
		w = ptrace(PTRACE_PEEKTEXT, tid, (void *)(uintptr_t)(ip + n), 0);
		if (errno)
			break;
		memcpy(code + n, &w, EMU_INSN_MAX - n < sizeof(w) ? EMU_INSN_MAX - n : sizeof(w));
		n += sizeof(w);
	}
	return n < EMU_INSN_MAX ? n : EMU_INSN_MAX;
}

#ifdef __x86_64__
static void load(struct emu_cpu *c, const struct user_regs_struct *u)
{
	*c = (struct emu_cpu){ u->rax, u->rbx, u->rcx, u->rdx, u->rsi, u->rdi, u->rbp,
			       u->r10, u->r11, u->r12, u->r13, u->r14, u->r15, u->rip,
			       u->cs != I386_CS };
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
			       U32(u->edi), U32(u->ebp), .ip = U32(u->eip), .is64 = 0 };
}

static void store(struct user_regs_struct *u, const struct emu_cpu *c)
{
	u->eax = (long)c->ax, u->ebx = (long)c->bx, u->ecx = (long)c->cx, u->edx = (long)c->dx;
	u->esi = (long)c->si, u->edi = (long)c->di, u->ebp = (long)c->bp, u->eip = (long)c->ip;
}
#endif

/* 0 if the fault at the tracee's ip was a hypercall and has been answered. */
static int answer(struct emu_host *h, struct tracee *t, pid_t tid)
{
	struct user_regs_struct u;
	struct emu_mem mem = { &tid, vm_read, vm_write };
	uint8_t code[EMU_INSN_MAX];
	struct emu_cpu c;
	size_t n;

	if (ptrace(PTRACE_GETREGS, tid, 0, &u))
		return -1;
	load(&c, &u);
	n = fetch(tid, c.ip, code);
	if (!n || emu_cpu_step(h, &c, code, n, &mem, (uint32_t)tgid_of(t, tid)))
		return -1;
	store(&u, &c);
	return ptrace(PTRACE_SETREGS, tid, 0, &u) ? -1 : 0;
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

static void gone(struct emu_host *h, pid_t tid)
{
	struct tracee *t = find(tid);

	/* A process is gone when its leader is; its channels go with it. */
	if (!t || !t->tgid || t->tgid == tid)
		emu_host_reclaim(h, (uint32_t)tid);
	drop(tid);
}

static void event(struct emu_host *h, struct tracee *t, pid_t tid, int ev, int sig)
{
	unsigned long msg;

	switch (ev) {
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) == 0)
			add((pid_t)msg);
		break;
	case PTRACE_EVENT_EXEC:
		/* A thread that execs takes the leader's tid: forget its old one. */
		if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) == 0 && (pid_t)msg != tid)
			drop((pid_t)msg);
		/* The old image and its channel cookies are gone. */
		emu_host_reclaim(h, (uint32_t)tid);
		if (t)
			t->tgid = tid;
		break;
	case PTRACE_EVENT_STOP:
		/* A group-stop: stay stopped until SIGCONT, as untraced. */
		if (stopsig(sig)) {
			ptrace(PTRACE_LISTEN, tid, 0, 0);
			return;
		}
		break;	/* a new child's first stop, or the end of a group-stop */
	}
	ptrace(PTRACE_CONT, tid, 0, 0);
}

static _Noreturn void start(char *const argv[], int go)
{
	char c;

	/* Wait until the parent has seized us, so exec is already traced. */
	if (read(go, &c, 1) != 1)
		_exit(125);
	execvp(argv[0], argv);
	fprintf(stderr, "vmwcall-emu: %s: %s\n", argv[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

int emu_ptrace_start(char *const argv[])
{
	const long opts = PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
			  PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL;
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
	ntab = 0;
	add(root);
	return 0;
}

int emu_ptrace_wait(struct emu_host *h)
{
	pid_t root = root_pid, tid;
	int st, status = -1;

	if (root <= 0)
		return -1;
	/* Until every tracee is gone: a script's background jobs share the host. */
	for (;;) {
		struct tracee *t;
		int sig;

		tid = waitpid(-1, &st, __WALL);
		if (tid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			gone(h, tid);
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
		if (st >> 16) {
			event(h, t, tid, st >> 16, sig);
			continue;
		}
		if (trapped(tid, sig) && answer(h, t, tid) == 0)
			sig = 0;
		ptrace(PTRACE_CONT, tid, 0, sig);
	}
	return status;
}

int emu_ptrace_run(struct emu_host *h, char *const argv[])
{
	return emu_ptrace_start(argv) ? -1 : emu_ptrace_wait(h);
}

void emu_ptrace_forward(int sig)
{
	pid_t p = root_pid;

	if (p > 0)
		kill(p, sig);
}
