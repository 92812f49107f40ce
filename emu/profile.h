/* SPDX-License-Identifier: MIT */
/*
 * Host profiles: what an ESXi host, a VMware Workstation and QEMU's vmport
 * answer, set together (vmwcall-emu --profile; doc/profiles.md has the table).
 */
#ifndef VMWCALL_EMU_PROFILE_H
#define VMWCALL_EMU_PROFILE_H

#include <stddef.h>
#include <stdint.h>

struct emu_config;

/* Apply the profile called name to cfg: 0, or -1 if there is none such. */
int emu_profile_apply(struct emu_config *cfg, const char *name);

/* The profiles' names, space-separated, for messages. */
extern const char emu_profile_names[];

/*
 * Why a guest's info-set of a value of vlen bytes is refused under cfg
 * (the "0 ..." reply text), or NULL if it is not.
 */
const char *emu_profile_refuse_set(const struct emu_config *cfg, size_t vlen);

#endif
