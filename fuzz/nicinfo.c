// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the XDR NIC list reader.  Any bytes: no crash, no
 * read past the input; an accepted list is a JSON array.
 */
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "nicinfo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sbuf b;
	uint8_t *copy = malloc(size ? size : 1);	/* exact size: ASan sees overreads */

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	sb_init(&b, SIZE_MAX);
	sb_puts(&b, "{\"nics\":");
	if (emu_nicinfo_json(copy, size, &b) == 0) {
		struct json_obj o;
		const char *err;
		char *scratch;

		sb_puts(&b, "}");
		scratch = malloc(JSON_SCRATCH(b.len));
		if (scratch && (json_parse(b.p, b.len, scratch, &o, &err) ||
				json_get(&o, "nics")->type != JSON_RAW || json_get(&o, "nics")->s[0] != '['))
			__builtin_trap();
		free(scratch);
	}
	sb_free(&b);
	free(copy);
	return 0;
}
