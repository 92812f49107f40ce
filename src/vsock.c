// SPDX-License-Identifier: MIT
/* The vsock GuestRPC transport: connection, framing, bounded waits. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <linux/vm_sockets.h>

#include "vmwcall/error.h"
#include "vmwcall/proto.h"
#include "vsock.h"

int vmw_vsock_present(void)
{
	/*
	 * Only VMCI's transport routes context 0 to the VMX; another transport
	 * (virtio under KVM, say) lets connect() hang for seconds first.
	 */
	return access("/dev/vmci", F_OK) == 0;
}

static struct timeval tv_ms(unsigned int ms)
{
	return (struct timeval){ (time_t)(ms / 1000), (suseconds_t)(ms % 1000) * 1000 };
}

void vmw_vsock_set_timeout(int fd, unsigned int ms)
{
	struct timeval tv = tv_ms(ms);

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	/*
	 * The VMX accepts at once; a transport that cannot reach it waits out
	 * this timeout, so it is kept short.  Other socket kinds refuse the
	 * option, harmlessly.
	 */
	tv = tv_ms(ms < VMW_VSOCK_CONNECT_MS ? ms : VMW_VSOCK_CONNECT_MS);
	setsockopt(fd, AF_VSOCK, SO_VM_SOCKETS_CONNECT_TIMEOUT, &tv, sizeof(tv));
}

static int io_err(int e)
{
	return e == EAGAIN || e == EWOULDBLOCK || e == EINPROGRESS ? VMW_ETIMEDOUT : VMW_ECHANNEL;
}

/* Bind the highest free port below 1024: 1 bound, 0 not allowed, <0 error. */
static int bind_priv(int fd)
{
	for (unsigned int port = VMW_VSOCK_PRIV_PORT_MAX; port > 0; port--) {
		struct sockaddr_vm sa = { .svm_family = AF_VSOCK, .svm_cid = VMADDR_CID_ANY,
					  .svm_port = port };

		if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
			return 1;
		if (errno == EACCES || errno == EPERM)
			return 0;
		if (errno != EADDRINUSE)
			return VMW_ECHANNEL;
	}
	return 0;
}

static int open_sock(unsigned int timeout_ms)
{
	int fd = socket(AF_VSOCK, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd >= 0)
		vmw_vsock_set_timeout(fd, timeout_ms);
	return fd;
}

int vmw_vsock_connect(unsigned int port, unsigned int timeout_ms, int *priv)
{
	struct sockaddr_vm sa = { .svm_family = AF_VSOCK, .svm_cid = VMW_VSOCK_CID,
				  .svm_port = port };
	int fd = open_sock(timeout_ms), b, e;

	*priv = 0;
	if (fd < 0)
		return VMW_ECHANNEL;
	b = bind_priv(fd);
	if (b < 0) {
		/* A failed bind may leave the socket bound to nothing usable. */
		close(fd);
		fd = open_sock(timeout_ms);
		if (fd < 0)
			return VMW_ECHANNEL;
		b = 0;
	}
	while (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		if (errno == EINTR)
			continue;
		e = io_err(errno);
		close(fd);
		return e;
	}
	*priv = b;
	return fd;
}

static void be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
}

static uint32_t get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* An INT64 entry: type, id, then the low and the high word. */
static unsigned char *put_int64(unsigned char *p, uint32_t id, uint64_t v)
{
	be32(p, VMW_DM_INT64), be32(p + 4, id);
	be32(p + 8, (uint32_t)v), be32(p + 12, (uint32_t)(v >> 32));
	return p + 16;
}

void vmw_vsock_req_hdr(unsigned char *hdr, size_t len, int fast_close)
{
	unsigned char *p = hdr + 4;

	p = put_int64(p, VMW_PKT_FIELD_TYPE, VMW_PKT_DATA);
	p = put_int64(p, VMW_PKT_FIELD_FAST_CLOSE, fast_close ? 1 : 0);
	be32(p, VMW_DM_STRING), be32(p + 4, VMW_PKT_FIELD_PAYLOAD), be32(p + 8, (uint32_t)len);
	be32(hdr, (uint32_t)(VMW_VSOCK_REQ_HDR - 4 + len));
}

int vmw_vsock_send(int fd, const void *msg, size_t len, int fast_close)
{
	unsigned char hdr[VMW_VSOCK_REQ_HDR];
	struct iovec iov[2] = { { hdr, sizeof(hdr) }, { (void *)msg, len } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 2 };

	/* DataMap refuses an empty string, so an empty request cannot travel. */
	if (len == 0 || len > VMW_MSG_MAX_IN_SIZE)
		return len ? VMW_ETOOBIG : VMW_EINVAL;
	vmw_vsock_req_hdr(hdr, len, fast_close);
	while (mh.msg_iovlen) {
		ssize_t n = sendmsg(fd, &mh, MSG_NOSIGNAL);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return io_err(errno);
		}
		while (mh.msg_iovlen && (size_t)n >= mh.msg_iov->iov_len) {
			n -= (ssize_t)mh.msg_iov->iov_len;
			mh.msg_iov++, mh.msg_iovlen--;
		}
		if (mh.msg_iovlen) {
			mh.msg_iov->iov_base = (char *)mh.msg_iov->iov_base + n;
			mh.msg_iov->iov_len -= (size_t)n;
		}
	}
	return 0;
}

static int read_all(int fd, void *buf, size_t n)
{
	for (size_t got = 0; got < n;) {
		ssize_t r = recv(fd, (char *)buf + got, n - got, 0);

		if (r > 0) {
			got += (size_t)r;
		} else if (r == 0) {
			return VMW_ECHANNEL;	/* the host hung up mid-packet */
		} else if (errno != EINTR) {
			return io_err(errno);
		}
	}
	return 0;
}

/* Skip one DataMap value of type t at p[0..n): its size, or 0 if malformed. */
static size_t value_size(uint32_t t, const unsigned char *p, size_t n)
{
	size_t off = 4;
	uint32_t count;

	switch (t) {
	case VMW_DM_INT64:
		return n >= 8 ? 8 : 0;
	case VMW_DM_STRING:
		if (n < 4 || get_be32(p) == 0 || get_be32(p) > INT32_MAX || get_be32(p) > n - 4)
			return 0;
		return 4 + get_be32(p);
	case VMW_DM_INT64LIST:
		if (n < 4 || (count = get_be32(p)) > (n - 4) / 8)
			return 0;
		return 4 + (size_t)count * 8;
	case VMW_DM_STRINGLIST:
		if (n < 4 || (count = get_be32(p)) > (n - 4) / 4)
			return 0;
		for (uint32_t i = 0; i < count; i++) {
			size_t s = value_size(VMW_DM_STRING, p + off, n - off);

			if (!s)
				return 0;
			off += s;
		}
		return off;
	}
	return 0;
}

int vmw_vsock_parse(const unsigned char *p, size_t n,
		    const unsigned char **payload, size_t *plen)
{
	int seen_type = 0, seen_payload = 0, seen_fc = 0;
	const unsigned char *pl = NULL;
	uint64_t type = 0;
	size_t len = 0;

	*payload = NULL;
	*plen = 0;
	while (n) {
		uint32_t t, id;
		size_t s;

		if (n < 8)
			return VMW_EPROTO;
		t = get_be32(p), id = get_be32(p + 4);
		p += 8, n -= 8;
		s = value_size(t, p, n);
		if (!s)
			return VMW_EPROTO;
		/* Fields we do not read are skipped, as the DataMap would keep them. */
		if (id == VMW_PKT_FIELD_TYPE || id == VMW_PKT_FIELD_FAST_CLOSE) {
			int *seen = id == VMW_PKT_FIELD_TYPE ? &seen_type : &seen_fc;

			if (*seen || t != VMW_DM_INT64)
				return VMW_EPROTO;
			*seen = 1;
			if (id == VMW_PKT_FIELD_TYPE)
				type = get_be32(p) | (uint64_t)get_be32(p + 4) << 32;
		} else if (id == VMW_PKT_FIELD_PAYLOAD) {
			if (seen_payload || t != VMW_DM_STRING)
				return VMW_EPROTO;
			seen_payload = 1;
			pl = p + 4;
			len = s - 4;
		}
		p += s, n -= s;
	}
	if (!seen_type || type != VMW_PKT_DATA || !seen_payload)
		return VMW_EPROTO;
	*payload = pl;
	*plen = len;
	return 0;
}

int vmw_vsock_recv(int fd, size_t max, char **buf, size_t *cap,
		   const char **payload, size_t *plen)
{
	unsigned char lenw[4];
	const unsigned char *pl;
	size_t n;
	int err;

	*payload = "";
	*plen = 0;
	err = read_all(fd, lenw, sizeof(lenw));
	if (err)
		return err;
	n = get_be32(lenw);
	/* A reply is TYPE and PAYLOAD; allow room for a few fields we skip. */
	if (n > max + 256 || n > UINT32_MAX - 1)
		return VMW_ETOOBIG;
	if (n + 1 > *cap) {
		char *b = realloc(*buf, n + 1);

		if (!b)
			return VMW_ENOMEM;
		*buf = b;
		*cap = n + 1;
	}
	err = read_all(fd, *buf, n);
	if (err)
		return err;
	err = vmw_vsock_parse((const unsigned char *)*buf, n, &pl, plen);
	if (err)
		return err;
	if (*plen > max)
		return VMW_ETOOBIG;
	/* To the front, so a NUL can follow it as every reply's does. */
	memmove(*buf, pl, *plen);
	(*buf)[*plen] = '\0';
	*payload = *buf;
	return 0;
}
