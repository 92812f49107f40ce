/* SPDX-License-Identifier: MIT */
/*
 * A result file (--dump, --stats-json) that is written whole or not at
 * all: a temporary file is made next to it when the run starts, so a path
 * that cannot be written fails before any guest runs, and renamed over it
 * at the end, so a failure keeps the previous file.
 */
#ifndef VMWCALL_EMU_OUTFILE_H
#define VMWCALL_EMU_OUTFILE_H

#include <stdio.h>

struct emu_outfile {
	const char *path;
	char *tmp;		/* the temporary file's name */
	FILE *f;		/* write the contents here */
};

/* Create path's temporary file.  0, or -1 with errno (nothing left behind). */
int emu_outfile_open(struct emu_outfile *o, const char *path);

/* Flush, sync and rename over path.  0, or -1 with errno; the temporary file is removed. */
int emu_outfile_commit(struct emu_outfile *o);

/* Remove the temporary file; path is untouched. */
void emu_outfile_abort(struct emu_outfile *o);

#endif
