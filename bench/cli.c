// SPDX-License-Identifier: MIT
/*
 * `vmwcall info get` next to open-vm-tools' `vmware-rpctool info-get` and
 * `vmtoolsd --cmd info-get`, all unmodified under vmwcall-emu, on each
 * channel a tool can use (vsock; the backdoor: rpctool's only one, and
 * vmtoolsd's when the host has no vsock): wall time of a whole run
 * (emulator start-up included, the same for all) and the tool's peak RSS,
 * for values of 16 B, 64 KiB and 1 MiB.  vmtoolsd runs only as the one-shot
 * `--cmd` (one RPC, then it exits); its service is never started here.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

#define RUNS 11

/* --rss FILE PROG ARGS: run PROG as our child and write its peak RSS (KiB) to FILE. */
static int rss(char **argv)
{
	struct rusage ru;
	int st;
	FILE *f;
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	if (pid < 0 || wait4(pid, &st, 0, &ru) != pid || !WIFEXITED(st) || WEXITSTATUS(st))
		return 1;
	f = fopen(argv[0], "w");
	if (!f)
		return 1;
	fprintf(f, "%ld\n", ru.ru_maxrss);
	return fclose(f) ? 1 : 0;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct tool {
	const char *name;
	char *emu_opt;		/* an extra vmwcall-emu option, or NULL */
	char *args[8];		/* NULL-terminated */
};

/* Median wall time of RUNS runs and peak RSS of one; -1 if the tool failed. */
static int measure(char *emu, char *self, char *set, char *dir, const struct tool *t,
		   double *ms, long *kib)
{
	char out[PATH_MAX];
	char *argv[24];
	double w[RUNS];
	int i = 0, k;
	FILE *f;

	argv[i++] = emu;
	argv[i++] = "--set";
	argv[i++] = set;
	if (t->emu_opt)
		argv[i++] = t->emu_opt;
	argv[i++] = "--";
	k = i;
	for (int r = 0; r < RUNS; r++) {
		double t0;

		i = k;
		for (int a = 0; t->args[a]; a++)
			argv[i++] = t->args[a];
		argv[i] = NULL;
		t0 = now();
		if (run(argv, -1))
			return -1;
		w[r] = now() - t0;
	}
	qsort(w, RUNS, sizeof(*w), cmp);
	*ms = w[RUNS / 2] * 1e3;
	snprintf(out, sizeof(out), "%s/rss", dir);
	i = k;
	argv[i++] = self;
	argv[i++] = "--rss";
	argv[i++] = out;
	for (int a = 0; t->args[a]; a++)
		argv[i++] = t->args[a];
	argv[i] = NULL;
	if (run(argv, -1))
		return -1;
	f = fopen(out, "r");
	if (!f || fscanf(f, "%ld", kib) != 1)
		*kib = -1;
	if (f)
		fclose(f);
	unlink(out);
	return *kib < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 16, 64 << 10, 1 << 20 };
	char self[PATH_MAX], emu[PATH_MAX + 16], vmwcall[PATH_MAX + 16];
	char dir[] = "/tmp/vmwcall-bench.XXXXXX", file[PATH_MAX], set[PATH_MAX + 32];
	/*
	 * vmtoolsd --cmd is one-shot: it sends one RPC and exits before any
	 * plugin loads, so it is safe as root (its service never runs here).
	 */
	const struct tool tools[] = {
		{ "vmwcall, vsock", NULL, { vmwcall, "--channel", "vsock", "info", "get", "v", NULL } },
		{ "vmtoolsd --cmd, vsock", NULL,
		  { "vmtoolsd", "--cmd", "info-get guestinfo.v", NULL } },
		{ "vmwcall, backdoor", NULL,
		  { vmwcall, "--channel", "backdoor", "info", "get", "v", NULL } },
		{ "vmware-rpctool, backdoor", NULL,
		  { "vmware-rpctool", "info-get guestinfo.v", NULL } },
		{ "vmtoolsd --cmd, backdoor", "--no-vsock",
		  { "vmtoolsd", "--cmd", "info-get guestinfo.v", NULL } },
	};

	if (argc >= 4 && !strcmp(argv[1], "--rss"))
		return rss(argv + 2);
	if (built(self, emu, sizeof(emu), "vmwcall-emu") ||
	    built(self, vmwcall, sizeof(vmwcall), "vmwcall"))
		return 1;
	if (!mkdtemp(dir))
		return 1;
	printf("info get under vmwcall-emu: median wall time of %d runs, peak RSS of the tool:\n",
	       RUNS);
	for (size_t s = 0; s < sizeof(sizes) / sizeof(*sizes); s++) {
		char *val = malloc(sizes[s]);
		int fd;

		snprintf(file, sizeof(file), "%s/v", dir);
		snprintf(set, sizeof(set), "guestinfo.v=@%s", file);
		fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (!val || fd < 0 || (memset(val, 'v', sizes[s]),
				       write(fd, val, sizes[s]) != (ssize_t)sizes[s]))
			return 1;
		close(fd);
		free(val);
		for (size_t t = 0; t < sizeof(tools) / sizeof(*tools); t++) {
			double ms;
			long kib;

			if (measure(emu, self, set, dir, &tools[t], &ms, &kib))
				printf("  %8zu B  %-26s (not available)\n", sizes[s], tools[t].name);
			else
				printf("  %8zu B  %-26s %8.2f ms  %6ld KiB\n", sizes[s], tools[t].name,
				       ms, kib);
		}
		unlink(file);
	}
	rmdir(dir);
	return 0;
}
