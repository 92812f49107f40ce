// SPDX-License-Identifier: MIT
/*
 * The GuestRPC channel: MESSAGE sub-commands over LB and the HB payload
 * transfers.  Everything the guest hands over is checked: channel id and
 * cookies on every call, sizes against the configured limits, the order of
 * the steps.  Failure is status 0, as on VMware.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "vmwcall/proto.h"
#include "internal.h"

#define ST(s) ((uint64_t)(s) << 16)

static uint64_t xorshift(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13, x ^= x >> 7, x ^= x << 17;
	return *state = x;
}

/*
 * Cookies are what keeps one guest process out of another's channel, so a
 * guest must not be able to work them out from the cookies it gets itself
 * (a linear generator gives its state away after two opens): they come
 * from the kernel's CSPRNG.  A seeded host (emu_config.seed) uses
 * splitmix64 instead, so that runs repeat.  -1 if there is no randomness.
 */
static int new_cookies(struct emu_host *h, uint32_t *hi, uint32_t *lo)
{
	uint64_t x;
	ssize_t n;

	if (h->cfg.seed) {
		x = h->rng += 0x9E3779B97F4A7C15ull;
		x = (x ^ x >> 30) * 0xBF58476D1CE4E5B9ull;
		x = (x ^ x >> 27) * 0x94D049BB133111EBull;
		x ^= x >> 31;
	} else {
		do
			n = getrandom(&x, sizeof(x), 0);
		while (n < 0 && errno == EINTR);
		if (n != (ssize_t)sizeof(x))
			return -1;
	}
	*hi = (uint32_t)(x >> 32), *lo = (uint32_t)x;
	return 0;
}

static void buf_free(struct emu_buf *b)
{
	free(b->p);
	*b = (struct emu_buf){ 0 };
}

static void chan_close(struct emu_host *h, struct emu_chan *c)
{
	if (c->proto == VMW_PROTO_TCLO)
		emu_tclo_close(h, c);
	buf_free(&c->in);
	buf_free(&c->out);
	memset(c, 0, sizeof(*c));
}

void emu_msg_free(struct emu_host *h)
{
	for (size_t i = 0; i < VMW_EMU_MAX_CHANNELS; i++)
		chan_close(h, &h->chan[i]);
}

void emu_host_reclaim(struct emu_host *h, uint32_t owner)
{
	for (size_t i = 0; i < h->cfg.max_channels; i++)
		if (h->chan[i].open && h->chan[i].owner == owner) {
			emu_ev_chan(h, &h->chan[i], 0);
			chan_close(h, &h->chan[i]);
		}
}

/*
 * The channel a call names, if the caller may use it: the process that
 * opened it (as far as the front end can tell processes apart), with its
 * cookies when it was opened with them.
 */
static struct emu_chan *chan_get(struct emu_host *h, uint64_t dx, uint64_t hi, uint64_t lo,
				 uint32_t owner)
{
	uint32_t id = (dx >> 16) & 0xFFFF;
	struct emu_chan *c;

	if (id >= h->cfg.max_channels)
		return NULL;
	c = &h->chan[id];
	if (!c->open || c->owner != owner)
		return NULL;
	if (c->cookie && ((uint32_t)hi != c->cookie_hi || (uint32_t)lo != c->cookie_lo))
		return NULL;
	return c;
}

static uint32_t hb_flag(const struct emu_host *h)
{
	return h->cfg.no_hb ? 0 : VMW_MSG_HB;
}

/*
 * Checkpoint injection, on the steps after which a guest restarts the
 * message (payload and status steps).  The host then forgets the partial
 * guest message or rewinds the reply, as a resumed VM would.  Like a real
 * suspend, it interrupts a message once: the restarted transfer completes.
 */
static int checkpoint(struct emu_host *h, struct emu_chan *c, int sending)
{
	int *hit = sending ? &c->cpt_send : &c->cpt_recv;

	if (!h->cfg.checkpoint_every || *hit || ++h->msg_ops % h->cfg.checkpoint_every)
		return 0;
	*hit = 1;
	h->st.checkpoints++;
	if (sending) {
		c->sending = 0;
		buf_free(&c->in);
	} else {
		c->out.pos = 0;
	}
	return 1;
}

enum fault { NONE, CPT, FAIL, DROP };

/*
 * The configured faults (emu_config.cpt_at ...), decided before the step
 * does anything: a CPT or a failure leaves the host as it was, so the
 * guest's restart or its next message finds a consistent channel.
 */
/* emu_config.stop_at reached: the host no longer answers GuestRPC. */
static int stopped(const struct emu_host *h)
{
	return h->cfg.stop_at && h->st.steps >= h->cfg.stop_at;
}

static enum fault fault(struct emu_host *h)
{
	uint64_t step = ++h->st.steps;

	if (stopped(h))
		return FAIL;
	if (step == h->cfg.cpt_at)
		return CPT;
	if (h->cfg.fault_permille) {
		uint64_t x = xorshift(&h->fault_rng);

		if (x % 1000 < h->cfg.fault_permille)
			return (enum fault)(CPT + x / 1000 % 3);
	}
	return NONE;
}

/* The status a faulted step answers; DROP closes the channel first. */
static uint32_t faulted(struct emu_host *h, struct emu_chan *c, enum fault f)
{
	if (f == CPT) {
		h->st.checkpoints++;
		return VMW_MSG_CPT;
	}
	h->st.faults++;
	if (f == DROP) {
		emu_ev_chan(h, c, 0);
		chan_close(h, c);
	}
	return 0;
}

static void message_done(struct emu_host *h, struct emu_chan *c)
{
	c->sending = 0;
	c->cpt_send = c->cpt_recv = 0;
	h->st.rpcs++;
	buf_free(&c->out);
	c->replying = 0;
	if (c->proto == VMW_PROTO_RPCI && emu_rpc_refused(h, c->in.p, c->in.len, 0)) {
		if (emu_rpc_text(&c->out, EMU_RPC_REFUSAL) == 0)
			c->replying = 1;
	} else if ((c->proto == VMW_PROTO_TCLO ? emu_tclo_answer(h, c, c->in.p, c->in.len, &c->out)
					       : emu_rpc_answer(h, c->in.p, c->in.len, &c->out)) == 0 &&
		   c->out.len) {
		c->replying = 1;
	}
	if (!c->replying)
		buf_free(&c->out);
	emu_ev_message(h, c, &c->out);
	buf_free(&c->in);
}

static uint32_t msg_open(struct emu_host *h, struct emu_regs *r, uint32_t owner)
{
	uint32_t proto = r->bx & ~VMW_MSG_FLAG_COOKIE;
	int cookie = !!(r->bx & VMW_MSG_FLAG_COOKIE);
	struct emu_chan *c;
	uint32_t id;

	if (proto != VMW_PROTO_RPCI && proto != VMW_PROTO_TCLO)
		return 0;
	if (cookie && h->cfg.no_cookies)
		return 0;
	for (id = 0; id < h->cfg.max_channels && h->chan[id].open; id++)
		;
	if (id == h->cfg.max_channels)
		return 0;
	c = &h->chan[id];
	if (new_cookies(h, &c->cookie_hi, &c->cookie_lo))
		return 0;
	c->open = 1;
	c->cookie = cookie;
	c->proto = proto;
	c->owner = owner;
	r->dx = (uint64_t)id << 16 | (r->dx & 0xFFFF);
	r->si = c->cookie_hi;
	r->di = c->cookie_lo;
	emu_ev_chan(h, c, 1);
	return VMW_MSG_SUCCESS;
}

static uint32_t send_size(struct emu_host *h, struct emu_chan *c, uint32_t size)
{
	if (size > h->cfg.max_in_size)
		return 0;
	buf_free(&c->in);
	buf_free(&c->out);		/* a new request drops an unread reply */
	c->replying = 0;
	c->in.p = malloc(size ? size : 1);
	if (!c->in.p)
		return 0;
	c->in.len = size;
	c->sending = 1;
	if (size == 0)
		message_done(h, c);
	return VMW_MSG_SUCCESS | hb_flag(h);
}

static uint32_t send_payload(struct emu_host *h, struct emu_chan *c, uint32_t word)
{
	uint32_t n;

	if (!c->sending)
		return 0;
	n = c->in.len - c->in.pos < 4 ? c->in.len - c->in.pos : 4;
	for (uint32_t i = 0; i < n; i++)
		c->in.p[c->in.pos + i] = (uint8_t)(word >> (8 * i));
	c->in.pos += n;
	h->st.bytes_in += n;
	if (c->in.pos == c->in.len)
		message_done(h, c);
	return VMW_MSG_SUCCESS;
}

static uint32_t recv_size(struct emu_host *h, struct emu_chan *c, struct emu_regs *r)
{
	c->out.pos = 0;
	if (!c->replying)
		return VMW_MSG_SUCCESS | hb_flag(h);
	r->bx = c->out.len;
	r->dx = (uint64_t)VMW_MSG_SENDSIZE << 16 | (r->dx & 0xFFFF);
	return VMW_MSG_SUCCESS | VMW_MSG_DORECV | hb_flag(h);
}

static uint32_t recv_payload(struct emu_host *h, struct emu_chan *c, struct emu_regs *r)
{
	uint32_t n, word = 0;

	if (!c->replying || c->out.pos >= c->out.len)
		return 0;
	if (!(r->bx & VMW_MSG_SUCCESS)) {
		/* The guest gave up on this reply. */
		buf_free(&c->out);
		c->replying = 0;
		c->cpt_recv = 0;
		return VMW_MSG_SUCCESS;
	}
	n = c->out.len - c->out.pos < 4 ? c->out.len - c->out.pos : 4;
	for (uint32_t i = 0; i < n; i++)
		word |= (uint32_t)c->out.p[c->out.pos + i] << (8 * i);
	c->out.pos += n;
	h->st.bytes_out += n;
	r->bx = word;
	r->dx = (uint64_t)VMW_MSG_SENDPAYLOAD << 16 | (r->dx & 0xFFFF);
	return VMW_MSG_SUCCESS;
}

static uint32_t recv_status(struct emu_chan *c)
{
	if (!c->replying)
		return 0;
	/* Delivered or abandoned: either way the reply is gone. */
	buf_free(&c->out);
	c->replying = 0;
	c->cpt_recv = 0;
	return VMW_MSG_SUCCESS;
}

void emu_msg_lb(struct emu_host *h, struct emu_regs *r, uint32_t owner)
{
	uint32_t sub = (r->cx >> 16) & 0xFFFF, status = 0;
	struct emu_chan *c;
	enum fault f;

	if (sub == VMW_MSG_OPEN) {
		r->cx = ST(stopped(h) ? 0 : msg_open(h, r, owner));
		return;
	}
	c = chan_get(h, r->dx, r->si, r->di, owner);
	if (!c || (sub == VMW_MSG_CLOSE && stopped(h))) {
		r->cx = 0;
		return;
	}
	if (sub != VMW_MSG_CLOSE && (f = fault(h)) != NONE) {
		r->cx = ST(faulted(h, c, f));
		return;
	}
	switch (sub) {
	case VMW_MSG_SENDPAYLOAD:
	case VMW_MSG_RECVPAYLOAD:
	case VMW_MSG_RECVSTATUS:
		if (checkpoint(h, c, sub == VMW_MSG_SENDPAYLOAD)) {
			r->cx = ST(VMW_MSG_CPT);
			return;
		}
		break;
	}
	switch (sub) {
	case VMW_MSG_SENDSIZE:
		status = send_size(h, c, (uint32_t)r->bx);
		break;
	case VMW_MSG_SENDPAYLOAD:
		status = send_payload(h, c, (uint32_t)r->bx);
		break;
	case VMW_MSG_RECVSIZE:
		status = recv_size(h, c, r);
		break;
	case VMW_MSG_RECVPAYLOAD:
		status = recv_payload(h, c, r);
		break;
	case VMW_MSG_RECVSTATUS:
		status = recv_status(c);
		break;
	case VMW_MSG_CLOSE:
		emu_ev_chan(h, c, 0);
		chan_close(h, c);
		status = VMW_MSG_SUCCESS;
		break;
	}
	r->cx = ST(status);
}

/*
 * HB: in1 = HB command | status << 16, in2 = count, in3 high = channel,
 * out: in4 = source, in5/in6 = cookie low/high;
 * in:  in5 = destination, in4/in6 = cookie high/low.
 */
static uint32_t hb_out(struct emu_host *h, struct emu_chan *c, struct emu_regs *r,
		       const struct emu_mem *mem)
{
	uint32_t n = (uint32_t)r->cx;

	if (!c->sending || n == 0 || n > c->in.len - c->in.pos)
		return 0;
	if (mem->read(mem->ctx, r->si, c->in.p + c->in.pos, n)) {
		c->sending = 0;
		buf_free(&c->in);
		return 0;
	}
	c->in.pos += n;
	h->st.bytes_in += n;
	if (c->in.pos == c->in.len)
		message_done(h, c);
	return VMW_MSG_SUCCESS;
}

static uint32_t hb_in(struct emu_host *h, struct emu_chan *c, struct emu_regs *r,
		      const struct emu_mem *mem)
{
	uint32_t n = (uint32_t)r->cx;

	if (!c->replying || n == 0 || n > c->out.len - c->out.pos)
		return 0;
	if (mem->write(mem->ctx, r->di, c->out.p + c->out.pos, n))
		return 0;
	c->out.pos += n;
	h->st.bytes_out += n;
	return VMW_MSG_SUCCESS;
}

void emu_msg_hb(struct emu_host *h, struct emu_regs *r, const struct emu_mem *mem, int out,
		uint32_t owner)
{
	uint32_t cmd = r->bx & 0xFFFF, status = 0;
	struct emu_chan *c;
	enum fault f;

	if (h->cfg.no_hb || cmd != VMW_HB_CMD_MESSAGE)
		goto reply;
	c = out ? chan_get(h, r->dx, r->bp, r->di, owner) : chan_get(h, r->dx, r->si, r->bp, owner);
	if (!c)
		goto reply;
	if ((f = fault(h)) != NONE) {
		status = faulted(h, c, f);
		goto reply;
	}
	if (checkpoint(h, c, out)) {
		status = VMW_MSG_CPT;
		goto reply;
	}
	status = out ? hb_out(h, c, r, mem) : hb_in(h, c, r, mem);
reply:
	r->bx = ST(status) | cmd;
}
