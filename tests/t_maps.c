// SPDX-License-Identifier: MIT
/* emu_maps_allow against maps text we write ourselves: gaps, permissions, long lines. */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "maps.h"
#include "tap.h"

static int maps_fd(const char *text)
{
	int fd = memfd_create("maps", MFD_CLOEXEC);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		exit(1);
	return fd;
}

int main(void)
{
	static char text[16384];
	char path[9000];
	int fd;

	plan(14);
	memset(path, 'x', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	snprintf(text, sizeof(text),
		 "1000-3000 rw-p 00000000 00:00 0 %s\n"
		 "3000-4000 r--p 00000000 08:01 12 /usr/lib/x\n"
		 "5000-6000 rw-s 00000000 00:00 0\n"
		 "6000-7000 ---p 00000000 00:00 0\n"
		 "7000-8000 r-xp 00000000 00:00 0 [vdso]\n"
		 "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 [vsyscall]\n", path);
	fd = maps_fd(text);
	ok(emu_maps_allow(fd, 0x1000, 0x2000, 'w') == 0, "whole writable mapping, after a 9 KB line");
	ok(emu_maps_allow(fd, 0x2FFF, 2, 'w') == -1, "into a read-only neighbour: refused");
	ok(emu_maps_allow(fd, 0x2FFF, 2, 'r') == 0, "read across two readable mappings");
	ok(emu_maps_allow(fd, 0x3FFF, 0x1002, 'r') == -1, "across a gap: refused");
	ok(emu_maps_allow(fd, 0x5000, 1, 'w') == 0, "shared writable page");
	ok(emu_maps_allow(fd, 0x6800, 1, 'r') == -1, "PROT_NONE page: no read");
	ok(emu_maps_allow(fd, 0x7FFF, 1, 'x') == 0 && emu_maps_allow(fd, 0x7FFF, 1, 'w') == -1,
	   "executable, not writable");
	ok(emu_maps_allow(fd, 0x8000, 1, 'r') == -1, "after the last mapping: refused");
	ok(emu_maps_allow(fd, 0xfff, 1, 'r') == -1, "before the first: refused");
	ok(emu_maps_allow(fd, 0xffffffffff600000ull, 0x1000, 'x') == 0, "top of the address space");
	ok(emu_maps_allow(fd, UINT64_MAX, 2, 'r') == -1, "range that wraps: refused");
	ok(emu_maps_allow(fd, 0x1000, 0, 'r') == -1 && emu_maps_allow(fd, 0x1000, 1, 'q') == -1,
	   "empty range or unknown permission: refused");
	close(fd);
	fd = maps_fd("1000-2000 rw-p\nzzzz-3000 rw-p\n");
	ok(emu_maps_allow(fd, 0x1000, 0x1000, 'w') == 0 && emu_maps_allow(fd, 0x1000, 0x1001, 'w') == -1,
	   "unparsable line: not a mapping");
	close(fd);
	ok(emu_maps_allow(fd, 0x1000, 1, 'r') == -1, "closed descriptor: refused");
	return done_testing();
}
