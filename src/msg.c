// SPDX-License-Identifier: MIT
/*
 * The GuestRPC channel: MESSAGE sub-commands over LB, payloads over HB
 * when the host offers it.  A message costs the fewest calls the protocol
 * allows: SENDSIZE and one HB transfer out; RECVSIZE, one HB transfer in
 * and RECVSTATUS back.  A checkpoint (CPT) restarts the message.  After
 * any other failure the host's view of the conversation is unknown: the
 * channel is closed and opened anew (new id, new cookies) at its next use.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "vmwcall/hypercall.h"
#include "vmwcall/rpc.h"
#include "probe.h"
#include "vsock.h"

struct vmw_chan {
	unsigned long dx;	/* channel id in the high half, as every call wants it */
	vmw_u32 hi, lo;		/* cookies */
	size_t max;		/* largest reply we accept */
	char *buf;		/* last reply, kept for the next */
	size_t cap;
	unsigned int via;	/* VMW_VIA_BACKDOOR or VMW_VIA_VSOCK (| VMW_VIA_PRIV) */
	uint32_t proto;		/* backdoor: VMW_PROTO_RPCI or _TCLO, to reopen */
	int state;		/* backdoor: LIVE, STALE or SHUT */
	int fd;			/* vsock: the connection; -1 after an error */
	int pending;		/* vsock: a request awaits its reply */
	int oneshot;		/* vsock: tell the host we close after one reply */
	unsigned int timeout_ms;
};

/* Backdoor channel states: STALE after a failed send or receive, SHUT once closed for it. */
enum { LIVE, STALE, SHUT };

#define ST(reg)		((vmw_u32)(reg) >> 16)
#define HB_CMD		(VMW_HB_CMD_MESSAGE | VMW_MSG_SUCCESS << 16)

/* One LB MESSAGE step on c; returns the status. */
static vmw_u32 step(const struct vmw_chan *c, unsigned int sub, unsigned long in1,
		    vmw_u32 *bx, vmw_u32 *dx)
{
	vmw_u32 b, cx, d;

	vmware_hypercall7(VMW_CMD(VMW_CMD_MESSAGE, sub), in1, c->dx, c->hi, c->lo, &b, &cx, &d);
	if (bx)
		*bx = b;
	if (dx)
		*dx = d;
	return ST(cx);
}

/* HB is not carried under TDX or with encrypted memory (hypercall.h). */
static int hb_usable(vmw_u32 st)
{
	return (st & VMW_MSG_HB) && vmware_hypercall_hb_ok();
}

static struct vmw_chan *chan_new(unsigned int via)
{
	struct vmw_chan *c = calloc(1, sizeof(*c));

	if (c) {
		c->via = via;
		c->fd = -1;
		c->max = VMW_RPC_MAX_REPLY_DEFAULT;
		c->timeout_ms = VMW_RPC_TIMEOUT_MS_DEFAULT;
	}
	return c;
}

static int vsock_reconnect(struct vmw_chan *c)
{
	int priv, fd = vmw_vsock_connect(VMW_VSOCK_PORT_RPCI, c->timeout_ms, &priv);

	if (fd < 0)
		return fd;
	c->fd = fd;
	c->via = VMW_VIA_VSOCK | (priv ? VMW_VIA_PRIV : 0);
	c->pending = 0;
	return 0;
}

static int open_vsock(struct vmw_chan **out)
{
	struct vmw_chan *c = chan_new(VMW_VIA_VSOCK);
	int err;

	if (!c)
		return VMW_ENOMEM;
	err = vsock_reconnect(c);
	if (err) {
		free(c);
		return err;
	}
	*out = c;
	return 0;
}

static int open_backdoor(struct vmw_chan **out, uint32_t proto);

int vmw_chan_open_via(struct vmw_chan **out, uint32_t proto, unsigned int via)
{
	*out = NULL;
	if (proto != VMW_PROTO_RPCI && proto != VMW_PROTO_TCLO)
		return VMW_EINVAL;
	switch (via) {
	case VMW_VIA_BACKDOOR:
		return open_backdoor(out, proto);
	case VMW_VIA_VSOCK:
		/* TCLO over vsock is the host's connection to serve, not ours. */
		return proto == VMW_PROTO_RPCI ? open_vsock(out) : VMW_EINVAL;
	case VMW_VIA_AUTO:
		/* As open-vm-tools' RpcChannel: vsock first, then the backdoor. */
		if (proto == VMW_PROTO_RPCI && vmw_vsock_present() && open_vsock(out) == 0)
			return 0;
		return open_backdoor(out, proto);
	}
	return VMW_EINVAL;
}

int vmw_chan_open(struct vmw_chan **out, uint32_t proto)
{
	return vmw_chan_open_via(out, proto, VMW_VIA_AUTO);
}

unsigned int vmw_chan_via(const struct vmw_chan *c)
{
	return c ? c->via : 0;
}

void vmw_chan_set_timeout(struct vmw_chan *c, unsigned int ms)
{
	if (c && ms) {
		c->timeout_ms = ms;
		if (c->fd >= 0)
			vmw_vsock_set_timeout(c->fd, ms);
	}
}

void vmw_chan_oneshot(struct vmw_chan *c)
{
	c->oneshot = 1;
}

/* OPEN with cookies, else without: c's id and cookies, or VMW_ECHANNEL. */
static int backdoor_open(struct vmw_chan *c)
{
	static const vmw_u32 flags[] = { VMW_MSG_FLAG_COOKIE, 0 };
	vmw_u32 bx, cx, dx, si, di;

	for (size_t i = 0; i < sizeof(flags) / sizeof(*flags); i++) {
		vmware_hypercall9(VMW_CMD(VMW_CMD_MESSAGE, VMW_MSG_OPEN), c->proto | flags[i],
				  0, 0, 0, &bx, &cx, &dx, &si, &di);
		if (ST(cx) & VMW_MSG_SUCCESS) {
			/* Without cookies si/di are whatever the host left: harmless. */
			c->dx = dx & 0xFFFF0000u;
			c->hi = si;
			c->lo = di;
			c->state = LIVE;
			return 0;
		}
	}
	return VMW_ECHANNEL;
}

static int open_backdoor(struct vmw_chan **out, uint32_t proto)
{
	struct vmw_chan *c;

	if (!vmw_ready())
		return VMW_ENOTVMWARE;
	c = chan_new(VMW_VIA_BACKDOOR);
	if (!c)
		return VMW_ENOMEM;
	c->proto = proto;
	if (backdoor_open(c)) {
		free(c);
		return VMW_ECHANNEL;
	}
	*out = c;
	return 0;
}

/*
 * A stale channel is closed (whatever the host answers: it may have
 * dropped it already) and opened again; a failed open leaves it SHUT,
 * never closed twice, so a reused id is not ours to close.
 */
static int backdoor_renew(struct vmw_chan *c)
{
	if (c->state == STALE) {
		step(c, VMW_MSG_CLOSE, 0, NULL, NULL);
		c->state = SHUT;
	}
	return c->state == SHUT ? backdoor_open(c) : 0;
}

int vmw_chan_close(struct vmw_chan *c)
{
	vmw_u32 st;

	if (!c)
		return 0;
	if (c->via & VMW_VIA_VSOCK) {
		if (c->fd >= 0)
			close(c->fd);
		free(c->buf);
		free(c);
		return 0;
	}
	st = c->state == SHUT ? VMW_MSG_SUCCESS : step(c, VMW_MSG_CLOSE, 0, NULL, NULL);
	free(c->buf);
	free(c);
	return st & VMW_MSG_SUCCESS ? 0 : VMW_ECHANNEL;
}

void vmw_chan_set_max_reply(struct vmw_chan *c, size_t max)
{
	if (!c)
		return;
	/* Sizes are 32-bit on the wire; keep room for the NUL. */
	c->max = max > UINT32_MAX - 1u ? UINT32_MAX - 1u : max;
}

/* LB payload, 4 bytes a call, never reading past the end. */
static vmw_u32 send_lb(const struct vmw_chan *c, const unsigned char *p, size_t len)
{
	vmw_u32 st = VMW_MSG_SUCCESS;

	for (size_t pos = 0; pos < len && (st & VMW_MSG_SUCCESS); pos += 4) {
		size_t n = len - pos < 4 ? len - pos : 4;
		vmw_u32 w = 0;

		for (size_t i = 0; i < n; i++)
			w |= (vmw_u32)p[pos + i] << (8 * i);
		st = step(c, VMW_MSG_SENDPAYLOAD, w, NULL, NULL);
	}
	return st;
}

/* A lost connection is reopened for the next request, not this one. */
static int vsock_fail(struct vmw_chan *c, int err)
{
	close(c->fd);
	c->fd = -1;
	c->pending = 0;
	return err;
}

static int vsock_send(struct vmw_chan *c, const void *msg, size_t len)
{
	int err;

	if (c->fd < 0 && (err = vsock_reconnect(c)))
		return err;
	/* An unread reply would be taken for this request's. */
	if (c->pending)
		return vsock_fail(c, VMW_EPROTO);
	err = vmw_vsock_send(c->fd, msg, len, c->oneshot);
	if (err)
		return vsock_fail(c, err);
	c->pending = 1;
	return 0;
}

static int vsock_recv(struct vmw_chan *c, const char **msg, size_t *len)
{
	int err;

	if (!c->pending)
		return 0;
	err = vmw_vsock_recv(c->fd, c->max, &c->buf, &c->cap, msg, len);
	if (err) {
		*msg = "";
		*len = 0;
		return vsock_fail(c, err);
	}
	c->pending = 0;
	return 0;
}

static int backdoor_send(const struct vmw_chan *c, const void *msg, size_t len)
{
	vmw_u32 st, bx;

	for (int i = 0; i < VMW_RPC_MAX_RETRIES; i++) {
		st = step(c, VMW_MSG_SENDSIZE, len, NULL, NULL);
		if (!(st & VMW_MSG_SUCCESS)) {
			if (st & VMW_MSG_CPT)
				continue;
			return VMW_EIO;
		}
		if (len == 0)
			return 0;
		if (hb_usable(st)) {
			/* Out: rsi = data, so the cookies move to rdi (low) and rbp (high). */
			vmware_hypercall_hb_out(HB_CMD, len, c->dx, (unsigned long)(uintptr_t)msg,
						c->lo, c->hi, &bx);
			st = ST(bx);
		} else {
			st = send_lb(c, msg, len);
		}
		if (st & VMW_MSG_SUCCESS)
			return 0;
		if (!(st & VMW_MSG_CPT))
			return VMW_EIO;
	}
	return VMW_ECHECKPOINT;
}

int vmw_chan_send(struct vmw_chan *c, const void *msg, size_t len)
{
	int err;

	if (!c || (len && !msg))
		return VMW_EINVAL;
	if (len > VMW_MSG_MAX_IN_SIZE)
		return VMW_ETOOBIG;
	if (c->via & VMW_VIA_VSOCK)
		return vsock_send(c, msg, len);
	if ((err = backdoor_renew(c)))
		return err;
	if ((err = backdoor_send(c, msg, len)))
		c->state = STALE;
	return err;
}

/*
 * Give up on the pending reply, telling the host so it can drop it:
 * RECVPAYLOAD while bytes remain, RECVSTATUS after the last, status 0.
 */
static int quit(const struct vmw_chan *c, size_t left, int err)
{
	step(c, left ? VMW_MSG_RECVPAYLOAD : VMW_MSG_RECVSTATUS, 0, NULL, NULL);
	return err;
}

/* LB payload into c->buf; *pos counts the bytes taken. */
static vmw_u32 recv_lb(struct vmw_chan *c, size_t size, size_t *pos, int *bad)
{
	vmw_u32 st = VMW_MSG_SUCCESS, bx, dx;

	for (*pos = 0; *pos < size; *pos += 4) {
		size_t n = size - *pos < 4 ? size - *pos : 4;

		st = step(c, VMW_MSG_RECVPAYLOAD, VMW_MSG_SUCCESS, &bx, &dx);
		if (!(st & VMW_MSG_SUCCESS))
			return st;
		if (ST(dx) != VMW_MSG_SENDPAYLOAD) {
			*bad = 1;
			return 0;
		}
		for (size_t i = 0; i < n; i++)
			c->buf[*pos + i] = (char)(bx >> (8 * i));
	}
	return st;
}

static int backdoor_recv(struct vmw_chan *c, const char **msg, size_t *len)
{
	vmw_u32 st, bx, dx;
	size_t size, pos;
	int bad;

	for (int i = 0; i < VMW_RPC_MAX_RETRIES; i++) {
		st = step(c, VMW_MSG_RECVSIZE, 0, &bx, &dx);
		if (!(st & VMW_MSG_SUCCESS)) {
			if (st & VMW_MSG_CPT)
				continue;
			return VMW_EIO;
		}
		if (!(st & VMW_MSG_DORECV))
			return 0;
		size = bx;
		if (ST(dx) != VMW_MSG_SENDSIZE)
			return quit(c, size, VMW_EPROTO);
		/* Before any allocation: the host does not choose our memory use. */
		if (size > c->max)
			return quit(c, size, VMW_ETOOBIG);
		if (size + 1 > c->cap) {
			char *p = realloc(c->buf, size + 1);

			if (!p)
				return quit(c, size, VMW_ENOMEM);
			c->buf = p;
			c->cap = size + 1;
		}
		bad = 0;
		pos = 0;
		if (size == 0) {
			st = VMW_MSG_SUCCESS;
		} else if (hb_usable(st)) {
			/* In: rdi = data, so the cookies move to rsi (high) and rbp (low). */
			vmware_hypercall_hb_in(HB_CMD, size, c->dx, c->hi,
					       (unsigned long)(uintptr_t)c->buf, c->lo, &bx);
			st = ST(bx);
			pos = st & VMW_MSG_SUCCESS ? size : 0;
		} else {
			st = recv_lb(c, size, &pos, &bad);
		}
		if (bad)
			return quit(c, size - pos, VMW_EPROTO);
		if (!(st & VMW_MSG_SUCCESS)) {
			if (st & VMW_MSG_CPT)
				continue;
			return quit(c, size - pos, VMW_EIO);
		}
		c->buf[size] = '\0';
		st = step(c, VMW_MSG_RECVSTATUS, VMW_MSG_SUCCESS, NULL, NULL);
		if (!(st & VMW_MSG_SUCCESS)) {
			if (st & VMW_MSG_CPT)
				continue;
			return quit(c, 0, VMW_EIO);
		}
		*msg = c->buf;
		*len = size;
		return 0;
	}
	return VMW_ECHECKPOINT;
}

int vmw_chan_recv(struct vmw_chan *c, const char **msg, size_t *len)
{
	int err;

	*msg = "";
	*len = 0;
	if (!c)
		return VMW_EINVAL;
	if (c->via & VMW_VIA_VSOCK)
		return vsock_recv(c, msg, len);
	if ((err = backdoor_renew(c)))
		return err;
	if ((err = backdoor_recv(c, msg, len)))
		c->state = STALE;
	return err;
}
