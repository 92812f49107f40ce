// SPDX-License-Identifier: MIT
/*
 * The guestinfo store with keys a hostile guest picks (issue 15): 65,536
 * keys sharing a 1000-byte prefix, loaded and then each read back.  Public
 * API only, so the same file times older stores.
 */
#include <stdio.h>
#include <string.h>

#include "host.h"
#include "bench.h"

#define NKEYS 65536
#define PREFIX_LEN 1000

int main(void)
{
	static char key[PREFIX_LEN + 16];
	struct emu_config cfg;
	struct emu_host *h;
	double load, get;
	int bad = 0;

	emu_config_default(&cfg);
	h = emu_host_new(&cfg);
	memset(key, 'k', PREFIX_LEN);
	load = now();
	for (int i = 0; i < NKEYS; i++) {
		snprintf(key + PREFIX_LEN, 16, "%05d", i);
		bad |= emu_info_set(h, key, "v", 1);
	}
	load = now() - load;
	get = now();
	for (int i = 0; i < NKEYS; i++) {
		snprintf(key + PREFIX_LEN, 16, "%05d", i);
		bad |= !emu_info_get(h, key, NULL);
	}
	get = now() - get;
	printf("guestinfo store, %d keys with a %d-byte common prefix:\n", NKEYS, PREFIX_LEN);
	printf("  load (info set each)  %8.3f s\n", load);
	printf("  read back (get each)  %8.3f s\n", get);
	emu_host_free(h);
	return bad ? 1 : 0;
}
