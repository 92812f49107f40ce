// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: guestlib's RPCI commands (emu/guestlib.c,
 * emu/rpc_guestlib.c) on arbitrary guest arguments, through the host's
 * RPCI entry point, and the --guestlib NAME=VALUE parser.  Checks: every
 * reply is "1 " or "0 "; a V3 reply's dataSize is exactly the rest and its
 * count is 38; a V2 reply has VMGuestLibDataV2's size.
 * Input: a flags byte (guestlib on, seed), an option string up to the
 * first NUL, then the request bytes.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const cmds[] = { "guestlib.info.get ", "guestlib.stat.get " };
	struct emu_config cfg;
	struct emu_host *h;
	const uint8_t *nul;
	char opt[256];
	uint8_t *req, *rep;
	size_t olen, rlen, n;

	if (size < 2)
		return 0;
	emu_config_default(&cfg);
	cfg.guestlib.enabled = data[0] & 1;
	cfg.seed = data[0] >> 2;
	data++, size--;
	nul = memchr(data, '\0', size);
	olen = nul ? (size_t)(nul - data) : 0;
	if (olen < sizeof(opt)) {
		memcpy(opt, data, olen);
		opt[olen] = '\0';
		(void)emu_guestlib_option(&cfg.guestlib, opt);
	}
	if (nul)
		data += olen + 1, size -= olen + 1;
	if (!(h = emu_host_new(&cfg)))
		return 0;
	for (int c = 0; c < 2; c++) {
		n = strlen(cmds[c]);
		if (!(req = malloc(n + size)))
			break;
		memcpy(req, cmds[c], n);
		memcpy(req + n, data, size);
		if (emu_host_rpci(h, req, n + size, 0, 1, EMU_VSOCK_CHAN, &rep, &rlen) == 0) {
			if (rlen < 2 || (rep[0] != '1' && rep[0] != '0') || rep[1] != ' ')
				__builtin_trap();
			if (c == 0 && rep[0] == '1') {
				uint32_t ver = rep[2] | (uint32_t)rep[3] << 8;
				uint32_t ds = rlen >= 18 ? rep[14] | (uint32_t)rep[15] << 8 |
						(uint32_t)rep[16] << 16 | (uint32_t)rep[17] << 24 : 0;

				if (ver == 3 && (ds != rlen - 18 || rep[21] != EMU_GL_NSTATS))
					__builtin_trap();
				if (ver == 2 && rlen - 2 != 12 + 15 * 8 + 2 * 12 + 513)
					__builtin_trap();
				if (ver != 2 && ver != 3)
					__builtin_trap();
			}
			free(rep);
		}
		free(req);
	}
	emu_host_free(h);
	return 0;
}
