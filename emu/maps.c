// SPDX-License-Identifier: MIT
/*
 * One pass over "start-end perms ..." lines, which the kernel lists in
 * address order: the range is allowed when mappings with the permission
 * cover it without a gap.  Lines are parsed as they stream by, so neither
 * long paths nor a process with 65,530 mappings needs a large buffer.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <unistd.h>

#include "maps.h"

struct line {
	int field;		/* 0 start, 1 end, 2 perms, 3 the rest */
	uint64_t start, end;
	int perms, bad;		/* which of "rwx" it carries; unparsable */
};

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Feed one character; at a line's end, 1 if it settles the answer. */
static int feed(struct line *l, char ch, uint64_t *cur, uint64_t last, int want, int *ok)
{
	static const char rwx[] = "rwx";

	if (ch == '\n') {
		int done = 0;

		if (!l->bad && l->field >= 2 && l->end > *cur) {
			if (l->start > *cur || !(l->perms & want)) {
				*ok = 0;	/* a gap, or a page without the permission */
				done = 1;
			} else if (l->end - 1 >= last) {
				*ok = 1;
				done = 1;
			} else {
				*cur = l->end;
			}
		}
		*l = (struct line){ 0 };
		return done;
	}
	if (l->field < 2) {
		uint64_t *v = l->field ? &l->end : &l->start;
		int d = hexval(ch);

		if (ch == (l->field ? ' ' : '-'))
			l->field++;
		else if (d < 0 || *v >> 60)
			l->bad = 1, l->field = 3;
		else
			*v = *v << 4 | (uint64_t)d;
	} else if (l->field == 2) {
		if (ch == ' ') {
			l->field = 3;
		} else {
			for (int i = 0; i < 3; i++)
				if (ch == rwx[i])
					l->perms |= 1 << i;
		}
	}
	return 0;
}

int emu_maps_allow(int fd, uint64_t addr, size_t n, char perm)
{
	int want = perm == 'r' ? 1 : perm == 'w' ? 2 : perm == 'x' ? 4 : 0;
	struct line l = { 0 };
	uint64_t cur = addr, last;
	char buf[4096];
	off_t off = 0;
	ssize_t got;
	int ok = 0;

	if (!want || n == 0 || addr > UINT64_MAX - (n - 1))
		return -1;
	last = addr + (n - 1);
	for (;;) {
		got = pread(fd, buf, sizeof(buf), off);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			return -1;
		off += got;
		for (ssize_t i = 0; i < got; i++)
			if (feed(&l, buf[i], &cur, last, want, &ok))
				return ok ? 0 : -1;
	}
}
