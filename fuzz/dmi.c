// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the DMI table's guest path matcher and --dmi
 * argument.  A path is ours only if it is one of the two directories plus
 * a known name, exactly; an accepted override must store its value whole
 * and change no other file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dmi_table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t uuid[16] = { 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
	static struct emu_dmi d, before;
	char *s = malloc(size + 1), want[128], err[256], name[64];
	const char *eq;
	int k;

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	k = emu_dmi_path(s);
	if (k >= 0) {
		snprintf(want, sizeof(want), "/sys/class/dmi/id/%s", emu_dmi_name(k));
		if (strcmp(s, want)) {
			snprintf(want, sizeof(want), "/sys/devices/virtual/dmi/id/%s",
				 emu_dmi_name(k));
			if (strcmp(s, want))
				__builtin_trap();
		}
	}
	emu_dmi_defaults(&d, uuid);
	before = d;
	if (!emu_dmi_override(&d, s, err, sizeof(err))) {
		eq = strchr(s, '=');
		k = -1;
		if (eq && (size_t)(eq - s) < sizeof(name)) {
			memcpy(name, s, (size_t)(eq - s));
			name[eq - s] = '\0';
			k = emu_dmi_key(name);
		}
		if (k < 0 || strcmp(d.val[k], eq + 1) || d.set[k] != (eq[1] != '\0'))
			__builtin_trap();
		memcpy(d.val[k], before.val[k], sizeof(d.val[k]));
		d.set[k] = before.set[k];
	}
	if (memcmp(&d, &before, sizeof(d)))
		__builtin_trap();
	free(s);
	return 0;
}
