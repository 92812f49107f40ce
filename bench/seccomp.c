// SPDX-License-Identifier: MIT
/*
 * What the seccomp supervisor costs a guest: one stat(2) of a path it lets
 * through (every open/stat/access of an x86-64 guest is asked about while
 * DMI is served) and one of a DMI file it answers, next to the same calls
 * natively and with --no-dmi (nothing asked).  The guest loops time
 * themselves; best of ROUNDS.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench.h"

#define N 20000
#define ROUNDS 3

static const char *const path[] = { "/nonexistent/x", "/sys/class/dmi/id/sys_vendor" };

static int guest(int which)
{
	struct stat st;
	double t = now();

	for (int i = 0; i < N; i++)
		stat(path[which], &st);
	printf("%.9f\n", (now() - t) / N);
	return 0;
}

static double measure(char *emu, const char *opt, char *self, char *which)
{
	char *argv[8];
	int i = 0;

	if (emu) {
		argv[i++] = emu;
		if (opt)
			argv[i++] = (char *)opt;
		argv[i++] = "--";
	}
	argv[i++] = self, argv[i++] = "--guest", argv[i++] = which, argv[i] = NULL;
	return run_number(argv);
}

int main(int argc, char **argv)
{
	char self[PATH_MAX], emu[PATH_MAX + 16];
	static const struct { const char *name, *opt; int emu; } how[] = {
		{ "native", NULL, 0 }, { "vmwcall-emu --no-dmi", "--no-dmi", 1 },
		{ "vmwcall-emu (DMI served)", NULL, 1 },
	};

	if (argc == 3 && !strcmp(argv[1], "--guest"))
		return guest(argv[2][0] == '1');
	if (built(self, emu, sizeof(emu), "vmwcall-emu"))
		return 1;
	printf("stat(2) from a guest, %d calls, best of %d:\n", N, ROUNDS);
	for (size_t h = 0; h < sizeof(how) / sizeof(*how); h++) {
		for (int w = 0; w < 2; w++) {
			double best = -1;

			if (w && !how[h].emu)
				continue;
			for (int r = 0; r < ROUNDS; r++) {
				double t = measure(how[h].emu ? emu : NULL, how[h].opt, self,
						   w ? "1" : "0");

				if (t < 0) {
					fprintf(stderr, "seccomp bench: a run failed\n");
					return 1;
				}
				best = best < 0 || t < best ? t : best;
			}
			printf("  %-26s %-30s %7.0f ns\n", how[h].name, path[w], best * 1e9);
		}
	}
	return 0;
}
