/* SPDX-License-Identifier: MIT */
/*
 * The NIC list a guest reports with "SetGuestInfo  10" (or 9): XDR
 * GuestNicProto, version 3, as open-vm-tools' lib/guestRpc/nicinfo.x lays
 * it out.  Untrusted: every count and length is checked against the
 * format's limits and the bytes at hand.
 */
#ifndef VMWCALL_EMU_NICINFO_H
#define VMWCALL_EMU_NICINFO_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"

/*
 * Append the NICs as a JSON array: [{"mac":"..","ips":["a.b.c.d/24",..]},..].
 * 0, or -1 if the data is not a version 3 NIC list (out then unchanged).
 */
int emu_nicinfo_json(const uint8_t *p, size_t n, struct sbuf *out);

#endif
