// SPDX-License-Identifier: MIT
/*
 * A kept backdoor channel after a failure mid-conversation: the host
 * closes it, or fails a step of a send or a receive.  The next call closes
 * it (once, ignoring the answer) and opens a new one with new cookies,
 * and succeeds; a refused reopen is retried at the call after, and the
 * old id is never closed twice.
 */
#include <string.h>

#include "vmwcall/proto.h"
#include "vmwcall/rpc.h"
#include "host.h"
#include "tap.h"
#include "trap.h"
#include "inproc.h"
#include "trapping.h"

static struct {
	unsigned int opens, closes;	/* host events */
	unsigned int close_calls;	/* CLOSE hypercalls, whatever the host answered */
	uint32_t proto;			/* of the last OPEN event */
	uint64_t cookies[8];		/* si:di of each successful OPEN */
	unsigned int ncookies;
	int fail_sub;			/* fail the next LB MESSAGE step with this sub (-1: none) */
	int fail_hb;			/* fail the next HB transfer */
} seen;

static void on_event(void *ctx, const struct emu_event *ev)
{
	(void)ctx;
	if (ev->type == EMU_EV_OPEN) {
		seen.opens++;
		seen.proto = ev->proto;
	}
	seen.closes += ev->type == EMU_EV_CLOSE;
}

static void hook(void *ctx, const struct emu_cpu *b, struct emu_cpu *a)
{
	int lb = (b->dx & 0xFFFF) == VMW_PORT, sub = (int)(b->cx >> 16 & 0xFFFF);

	(void)ctx;
	if (lb && (b->cx & 0xFFFF) == VMW_CMD_MESSAGE) {
		if (sub == VMW_MSG_CLOSE)
			seen.close_calls++;
		if (sub == VMW_MSG_OPEN && (a->cx >> 16 & VMW_MSG_SUCCESS) &&
		    seen.ncookies < sizeof(seen.cookies) / sizeof(*seen.cookies))
			seen.cookies[seen.ncookies++] = (a->si & 0xFFFFFFFFu) << 32 | (a->di & 0xFFFFFFFFu);
		if (sub == seen.fail_sub) {
			a->cx &= 0xFFFF;	/* status 0: failed */
			seen.fail_sub = -1;
		}
	} else if (!lb && seen.fail_hb) {
		a->bx &= 0xFFFF;
		seen.fail_hb = 0;
	}
}

static void reset(void)
{
	memset(&seen, 0, sizeof(seen));
	seen.fail_sub = -1;
}

/* info-get of "k" on c: 0 and "v", or the error. */
static int get(struct vmw_chan *c)
{
	char *got = NULL;
	size_t n;
	int rc = vmw_info_get(c, "k", &got, &n);

	if (!rc && (n != 1 || got[0] != 'v'))
		rc = VMW_EPROTO;
	free(got);
	return rc;
}

/* After a failure on c: the next call reopens once, with new cookies, and succeeds. */
static void recovers(struct vmw_chan *c, const char *what)
{
	unsigned int opens = seen.opens, calls = seen.close_calls;
	unsigned int k = seen.ncookies;

	ok(get(c) == 0, "%s: the next call succeeds", what);
	ok(seen.opens == opens + 1 && seen.close_calls == calls + 1,
	   "%s: by exactly one CLOSE and one OPEN (%u, %u)", what, seen.close_calls - calls,
	   seen.opens - opens);
	ok(seen.ncookies == k + 1 && k > 0 && seen.cookies[k] != seen.cookies[k - 1],
	   "%s: with new cookies", what);
	opens = seen.opens;
	calls = seen.close_calls;
	ok(get(c) == 0 && get(c) == 0 && seen.opens == opens && seen.close_calls == calls,
	   "%s: then the channel is kept (no CLOSE, no OPEN)", what);
}

static void fail_step(int sub, int hb, int no_hb, const char *what)
{
	struct emu_config cfg;
	struct vmw_chan *c;
	int rc;

	emu_config_default(&cfg);
	cfg.no_hb = no_hb;
	use(&cfg);
	emu_host_set_event(host, on_event, NULL);
	emu_info_set(host, "k", "v", 1);
	reset();
	vmw_chan_open(&c, VMW_PROTO_RPCI);
	ok(get(c) == 0, "%s: a kept channel answers", what);
	seen.fail_sub = sub;
	seen.fail_hb = hb;
	rc = get(c);
	ok(rc == VMW_EIO, "%s: the call fails with VMW_EIO (%s)", what, vmw_strerror(rc));
	recovers(c, what);
	ok(vmw_chan_close(c) == 0 && seen.opens == seen.closes, "%s: closes; no channel left open",
	   what);
}

static void host_closed(void)
{
	struct emu_config cfg;
	struct vmw_chan *c, *other;
	unsigned int calls;
	int rc;

	emu_config_default(&cfg);
	cfg.max_channels = 1;
	use(&cfg);
	emu_host_set_event(host, on_event, NULL);
	emu_info_set(host, "k", "v", 1);
	reset();
	vmw_chan_open(&c, VMW_PROTO_RPCI);
	ok(get(c) == 0, "host closes: a kept channel answers");
	emu_host_reclaim(host, 0);
	rc = get(c);
	ok(rc == VMW_EIO, "host closed it: VMW_EIO (%s)", vmw_strerror(rc));
	recovers(c, "host closed it");

	/* The table full when it reopens: refused, and retried at the next call. */
	emu_host_reclaim(host, 0);
	get(c);
	vmw_chan_open_via(&other, VMW_PROTO_RPCI, VMW_VIA_BACKDOOR);
	calls = seen.close_calls;
	rc = get(c);
	ok(rc == VMW_ECHANNEL && seen.close_calls == calls + 1,
	   "reopen refused (table full): VMW_ECHANNEL (%s), one CLOSE", vmw_strerror(rc));
	rc = get(c);
	ok(rc == VMW_ECHANNEL && seen.close_calls == calls + 1,
	   "refused again: the old id is not closed twice");
	vmw_chan_close(other);
	ok(get(c) == 0 && seen.close_calls == calls + 2, "a free slot: the next call reopens and succeeds");
	vmw_chan_close(c);
}

static void tclo(void)
{
	struct emu_config cfg;
	struct vmw_chan *c;
	const char *cmd;
	size_t n;
	unsigned int opens;

	emu_config_default(&cfg);
	use(&cfg);
	emu_host_set_event(host, on_event, NULL);
	reset();
	vmw_chan_open(&c, VMW_PROTO_TCLO);
	vmw_tclo_poll(c, NULL, 0, &cmd, &n);
	emu_tclo_push(host, "reset");
	seen.fail_sub = VMW_MSG_RECVSIZE;
	ok(vmw_tclo_poll(c, NULL, 0, &cmd, &n) == VMW_EIO, "TCLO: a failed receive: VMW_EIO");
	opens = seen.opens;
	ok(vmw_tclo_poll(c, NULL, 0, &cmd, &n) == 0 && seen.opens == opens + 1 &&
	   seen.proto == VMW_PROTO_TCLO, "TCLO: the next poll reopens a TCLO channel");
	vmw_chan_close(c);
}

int main(void)
{
	need_trapping();
	plan(4 * 7 + 9 + 2);
	vmware_hypercall_set_mode(VMW_TRANSPORT_IO);
	emu_trap_set_hook(hook, NULL);
	fail_step(VMW_MSG_RECVSIZE, 0, 0, "RECVSIZE fails");
	fail_step(VMW_MSG_SENDSIZE, 0, 0, "SENDSIZE fails");
	fail_step(-1, 1, 0, "HB transfer fails");
	fail_step(VMW_MSG_RECVPAYLOAD, 0, 1, "LB RECVPAYLOAD fails");
	host_closed();
	tclo();
	emu_trap_set_hook(NULL, NULL);
	emu_trap_remove();
	emu_host_free(host);
	return done_testing();
}
