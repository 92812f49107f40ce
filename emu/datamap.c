// SPDX-License-Identifier: MIT
#include <string.h>

#include "vmwcall/proto.h"
#include "datamap.h"

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void wr32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (24 - 8 * i));
}

/* One length-prefixed string at p[0..n): its total size, 0 if malformed. */
static size_t str_size(const uint8_t *p, size_t n)
{
	uint32_t len;

	if (n < 4)
		return 0;
	len = rd32(p);
	/* DataMap's decoder takes lengths as positive int32s. */
	return len && len <= INT32_MAX && len <= n - 4 ? 4 + (size_t)len : 0;
}

/* The size of a field's value of type t, 0 if malformed. */
static size_t field_size(uint32_t t, const uint8_t *p, size_t n)
{
	size_t off = 4, s;
	uint32_t count;

	if (t == VMW_DM_INT64)
		return n >= 8 ? 8 : 0;
	if (t == VMW_DM_STRING)
		return str_size(p, n);
	if ((t != VMW_DM_INT64LIST && t != VMW_DM_STRINGLIST) || n < 4)
		return 0;
	count = rd32(p);
	if (t == VMW_DM_INT64LIST)
		return count <= (n - 4) / 8 ? 4 + (size_t)count * 8 : 0;
	for (uint32_t i = 0; i < count; i++, off += s)
		if (!(s = str_size(p + off, n - off)))
			return 0;
	return off;
}

int emu_dm_decode(const uint8_t *body, size_t n, struct emu_dm_packet *pkt)
{
	unsigned int seen = 0;	/* bit per known field id */

	memset(pkt, 0, sizeof(*pkt));
	while (n) {
		uint32_t t, id;
		size_t s;

		if (n < 8 || !(s = field_size(t = rd32(body), body + 8, n - 8)))
			return -1;
		id = rd32(body + 4);
		body += 8, n -= 8;
		if (id >= VMW_PKT_FIELD_TYPE && id <= VMW_PKT_FIELD_FAST_CLOSE) {
			int want = id == VMW_PKT_FIELD_PAYLOAD ? VMW_DM_STRING : VMW_DM_INT64;

			if (seen & 1u << id || t != (uint32_t)want)
				return -1;
			seen |= 1u << id;
			if (id == VMW_PKT_FIELD_PAYLOAD) {
				pkt->payload = body + 4;
				pkt->len = s - 4;
			} else {
				int64_t v = (int64_t)((uint64_t)rd32(body + 4) << 32 | rd32(body));

				if (id == VMW_PKT_FIELD_TYPE)
					pkt->type = v;
				else
					pkt->fast_close = v != 0;
			}
		}
		body += s, n -= s;
	}
	if (!(seen & 1u << VMW_PKT_FIELD_TYPE))
		return -1;
	if (pkt->type == VMW_PKT_DATA)
		return pkt->payload ? 0 : -1;
	return pkt->type == VMW_PKT_PING ? 0 : -1;
}

void emu_dm_reply_hdr(uint8_t *hdr, size_t len)
{
	wr32(hdr, (uint32_t)(EMU_DM_REPLY_HDR - 4 + len));
	wr32(hdr + 4, VMW_DM_INT64), wr32(hdr + 8, VMW_PKT_FIELD_TYPE);
	wr32(hdr + 12, VMW_PKT_DATA), wr32(hdr + 16, 0);
	wr32(hdr + 20, VMW_DM_STRING), wr32(hdr + 24, VMW_PKT_FIELD_PAYLOAD);
	wr32(hdr + 28, (uint32_t)len);
}
