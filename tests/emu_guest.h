/* SPDX-License-Identifier: MIT */
/*
 * For tests that re-run themselves as guests under $O/vmwcall-emu: the
 * backdoor from the guest's side (LB steps, HB transfers, a channel's
 * conversation) and running the emulator on a guest mode.
 */
#ifndef VMWCALL_TESTS_EMU_GUEST_H
#define VMWCALL_TESTS_EMU_GUEST_H

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "vmwcall/hypercall.h"
#include "vmwcall/proto.h"
#include "tap.h"
#include "trapping.h"

static char self[PATH_MAX], emu[PATH_MAX + 16];

struct r { unsigned int a, b, c, d, si, di; };

static __attribute__((unused)) struct r in_r(struct r r)
{
	__asm__ __volatile__("inl %%dx, %%eax"
			     : "+a"(r.a), "+b"(r.b), "+c"(r.c), "+d"(r.d), "+S"(r.si), "+D"(r.di)
			     :: "memory");
	return r;
}

static __attribute__((unused)) struct r in(unsigned int cmd, unsigned int bx, unsigned int port)
{
	return in_r((struct r){ VMW_MAGIC, bx, cmd, port, 0, 0 });
}

struct chan {
	unsigned int id, hi, lo;
};

static __attribute__((unused)) int chan_open(struct chan *c)
{
	struct r r = in(VMW_CMD_MESSAGE | VMW_MSG_OPEN << 16, VMW_PROTO_RPCI | VMW_MSG_FLAG_COOKIE,
			VMW_PORT);

	*c = (struct chan){ r.d >> 16, r.si, r.di };
	return r.c == VMW_MSG_SUCCESS << 16 ? 0 : -1;
}

/* One MESSAGE step on c; the status (ecx's high half), and *r. */
static __attribute__((unused)) unsigned int step(const struct chan *c, unsigned int sub, unsigned int bx, struct r *out)
{
	struct r r = in_r((struct r){ VMW_MAGIC, bx, VMW_CMD_MESSAGE | sub << 16,
				      c->id << 16 | VMW_PORT, c->hi, c->lo });

	if (out)
		*out = r;
	return r.c >> 16;
}

static __attribute__((unused)) int chan_send(const struct chan *c, const char *req)
{
	size_t len = strlen(req);

	if (!(step(c, VMW_MSG_SENDSIZE, (unsigned int)len, NULL) & VMW_MSG_SUCCESS))
		return -1;
	for (size_t i = 0; i < len; i += 4) {
		unsigned int w = 0;

		memcpy(&w, req + i, len - i < 4 ? len - i : 4);
		if (!(step(c, VMW_MSG_SENDPAYLOAD, w, NULL) & VMW_MSG_SUCCESS))
			return -1;
	}
	return 0;
}

/* The reply waiting on c, NUL-terminated in rep; its length or -1. */
static __attribute__((unused)) int chan_recv(const struct chan *c, char *rep, size_t cap)
{
	struct r r;
	unsigned int n;

	if (step(c, VMW_MSG_RECVSIZE, 0, &r) != (VMW_MSG_SUCCESS | VMW_MSG_DORECV | VMW_MSG_HB) ||
	    (n = r.b) >= cap)
		return -1;
	for (unsigned int i = 0; i < n; i += 4) {
		if (step(c, VMW_MSG_RECVPAYLOAD, VMW_MSG_SUCCESS, &r) != VMW_MSG_SUCCESS)
			return -1;
		memcpy(rep + i, &r.b, n - i < 4 ? n - i : 4);
	}
	rep[n] = '\0';
	return step(c, VMW_MSG_RECVSTATUS, VMW_MSG_SUCCESS, NULL) == VMW_MSG_SUCCESS ? (int)n : -1;
}

/* HB transfers on c over rep outsb/insb; the status (ebx's high half). */
static __attribute__((unused)) unsigned int hb_out(const struct chan *c, const void *buf,
						   size_t len)
{
	vmw_u32 bx = 0;

	vmware_hypercall_set_mode(VMW_TRANSPORT_IO);
	vmware_hypercall_hb_out(VMW_HB_CMD_MESSAGE | VMW_MSG_SUCCESS << 16, len, c->id << 16,
				(unsigned long)buf, c->lo, c->hi, &bx);
	return bx >> 16;
}

static __attribute__((unused)) unsigned int hb_in(const struct chan *c, void *buf, size_t len)
{
	vmw_u32 bx = 0;

	vmware_hypercall_set_mode(VMW_TRANSPORT_IO);
	vmware_hypercall_hb_in(VMW_HB_CMD_MESSAGE | VMW_MSG_SUCCESS << 16, len, c->id << 16,
			       c->hi, (unsigned long)buf, c->lo, &bx);
	return bx >> 16;
}

/*
 * Run vmwcall-emu [opt] -- self --guest mode; its status, output in out,
 * and with maxrss the emulator's peak RSS in KiB (its guests are its
 * children: wait4 folds theirs in as a maximum, not a sum).
 */
static __attribute__((unused)) int run_rss(const char *opt, const char *mode, char *out,
					   size_t outlen, long *maxrss)
{
	struct rusage ru;
	char *argv[8];
	int p[2], st, i = 0;
	ssize_t n = 0, k;
	pid_t pid;

	argv[i++] = emu;
	if (opt)
		argv[i++] = (char *)opt;
	argv[i++] = "--";
	argv[i++] = self;
	argv[i++] = "--guest";
	argv[i++] = (char *)mode;
	argv[i] = NULL;
	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		execv(emu, argv);
		_exit(126);
	}
	close(p[1]);
	while (out && (size_t)n < outlen - 1 && (k = read(p[0], out + n, outlen - 1 - n)) > 0)
		n += k;
	if (out)
		out[n] = '\0';
	close(p[0]);
	if (wait4(pid, &st, 0, &ru) != pid)
		return -1;
	if (maxrss)
		*maxrss = ru.ru_maxrss;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1000 + WTERMSIG(st);
}

static __attribute__((unused)) int run(const char *opt, const char *mode, char *out, size_t outlen)
{
	return run_rss(opt, mode, out, outlen, NULL);
}

/* Find ourselves and the emulator; 1 (after a TAP skip-all) if it is not built. */
static int find_emu(void)
{
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	need_trapping();
	if (n <= 0)
		exit(1);
	self[n] = '\0';
	if (getenv("O"))
		snprintf(emu, sizeof(emu), "%s/vmwcall-emu", getenv("O"));
	else
		snprintf(emu, sizeof(emu), "%.*s/../vmwcall-emu", (int)(strrchr(self, '/') - self), self);
	/* Sanitizer builds: LSan cannot run traced, and the faults are the guests' own. */
	setenv("ASAN_OPTIONS", "detect_leaks=0:handle_segv=0:handle_sigill=0", 1);
	setenv("UBSAN_OPTIONS", "handle_segv=0:handle_sigill=0", 1);
	if (access(emu, X_OK)) {
		printf("1..0 # SKIP %s not built\n", emu);
		return 1;
	}
	return 0;
}

#endif
