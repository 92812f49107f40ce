// SPDX-License-Identifier: MIT
/* A bounded XDR reader for the guest's NIC list (nicinfo.x, version 3). */
#include <arpa/inet.h>
#include <string.h>

#include "nicinfo.h"

#define MAX_NICS 16
#define MAX_IPS 2048
#define MAC_LEN 18
#define ADDR_LEN 255
#define DNS_NAME_LEN 255
#define DNS_SERVERS 16
#define DNS_SUFFIXES 10
#define DHCP_LEN 16384

struct xdr {
	const uint8_t *p;
	size_t n, pos;
	int bad;
};

static uint32_t u32(struct xdr *x)
{
	const uint8_t *q;

	if (x->bad || x->n - x->pos < 4) {
		x->bad = 1;
		return 0;
	}
	q = x->p + x->pos;
	x->pos += 4;
	return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
}

/* Variable-length opaque or string of at most max bytes; NULL if bad. */
static const uint8_t *opaque(struct xdr *x, uint32_t max, uint32_t *len)
{
	uint32_t n = u32(x);
	size_t padded = ((size_t)n + 3) & ~(size_t)3;
	const uint8_t *s;

	*len = 0;
	if (x->bad || n > max || x->n - x->pos < padded) {
		x->bad = 1;
		return NULL;
	}
	s = x->p + x->pos;
	x->pos += padded;
	*len = n;
	return s;
}

/* An optional (pointer) member: 1 if present. */
static int present(struct xdr *x)
{
	uint32_t f = u32(x);

	if (f > 1)
		x->bad = 1;
	return f == 1 && !x->bad;
}

static void typed_addr(struct xdr *x, uint32_t *type, const uint8_t **a, uint32_t *len)
{
	*type = u32(x);
	*a = opaque(x, ADDR_LEN, len);
}

static void skip_dns(struct xdr *x)
{
	uint32_t n, t, len;
	const uint8_t *a;

	if (present(x))
		opaque(x, DNS_NAME_LEN, &len);
	if (present(x))
		opaque(x, DNS_NAME_LEN, &len);
	n = u32(x);
	if (n > DNS_SERVERS)
		x->bad = 1;
	for (uint32_t i = 0; i < n && !x->bad; i++)
		typed_addr(x, &t, &a, &len);
	n = u32(x);
	if (n > DNS_SUFFIXES)
		x->bad = 1;
	for (uint32_t i = 0; i < n && !x->bad; i++)
		opaque(x, DNS_NAME_LEN, &len);
}

static void skip_optionals(struct xdr *x)
{
	uint32_t t, len;
	const uint8_t *a;

	if (present(x))
		skip_dns(x);
	if (present(x)) {	/* WINS: primary, secondary */
		typed_addr(x, &t, &a, &len);
		typed_addr(x, &t, &a, &len);
	}
	for (int i = 0; i < 2; i++) {	/* DHCP v4, v6 */
		if (present(x)) {
			u32(x);
			opaque(x, DHCP_LEN, &len);
		}
	}
}

static void ip_json(struct sbuf *b, uint32_t type, const uint8_t *a, uint32_t len, uint32_t prefix,
		    int first)
{
	char text[INET6_ADDRSTRLEN];

	if (!first)
		sb_puts(b, ",");
	if ((type == 1 && len == 4 && inet_ntop(AF_INET, a, text, sizeof(text))) ||
	    (type == 2 && len == 16 && inet_ntop(AF_INET6, a, text, sizeof(text)))) {
		sb_printf(b, "\"%s/%u\"", text, prefix);
		return;
	}
	/* Another address type (zoned, DNS name): its bytes, as the guest sent them. */
	sb_puts(b, "{");
	sb_printf(b, "\"type\":%u", type);
	sb_json_bytes(b, 1, "address", a, len, ADDR_LEN);
	sb_printf(b, ",\"prefix\":%u}", prefix);
}

int emu_nicinfo_json(const uint8_t *p, size_t n, struct sbuf *out)
{
	struct xdr x = { p, n, 0, 0 };
	struct sbuf b;
	uint32_t nics;

	if (u32(&x) != 3 || !present(&x))
		return -1;
	nics = u32(&x);
	if (x.bad || nics > MAX_NICS)
		return -1;
	sb_init(&b, 1u << 20);
	sb_puts(&b, "[");
	for (uint32_t i = 0; i < nics && !x.bad; i++) {
		uint32_t len, ips;
		const uint8_t *mac = opaque(&x, MAC_LEN, &len);

		if (!mac)
			break;
		sb_puts(&b, i ? ",{" : "{");
		sb_json_bytes(&b, 0, "mac", mac, len, MAC_LEN);
		sb_puts(&b, ",\"ips\":[");
		ips = u32(&x);
		if (ips > MAX_IPS)
			x.bad = 1;
		for (uint32_t j = 0; j < ips && !x.bad; j++) {
			uint32_t type, alen = 0, prefix;
			const uint8_t *a;

			typed_addr(&x, &type, &a, &alen);
			prefix = u32(&x);
			if (present(&x))	/* origin */
				u32(&x);
			if (present(&x))	/* status */
				u32(&x);
			if (!x.bad)
				ip_json(&b, type, a, alen, prefix, j == 0);
		}
		sb_puts(&b, "]}");
		skip_optionals(&x);
	}
	sb_puts(&b, "]");
	if (x.bad || b.err) {
		sb_free(&b);
		return -1;
	}
	sb_put(out, b.p, b.len);
	sb_free(&b);
	return 0;
}
