// SPDX-License-Identifier: MIT
/*
 * What the kernel does (force_sig_info_to_task): a fault whose signal is
 * blocked or ignored gets SIG_DFL and is unblocked in the thread's mask;
 * flags, sa_mask and restorer stay.  The old handler cannot be read back
 * by the tracer, hence the record, taken at the seccomp stop before each
 * rt_sigaction: for SIGSEGV and SIGILL with an 8-byte set the call fails
 * only when its struct is unreadable, which the tracer's read sees too,
 * so what was read is what the kernel installs.  Nothing waits for the
 * call's exit there: a nested wait inside the runner's loop would take
 * stops that are the loop's, and syscall stops would need
 * PTRACE_O_TRACESYSGOOD, which changes what every other part of the
 * runner (inject.c) sees.
 *
 * A reset is recognised exactly: the record says caught (or ignored) and
 * /proc/TID/status no longer does.  A caught signal is reset only when it
 * was blocked, so its mask bit is set again; an ignored one may or may
 * not have been blocked, and its mask is left as the kernel made it (the
 * one case not undone).  A handler the guest's own SA_RESETHAND reset on
 * a real delivery is forgotten then, so it is never brought back.
 *
 * The handler goes back through an rt_sigaction the thread itself
 * executes, at the syscall instruction of its process's last
 * rt_sigaction (libc's: no need to search the maps), with its struct
 * below the red zone and every blockable signal blocked, by one single
 * step, as inject.c does after exec; registers, stack bytes and mask are
 * put back at the step's trap.  Any other stop first (SIGSTOP, SIGKILL)
 * puts them back at once and is the runner's: the handler then stays
 * reset, as before this file.  x86-64 processes only: the filter traces
 * no other ABI's rt_sigaction, so others have no record and are left
 * alone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "sigkeep.h"

#ifdef __x86_64__
#define NR_RT_SIGACTION 13
#define MAX_PROCS 4096
#define RED_ZONE 128
#define HANDLER_DFL 0
#define HANDLER_IGN 1
#define RESETHAND 0x80000000ull	/* SA_RESETHAND */
#define MAX_BUSY 64

/* The kernel's struct sigaction on x86-64, with an 8-byte mask. */
struct ksa {
	uint64_t handler, flags, restorer, mask;
};

struct rec {
	pid_t tgid;
	uint8_t have[2];	/* per slot: SIGSEGV, SIGILL */
	struct ksa sa[2];
	uint64_t sysip;		/* a syscall instruction of the process, or 0 */
};

static struct rec recs[MAX_PROCS];
static size_t nrecs;

static int slot(uint64_t sig)
{
	return sig == SIGSEGV ? 0 : sig == SIGILL ? 1 : -1;
}

static struct rec *rec_of(pid_t tgid, int create)
{
	for (size_t i = 0; i < nrecs; i++)
		if (recs[i].tgid == tgid)
			return &recs[i];
	if (!create || nrecs == MAX_PROCS)
		return NULL;
	memset(&recs[nrecs], 0, sizeof(recs[0]));
	recs[nrecs].tgid = tgid;
	return &recs[nrecs++];
}

/* A reinstall under way in thread tid: what goes back at its end. */
static struct busy {
	pid_t tid;
	uint64_t at, mask;
	struct user_regs_struct regs;
	uint8_t saved[sizeof(struct ksa)];
} busy[MAX_BUSY];

static void forget(pid_t tgid)
{
	struct rec *r = rec_of(tgid, 0);

	if (r)
		*r = recs[--nrecs];
}

void emu_sigkeep_gone(pid_t tid, int leader)
{
	for (size_t i = 0; i < MAX_BUSY; i++)
		if (busy[i].tid == tid)
			busy[i].tid = 0;
	if (leader)
		forget(tid);
}

void emu_sigkeep_fork(pid_t parent, pid_t child)
{
	struct rec *p, *c;

	forget(child);	/* a stale record of a reused pid */
	p = rec_of(parent, 0);
	c = p ? rec_of(child, 1) : NULL;
	if (c) {
		*c = *p;
		c->tgid = child;
	}
}

void emu_sigkeep_exec(pid_t tgid)
{
	struct rec *r = rec_of(tgid, 0);

	if (!r)
		return;
	/* exec keeps SIG_IGN and resets caught signals; libc moved with the image. */
	r->sysip = 0;
	for (int i = 0; i < 2; i++)
		if (r->have[i] && r->sa[i].handler != HANDLER_IGN)
			r->sa[i] = (struct ksa){ 0 };
}

void emu_sigkeep_delivered(pid_t tgid, int sig)
{
	struct rec *r = rec_of(tgid, 0);
	int s = slot((uint64_t)sig);

	if (r && s >= 0 && r->sa[s].handler > HANDLER_IGN && (r->sa[s].flags & RESETHAND))
		r->sa[s] = (struct ksa){ 0 };
}

static int peek(pid_t tid, uint64_t addr, void *dst, size_t n)
{
	for (size_t i = 0; i < n; i += 8) {
		long w;

		errno = 0;
		w = ptrace(PTRACE_PEEKDATA, tid, (void *)(addr + i), 0);
		if (errno)
			return -1;
		memcpy((char *)dst + i, &w, 8);
	}
	return 0;
}

static int poke(pid_t tid, uint64_t addr, const void *src, size_t n)
{
	for (size_t i = 0; i < n; i += 8) {
		long w;

		memcpy(&w, (const char *)src + i, 8);
		if (ptrace(PTRACE_POKEDATA, tid, (void *)(addr + i), (void *)w))
			return -1;
	}
	return 0;
}

void emu_sigkeep_syscall(pid_t tid, pid_t tgid)
{
	struct user_regs_struct u;
	struct rec *r;
	struct ksa sa;
	int s;

	if (ptrace(PTRACE_GETREGS, tid, 0, &u) || !(r = rec_of(tgid, 1)))
		return;
	r->sysip = u.rip - 2;	/* past the syscall instruction already */
	s = slot(u.rdi);
	if (s >= 0 && u.rsi && u.r10 == 8 && peek(tid, u.rsi, &sa, sizeof(sa)) == 0) {
		r->sa[s] = sa;
		r->have[s] = 1;
	}
}

/* Bit sig-1 of the "Name:\thex" line of /proc/TID/status, -1 if unknown. */
static int status_bit(pid_t tid, const char *name, int sig)
{
	char path[64], line[256];
	unsigned long long v;
	size_t n = strlen(name);
	int bit = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, name, n) && line[n] == ':' &&
		    sscanf(line + n + 1, "%llx", &v) == 1) {
			bit = (int)(v >> (sig - 1) & 1);
			break;
		}
	fclose(f);
	return bit;
}

static void put_back(struct busy *b)
{
	ptrace(PTRACE_SETREGS, b->tid, 0, &b->regs);
	poke(b->tid, b->at, b->saved, sizeof(b->saved));
	ptrace(PTRACE_SETSIGMASK, b->tid, sizeof(b->mask), &b->mask);
	b->tid = 0;
}

int emu_sigkeep_fault(pid_t tid, pid_t tgid, int sig)
{
	struct rec *r = rec_of(tgid, 0);
	int s = slot((uint64_t)sig);
	struct user_regs_struct k;
	struct busy *b = NULL;
	uint64_t all = ~0ull;
	long code;

	if (!r || s < 0 || !r->have[s] || r->sa[s].handler == HANDLER_DFL || !r->sysip)
		return 0;
	if (r->sa[s].handler == HANDLER_IGN ? status_bit(tid, "SigIgn", sig) != 0
					    : status_bit(tid, "SigCgt", sig) != 0)
		return 0;	/* not reset (or unknown): nothing to undo */
	for (size_t i = 0; !b && i < MAX_BUSY; i++)
		if (!busy[i].tid)
			b = &busy[i];
	if (!b || ptrace(PTRACE_GETREGS, tid, 0, &b->regs) ||
	    ptrace(PTRACE_GETSIGMASK, tid, sizeof(b->mask), &b->mask))
		return 0;
	if (r->sa[s].handler != HANDLER_IGN)
		b->mask |= 1ull << (sig - 1);
	errno = 0;
	code = ptrace(PTRACE_PEEKTEXT, tid, (void *)r->sysip, 0);
	b->at = (b->regs.rsp - RED_ZONE - sizeof(struct ksa)) & ~(uint64_t)15;
	if (errno || (code & 0xffff) != 0x050f ||	/* syscall */
	    peek(tid, b->at, b->saved, sizeof(b->saved))) {
		ptrace(PTRACE_SETSIGMASK, tid, sizeof(b->mask), &b->mask);
		return 0;
	}
	b->tid = tid;
	k = b->regs;
	k.rip = r->sysip;
	k.rax = NR_RT_SIGACTION;
	k.orig_rax = (unsigned long long)-1;
	k.rdi = (unsigned long long)sig;
	k.rsi = b->at;
	k.rdx = 0;
	k.r10 = 8;
	if (poke(tid, b->at, &r->sa[s], sizeof(r->sa[s])) ||
	    ptrace(PTRACE_SETSIGMASK, tid, sizeof(all), &all) || ptrace(PTRACE_SETREGS, tid, 0, &k) ||
	    ptrace(PTRACE_SINGLESTEP, tid, 0, 0)) {
		put_back(b);
		return 0;
	}
	return 1;
}

int emu_sigkeep_stop(pid_t tid, int st)
{
	struct busy *b = NULL;
	unsigned long msg;

	for (size_t i = 0; !b && i < MAX_BUSY; i++)
		if (busy[i].tid == tid)
			b = &busy[i];
	if (!b)
		return 0;
	/* The injected call's own seccomp stop (the filter traces it too): step on. */
	if ((st >> 16) == PTRACE_EVENT_SECCOMP && ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) == 0 &&
	    msg == EMU_SIGKEEP_TAG && ptrace(PTRACE_SINGLESTEP, tid, 0, 0) == 0)
		return 1;
	/* Every signal but SIGKILL and SIGSTOP is blocked: a SIGTRAP is the step's. */
	if ((st >> 16) == 0 && WSTOPSIG(st) == SIGTRAP) {
		put_back(b);
		ptrace(PTRACE_CONT, tid, 0, 0);
		return 1;
	}
	put_back(b);
	return 0;
}
#else
void emu_sigkeep_syscall(pid_t tid, pid_t tgid)
{
	(void)tid, (void)tgid;
}

int emu_sigkeep_fault(pid_t tid, pid_t tgid, int sig)
{
	(void)tid, (void)tgid, (void)sig;
	return 0;
}

int emu_sigkeep_stop(pid_t tid, int st)
{
	(void)tid, (void)st;
	return 0;
}

void emu_sigkeep_delivered(pid_t tgid, int sig)
{
	(void)tgid, (void)sig;
}

void emu_sigkeep_fork(pid_t parent, pid_t child)
{
	(void)parent, (void)child;
}

void emu_sigkeep_exec(pid_t tgid)
{
	(void)tgid;
}

void emu_sigkeep_gone(pid_t tid, int leader)
{
	(void)tid, (void)leader;
}
#endif
