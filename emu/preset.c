// SPDX-License-Identifier: MIT
#include <string.h>

#include "vmwcall/proto.h"
#include "preset.h"

#define PRELEN VMW_GUESTINFO_PREFIX_LEN

int emu_preset_split(const char *s, char *key, size_t keysz, const char **val)
{
	const char *eq = strchr(s, '=');
	size_t klen;

	if (strncmp(s, VMW_GUESTINFO_PREFIX, PRELEN) || !eq || (size_t)(eq - s) <= PRELEN)
		return -1;
	klen = (size_t)(eq - s) - PRELEN;
	if (klen >= keysz)
		return -1;
	memcpy(key, s + PRELEN, klen);
	key[klen] = '\0';
	*val = eq + 1;
	return 0;
}
