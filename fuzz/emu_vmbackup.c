// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: a quiesce under way and the guest's vmbackup.eventSet
 * requests, any bytes.  Every request gets "1 " or "0 "; at most
 * EMU_QUIESCE_EVENTS events are kept, each within its bounds; the state is
 * always one of the enum's; once the quiesce has ended, events are refused.
 * Input: a flags byte (bit 0: the host aborts), then requests separated by
 * '\n' (each prefixed with "vmbackup.eventSet ").
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char pre[] = "vmbackup.eventSet ";
	const uint8_t *end = data + size, *p;
	struct emu_config cfg;
	struct emu_host *h;

	if (size < 1)
		return 0;
	emu_config_default(&cfg);
	h = emu_host_new(&cfg);
	if (!h)
		return 0;
	if (emu_quiesce_start(h, data[0] & 1) || emu_quiesce_state(h) != EMU_QUIESCE_STARTED)
		__builtin_trap();
	for (p = data + 1; p < end;) {
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		uint8_t *msg = malloc(sizeof(pre) - 1 + n);
		struct emu_buf out = { 0 };
		enum emu_quiesce_st before = emu_quiesce_state(h), after;
		const char *name, *m;
		size_t i;

		if (!msg)
			break;
		memcpy(msg, pre, sizeof(pre) - 1);
		memcpy(msg + sizeof(pre) - 1, p, n);
		if (emu_rpc_answer(h, msg, (uint32_t)(sizeof(pre) - 1 + n), &out) || out.len < 2 ||
		    (out.p[0] != '0' && out.p[0] != '1') || out.p[1] != ' ')
			__builtin_trap();
		after = emu_quiesce_state(h);
		if (after > EMU_QUIESCE_FAILED || after == EMU_QUIESCE_NONE)
			__builtin_trap();
		/* An ended quiesce takes no more events. */
		if (before >= EMU_QUIESCE_COMPLETED && (out.p[0] == '1' || after != before))
			__builtin_trap();
		for (i = 0; (name = emu_quiesce_event(h, i, NULL, &m)); i++)
			if (strlen(name) >= 24 || strlen(m) > EMU_QUIESCE_MSG)
				__builtin_trap();
		if (i > EMU_QUIESCE_EVENTS)
			__builtin_trap();
		free(out.p);
		free(msg);
		p += n + 1;
	}
	emu_host_free(h);
	return 0;
}
