/* SPDX-License-Identifier: MIT */
/*
 * vApp properties: the OVF environment document vSphere publishes as
 * guestinfo.ovfEnv when a VM's vApp options use the "VMware Tools"
 * transport (doc/platform.md has its shape and sources).  Pure.
 */
#ifndef VMWCALL_EMU_OVF_H
#define VMWCALL_EMU_OVF_H

#include <stddef.h>

#define EMU_OVF_KEY "ovfEnv"	/* guestinfo.ovfEnv */

/*
 * The document with properties kv[0..n) ("KEY=VALUE", split at the first
 * '='), in that order: malloc'd and NUL-terminated, its length in *len.
 * NULL with the reason in err if a property is malformed (no '=', an empty
 * KEY, invalid UTF-8, a control character other than tab, newline and
 * carriage return, which are escaped as character references) or memory
 * is short.
 */
char *emu_ovf_env(const char *const *kv, size_t n, size_t *len, char *err, size_t errlen);

#endif
