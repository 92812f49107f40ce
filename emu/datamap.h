/* SPDX-License-Identifier: MIT */
/*
 * The host's side of open-vm-tools' vsock packets: a big-endian length,
 * then a DataMap of typed fields (proto.h).  Everything a guest sends is
 * checked as the VMX's decoder would: sizes, types, repeated fields.
 */
#ifndef VMWCALL_EMU_DATAMAP_H
#define VMWCALL_EMU_DATAMAP_H

#include <stddef.h>
#include <stdint.h>

struct emu_dm_packet {
	int64_t type;			/* VMW_PKT_DATA or VMW_PKT_PING */
	const uint8_t *payload;		/* into the body; NULL if absent */
	size_t len;
	int fast_close;			/* the guest closes after the reply */
};

/* Decode a packet body (after the length word): 0, or -1 if malformed. */
int emu_dm_decode(const uint8_t *body, size_t n, struct emu_dm_packet *pkt);

/* Bytes before a reply's payload: length word, TYPE, PAYLOAD's header. */
#define EMU_DM_REPLY_HDR (4 + 16 + 12)

/* Fill hdr[EMU_DM_REPLY_HDR] for a DATA reply carrying len payload bytes. */
void emu_dm_reply_hdr(uint8_t *hdr, size_t len);

#endif
