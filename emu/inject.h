/* SPDX-License-Identifier: MIT */
/*
 * One system call made by a stopped tracee on the runner's behalf, as the
 * first thing its new image does after execve: arch_prctl(ARCH_SET_CPUID,
 * 0), which execve resets.  At the exec event the call's return value is
 * not yet written, so the tracee is first run to execve's syscall-exit
 * stop; there a syscall instruction replaces the two bytes at its entry
 * point, the registers ask for the call, and one single step runs it;
 * then the bytes and registers go back and it continues as if nothing
 * happened.  x86-64 tracees (int 0x80 for i386 ones); elsewhere a no-op.
 */
#ifndef VMWCALL_EMU_INJECT_H
#define VMWCALL_EMU_INJECT_H

#include <stdint.h>
#include <sys/types.h>

struct emu_inject {
	int state;		/* 0 idle, 1 to syscall exit, 2 stepping */
	uint64_t addr, word;	/* the code word replaced */
	unsigned char saved[512];	/* the registers (struct user_regs_struct) */
};

/* At tid's exec event stop: resume it towards the injection.  0 or -1. */
int emu_inject_begin(struct emu_inject *in, pid_t tid);

/*
 * At each later stop of tid while in->state is set: 1 if the stop was the
 * injection's own (tid has been resumed; *result is set when the call
 * finished: its return value, -errno on failure), 0 if not (in->state is
 * 0 again and the stop is the caller's to handle as usual).
 */
int emu_inject_stop(struct emu_inject *in, pid_t tid, int sig, long *result);

#endif
