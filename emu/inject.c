// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "inject.h"

#if defined(__x86_64__)
#include <linux/ptrace.h>

#define ARCH_SET_CPUID	0x1012
#define I386_CS		0x23

_Static_assert(sizeof(struct user_regs_struct) <= sizeof(((struct emu_inject *)0)->saved),
	       "room for the registers");

int emu_inject_begin(struct emu_inject *in, pid_t tid)
{
	in->state = 0;
	if (ptrace(PTRACE_SYSCALL, tid, 0, 0))
		return -1;
	in->state = 1;
	return 0;
}

/* Put everything back; 0 or -1. */
static int undo(struct emu_inject *in, pid_t tid)
{
	in->state = 0;
	return ptrace(PTRACE_POKETEXT, tid, (void *)in->addr, (void *)in->word) ||
	       ptrace(PTRACE_SETREGS, tid, 0, in->saved) ? -1 : 0;
}

/* Without PTRACE_O_TRACESYSGOOD a syscall stop is a SIGTRAP that says so in its message. */
static int syscall_exit(pid_t tid, int sig)
{
	unsigned long msg = 0;
	siginfo_t si;

	return sig == SIGTRAP && !ptrace(PTRACE_GETSIGINFO, tid, 0, &si) && si.si_code == SIGTRAP &&
	       !ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) && msg == PTRACE_EVENTMSG_SYSCALL_EXIT;
}

static int at_exit(struct emu_inject *in, pid_t tid)
{
	struct user_regs_struct r;
	long word;

	if (ptrace(PTRACE_GETREGS, tid, 0, &r))
		return -1;
	memcpy(in->saved, &r, sizeof(r));
	in->addr = r.rip;
	errno = 0;
	word = ptrace(PTRACE_PEEKTEXT, tid, (void *)in->addr, 0);
	if (errno)
		return -1;
	in->word = (uint64_t)word;
	/* syscall (0F 05), or int 0x80 (CD 80) in 32-bit code. */
	word = (long)((in->word & ~0xFFFFull) | (r.cs == I386_CS ? 0x80CDu : 0x050Fu));
	if (r.cs == I386_CS)
		r.rax = 384, r.rbx = ARCH_SET_CPUID, r.rcx = 0;
	else
		r.rax = 158, r.rdi = ARCH_SET_CPUID, r.rsi = 0;
	if (ptrace(PTRACE_POKETEXT, tid, (void *)in->addr, (void *)word))
		return -1;
	in->state = 2;
	if (ptrace(PTRACE_SETREGS, tid, 0, &r) || ptrace(PTRACE_SINGLESTEP, tid, 0, 0)) {
		undo(in, tid);
		return -1;
	}
	return 0;
}

int emu_inject_stop(struct emu_inject *in, pid_t tid, int sig, long *result)
{
	struct user_regs_struct r;

	if (in->state == 1) {
		if (!syscall_exit(tid, sig)) {
			in->state = 0;
			return 0;
		}
		if (at_exit(in, tid) == 0)
			return 1;
		/* The exit stop is ours whatever happened: never a signal to deliver. */
		in->state = 0;
		*result = -EIO;
		ptrace(PTRACE_CONT, tid, 0, 0);
		return 1;
	}
	/* Stepping: the trap after the call, or a signal that came first. */
	if (sig != SIGTRAP || ptrace(PTRACE_GETREGS, tid, 0, &r)) {
		undo(in, tid);
		return 0;
	}
	*result = (long)r.rax;
	if (undo(in, tid))
		return 0;
	ptrace(PTRACE_CONT, tid, 0, 0);
	return 1;
}
#else
int emu_inject_begin(struct emu_inject *in, pid_t tid)
{
	(void)tid;
	in->state = 0;
	errno = ENOSYS;
	return -1;
}

int emu_inject_stop(struct emu_inject *in, pid_t tid, int sig, long *result)
{
	(void)tid, (void)sig, (void)result;
	in->state = 0;
	return 0;
}
#endif
