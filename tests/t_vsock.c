// SPDX-License-Identifier: MIT
/*
 * The vsock transport's framing and bounded waits, against a fake host on
 * a socketpair: the same bytes a VMX reads and writes on port 976.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vmwcall/error.h"
#include "vmwcall/proto.h"
#include "vmwcall/rpc.h"
#include "../src/vsock.h"
#include "tap.h"

static size_t put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
	return 4;
}

static size_t int64(unsigned char *p, uint32_t id, uint64_t v)
{
	size_t n = put32(p, VMW_DM_INT64);

	n += put32(p + n, id);
	n += put32(p + n, (uint32_t)v);
	return n + put32(p + n, (uint32_t)(v >> 32));
}

static size_t string(unsigned char *p, uint32_t id, const char *s, size_t len)
{
	size_t n = put32(p, VMW_DM_STRING);

	n += put32(p + n, id);
	n += put32(p + n, (uint32_t)len);
	memcpy(p + n, s, len);
	return n + len;
}

/* A reply body: payload first, then TYPE, as a hash map may order them. */
static size_t reply_body(unsigned char *p, const char *text, uint64_t type)
{
	size_t n = string(p, VMW_PKT_FIELD_PAYLOAD, text, strlen(text));

	return n + int64(p + n, VMW_PKT_FIELD_TYPE, type);
}

static int parses(const unsigned char *p, size_t n)
{
	const unsigned char *pl;
	size_t len;

	return vmw_vsock_parse(p, n, &pl, &len) == 0;
}

static void framing(void)
{
	/* open-vm-tools' "ping" request (real-host.md 6.2), our field order. */
	static const unsigned char want[] = {
		0, 0, 0, 0x30,
		0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0,
		0, 0, 0, 1, 0, 0, 0, 3, 0, 0, 0, 1, 0, 0, 0, 0,
		0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 4,
	};
	unsigned char hdr[VMW_VSOCK_REQ_HDR], b[256];
	const unsigned char *pl;
	size_t n, len, bad = 0;

	vmw_vsock_req_hdr(hdr, 4, 1);
	ok(sizeof(want) == sizeof(hdr) && !memcmp(hdr, want, sizeof(want)),
	   "request header: length 48, TYPE=DATA, FAST_CLOSE=1, PAYLOAD of 4 bytes");
	vmw_vsock_req_hdr(hdr, 70000, 0);
	ok(hdr[0] == 0 && hdr[1] == 1 && hdr[2] == 0x11 && hdr[3] == 0x9C && hdr[31] == 0,
	   "length word counts header fields and payload (44 + 70000), FAST_CLOSE=0");

	n = reply_body(b, "1 hello", VMW_PKT_DATA);
	ok(vmw_vsock_parse(b, n, &pl, &len) == 0 && len == 7 && !memcmp(pl, "1 hello", 7),
	   "reply with PAYLOAD before TYPE parses");
	for (size_t cut = 0; cut < n; cut++)
		bad += parses(b, cut) != 0;
	ok(bad == 0, "every truncation of a reply is refused");

	n = reply_body(b, "1 x", VMW_PKT_PING);
	ok(!parses(b, n), "a PING is not a reply");
	n = int64(b, VMW_PKT_FIELD_TYPE, VMW_PKT_DATA);
	ok(!parses(b, n), "DATA without PAYLOAD is refused");
	n = reply_body(b, "1 a", VMW_PKT_DATA);
	n += string(b + n, VMW_PKT_FIELD_PAYLOAD, "1 b", 3);
	ok(!parses(b, n), "a second PAYLOAD is refused");
	n = reply_body(b, "1 a", VMW_PKT_DATA);
	n += int64(b + n, VMW_PKT_FIELD_TYPE, VMW_PKT_DATA);
	ok(!parses(b, n), "a second TYPE is refused");
	n = reply_body(b, "1 a", VMW_PKT_DATA);
	n += put32(b + n, 0), n += put32(b + n, 9);
	ok(!parses(b, n), "an EMPTY-typed entry is refused");
	n = reply_body(b, "1 a", VMW_PKT_DATA);
	n += put32(b + n, 5), n += put32(b + n, 9), n += put32(b + n, 0);
	ok(!parses(b, n), "an unknown type is refused");
	n = int64(b, VMW_PKT_FIELD_TYPE, VMW_PKT_DATA);
	n += string(b + n, VMW_PKT_FIELD_PAYLOAD, "", 0);
	ok(!parses(b, n), "an empty string is refused, as DataMap does");
	n = int64(b, VMW_PKT_FIELD_TYPE, VMW_PKT_DATA);
	n += put32(b + n, VMW_DM_STRING), n += put32(b + n, VMW_PKT_FIELD_PAYLOAD);
	n += put32(b + n, 0xFFFFFFF0u);
	ok(!parses(b, n), "a string longer than the packet is refused");
	n = int64(b, VMW_PKT_FIELD_PAYLOAD, 7);
	n += int64(b + n, VMW_PKT_FIELD_TYPE, VMW_PKT_DATA);
	ok(!parses(b, n), "PAYLOAD of the wrong type is refused");

	/* Fields we do not read, of every list type, are skipped. */
	n = reply_body(b, "1 ok", VMW_PKT_DATA);
	n += put32(b + n, VMW_DM_INT64LIST), n += put32(b + n, 40), n += put32(b + n, 1);
	n += put32(b + n, 7), n += put32(b + n, 0);
	n += put32(b + n, VMW_DM_STRINGLIST), n += put32(b + n, 41), n += put32(b + n, 2);
	n += put32(b + n, 1), b[n++] = 'a', n += put32(b + n, 2), b[n++] = 'b', b[n++] = 'c';
	ok(vmw_vsock_parse(b, n, &pl, &len) == 0 && len == 4 && !memcmp(pl, "1 ok", 4),
	   "unread INT64LIST and STRINGLIST fields are skipped");
	n -= 3;
	ok(!parses(b, n), "a truncated STRINGLIST is refused");
	n = reply_body(b, "1 ok", VMW_PKT_DATA);
	n += put32(b + n, VMW_DM_INT64LIST), n += put32(b + n, 40), n += put32(b + n, 0x7FFFFFFF);
	ok(!parses(b, n), "an INT64LIST count past the packet is refused");
}

/* One packet from the fake host: the length word, then the body. */
static void host_says(int fd, const unsigned char *body, size_t n, uint32_t claimed)
{
	unsigned char w[4];

	put32(w, claimed);
	if (write(fd, w, 4) != 4 || (n && write(fd, body, n) != (ssize_t)n))
		abort();
}

static void transfers(void)
{
	unsigned char b[256], got[256];
	char *buf = NULL;
	const char *pl;
	size_t cap = 0, len, n;
	int sv[2], rc;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		abort();
	vmw_vsock_set_timeout(sv[0], 200);

	ok(vmw_vsock_send(sv[0], "info-get guestinfo.x", 20, 0) == 0 &&
	   read(sv[1], got, sizeof(got)) == VMW_VSOCK_REQ_HDR + 20 &&
	   !memcmp(got + VMW_VSOCK_REQ_HDR, "info-get guestinfo.x", 20),
	   "send: one packet, header then the request bytes");
	ok(vmw_vsock_send(sv[0], "", 0, 0) == VMW_EINVAL, "send: an empty request is refused");

	n = reply_body(b, "1 value", VMW_PKT_DATA);
	host_says(sv[1], b, n, (uint32_t)n);
	rc = vmw_vsock_recv(sv[0], 1024, &buf, &cap, &pl, &len);
	ok(rc == 0 && len == 7 && !memcmp(pl, "1 value", 8), "recv: payload, NUL-terminated");

	host_says(sv[1], b, 0, 0x7FFFFFF0u);
	free(buf), buf = NULL, cap = 0;
	rc = vmw_vsock_recv(sv[0], 1024, &buf, &cap, &pl, &len);
	ok(rc == VMW_ETOOBIG && cap == 0, "recv: a huge length word is refused before allocation");

	n = reply_body(b, "1 a reply longer than the limit", VMW_PKT_DATA);
	host_says(sv[1], b, n, (uint32_t)n);
	rc = vmw_vsock_recv(sv[0], 8, &buf, &cap, &pl, &len);
	ok(rc == VMW_ETOOBIG, "recv: a payload over the limit is refused");

	rc = vmw_vsock_recv(sv[0], 1024, &buf, &cap, &pl, &len);
	ok(rc == VMW_ETIMEDOUT, "recv: a silent host is a bounded wait (%d)", rc);

	n = reply_body(b, "1 value", VMW_PKT_DATA);
	host_says(sv[1], b, n - 3, (uint32_t)n);
	close(sv[1]);
	rc = vmw_vsock_recv(sv[0], 1024, &buf, &cap, &pl, &len);
	ok(rc == VMW_ECHANNEL, "recv: a host hanging up mid-packet is an error (%d)", rc);
	ok(vmw_vsock_send(sv[0], "ping", 4, 0) == VMW_ECHANNEL,
	   "send to a closed host: an error, no SIGPIPE");
	close(sv[0]);
	free(buf);
}

static void channel(void)
{
	struct vmw_chan *c = (struct vmw_chan *)1;

	ok(vmw_chan_open_via(&c, VMW_PROTO_TCLO, VMW_VIA_VSOCK) == VMW_EINVAL && !c,
	   "TCLO over vsock is refused");
	ok(vmw_chan_open_via(&c, VMW_PROTO_RPCI, 99) == VMW_EINVAL && !c,
	   "an unknown transport is refused");
	ok(vmw_chan_via(NULL) == 0, "vmw_chan_via(NULL) is 0");
}

int main(void)
{
	plan(27);
	framing();
	transfers();
	channel();
	return done_testing();
}
