// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the guest side (GuestRPC channel, RPCI, guestinfo,
 * TCLO and the typed commands) against a host whose every answer comes
 * from the input.  The client's sources are compiled here against a
 * stand-in for <vmwcall/hypercall.h>: the same wrappers, but each call
 * takes its out registers from the input instead of an instruction.  The
 * real wrappers are single instructions, tested on every transport by
 * t_hypercall; what is fuzzed is everything the client does with the
 * answers.  HB transfers move exactly the bytes the client asked for, as
 * rep insb/outsb do, so ASan sees any buffer the client sized wrongly.
 *
 * Input: one byte per operation, then the host's answers as the calls
 * consume them.  When the input runs out every register reads 0 (a host
 * that says "failure"), so each run ends.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmwcall/proto.h"

/* --- the stand-in for hypercall.h ----------------------------------- */
#define VMWCALL_HYPERCALL_H

typedef unsigned int vmw_u32;

static const uint8_t *in_p;
static size_t in_n;
static unsigned int mode = VMW_TRANSPORT_IO;

static uint8_t byte(void)
{
	if (!in_n)
		return 0;
	in_n--;
	return *in_p++;
}

static vmw_u32 word(void)
{
	vmw_u32 w = 0;

	for (int i = 0; i < 4; i++)
		w |= (vmw_u32)byte() << (8 * i);
	return w;
}

/*
 * The host's answer: a selector byte says, per register, whether the host
 * changed it (a word from the input) or left what the guest loaded.
 */
static void host(unsigned long r[6])
{
	uint8_t sel;

	if (!in_n) {
		memset(r, 0, 6 * sizeof(*r));
		return;
	}
	sel = byte();
	for (int i = 0; i < 6; i++)
		if (sel & 1u << i)
			r[i] = word();
}

static unsigned int vmware_hypercall_get_mode(void)
{
	return mode;
}

/* As the header decides it, minus the encrypted-memory test a fuzzer has no use for. */
static int vmware_hypercall_hb_ok(void)
{
	return vmware_hypercall_get_mode() != VMW_TRANSPORT_TDX;
}

static unsigned long lb(unsigned long cmd, unsigned long in1, unsigned long in3,
			unsigned long in4, unsigned long in5, vmw_u32 o[5])
{
	unsigned long r[6] = { VMW_MAGIC, in1, cmd, in3, in4, in5 };

	host(r);
	for (int i = 0; i < 5; i++)
		o[i] = (vmw_u32)r[i + 1];
	return (vmw_u32)r[0];
}

static unsigned long vmware_hypercall1(unsigned long cmd, unsigned long in1)
{
	vmw_u32 o[5];

	return lb(cmd, in1, 0, 0, 0, o);
}

static unsigned long vmware_hypercall3(unsigned long cmd, unsigned long in1,
				       vmw_u32 *out1, vmw_u32 *out2)
{
	vmw_u32 o[5];
	unsigned long ax = lb(cmd, in1, 0, 0, 0, o);

	*out1 = o[0], *out2 = o[1];
	return ax;
}

static unsigned long vmware_hypercall4(unsigned long cmd, unsigned long in1,
				       vmw_u32 *out1, vmw_u32 *out2, vmw_u32 *out3)
{
	vmw_u32 o[5];
	unsigned long ax = lb(cmd, in1, 0, 0, 0, o);

	*out1 = o[0], *out2 = o[1], *out3 = o[2];
	return ax;
}

static unsigned long vmware_hypercall5(unsigned long cmd, unsigned long in1, unsigned long in3,
				       unsigned long in4, unsigned long in5, vmw_u32 *out2)
{
	vmw_u32 o[5];
	unsigned long ax = lb(cmd, in1, in3, in4, in5, o);

	*out2 = o[1];
	return ax;
}

static unsigned long vmware_hypercall7(unsigned long cmd, unsigned long in1, unsigned long in3,
				       unsigned long in4, unsigned long in5,
				       vmw_u32 *out1, vmw_u32 *out2, vmw_u32 *out3)
{
	vmw_u32 o[5];
	unsigned long ax = lb(cmd, in1, in3, in4, in5, o);

	*out1 = o[0], *out2 = o[1], *out3 = o[2];
	return ax;
}

static unsigned long vmware_hypercall9(unsigned long cmd, unsigned long in1, unsigned long in3,
				       unsigned long in4, unsigned long in5,
				       vmw_u32 *out1, vmw_u32 *out2, vmw_u32 *out3,
				       vmw_u32 *out4, vmw_u32 *out5)
{
	vmw_u32 o[5];
	unsigned long ax = lb(cmd, in1, in3, in4, in5, o);

	*out1 = o[0], *out2 = o[1], *out3 = o[2], *out4 = o[3], *out5 = o[4];
	return ax;
}

/* rep outsb: the host reads in2 bytes at in4. */
static unsigned long vmware_hypercall_hb_out(unsigned long cmd, unsigned long in2,
					     unsigned long in3, unsigned long in4,
					     unsigned long in5, unsigned long in6, vmw_u32 *out1)
{
	const volatile uint8_t *src = (const volatile uint8_t *)(uintptr_t)in4;
	unsigned long r[6] = { VMW_MAGIC, cmd, in2, in3, in4, in5 };
	uint8_t sum = 0;

	(void)in6;
	for (unsigned long i = 0; i < in2; i++)
		sum += src[i];
	r[2] = sum;
	host(r);
	*out1 = (vmw_u32)r[1];
	return r[0];
}

/* rep insb: the host writes in2 bytes at in5, from the input (zeros after it). */
static unsigned long vmware_hypercall_hb_in(unsigned long cmd, unsigned long in2,
					    unsigned long in3, unsigned long in4,
					    unsigned long in5, unsigned long in6, vmw_u32 *out1)
{
	uint8_t *dst = (uint8_t *)(uintptr_t)in5;
	unsigned long r[6] = { VMW_MAGIC, cmd, in2, in3, in4, in5 };
	size_t n = in2 < in_n ? in2 : in_n;

	(void)in6;
	memcpy(dst, in_p, n);
	memset(dst + n, 0, in2 - n);
	in_p += n, in_n -= n;
	host(r);
	*out1 = (vmw_u32)r[1];
	return r[0];
}

/*
 * The client grows a reply buffer only after checking the host's size
 * against the channel's limit: any larger request is a bug.
 */
static size_t cur_max;

static void *grow(void *p, size_t n)
{
	if (n > cur_max + 1)
		__builtin_trap();
	return realloc(p, n);
}

/* --- the client, as the library builds it -------------------------- */
#define realloc grow
#include "../src/cmd.c"
#include "../src/msg.c"
#include "../src/rpci.c"
#undef realloc

/* The gate (src/present.c), switched by the input: absent, nothing may be sent. */
static int absent;

int vmw_ready(void)
{
	return !absent;
}

/* --- the driver ----------------------------------------------------- */
#define CHANS 2

static int known(int err)
{
	return err <= VMW_OK && err >= VMW_EIO;
}

static void check_reply(int err, const char *r, size_t n, size_t max, int oneshot)
{
	if (!known(err) || (oneshot && absent && err != VMW_ENOTVMWARE))
		__builtin_trap();
	if (err != VMW_OK && err != VMW_EHOST) {
		if (r || n)
			__builtin_trap();
		return;
	}
	if (r && (n > max || r[n] != '\0'))
		__builtin_trap();
}

static size_t msg_len(void)
{
	uint8_t b = byte();

	/* Mostly short; sometimes across the LB word boundary or past the limit. */
	if (b < 200)
		return b;
	if (b < 250)
		return (size_t)(b - 200) * 1000;
	return VMW_MSG_MAX_IN_SIZE + (b - 250);
}

static void typed(uint8_t which)
{
	uint32_t a, b;
	uint64_t q;
	uint8_t u[16];
	struct vmw_time t;
	unsigned int how;
	int err = 0;

	switch (which % 9) {
	case 0: err = vmw_get_version(&a, &b); break;
	case 1: err = vmw_get_mhz(&a); break;
	case 2: err = vmw_get_hz(&q, &a); break;
	case 3: err = vmw_get_host_time(&t, sizeof(t));
		if (!err && (t.usec >= 1000000 || !t.sec))
			__builtin_trap();
		break;
	case 4: err = vmw_get_uuid(u); break;
	case 5: err = vmw_get_memsize(&a, &how);
		if (!err && (how > VMW_MEMSIZE_QEMU || !a))
			__builtin_trap();
		break;
	case 6: err = vmw_get_vcpu_info(&a); break;
	case 7: err = vmw_stealclock_enable((uint64_t)byte() << 6); break;
	case 8: err = vmw_stealclock_disable(); break;
	}
	if (!known(err) || (absent && err != VMW_ENOTVMWARE))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char buf[VMW_MSG_MAX_IN_SIZE + 8];
	struct vmw_chan *ch[CHANS] = { NULL };
	size_t max[CHANS] = { 0 };
	int ops = 0;

	in_p = data, in_n = size;
	mode = VMW_TRANSPORT_IO;
	absent = 0;
	while (in_n && ops++ < 64) {
		uint8_t op = byte(), k = op >> 7 & 1;
		/* Requests 5-8 go on channel k with bit 4 set, else on a one-shot one. */
		int on_k = (op & 15) < 5 || (op & 15) == 9 || op & 16;
		struct vmw_chan *rc = on_k ? ch[k] : NULL;
		size_t lim = rc ? max[k] : VMW_RPC_MAX_REPLY_DEFAULT;
		const char *m;
		char *r;
		size_t n, len;
		int err;

		cur_max = lim;

		switch (op & 15) {
		case 0:
			if (!ch[k]) {
				err = vmw_chan_open(&ch[k], op & 16 ? VMW_PROTO_TCLO : VMW_PROTO_RPCI);
				if (!known(err) || !err != !!ch[k] || (absent && err != VMW_ENOTVMWARE))
					__builtin_trap();
				max[k] = VMW_RPC_MAX_REPLY_DEFAULT;
			}
			break;
		case 1:
			len = msg_len();
			memset(buf, 'a' + (op >> 4), len < sizeof(buf) ? len : sizeof(buf));
			err = vmw_chan_send(ch[k], buf, len);
			if (!known(err) || (len > VMW_MSG_MAX_IN_SIZE && ch[k] && err != VMW_ETOOBIG))
				__builtin_trap();
			break;
		case 2:
			err = vmw_chan_recv(ch[k], &m, &n);
			if (!known(err) || !m || (err && n) || n > max[k] || m[n] != '\0')
				__builtin_trap();
			break;
		case 3:
			if (!known(vmw_chan_close(ch[k])))
				__builtin_trap();
			ch[k] = NULL;
			break;
		case 4:
			if (ch[k]) {
				max[k] = byte();
				vmw_chan_set_max_reply(ch[k], max[k]);
			}
			break;
		case 5:
			len = msg_len() % 300;
			memset(buf, 'r', len);
			err = vmw_rpci_call(rc, buf, len, &r, &n);
			check_reply(err, r, n, lim, !rc);
			free(r);
			break;
		case 6:
			err = vmw_info_get(rc, "key", &r, &n);
			check_reply(err, r, n, lim, !rc);
			free(r);
			break;
		case 7:
			len = msg_len();
			memset(buf, 'v', len < sizeof(buf) ? len : sizeof(buf));
			err = vmw_info_set(rc, "guestinfo.key", buf,
					   len < sizeof(buf) ? len : sizeof(buf));
			if (!known(err))
				__builtin_trap();
			break;
		case 8:
			err = vmw_log(rc, "hello");
			if (!known(err) || (absent && !rc && err != VMW_ENOTVMWARE))
				__builtin_trap();
			break;
		case 9:
			len = op & 16 ? 4 : 0;
			err = vmw_tclo_poll(ch[k], "OK x", len, &m, &n);
			if (!known(err) || !m || (err && n) || m[n] != '\0')
				__builtin_trap();
			break;
		case 10:
			typed(byte());
			break;
		case 11:
			/* HB is not used under TDX: the same answers must then go LB. */
			mode = op & 16 ? VMW_TRANSPORT_TDX : VMW_TRANSPORT_IO;
			break;
		case 12:
			absent = op >> 4 & 1;
			break;
		default:
			break;
		}
	}
	for (int k = 0; k < CHANS; k++)
		vmw_chan_close(ch[k]);
	return 0;
}
