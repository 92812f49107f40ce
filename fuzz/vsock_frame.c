// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the vsock transport's reply parser, the first code to
 * read what a (possibly hostile) host sends on port 976.  An accepted
 * packet's payload must lie inside the input; a refused one must say so
 * with VMW_EPROTO and no payload.
 */
#include <stdint.h>
#include <stdlib.h>

#include "vmwcall/error.h"
#include "../src/vsock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const unsigned char *pl;
	size_t len;
	int rc = vmw_vsock_parse(data, size, &pl, &len);

	if (rc == 0 && (pl < data || len > size || (size_t)(pl - data) > size - len))
		abort();
	if (rc != 0 && (rc != VMW_EPROTO || pl || len))
		abort();
	return 0;
}
