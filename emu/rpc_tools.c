// SPDX-License-Identifier: MIT
/* RPCI commands of the tools service: logging, version, capabilities. */
#include "internal.h"

static int ok_empty(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out)
{
	(void)h, (void)arg, (void)len;
	return EMU_REPLY(out, 1, "");
}

const struct emu_rpc_cmd emu_rpc_tools[] = {
	{ "log", ok_empty, 0 },
	{ "tools.set.version", ok_empty, 0 },
	{ "tools.set.versiontype", ok_empty, 0 },
	{ "tools.capability.", ok_empty, EMU_RPC_FAMILY },
	{ "vmx.capability.unified_loop", ok_empty, 0 },
	{ "SetGuestInfo", ok_empty, EMU_RPC_RAW },
	{ "tools.os.statechange.status", ok_empty, 0 },
	{ NULL, NULL, 0 },
};
