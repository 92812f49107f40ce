// SPDX-License-Identifier: MIT
/*
 * Sockets are told apart by inode: a guest may dup, pass or close its
 * descriptor, but the Unix socket behind it stays the one we made.  Each
 * connection is served without blocking on the supervisor's thread: bytes
 * are taken as they come (memory grows with what the guest really sent,
 * not with what its length word claims) and a reply the guest does not
 * read only stops that connection.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/vm_sockets.h>

#include "vmwcall/proto.h"
#include "datamap.h"
#include "vsock.h"

#define MAX_CONNS	128
#define GUEST_CID	3u		/* the emulated VM's own context id */
#define EPHEMERAL	49152u
#define MAX_FRAME	((16u << 20) + 256)	/* the largest request any host takes */
#define CAP_NET_BIND_SERVICE_BIT 10

struct conn {
	int fd;			/* our end; -1: free slot */
	ino_t ino;		/* the guest's end */
	int stream;
	uint32_t port;		/* bound or assigned source port; 0: none */
	int priv, connected;
	uint32_t owner;		/* the process that connected, for events */
	uint8_t *in;		/* request bytes so far */
	size_t in_len, in_cap;
	uint8_t *out;		/* reply bytes not yet written */
	size_t out_len, out_pos;
};

struct emu_vsock {
	struct emu_sc *sc;
	struct emu_host *h;
	pthread_mutex_t *lock;
	struct conn c[MAX_CONNS];
	uint32_t next_port;
};

static uint32_t chan_id(const struct emu_vsock *v, const struct conn *c)
{
	return EMU_VSOCK_CHAN + (uint32_t)(c - v->c);
}

/* A connection opened or closed, as the message channel reports its own. */
static void event(struct emu_vsock *v, struct conn *c, enum emu_event_type type)
{
	struct emu_event ev = { .type = type, .owner = c->owner, .chan = chan_id(v, c),
				.proto = VMW_PROTO_RPCI };

	pthread_mutex_lock(v->lock);
	emu_host_emit(v->h, &ev);
	pthread_mutex_unlock(v->lock);
}

static void conn_free(struct emu_vsock *v, struct conn *c)
{
	if (c->connected)
		event(v, c, EMU_EV_CLOSE);
	if (c->fd >= 0) {
		emu_sc_watch(v->sc, c->fd, 0, NULL, NULL);
		close(c->fd);
	}
	free(c->in);
	free(c->out);
	memset(c, 0, sizeof(*c));
	c->fd = -1;
}

/* The connection behind the caller's descriptor fd, or NULL if not ours. */
static struct conn *ours(struct emu_vsock *v, const struct emu_sc_req *r, uint64_t fd)
{
	char path[64];
	struct stat st;

	if (fd > INT32_MAX)
		return NULL;
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)r->pid, (int)fd);
	if (stat(path, &st) || !S_ISSOCK(st.st_mode))
		return NULL;
	for (size_t i = 0; i < MAX_CONNS; i++)
		if (v->c[i].fd >= 0 && v->c[i].ino == st.st_ino)
			return &v->c[i];
	return NULL;
}

/* May the calling process bind a port below 1024?  As vsock_bind() decides. */
static int may_bind_priv(pid_t pid)
{
	char path[64], line[256];
	unsigned long long eff = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return !!(eff & 1ull << CAP_NET_BIND_SERVICE_BIT);
}

static int port_taken(const struct emu_vsock *v, uint32_t port)
{
	for (size_t i = 0; i < MAX_CONNS; i++)
		if (v->c[i].fd >= 0 && v->c[i].port == port)
			return 1;
	return 0;
}

static uint32_t ephemeral(struct emu_vsock *v)
{
	for (uint32_t n = 0; n < 16384; n++) {
		uint32_t p = EPHEMERAL + (v->next_port++ % 16384);

		if (!port_taken(v, p))
			return p;
	}
	return 0;
}

static void serve(void *ctx, int fd, short revents);

static int on_socket(void *ctx, const struct emu_sc_req *r, int64_t *val)
{
	struct emu_vsock *v = ctx;
	int type = (int)(r->args[1] & 0xF), sv[2], got;
	struct conn *c = NULL;
	struct stat st;

	if (type != SOCK_STREAM && type != SOCK_DGRAM) {
		*val = -ESOCKTNOSUPPORT;
		return EMU_SC_ANSWER;
	}
	for (size_t i = 0; i < MAX_CONNS && !c; i++)
		if (v->c[i].fd < 0)
			c = &v->c[i];
	if (!c || socketpair(AF_UNIX, type | SOCK_CLOEXEC, 0, sv)) {
		*val = -ENOBUFS;
		return EMU_SC_ANSWER;
	}
	if ((r->args[1] & SOCK_NONBLOCK) && fcntl(sv[1], F_SETFL, O_NONBLOCK))
		goto fail;
	if (fstat(sv[1], &st) || fcntl(sv[0], F_SETFL, O_NONBLOCK))
		goto fail;
	*c = (struct conn){ .fd = sv[0], .ino = st.st_ino, .stream = type == SOCK_STREAM };
	got = emu_sc_inject(v->sc, r, sv[1], !!(r->args[1] & SOCK_CLOEXEC));
	close(sv[1]);
	if (got < 0) {
		conn_free(v, c);
		return EMU_SC_DONE;	/* the caller is gone or was answered */
	}
	/* Datagram sockets only serve open-vm-tools' address-family probe. */
	if (c->stream && emu_sc_watch(v->sc, c->fd, POLLIN, serve, v))
		conn_free(v, c);
	return EMU_SC_DONE;
fail:
	close(sv[0]), close(sv[1]);
	*val = -ENOBUFS;
	return EMU_SC_ANSWER;
}

/* The caller's sockaddr_vm, checked as the kernel checks it. */
static int read_addr(const struct emu_sc_req *r, struct sockaddr_vm *sa)
{
	if (r->args[2] < sizeof(*sa))
		return -EINVAL;
	if (emu_sc_read(r, r->args[1], sa, sizeof(*sa)))
		return -EFAULT;
	return sa->svm_family == AF_VSOCK ? 0 : -EAFNOSUPPORT;
}

static int bind_to(struct emu_vsock *v, struct conn *c, pid_t pid, uint32_t port)
{
	if (c->port)
		return -EINVAL;
	if (port == VMADDR_PORT_ANY)
		return (c->port = ephemeral(v)) ? 0 : -EADDRINUSE;
	if (port <= VMW_VSOCK_PRIV_PORT_MAX && !may_bind_priv(pid))
		return -EACCES;
	if (port_taken(v, port))
		return -EADDRINUSE;
	c->port = port;
	c->priv = port <= VMW_VSOCK_PRIV_PORT_MAX;
	return 0;
}

static int connect_to(struct emu_vsock *v, struct conn *c, pid_t pid,
		      const struct sockaddr_vm *sa)
{
	if (!c->stream)
		return -EOPNOTSUPP;
	if (c->connected)
		return -EISCONN;
	if (sa->svm_cid != VMW_VSOCK_CID || sa->svm_port != VMW_VSOCK_PORT_RPCI)
		return -ECONNREFUSED;	/* TCLO and everything else: not served */
	if (!c->port && !(c->port = ephemeral(v)))
		return -EADDRNOTAVAIL;
	c->connected = 1;
	c->owner = (uint32_t)pid;
	event(v, c, EMU_EV_OPEN);
	return 0;
}

/* bind and connect: an address to check, then what each does with it. */
static int on_addr(void *ctx, const struct emu_sc_req *r, int64_t *val)
{
	struct emu_vsock *v = ctx;
	struct conn *c = ours(v, r, r->args[0]);
	struct sockaddr_vm sa;

	if (!c)
		return EMU_SC_CONTINUE;
	*val = read_addr(r, &sa);
	if (!*val)
		*val = r->call == EMU_SC_BIND ? bind_to(v, c, r->pid, sa.svm_port)
					      : connect_to(v, c, r->pid, &sa);
	return EMU_SC_ANSWER;
}

static int on_name(void *ctx, const struct emu_sc_req *r, int64_t *val)
{
	struct emu_vsock *v = ctx;
	struct conn *c = ours(v, r, r->args[0]);
	struct sockaddr_vm sa = { .svm_family = AF_VSOCK };
	uint32_t len;

	if (!c)
		return EMU_SC_CONTINUE;
	if (r->call == EMU_SC_GETPEERNAME) {
		if (!c->connected) {
			*val = -ENOTCONN;
			return EMU_SC_ANSWER;
		}
		sa.svm_cid = VMW_VSOCK_CID, sa.svm_port = VMW_VSOCK_PORT_RPCI;
	} else {
		sa.svm_cid = c->port ? GUEST_CID : VMADDR_CID_ANY;
		sa.svm_port = c->port ? c->port : VMADDR_PORT_ANY;
	}
	if (emu_sc_read(r, r->args[2], &len, sizeof(len))) {
		*val = -EFAULT;
		return EMU_SC_ANSWER;
	}
	if (len > sizeof(sa))
		len = sizeof(sa);
	*val = emu_sc_write(r, r->args[1], &sa, len) ||
	       emu_sc_write(r, r->args[2], &(uint32_t){ sizeof(sa) }, sizeof(uint32_t)) ? -EFAULT : 0;
	return EMU_SC_ANSWER;
}

/* Options at AF_VSOCK's own level (buffer sizes, connect timeout): accepted. */
static int on_setsockopt(void *ctx, const struct emu_sc_req *r, int64_t *val)
{
	if (!ours(ctx, r, r->args[0]))
		return EMU_SC_CONTINUE;
	*val = 0;
	return EMU_SC_ANSWER;
}

static int on_access(void *ctx, const struct emu_sc_req *r, int64_t *val)
{
	static const char vmci[] = "/dev/vmci";
	uint64_t path = r->call == EMU_SC_ACCESS ? r->args[0] : r->args[1];
	char got[sizeof(vmci)];

	(void)ctx;
	if (emu_sc_read(r, path, got, sizeof(got)) || memcmp(got, vmci, sizeof(vmci)))
		return EMU_SC_CONTINUE;
	*val = 0;
	return EMU_SC_ANSWER;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A whole request in c->in: answer it into c->out.  -1: drop the connection. */
static int answer(struct emu_vsock *v, struct conn *c, size_t n)
{
	struct emu_dm_packet pkt;
	uint8_t *reply = NULL;
	size_t rlen = 0;
	int rc;

	if (emu_dm_decode(c->in + 4, n, &pkt))
		return -1;
	if (pkt.type == VMW_PKT_PING)
		return 0;
	pthread_mutex_lock(v->lock);
	rc = emu_host_rpci(v->h, pkt.payload, pkt.len, c->priv, c->owner, chan_id(v, c),
			   &reply, &rlen);
	pthread_mutex_unlock(v->lock);
	if (rc || !(c->out = malloc(EMU_DM_REPLY_HDR + rlen))) {
		free(reply);
		return -1;
	}
	emu_dm_reply_hdr(c->out, rlen);
	memcpy(c->out + EMU_DM_REPLY_HDR, reply, rlen);
	free(reply);
	c->out_len = EMU_DM_REPLY_HDR + rlen;
	c->out_pos = 0;
	return 0;
}

/* Take what the guest sent; 1 when a packet is complete, -1 on error or EOF. */
static int take(struct conn *c)
{
	for (;;) {
		size_t want = 4, lim;
		ssize_t n;

		if (c->in_len >= 4) {
			uint32_t len = be32(c->in);

			if (len == 0 || len > MAX_FRAME)
				return -1;
			want = 4 + (size_t)len;
			if (c->in_len == want)
				return 1;
		}
		if (c->in_len == c->in_cap) {
			size_t cap = c->in_cap ? 2 * c->in_cap : 256;
			uint8_t *p;

			if (want > 4 && cap > want)
				cap = want;
			if (!(p = realloc(c->in, cap)))
				return -1;
			c->in = p;
			c->in_cap = cap;
		}
		lim = want < c->in_cap ? want : c->in_cap;
		n = recv(c->fd, c->in + c->in_len, lim - c->in_len, 0);
		if (n > 0)
			c->in_len += (size_t)n;
		else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		else if (!(n < 0 && errno == EINTR))
			return -1;
	}
}

static void serve(void *ctx, int fd, short revents)
{
	struct emu_vsock *v = ctx;
	struct conn *c = NULL;
	int rc;

	for (size_t i = 0; i < MAX_CONNS && !c; i++)
		if (v->c[i].fd == fd)
			c = &v->c[i];
	if (!c)
		return;
	if (c->out) {
		ssize_t n = send(fd, c->out + c->out_pos, c->out_len - c->out_pos, MSG_NOSIGNAL);

		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			conn_free(v, c);
			return;
		}
		if (n > 0 && (c->out_pos += (size_t)n) == c->out_len) {
			free(c->out);
			c->out = NULL;
			emu_sc_watch(v->sc, fd, POLLIN, serve, v);
		}
		return;
	}
	if (!(revents & (POLLIN | POLLHUP | POLLERR)))
		return;
	rc = take(c);
	if (rc == 0)
		return;
	if (rc < 0 || !c->connected || answer(v, c, c->in_len - 4)) {
		conn_free(v, c);
		return;
	}
	c->in_len = 0;
	/* Until the reply is out, the guest's next request waits in the socket. */
	if (c->out)
		emu_sc_watch(v->sc, fd, POLLOUT, serve, v);
}

struct emu_vsock *emu_vsock_new(struct emu_sc *s, struct emu_host *h, pthread_mutex_t *lock)
{
	struct emu_vsock *v = calloc(1, sizeof(*v));

	if (!v)
		return NULL;
	v->sc = s, v->h = h, v->lock = lock;
	for (size_t i = 0; i < MAX_CONNS; i++)
		v->c[i].fd = -1;
	emu_sc_handle(s, EMU_SC_SOCKET, on_socket, v);
	emu_sc_handle(s, EMU_SC_BIND, on_addr, v);
	emu_sc_handle(s, EMU_SC_CONNECT, on_addr, v);
	emu_sc_handle(s, EMU_SC_GETSOCKNAME, on_name, v);
	emu_sc_handle(s, EMU_SC_GETPEERNAME, on_name, v);
	emu_sc_handle(s, EMU_SC_SETSOCKOPT, on_setsockopt, v);
	emu_sc_handle(s, EMU_SC_ACCESS, on_access, v);
	emu_sc_handle(s, EMU_SC_FACCESSAT, on_access, v);
	emu_sc_handle(s, EMU_SC_FACCESSAT2, on_access, v);
	return v;
}

void emu_vsock_free(struct emu_vsock *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < MAX_CONNS; i++) {
		free(v->c[i].in);
		free(v->c[i].out);
		if (v->c[i].fd >= 0)
			close(v->c[i].fd);
	}
	free(v);
}
