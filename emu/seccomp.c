// SPDX-License-Identifier: MIT
/*
 * The supervisor: one BPF filter returning USER_NOTIF for the calls some
 * service took, one listener shared by every guest process (filters and
 * their listener are inherited across fork), one thread answering.  The
 * thread also polls the services' own descriptors, so a service needs no
 * thread of its own.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "seccomp.h"

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS	/* Linux 6.6 uapi */
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS SECCOMP_IOW(4, __u64)
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP 1
#endif

#define MAX_WATCH 256
#define X32 0x40000000u

/* x86-64 numbers, whatever the emulator itself is built for. */
static const unsigned int nr[EMU_SC_NCALLS] = {
	[EMU_SC_SOCKET] = 41, [EMU_SC_CONNECT] = 42, [EMU_SC_BIND] = 49,
	[EMU_SC_GETSOCKNAME] = 51, [EMU_SC_GETPEERNAME] = 52, [EMU_SC_SETSOCKOPT] = 54,
	[EMU_SC_ACCESS] = 21, [EMU_SC_FACCESSAT] = 269, [EMU_SC_FACCESSAT2] = 439,
	[EMU_SC_OPEN] = 2, [EMU_SC_OPENAT] = 257, [EMU_SC_OPENAT2] = 437, [EMU_SC_STAT] = 4,
	[EMU_SC_LSTAT] = 6, [EMU_SC_NEWFSTATAT] = 262, [EMU_SC_STATX] = 332,
};

/* Calls taken only for one argument value: AF_VSOCK's domain or level. */
#define AF_VSOCK_NR 40
static const int only_arg[EMU_SC_NCALLS] = {
	[EMU_SC_SOCKET] = 1, [EMU_SC_SETSOCKOPT] = 2,	/* 1 + argument index */
};

struct watch {
	int fd;
	short events;
	emu_sc_watch_fn *fn;
	void *ctx;
};

struct emu_sc {
	struct {
		emu_sc_handler *fn;
		void *ctx;
	} take[EMU_SC_NCALLS][EMU_SC_MAX_TAKERS];
	int sock[2];		/* the child sends its listener over this */
	int listener, wake[2];
	pthread_t thread;
	int running;
	struct watch w[MAX_WATCH];
	size_t nw;
};

struct emu_sc *emu_sc_new(void)
{
	struct emu_sc *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->listener = s->wake[0] = s->wake[1] = -1;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, s->sock)) {
		free(s);
		return NULL;
	}
	return s;
}

int emu_sc_handle(struct emu_sc *s, enum emu_sc_call c, emu_sc_handler *fn, void *ctx)
{
	for (int i = 0; i < EMU_SC_MAX_TAKERS; i++) {
		if (!s->take[c][i].fn) {
			s->take[c][i].fn = fn;
			s->take[c][i].ctx = ctx;
			return 0;
		}
	}
	return -1;
}

#define STMT(code, k) ((struct sock_filter)BPF_STMT((code), (k)))
#define JUMP(code, k, t, f) ((struct sock_filter)BPF_JUMP((code), (k), (t), (f)))

/* arch; nr; per taken call a block "nr == N ? (argument test) NOTIF : next". */
static size_t build(const struct emu_sc *s, struct sock_filter *f)
{
	size_t n = 0;

	f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	for (int c = 0; c < EMU_SC_NCALLS; c++) {
		if (!s->take[c][0].fn)
			continue;
		/* Reload nr: an argument test left something else behind. */
		f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
		if (only_arg[c]) {
			f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr[c], 0, 3);
			f[n++] = STMT(BPF_LD | BPF_W | BPF_ABS,
				      offsetof(struct seccomp_data, args[only_arg[c] - 1]));
			f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, AF_VSOCK_NR, 0, 1);
		} else {
			f[n++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, nr[c], 0, 1);
		}
		f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
	}
	f[n++] = STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	return n;
}

int emu_sc_child(struct emu_sc *s)
{
	struct sock_filter f[3 + 5 * EMU_SC_NCALLS + 1];
	struct sock_fprog prog = { (unsigned short)build(s, f), f };
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { "L", 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
	int fd;

	close(s->sock[0]);
	/*
	 * Without CAP_SYS_ADMIN a filter needs no_new_privs, as ptrace's own
	 * does.  On failure the socket closes at exec: the emulator hears EOF.
	 */
	if (!prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER,
			  &prog);
	if (fd < 0)
		return -1;
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(s->sock[1], &mh, 0) != 1)
		return -1;
	close(fd);
	close(s->sock[1]);
	return 0;
}

static int recv_listener(struct emu_sc *s)
{
	char cbuf[CMSG_SPACE(sizeof(int))], c;
	struct iovec iov = { &c, 1 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm;
	struct pollfd p = { s->sock[0], POLLIN, 0 };

	close(s->sock[1]);
	s->sock[1] = -1;
	/* The child sends at once or has died; it never waits on us. */
	errno = 0;
	if (poll(&p, 1, 5000) != 1 || recvmsg(s->sock[0], &mh, MSG_CMSG_CLOEXEC) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&mh);
	if (!cm || cm->cmsg_type != SCM_RIGHTS || cm->cmsg_len != CMSG_LEN(sizeof(int)))
		return -1;
	memcpy(&s->listener, CMSG_DATA(cm), sizeof(int));
	/*
	 * A guest waits for each answer: the kernel then runs the two sides on
	 * one CPU in turn instead of waking across CPUs.  Linux 6.6 and later;
	 * without it, only slower.
	 */
	ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP);
	return 0;
}

static void answer(struct emu_sc *s, const struct seccomp_notif *n)
{
	struct seccomp_notif_resp resp = { .id = n->id };
	struct emu_sc_req r = { .id = n->id, .pid = (pid_t)n->pid };
	int64_t val = -ENOSYS;
	int verdict = EMU_SC_CONTINUE, c;

	for (c = 0; c < EMU_SC_NCALLS; c++)
		if ((unsigned int)n->data.nr == nr[c] && s->take[c][0].fn)
			break;
	if (c < EMU_SC_NCALLS && n->data.arch == AUDIT_ARCH_X86_64) {
		r.call = (enum emu_sc_call)c;
		memcpy(r.args, n->data.args, sizeof(r.args));
		for (int i = 0; i < EMU_SC_MAX_TAKERS && s->take[c][i].fn &&
				verdict == EMU_SC_CONTINUE; i++)
			verdict = s->take[c][i].fn(s->take[c][i].ctx, &r, &val);
	}
	if (verdict == EMU_SC_DONE)
		return;
	if (verdict == EMU_SC_CONTINUE) {
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	} else if (val < 0) {
		resp.error = (int32_t)val;
	} else {
		resp.val = val;
	}
	/* ENOENT: the caller was interrupted meanwhile; nothing to do. */
	ioctl(s->listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

static void *loop(void *arg)
{
	struct emu_sc *s = arg;
	struct pollfd p[2 + MAX_WATCH];

	for (;;) {
		size_t n = 0, nw = s->nw;

		p[n++] = (struct pollfd){ s->wake[0], POLLIN, 0 };
		p[n++] = (struct pollfd){ s->listener, POLLIN, 0 };
		for (size_t i = 0; i < nw; i++)
			p[n++] = (struct pollfd){ s->w[i].fd, s->w[i].events, 0 };
		if (poll(p, n, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents)
			break;
		if (p[1].revents & POLLIN) {
			struct seccomp_notif notif;

			memset(&notif, 0, sizeof(notif));
			if (ioctl(s->listener, SECCOMP_IOCTL_NOTIF_RECV, &notif) == 0)
				answer(s, &notif);
		} else if (p[1].revents) {
			/* Every guest is gone: only the services' descriptors remain. */
			close(s->listener);
			s->listener = -1;
		}
		for (size_t i = 0; i < nw; i++) {
			/* A callback may unwatch: find the entry by descriptor again. */
			for (size_t j = 0; j < s->nw; j++) {
				if (p[2 + i].revents && s->w[j].fd == p[2 + i].fd) {
					s->w[j].fn(s->w[j].ctx, s->w[j].fd, p[2 + i].revents);
					break;
				}
			}
		}
	}
	return NULL;
}

int emu_sc_start(struct emu_sc *s)
{
	if (recv_listener(s) || pipe2(s->wake, O_CLOEXEC))
		return -1;
	if (pthread_create(&s->thread, NULL, loop, s))
		return -1;
	s->running = 1;
	return 0;
}

void emu_sc_free(struct emu_sc *s)
{
	if (!s)
		return;
	if (s->running && write(s->wake[1], "", 1) == 1)
		pthread_join(s->thread, NULL);
	for (int i = 0; i < 2; i++) {
		if (s->sock[i] >= 0)
			close(s->sock[i]);
		if (s->wake[i] >= 0)
			close(s->wake[i]);
	}
	if (s->listener >= 0)
		close(s->listener);
	free(s);
}

static int vm(pid_t pid, uint64_t addr, void *buf, size_t n, int wr)
{
	struct iovec l = { buf, n }, r = { (void *)(uintptr_t)addr, n };
	ssize_t got;

	if ((uint64_t)(uintptr_t)addr != addr)
		return -1;
	got = wr ? process_vm_writev(pid, &l, 1, &r, 1, 0) : process_vm_readv(pid, &l, 1, &r, 1, 0);
	return got == (ssize_t)n ? 0 : -1;
}

int emu_sc_read(const struct emu_sc_req *r, uint64_t addr, void *dst, size_t n)
{
	return vm(r->pid, addr, dst, n, 0);
}

int emu_sc_write(const struct emu_sc_req *r, uint64_t addr, const void *src, size_t n)
{
	return vm(r->pid, addr, (void *)src, n, 1);
}

long emu_sc_read_str(const struct emu_sc_req *r, uint64_t addr, char *buf, size_t size)
{
	size_t got = 0;

	while (got + 1 < size) {
		uint64_t a = addr + got;
		size_t n = 4096 - (size_t)(a % 4096), m = size - 1 - got;
		char *nul;

		if (a < addr)
			return -1;	/* wrapped */
		if (n > m)
			n = m;
		if (vm(r->pid, a, buf + got, n, 0))
			return -1;
		if ((nul = memchr(buf + got, '\0', n)))
			return (long)(nul - buf);
		got += n;
	}
	return -1;
}

int emu_sc_valid(struct emu_sc *s, const struct emu_sc_req *r)
{
	uint64_t id = r->id;

	return ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

int emu_sc_inject(struct emu_sc *s, const struct emu_sc_req *r, int fd, int cloexec)
{
	struct seccomp_notif_addfd a = {
		.id = r->id, .flags = SECCOMP_ADDFD_FLAG_SEND, .srcfd = (uint32_t)fd,
		.newfd_flags = cloexec ? O_CLOEXEC : 0,
	};
	int got = ioctl(s->listener, SECCOMP_IOCTL_NOTIF_ADDFD, &a);

	return got >= 0 ? got : -errno;
}

int emu_sc_watch(struct emu_sc *s, int fd, short events, emu_sc_watch_fn *fn, void *ctx)
{
	for (size_t i = 0; i < s->nw; i++) {
		if (s->w[i].fd != fd)
			continue;
		if (events) {
			s->w[i].events = events;
		} else {
			s->w[i] = s->w[--s->nw];
		}
		return 0;
	}
	if (!events)
		return 0;
	if (s->nw == MAX_WATCH)
		return -1;
	s->w[s->nw++] = (struct watch){ fd, events, fn, ctx };
	return 0;
}
