/* SPDX-License-Identifier: MIT */
/* vmwcall-emu --set: "guestinfo.KEY=VALUE", or "guestinfo.KEY=@FILE". */
#ifndef VMWCALL_EMU_PRESET_H
#define VMWCALL_EMU_PRESET_H

#include <stddef.h>

/*
 * Split s: KEY (without the prefix, NUL-terminated) into key[keysz] and
 * *val to what follows the first '='.  0, or -1 if s is not of that form
 * or KEY does not fit.
 */
int emu_preset_split(const char *s, char *key, size_t keysz, const char **val);

#endif
