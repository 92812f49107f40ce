// SPDX-License-Identifier: MIT
/*
 * emu/selfmem.c: our own memory, a bad page an error and never a fault,
 * through process_vm_readv/writev and, where those are refused (qemu-user's
 * ENOSYS, a container's EPERM; here a seccomp filter), through the pipe.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <valgrind/valgrind.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "selfmem.h"
#include "tap.h"

/* process_vm_readv and process_vm_writev fail with errno e. */
static int refuse_vm(int e)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_process_vm_readv, 1, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_process_vm_writev, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (unsigned int)e),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog p = { sizeof(f) / sizeof(f[0]), f };

	return prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	       prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &p, 0, 0);
}

/* Pages: rw, rw, none, ro.  The checks; the number that failed. */
static int checks(const char *how)
{
	long pg = sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, 4 * pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char buf[64], big[3 * 4096];
	int bad = 0;

	if (m == MAP_FAILED || pg != 4096 || mprotect(m + 2 * pg, pg, PROT_NONE) ||
	    mprotect(m + 3 * pg, pg, PROT_READ))
		return 100;
	memset(m, 'a', 2 * pg);
	memset(buf, 'x', sizeof(buf));
	bad += !ok(emu_self_read(buf, (uintptr_t)m + 10, sizeof(buf)) == sizeof(buf) &&
		   buf[0] == 'a' && buf[63] == 'a', "%s: read", how);
	bad += !ok(emu_self_read(big, (uintptr_t)m, sizeof(big)) == 2 * 4096u,
		   "%s: a read into a bad page stops at it", how);
	bad += !ok(emu_self_read(buf, (uintptr_t)m + 2 * pg, 8) == 0, "%s: bad page: nothing", how);
	bad += !ok(emu_self_read(buf, 0, 8) == 0, "%s: NULL: nothing", how);
	bad += !ok(emu_self_write((uintptr_t)m + pg - 3, "hello", 5) == 0 &&
		   !memcmp(m + pg - 3, "hello", 5), "%s: write across a page boundary", how);
	bad += !ok(emu_self_write((uintptr_t)m + 2 * pg - 2, "xyz", 3) == -1,
		   "%s: write into a bad page: -1", how);
	bad += !ok(emu_self_write((uintptr_t)m + 3 * pg, "xyz", 3) == -1 && m[3 * pg] == 0,
		   "%s: write into a read-only page: -1, unchanged", how);
	bad += !ok(emu_self_read(buf, (uintptr_t)m + 10, 8) == 8 && buf[0] == 'a',
		   "%s: a read after the failures", how);
	munmap(m, 4 * pg);
	return bad;
}

int main(void)
{
	int st;

	plan(24);
	checks("process_vm");
	for (int k = 0; k < 2; k++) {
		int e = k ? EPERM : ENOSYS;
		pid_t p;

		fflush(stdout);
		p = fork();
		if (p == 0) {
			/* The pipe path finds bad addresses by writing from them: valgrind objects. */
			const char *why = RUNNING_ON_VALGRIND ? "valgrind reports the pipe path's probe writes" :
					  refuse_vm(e) ? "no seccomp filter here" : NULL;

			if (why) {
				for (int i = 1; i <= 8; i++)
					printf("ok %d # SKIP %s\n", tap_n + i, why);
				fflush(stdout);	/* _exit does not; a pipe (prove) buffers */
				_exit(0);
			}
			_exit(checks(k ? "pipe after EPERM" : "pipe after ENOSYS"));
		}
		/* The child's lines are ours; count them. */
		tap_n += 8;
		if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) >= 100) {
			ok(0, "child %d: status 0x%x", k, st);
		} else {
			tap_failed += WEXITSTATUS(st);
		}
	}
	return done_testing();
}
