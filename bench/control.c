// SPDX-License-Identifier: MIT
/*
 * The control socket's cost.  A guest under vmwcall-emu --control makes
 * GETVERSION hypercalls (no events) and info-get RPCs on a kept backdoor
 * channel (one rpc event each), timing itself, in phases: in some a client
 * streams the events (a child process that drains them), in the others
 * none is connected.  Phases alternate within one run, so that the
 * machine's other load hits both alike; a phase's figure is its median
 * block, a pair of phases (one of each) gives a ratio, and the median
 * ratio, with the spread of the pairs, is the result.  Prints the guest's
 * costs both ways and the events the client received per second.  Every
 * wait is bounded: the emulator is killed past RUN_LIMIT seconds.
 * VMWCALL_BENCH_PAIRS sets the number of pairs.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "vmwcall/hypercall.h"
#include "vmwcall/proto.h"
#include "vmwcall/rpc.h"
#include "bench.h"

#define PAIRS 20
#define MAX_PAIRS 100
#define N_HC 1000		/* a phase's GETVERSION calls */
#define N_RPC 200		/* a phase's info-get RPCs */
#define BLOCKS 10		/* timed separately */
#define RUN_LIMIT 120.0		/* seconds for the run */
#define STEP_LIMIT 10.0		/* seconds for one step of the handshake */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* Sorts v; its median. */
static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Whether phase p has a client: off-on, on-off, ... so neither always goes first. */
static int client_in(int p)
{
	return (p % 2) ^ (p / 2 % 2);
}

/* Until guestinfo.key reads want; 0, or -1 past the limit. */
static int wait_info(struct vmw_chan *c, const char *key, const char *want)
{
	double end = now() + STEP_LIMIT;
	char *v = NULL;
	size_t len;

	for (;;) {
		int same = !vmw_info_get(c, key, &v, &len) && !strcmp(v, want);

		free(v);
		v = NULL;
		if (same)
			return 0;
		if (now() > end)
			return -1;
		usleep(1000);
	}
}

/*
 * The guest: for each phase, say that it is ready, wait for the host to
 * set the client up, then time both loops in blocks; the median block
 * stands for the phase, so that a block the machine's other work preempted
 * does not.  One line a phase: "phase s/hypercall s/rpc".
 */
static int guest(int phases)
{
	struct vmw_chan *c;
	vmw_u32 b, cx;
	char *v = NULL, num[16];
	size_t len;
	double t0, hc[BLOCKS], rpc[BLOCKS];

	if (vmw_chan_open_via(&c, VMW_PROTO_RPCI, VMW_VIA_BACKDOOR) || wait_info(c, "go", "1"))
		return 1;
	vmware_hypercall_set_mode(VMW_TRANSPORT_IO);
	for (int p = 0; p < phases; p++) {
		/* Ready, on stdout: a wait on the control socket would cost the phase. */
		snprintf(num, sizeof(num), "%d", p);
		printf("ready %d\n", p);
		fflush(stdout);
		if (wait_info(c, "ack", num))
			return 1;
		for (int k = 0; k < BLOCKS; k++) {
			t0 = now();
			for (int i = 0; i < N_HC / BLOCKS; i++)
				if (vmware_hypercall3(VMW_CMD_GETVERSION, ~VMW_MAGIC, &b, &cx) != 6)
					return 1;
			hc[k] = (now() - t0) / (N_HC / BLOCKS);
		}
		for (int k = 0; k < BLOCKS; k++) {
			t0 = now();
			for (int i = 0; i < N_RPC / BLOCKS; i++) {
				if (vmw_info_get(c, "x", &v, &len))
					return 1;
				free(v);
			}
			rpc[k] = (now() - t0) / (N_RPC / BLOCKS);
		}
		printf("%d %.9f %.9f\n", p, median(hc, BLOCKS), median(rpc, BLOCKS));
	}
	vmw_chan_close(c);
	return 0;
}

static pid_t spawn(char *const argv[], int out)
{
	pid_t pid = fork();

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(out, 1);
		dup2(null, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	return pid;
}

/* Its exit status, or -1 after killing it at the deadline. */
static int reap(pid_t pid, double limit)
{
	double end = now() + limit;
	int st;

	while (waitpid(pid, &st, WNOHANG) == 0) {
		if (now() > end) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			return -1;
		}
		usleep(2000);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int connect_to(const char *path, double limit)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	double end = now() + limit;
	int fd;

	snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
	do {
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0)
			return fd;
		if (fd >= 0)
			close(fd);
		usleep(5000);
	} while (now() < end);
	return -1;
}

/* Read one line (up to cap - 1 bytes) by bytes, until the deadline: 0 or -1. */
static int read_line(int fd, char *buf, size_t cap, double end)
{
	size_t n = 0;

	while (n + 1 < cap) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int ms = (int)((end - now()) * 1000);

		if (ms <= 0 || poll(&p, 1, ms) <= 0 || read(fd, buf + n, 1) != 1)
			return -1;
		if (buf[n++] == '\n')
			break;
	}
	buf[n] = '\0';
	return 0;
}

/* One request on the control connection; 0 if its answer is ok. */
static int ask(int fd, const char *req)
{
	char line[512];

	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req) ||
	    read_line(fd, line, sizeof(line), now() + STEP_LIMIT))
		return -1;
	return strstr(line, "\"ok\":true") ? 0 : -1;
}

/*
 * The client: subscribe, say so on ready, count rpc events until told to
 * stop (stop readable); "events dropped seconds" on out.
 */
static _Noreturn void drain(const char *path, int ready, int stop, int out)
{
	static char buf[1 << 16];
	double end = now() + RUN_LIMIT, first = 0, last = 0;
	long events = 0, dropped = 0;
	int fd = connect_to(path, 5), subscribed = 0;
	const char *req = "{\"op\":\"events\"}\n";
	size_t keep = 0;
	ssize_t n;

	if (fd < 0 || write(fd, req, strlen(req)) != (ssize_t)strlen(req))
		_exit(1);
	for (;;) {
		struct pollfd p[2] = { { fd, POLLIN, 0 }, { stop, POLLIN, 0 } };
		char *q = buf, *nl;

		if (poll(p, 2, 1000) < 0 || now() > end || p[1].revents)
			break;
		if (!p[0].revents)
			continue;
		/* A line may straddle reads: count whole lines, carry the tail. */
		n = read(fd, buf + keep, sizeof(buf) - keep - 1);
		if (n <= 0)
			break;
		n += (ssize_t)keep;
		buf[n] = '\0';
		while ((nl = memchr(q, '\n', (size_t)(buf + n - q)))) {
			*nl = '\0';
			if (!subscribed) {
				subscribed = 1;
				if (write(ready, "r", 1) != 1)
					_exit(1);
			} else if (strstr(q, "\"event\":\"rpc\"")) {
				last = now();
				if (!events++)
					first = last;
			} else if (!strncmp(q, "{\"event\":\"dropped\"", 18)) {
				dropped += strtol(strstr(q, "\"count\":") + 8, NULL, 10);
			}
			q = nl + 1;
		}
		keep = (size_t)(buf + n - q);
		memmove(buf, q, keep);
	}
	dprintf(out, "%ld %ld %.6f\n", events, dropped, last - first);
	_exit(0);
}

struct client {
	pid_t pid;
	int stop, res;		/* pipes to and from it */
};

static int client_start(struct client *k, const char *sock)
{
	int rd[2], st[2], res[2];
	char c;

	if (pipe(rd) || pipe(st) || pipe(res))
		return -1;
	k->pid = fork();
	if (k->pid == 0)
		drain(sock, rd[1], st[0], res[1]);
	close(rd[1]), close(st[0]), close(res[1]);
	k->stop = st[1], k->res = res[0];
	struct pollfd p = { .fd = rd[0], .events = POLLIN };
	int ok = poll(&p, 1, (int)(STEP_LIMIT * 1000)) == 1 && read(rd[0], &c, 1) == 1;

	close(rd[0]);
	return k->pid > 0 && ok ? 0 : -1;
}

/* Stop it; its counts added to the totals. */
static int client_stop(struct client *k, long *events, long *dropped, double *span)
{
	char out[128];
	long e, d;
	double s;
	int rc;

	rc = write(k->stop, "s", 1) != 1 || read_line(k->res, out, sizeof(out), now() + 5) ||
	     sscanf(out, "%ld %ld %lf", &e, &d, &s) != 3 ? -1 : 0;
	if (!rc)
		*events += e, *dropped += d, *span += s;
	if (reap(k->pid, 2))
		rc = -1;
	close(k->stop), close(k->res);
	k->pid = 0;
	return rc;
}

/*
 * The host's side of the phases, the guest's lines on out; 0 if every step
 * went through.  Its figures are kept in hc and rpc, [client][pair].
 */
static int drive(int ctl, int out, const char *sock, int phases, double hc[2][MAX_PAIRS],
		 double rpc[2][MAX_PAIRS], long *events, long *dropped, double *span)
{
	struct client k = { 0 };
	char req[256], line[256];
	double x, y;
	int q;

	if (ask(ctl, "{\"op\":\"info.set\",\"key\":\"go\",\"value\":\"1\"}\n"))
		return -1;
	for (int p = 0; p < phases; p++) {
		/* Phase p - 1's figures, then ready for p. */
		while (!read_line(out, line, sizeof(line), now() + STEP_LIMIT * 3) &&
		       sscanf(line, "%d %lf %lf", &q, &x, &y) == 3 && q >= 0 && q < p) {
			hc[client_in(q)][q / 2] = x;
			rpc[client_in(q)][q / 2] = y;
		}
		if (sscanf(line, "ready %d", &q) != 1 || q != p)
			return -1;
		if (client_in(p) && !k.pid && client_start(&k, sock))
			return -1;
		if (!client_in(p) && k.pid && client_stop(&k, events, dropped, span))
			return -1;
		snprintf(req, sizeof(req), "{\"op\":\"info.set\",\"key\":\"ack\",\"value\":\"%d\"}\n", p);
		if (ask(ctl, req))
			return -1;
	}
	if (read_line(out, line, sizeof(line), now() + STEP_LIMIT * 3) ||
	    sscanf(line, "%d %lf %lf", &q, &x, &y) != 3 || q != phases - 1)
		return -1;
	hc[client_in(q)][q / 2] = x;
	rpc[client_in(q)][q / 2] = y;
	return k.pid ? client_stop(&k, events, dropped, span) : 0;
}

/* One row: medians without and with a client, the median ratio and its spread. */
static void row(const char *what, double *off, double *on, int n)
{
	double ratio[MAX_PAIRS], mo, mn, mr;

	for (int i = 0; i < n; i++)
		ratio[i] = on[i] / off[i];
	mr = median(ratio, n);
	mo = median(off, n);
	mn = median(on, n);
	printf("  %-26s %7.0f ns without a client, %7.0f ns with one  %+5.1f%%\n"
	       "  %-26s pairs %+.1f%% .. %+.1f%%, middle half %+.1f%% .. %+.1f%%\n",
	       what, mo * 1e9, mn * 1e9, (mr - 1) * 100, "", (ratio[0] - 1) * 100,
	       (ratio[n - 1] - 1) * 100, (ratio[n / 4] - 1) * 100,
	       (ratio[(3 * n - 1) / 4] - 1) * 100);
}

int main(int argc, char **argv)
{
	char self[PATH_MAX], emu[PATH_MAX + 16], dir[] = "/tmp/vmwcall-bench.XXXXXX";
	char sock[PATH_MAX], num[16];
	double hc[2][MAX_PAIRS], rpc[2][MAX_PAIRS], span = 0;
	long events = 0, dropped = 0;
	const char *env = getenv("VMWCALL_BENCH_PAIRS");
	int pairs = env ? atoi(env) : PAIRS, g[2], ctl, rc;
	pid_t pid;

	if (argc == 3 && !strcmp(argv[1], "--guest"))
		return guest(atoi(argv[2]));
	if (pairs < 1 || pairs > MAX_PAIRS)
		pairs = PAIRS;
	if (built(self, emu, sizeof(emu), "vmwcall-emu") || !mkdtemp(dir) || pipe(g))
		return 1;
	signal(SIGPIPE, SIG_IGN);
	snprintf(sock, sizeof(sock), "%s/s", dir);
	snprintf(num, sizeof(num), "%d", 2 * pairs);
	char *args[] = { emu, "--no-vsock", "--set", "guestinfo.x=hello", "--control", sock,
			 "--", self, "--guest", num, NULL };
	pid = spawn(args, g[1]);
	close(g[1]);
	ctl = connect_to(sock, 5);
	rc = ctl < 0 || drive(ctl, g[0], sock, 2 * pairs, hc, rpc, &events, &dropped, &span);
	if (rc)
		kill(pid, SIGKILL);
	if (reap(pid, RUN_LIMIT))
		rc = 1;
	if (ctl >= 0)
		close(ctl);
	rmdir(dir);
	if (rc) {
		fprintf(stderr, "control bench: the run failed\n");
		return 1;
	}
	printf("control socket, vmwcall-emu (ptrace), %d pairs of phases (%d calls and %d RPCs "
	       "each), medians:\n", pairs, N_HC, N_RPC);
	row("GETVERSION (no event)", hc[0], hc[1], pairs);
	row("info-get RPC (one event)", rpc[0], rpc[1], pairs);
	printf("  events streamed to the client: %.0f/s (%ld rpc events, %ld dropped)\n",
	       span > 0 ? events / span : 0, events, dropped);
	return 0;
}
