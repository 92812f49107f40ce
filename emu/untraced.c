// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/user.h>

#include "sigkeep.h"
#include "untraced.h"

#define OURS 0x5654		/* SECCOMP_RET_DATA of our refusal: "VT" */
#define X32 0x40000000u		/* __X32_SYSCALL_BIT */

/* The numbers of the calls for each ABI a 64-bit kernel runs. */
#define X86_64_CLONE 56
#define I386_CLONE 120
#define CLONE3 435		/* the same on all three */
#define X86_64_RT_SIGACTION 13	/* handed to sigkeep.c */

#define STMT(code, k) BPF_STMT((code), (k))
/* Jump offsets count from the next instruction: the comments number them. */
#define JEQ(k, t, f) BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (t), (f))

int emu_untraced_install(void)
{
	static struct sock_filter f[] = {
		/* 0 */ STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		/* 1 */ JEQ(AUDIT_ARCH_X86_64, 1, 0),
		/* 2 */ JEQ(AUDIT_ARCH_I386, 8, 15),
		/* 3: x86-64 and x32 */
		STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		/* 4 */ JEQ(X86_64_CLONE, 9, 0),
		/* 5 */ JEQ(X86_64_CLONE | X32, 8, 0),
		/* 6 */ JEQ(CLONE3, 10, 0),
		/* 7 */ JEQ(CLONE3 | X32, 9, 0),
		/* 8 */ JEQ(X86_64_RT_SIGACTION, 0, 1),
		/* 9 */ STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | EMU_SIGKEEP_TAG),
		/* 10 */ STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		/* 11: i386 */
		STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		/* 12 */ JEQ(I386_CLONE, 1, 0),
		/* 13 */ JEQ(CLONE3, 3, 4),
		/* 14: clone; flags are the first argument (low half) on every ABI */
		STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0])),
		/* 15 */ BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_UNTRACED, 0, 2),
		/* 16 */ STMT(BPF_RET | BPF_K, SECCOMP_RET_TRACE | OURS),
		/* 17 */ STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		/* 18 */ STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	static const struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) == 0)
		return 0;
	if (errno != EACCES || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog);
}

#if defined(__aarch64__)
/* The filter above traces only the x86 ABIs: no aarch64 stop is ours yet. */
void emu_untraced_stop(pid_t tid)
{
	(void)tid;
}
#else
void emu_untraced_stop(pid_t tid)
{
	struct user_regs_struct u;
	unsigned long data = 0;
	long err = -ENOSYS;

	if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &data) || ptrace(PTRACE_GETREGS, tid, 0, &u))
		return;
	if (data == OURS) {
		fprintf(stderr, "vmwcall-emu: pid %d: clone() with CLONE_UNTRACED refused (EPERM): "
			"its child would run outside the emulated host\n", (int)tid);
		err = -EPERM;
	}
#ifdef __x86_64__
	u.orig_rax = (unsigned long long)-1;
	u.rax = (unsigned long long)err;
#else
	u.orig_eax = -1;
	u.eax = err;
#endif
	ptrace(PTRACE_SETREGS, tid, 0, &u);
}
#endif
