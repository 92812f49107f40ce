// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the host's decoder of what a guest sends on its vsock
 * connection, and the host's answer to whatever it carries.  A decoded
 * payload lies inside the input; the reply is a well-formed RPCI answer.
 */
#include <stdlib.h>
#include <string.h>

#include "vmwcall/proto.h"
#include "datamap.h"
#include "host.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const auth[] = { "guestinfo.s*" };
	static struct emu_host *h;
	struct emu_dm_packet pkt;
	uint8_t *reply;
	size_t rlen;

	if (!h) {
		struct emu_config cfg;

		emu_config_default(&cfg);
		cfg.seed = 1;
		cfg.rpc_auth = auth;
		cfg.n_rpc_auth = 1;
		if (!(h = emu_host_new(&cfg)))
			abort();
	}
	if (emu_dm_decode(data, size, &pkt))
		return 0;
	if (pkt.type != VMW_PKT_DATA && pkt.type != VMW_PKT_PING)
		abort();
	if (pkt.type == VMW_PKT_PING)
		return 0;
	if (!pkt.payload || pkt.payload < data || pkt.len > size ||
	    (size_t)(pkt.payload - data) > size - pkt.len)
		abort();
	if (emu_host_rpci(h, pkt.payload, pkt.len, size & 1, 1, EMU_VSOCK_CHAN, &reply, &rlen))
		return 0;
	if (rlen < 2 || (reply[0] != '0' && reply[0] != '1') || reply[1] != ' ')
		abort();
	free(reply);
	return 0;
}
