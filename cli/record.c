// SPDX-License-Identifier: MIT
/* vmwcall --record: requests and replies as --rpc-log's "rpc" events. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "record.h"

static int fd = -1;
static const char *name;
static int lost;

int rec_open(const char *path)
{
	fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return usage_error("--record %s: %s", path, strerror(errno));
	name = path;
	return 0;
}

static void lose(const char *why)
{
	if (!lost)
		fail("--record %s: write error: %s", name, why);
	lost = 1;
}

static void write_line(const char *p, size_t n)
{
	ssize_t w;

	do
		w = write(fd, p, n);
	while (w < 0 && errno == EINTR);
	/* A short write to a regular file means a full disk: lost all the same. */
	if (w != (ssize_t)n)
		lose(w < 0 ? strerror(errno) : "short write");
}

void rec_rpc(const void *req, size_t len, const char *reply, size_t rlen, const char *why)
{
	struct timespec ts;
	char *line = NULL;
	size_t n = 0;
	FILE *f;

	if (fd < 0)
		return;
	f = open_memstream(&line, &n);
	if (!f) {
		lose(strerror(errno));
		return;
	}
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(f, "{\"event\":\"rpc\",\"time\":%lld.%03ld,\"pid\":%ld,", (long long)ts.tv_sec,
		ts.tv_nsec / 1000000, (long)getpid());
	json_member(f, "request", req, len);
	fputc(',', f);
	if (reply)
		json_member(f, "reply", reply, rlen);
	else
		json_member(f, "error", why, strlen(why));
	fputs("}\n", f);
	if (fclose(f) == 0)
		write_line(line, n);
	else
		lose(strerror(ENOMEM));
	free(line);
}

int rec_rpci_call(struct vmw_chan *c, const void *req, size_t len, char **reply, size_t *rlen)
{
	char *r = NULL, *raw;
	size_t n = 0;
	int err;

	if (fd < 0)
		return vmw_rpci_call(c, req, len, reply, rlen);
	err = vmw_rpci_call(c, req, len, &r, &n);
	if (err && err != VMW_EHOST) {
		rec_rpc(req, len, NULL, 0, vmw_strerror(err));
	} else if ((raw = malloc(n + 2))) {
		raw[0] = err ? '0' : '1';
		raw[1] = ' ';
		memcpy(raw + 2, r, n);
		rec_rpc(req, len, raw, n + 2, NULL);
		free(raw);
	} else {
		rec_rpc(req, len, NULL, 0, vmw_strerror(VMW_ENOMEM));
	}
	if (reply)
		*reply = r;
	else
		free(r);
	if (rlen)
		*rlen = n;
	return err;
}

int rec_close(void)
{
	if (fd < 0)
		return 0;
	if (close(fd))
		lose(strerror(errno));
	fd = -1;
	return lost ? EXIT_FAIL : 0;
}
