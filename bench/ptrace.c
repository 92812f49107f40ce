// SPDX-License-Identifier: MIT
/*
 * Cost of one hypercall trapped and answered by vmwcall-emu, next to a bare
 * ptrace round trip measured in the same run (a child's ud2 that the tracer
 * steps past with GETREGS/SETREGS, no emulation).  The guest loops time
 * themselves, so start-up is not counted.  Then how many hypercalls
 * vmware-rpctool needs for an info-get of 16 B, 64 KiB and 1 MiB.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vmwcall/proto.h"
#include "bench.h"

#define N 20000
#define ROUNDS 3

/* Guest side: N trapping instructions, seconds per instruction on stdout. */
static int guest(const char *what)
{
	unsigned int a, b, c, d;
	double t = now();

	for (int i = 0; i < N; i++) {
		if (!strcmp(what, "ud2")) {
			__asm__ __volatile__("ud2" ::: "memory");
			continue;
		}
		a = VMW_MAGIC, b = ~VMW_MAGIC, c = VMW_CMD_GETVERSION, d = VMW_PORT;
		if (!strcmp(what, "in"))
			__asm__ __volatile__("inl %%dx, %%eax"
					     : "+a"(a), "+b"(b), "+c"(c), "+d"(d) :: "memory");
		else
			__asm__ __volatile__("vmcall"
					     : "+a"(a), "+b"(b), "+c"(c), "+d"(d) :: "memory");
		if (b != VMW_MAGIC)
			return 1;
	}
	printf("%.9f\n", (now() - t) / N);
	return 0;
}

static double read_double(int fd)
{
	char buf[64];
	ssize_t n = read(fd, buf, sizeof(buf) - 1);

	buf[n > 0 ? n : 0] = '\0';
	return n > 0 ? strtod(buf, NULL) : -1;
}

/* The reference: the cheapest tracer that still steps past each fault. */
static double bare(const char *self)
{
	struct user_regs_struct u;
	int p[2], st;
	double t;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		raise(SIGSTOP);
		execl(self, self, "--guest", "ud2", (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	while (waitpid(pid, &st, 0) == pid && WIFSTOPPED(st)) {
		int sig = WSTOPSIG(st);

		if (sig == SIGILL) {
			ptrace(PTRACE_GETREGS, pid, 0, &u);
#ifdef __x86_64__
			u.rip += 2;
#else
			u.eip += 2;
#endif
			ptrace(PTRACE_SETREGS, pid, 0, &u);
			sig = 0;
		} else if (sig == SIGSTOP || sig == SIGTRAP) {
			sig = 0;
		}
		ptrace(PTRACE_CONT, pid, 0, sig);
	}
	t = read_double(p[0]);
	close(p[0]);
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? t : -1;
}

static double emulated(char *emu, char *self, char *what)
{
	char *argv[] = { emu, "--", self, "--guest", what, NULL };

	return run_number(argv);
}

static long count(char *emu, const char *dir, size_t size, int no_hb)
{
	char file[PATH_MAX], json[PATH_MAX], set[PATH_MAX + 32], buf[512], *p;
	char *argv[12];
	int i = 0, fd;
	ssize_t n;
	char *val = malloc(size);

	snprintf(file, sizeof(file), "%s/v%zu", dir, size);
	snprintf(json, sizeof(json), "%s/s%zu.json", dir, size);
	snprintf(set, sizeof(set), "guestinfo.v=@%s", file);
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (!val || fd < 0)
		return -1;
	memset(val, 'v', size);
	n = write(fd, val, size);
	close(fd);
	free(val);
	if (n != (ssize_t)size)
		return -1;
	argv[i++] = emu;
	if (no_hb)
		argv[i++] = "--no-hb";
	argv[i++] = "--stats-json";
	argv[i++] = json;
	argv[i++] = "--set";
	argv[i++] = set;
	argv[i++] = "--";
	argv[i++] = "vmware-rpctool";
	argv[i++] = "info-get guestinfo.v";
	argv[i] = NULL;
	if (run(argv, -1))
		return -1;
	fd = open(json, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	p = strstr(buf, "\"hypercalls\": ");
	unlink(file);
	unlink(json);
	return p ? strtol(p + 14, NULL, 10) : -1;
}

static double best(double a, double b)
{
	return a < 0 ? b : b < 0 ? a : a < b ? a : b;
}

int main(int argc, char **argv)
{
	char self[PATH_MAX], emu[PATH_MAX + 16], dir[] = "/tmp/vmwcall-bench.XXXXXX";
	static const size_t sizes[] = { 16, 64 << 10, 1 << 20 };
	double b = -1, in = -1, vmcall = -1;

	if (argc == 3 && !strcmp(argv[1], "--guest"))
		return guest(argv[2]);
	if (built(self, emu, sizeof(emu), "vmwcall-emu"))
		return 1;
	for (int r = 0; r < ROUNDS; r++) {
		b = best(b, bare(self));
		in = best(in, emulated(emu, self, "in"));
		vmcall = best(vmcall, emulated(emu, self, "vmcall"));
	}
	if (b <= 0 || in <= 0 || vmcall <= 0) {
		fprintf(stderr, "ptrace bench: a run failed\n");
		return 1;
	}
	printf("vmwcall-emu (ptrace), %d calls, best of %d:\n", N, ROUNDS);
	printf("  bare ptrace round trip (ud2, GETREGS/SETREGS)  %7.0f ns\n", b * 1e9);
	printf("  GETVERSION via in  (SIGSEGV), emulated         %7.0f ns  %.2fx\n", in * 1e9, in / b);
	printf("  GETVERSION via vmcall (SIGILL), emulated       %7.0f ns  %.2fx\n",
	       vmcall * 1e9, vmcall / b);
	if (!mkdtemp(dir))
		return 1;
	printf("hypercalls made by vmware-rpctool 'info-get' (whole run, incl. checks):\n");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		long hb = count(emu, dir, sizes[i], 0), lb = count(emu, dir, sizes[i], 1);

		if (hb < 0 || lb < 0) {
			printf("  (vmware-rpctool not available: counts skipped)\n");
			break;
		}
		printf("  %8zu B value: %6ld with HB, %7ld with --no-hb\n", sizes[i], hb, lb);
	}
	rmdir(dir);
	return 0;
}
