/* SPDX-License-Identifier: MIT */
/* What the benchmarks share: a clock, running a tool, finding the build. */
#ifndef VMWCALL_BENCH_H
#define VMWCALL_BENCH_H

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static __attribute__((unused)) double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Run argv with stdout to fd (or /dev/null if fd < 0); its exit status. */
static __attribute__((unused)) int run(char *const argv[], int fd)
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		if (fd < 0)
			fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		execv(argv[0], argv);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Run argv and read the number it prints; -1 if it fails. */
static __attribute__((unused)) double run_number(char *const argv[])
{
	char buf[64];
	int p[2];
	ssize_t n;

	if (pipe(p))
		return -1;
	if (run(argv, p[1])) {
		close(p[0]), close(p[1]);
		return -1;
	}
	close(p[1]);
	n = read(p[0], buf, sizeof(buf) - 1);
	close(p[0]);
	buf[n > 0 ? n : 0] = '\0';
	return n > 0 ? strtod(buf, NULL) : -1;
}

/* This program as self and $(O)/name as path (we are $(O)/bench/x); 0 if it is built. */
static __attribute__((unused)) int built(char self[PATH_MAX], char *path, size_t n,
					 const char *name)
{
	ssize_t len = readlink("/proc/self/exe", self, PATH_MAX - 1);

	if (len <= 0)
		return -1;
	self[len] = '\0';
	snprintf(path, n, "%.*s/../%s", (int)(strrchr(self, '/') - self), self, name);
	if (access(path, X_OK)) {
		fprintf(stderr, "bench: %s not built\n", path);
		return -1;
	}
	return 0;
}

#endif
