// SPDX-License-Identifier: MIT
/*
 * Load under one vmwcall-emu: 4 processes x 8 threads, each thread on its
 * own kept channel doing 1,000 RPCs (info-set, then info-get of the same
 * key, compared byte for byte), with the host checkpointing every 5th
 * message step ($VMWCALL_LOAD_CPT) so the client's restarts run all the time.  Every RPC's
 * result is counted; none may fail.  The restarts are the emulator's
 * checkpoint count.  This program re-runs itself under $O/vmwcall-emu:
 * "--procs P" forks the workers, "--worker" runs the threads.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmwcall/detect.h"
#include "vmwcall/proto.h"
#include "vmwcall/rpc.h"
#include "tap.h"
#include "trapping.h"

#define PROCS 4
#define THREADS 8

static int rpcs = 1000;

struct count {
	int id;
	unsigned long ok, failed, wrong;
};

static void *thread(void *arg)
{
	struct count *n = arg;
	struct vmw_chan *c;
	char key[64], val[2100], *got;
	size_t len, glen;

	snprintf(key, sizeof(key), "load.%d.%d", (int)getpid(), n->id);
	/* The message channel: checkpoints exist only there. */
	if (vmw_chan_open_via(&c, VMW_PROTO_RPCI, VMW_VIA_BACKDOOR)) {
		n->failed += (unsigned long)rpcs;
		return NULL;
	}
	for (int i = 0; i < rpcs / 2; i++) {
		len = (size_t)(i * 37 % 2048);
		for (size_t j = 0; j < len; j++)
			val[j] = (char)((j + i) % 255 + 1);	/* no NUL */
		if (vmw_info_set(c, key, val, len)) {
			n->failed++;
		} else {
			n->ok++;
		}
		if (vmw_info_get(c, key, &got, &glen)) {
			n->failed++;
		} else if (glen != len || memcmp(got, val, len)) {
			n->wrong++;
		} else {
			n->ok++;
		}
		free(got);
	}
	if (vmw_chan_close(c))
		n->failed++;
	return NULL;
}

/* One process: THREADS threads; the totals on stdout. */
static int worker(void)
{
	struct count n[THREADS] = { { 0 } };
	pthread_t t[THREADS];
	struct count sum = { 0 };

	if (vmw_detect(&(struct vmw_info){ 0 }, sizeof(struct vmw_info), VMW_DETECT_PROBE) != 1)
		return 2;
	for (int i = 0; i < THREADS; i++) {
		n[i].id = i;
		if (pthread_create(&t[i], NULL, thread, &n[i]))
			return 2;
	}
	for (int i = 0; i < THREADS; i++) {
		pthread_join(t[i], NULL);
		sum.ok += n[i].ok, sum.failed += n[i].failed, sum.wrong += n[i].wrong;
	}
	printf("%lu %lu %lu\n", sum.ok, sum.failed, sum.wrong);
	return 0;
}

/* P workers, forked, all under the one emulator; their lines go to our stdout. */
static int procs(int p, const char *self)
{
	int bad = 0;

	for (int i = 0; i < p; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			execl(self, self, "--worker", (char *)NULL);
			_exit(127);
		}
		if (pid < 0)
			return 2;
	}
	for (int i = 0; i < p; i++) {
		int st;

		if (wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
			bad = 1;
	}
	return bad;
}

static unsigned long json_field(const char *path, const char *name)
{
	char buf[1024], pat[64], *p;
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	snprintf(pat, sizeof(pat), "\"%s\": ", name);
	p = strstr(buf, pat);
	return p ? strtoul(p + strlen(pat), NULL, 10) : (unsigned long)-1;
}

int main(int argc, char **argv)
{
	char self[PATH_MAX], emu[PATH_MAX + 16], json[PATH_MAX + 32], cmd[3 * PATH_MAX + 256];
	const char *o = getenv("O"), *n = getenv("VMWCALL_LOAD_RPCS");
	const char *every = getenv("VMWCALL_LOAD_CPT");
	struct count sum = { 0 };
	unsigned long a, b, c, cpts, lines = 0;
	ssize_t len;
	FILE *f;

	if (n)
		rpcs = atoi(n) > 1 ? atoi(n) : 2;
	if (argc == 2 && !strcmp(argv[1], "--worker"))
		return worker();
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (argc == 3 && !strcmp(argv[1], "--procs") && len > 0) {
		self[len] = '\0';
		return procs(atoi(argv[2]), self);
	}
	need_trapping();
	if (!o || len <= 0) {
		puts("1..0 # SKIP O (the build directory) is not set");
		return 0;
	}
	self[len] = '\0';
	snprintf(emu, sizeof(emu), "%s/vmwcall-emu", o);
	snprintf(json, sizeof(json), "%s/tests/t_load.json", o);
	/* make soak varies the interval. */
	snprintf(cmd, sizeof(cmd), "'%s' --checkpoint-every %d --stats-json '%s' -- '%s' --procs %d",
		 emu, every && atoi(every) > 0 ? atoi(every) : 5, json, self, PROCS);
	if (access(emu, X_OK)) {
		puts("1..0 # SKIP no vmwcall-emu");
		return 0;
	}
	plan(4);
	/* LeakSanitizer cannot run under ptrace (SAN=1 builds): the guests go without. */
	{
		const char *as = getenv("ASAN_OPTIONS");
		char opts[512];

		snprintf(opts, sizeof(opts), "%s%sdetect_leaks=0", as ? as : "", as ? ":" : "");
		setenv("ASAN_OPTIONS", opts, 1);
	}
	f = popen(cmd, "r");
	while (f && fscanf(f, "%lu %lu %lu", &a, &b, &c) == 3) {
		sum.ok += a, sum.failed += b, sum.wrong += c;
		lines++;
	}
	ok(f && pclose(f) == 0 && lines == PROCS, "%d processes x %d threads ran under one vmwcall-emu",
	   PROCS, THREADS);
	cpts = json_field(json, "checkpoints");
	printf("# %lu RPCs: %lu ok, %lu failed, %lu wrong answers; %lu restarted after a checkpoint"
	       " (%lu hypercalls)\n", sum.ok + sum.failed + sum.wrong, sum.ok, sum.failed, sum.wrong,
	       cpts, json_field(json, "hypercalls"));
	ok(sum.ok == (unsigned long)PROCS * THREADS * (unsigned long)(rpcs / 2 * 2),
	   "every one of %d x %d x %d RPCs succeeded (%lu)", PROCS, THREADS, rpcs / 2 * 2, sum.ok);
	ok(sum.failed == 0 && sum.wrong == 0, "0 unexpected errors, 0 wrong values");
	ok(cpts > 1000 && cpts != (unsigned long)-1, "the client restarted %lu messages after checkpoints",
	   cpts);
	unlink(json);
	return done_testing();
}
