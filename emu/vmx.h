/* SPDX-License-Identifier: MIT */
/*
 * guestinfo in .vmx form: `guestinfo.KEY = "VALUE"`, one per line, with
 * VMware's |XX hex escapes for '"' (|22), '|' (|7C) and bytes that cannot
 * stand in a quoted string.  Pure: no I/O beyond the FILE * given.
 */
#ifndef VMWCALL_EMU_VMX_H
#define VMWCALL_EMU_VMX_H

#include <stdio.h>

#include "host.h"

#define EMU_VMX_MAX_LINE (64u << 20)	/* a 16 MiB value, every byte escaped */

/*
 * Load the guestinfo.* lines of f into h (key stored without the prefix);
 * other keys, '#' comments and blank lines are skipped, but every line must
 * be well formed.  0, or -1 with "LINE: what" in err.
 */
int emu_vmx_load(struct emu_host *h, FILE *f, char *err, size_t errlen);

/*
 * Write every guestinfo key of h, sorted, in the form emu_vmx_load reads.
 * Every key is written: bytes a .vmx name cannot hold (space, '=', '#',
 * '"', '|', control bytes) as |XX, as in values.  Keys without those read
 * the same in VMware, which does not decode names.  0, or -1 on a write
 * error.
 */
int emu_vmx_dump(const struct emu_host *h, FILE *f);

/* Can c stand unescaped in a dumped .vmx key? */
int emu_vmx_keych(int c);

/*
 * Decode the inside of a quoted value, s[0..n), into out (room for n bytes).
 * The decoded length, or -1 on a bad |XX escape or a bare '"'.
 */
long emu_vmx_unescape(const char *s, size_t n, char *out);

#endif
