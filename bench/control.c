// SPDX-License-Identifier: MIT
/*
 * The control socket's cost.  A guest under vmwcall-emu makes GETVERSION
 * hypercalls (no events) and info-get RPCs on a kept backdoor channel (one
 * rpc event each), timing itself, once with no control client and once
 * with a client streaming the events (a child process that drains them).
 * Prints the guest's costs both ways and the events the client received
 * per second.  Every wait is bounded: the emulator is killed past
 * RUN_LIMIT seconds, the client gives up past its own deadline.
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

#define N_HC 2000
#define N_RPC 500
#define ROUNDS 10
#define RUN_LIMIT 15.0		/* seconds for one emulator run */
#define ROUNDS_LIMIT 20.0	/* no new round after this: the bench ends within a minute */
#define GO_LIMIT 10.0		/* seconds the guest waits for guestinfo.go */

/* The guest: wait for guestinfo.go, then time both loops; "s/hypercall s/rpc". */
static int guest(void)
{
	struct vmw_chan *c;
	vmw_u32 b, cx;
	char *v = NULL;
	size_t len;
	double t0 = now(), t1, t2;

	if (vmw_chan_open_via(&c, VMW_PROTO_RPCI, VMW_VIA_BACKDOOR))
		return 1;
	while (vmw_info_get(c, "go", &v, &len)) {
		free(v);
		v = NULL;
		if (now() - t0 > GO_LIMIT)
			return 1;
		usleep(5000);
	}
	free(v);
	vmware_hypercall_set_mode(VMW_TRANSPORT_IO);
	t0 = now();
	for (int i = 0; i < N_HC; i++)
		if (vmware_hypercall3(VMW_CMD_GETVERSION, ~VMW_MAGIC, &b, &cx) != 6)
			return 1;
	t1 = now();
	for (int i = 0; i < N_RPC; i++) {
		if (vmw_info_get(c, "x", &v, &len))
			return 1;
		free(v);
	}
	t2 = now();
	vmw_chan_close(c);
	printf("%.9f %.9f\n", (t1 - t0) / N_HC, (t2 - t1) / N_RPC);
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

/* Read into buf until a newline, EOF or the deadline; bytes read, or -1. */
static ssize_t read_some(int fd, char *buf, size_t cap, double end)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int ms = (int)((end - now()) * 1000);

	if (ms <= 0 || poll(&p, 1, ms) <= 0)
		return -1;
	return read(fd, buf, cap);
}

/*
 * The client: subscribe, say so on ready, count rpc events until the
 * emulator closes the socket; "events dropped seconds" on out.
 */
static void drain(const char *path, int ready, int out)
{
	static char buf[1 << 16];
	double end = now() + RUN_LIMIT, first = 0, last = 0;
	long events = 0, dropped = 0;
	int fd = connect_to(path, 5), subscribed = 0;
	const char *req = "{\"op\":\"events\"}\n";
	ssize_t n;

	if (fd < 0 || write(fd, req, strlen(req)) != (ssize_t)strlen(req))
		_exit(1);
	/* A line may straddle reads: count whole patterns, carry the tail. */
	size_t keep = 0;

	while ((n = read_some(fd, buf + keep, sizeof(buf) - keep - 1, end)) > 0) {
		char *p = buf, *nl;

		n += (ssize_t)keep;
		buf[n] = '\0';
		while ((nl = memchr(p, '\n', (size_t)(buf + n - p)))) {
			*nl = '\0';
			if (!subscribed) {
				subscribed = 1;
				if (write(ready, "r", 1) != 1)
					_exit(1);
			} else if (strstr(p, "\"event\":\"rpc\"")) {
				last = now();
				if (!events++)
					first = last;
			} else if (!strncmp(p, "{\"event\":\"dropped\"", 18)) {
				dropped += strtol(strstr(p, "\"count\":") + 8, NULL, 10);
			}
			p = nl + 1;
		}
		keep = (size_t)(buf + n - p);
		memmove(buf, p, keep);
	}
	dprintf(out, "%ld %ld %.6f\n", events, dropped, last - first);
	_exit(0);
}

struct result {
	double hc, rpc;			/* guest: seconds per hypercall, per RPC */
	long events, dropped;		/* client */
	double span;
};

static int read_line(int fd, char *buf, size_t cap, double end)
{
	ssize_t n = read_some(fd, buf, cap - 1, end);

	buf[n > 0 ? n : 0] = '\0';
	return n > 0 ? 0 : -1;
}

/* One emulator run, with a streaming client or without. */
static int once(char *emu, char *self, const char *dir, int client, struct result *r)
{
	char sock[PATH_MAX], line[256];
	/* With a client, no go preset: the bench sets it once the client is subscribed. */
	char *argv[] = { emu, "--no-vsock", "--set", "guestinfo.x=hello",
			 client ? "--control" : "--set", client ? sock : "guestinfo.go=1",
			 "--", self, "--guest", NULL };
	int g[2], rd[2], res[2], rc, fd = -1;
	double end = now() + RUN_LIMIT;
	pid_t pid, child = -1;

	snprintf(sock, sizeof(sock), "%s/s", dir);
	if (pipe(g) || pipe(rd) || pipe(res))
		return -1;
	pid = spawn(argv, g[1]);
	close(g[1]);
	if (client) {
		child = fork();
		if (child == 0)
			drain(sock, rd[1], res[1]);
		/* Subscribed: now the guest may go. */
		const char *go = "{\"op\":\"info.set\",\"key\":\"go\",\"value\":\"1\"}\n";

		if (read_some(rd[0], line, 1, now() + 5) != 1 || (fd = connect_to(sock, 5)) < 0 ||
		    write(fd, go, strlen(go)) != (ssize_t)strlen(go) ||
		    read_some(fd, line, sizeof(line), now() + 5) <= 0)
			kill(pid, SIGKILL);
	}
	rc = read_line(g[0], line, sizeof(line), end) ||
	     sscanf(line, "%lf %lf", &r->hc, &r->rpc) != 2 ? -1 : 0;
	if (reap(pid, end - now()))
		rc = -1;
	if (client) {
		char out[128];

		if (fd >= 0)
			close(fd);
		if (read_line(res[0], out, sizeof(out), now() + 2) ||
		    sscanf(out, "%ld %ld %lf", &r->events, &r->dropped, &r->span) != 3)
			rc = -1;
		if (reap(child, 2))
			rc = -1;
	}
	close(g[0]), close(rd[0]), close(rd[1]), close(res[0]), close(res[1]);
	return rc;
}

int main(int argc, char **argv)
{
	char self[PATH_MAX], emu[PATH_MAX + 16], dir[] = "/tmp/vmwcall-bench.XXXXXX";
	struct result off = { 1, 1, 0, 0, 0 }, on = { 1, 1, 0, 0, 0 }, x;
	double rate = 0, start;
	int r, good = 0;

	if (argc == 2 && !strcmp(argv[1], "--guest"))
		return guest();
	if (built(self, emu, sizeof(emu), "vmwcall-emu") || !mkdtemp(dir))
		return 1;
	signal(SIGPIPE, SIG_IGN);
	start = now();
	for (r = 0; r < ROUNDS && now() - start < ROUNDS_LIMIT; r++) {
		/* A run past its limit (a loaded machine) loses its round. */
		if (once(emu, self, dir, 0, &x)) {
			fprintf(stderr, "control bench: a run without a client failed\n");
			continue;
		}
		off.hc = x.hc < off.hc ? x.hc : off.hc;
		off.rpc = x.rpc < off.rpc ? x.rpc : off.rpc;
		if (once(emu, self, dir, 1, &x)) {
			fprintf(stderr, "control bench: a run with a client failed\n");
			continue;
		}
		good++;
		on.hc = x.hc < on.hc ? x.hc : on.hc;
		on.rpc = x.rpc < on.rpc ? x.rpc : on.rpc;
		if (x.span > 0 && x.events / x.span > rate) {
			rate = x.events / x.span;
			on.events = x.events, on.dropped = x.dropped;
		}
	}
	rmdir(dir);
	if (!good) {
		fprintf(stderr, "control bench: no round completed\n");
		return 1;
	}
	printf("control socket, vmwcall-emu (ptrace), %d calls and %d RPCs, best of %d rounds:\n",
	       N_HC, N_RPC, good);
	printf("  GETVERSION (no event)       %7.0f ns without a client, %7.0f ns with one  %+.1f%%\n",
	       off.hc * 1e9, on.hc * 1e9, (on.hc / off.hc - 1) * 100);
	printf("  info-get RPC (one event)    %7.0f ns without a client, %7.0f ns with one  %+.1f%%\n",
	       off.rpc * 1e9, on.rpc * 1e9, (on.rpc / off.rpc - 1) * 100);
	printf("  events streamed to the client: %.0f/s (%ld rpc events, %ld dropped)\n", rate,
	       on.events, on.dropped);
	return 0;
}
