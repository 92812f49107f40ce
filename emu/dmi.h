/* SPDX-License-Identifier: MIT */
/*
 * /sys/class/dmi/id as a VMware VM's kernel shows it, through the seccomp
 * supervisor: opens of those files get a descriptor of a sealed memory file
 * holding the value and a newline; stat, statx and access answer as sysfs
 * would, so readers that check a file exists first (cloud-init) find it on
 * machines with no DMI at all.  Every other path goes to the kernel.
 */
#ifndef VMWCALL_EMU_DMI_H
#define VMWCALL_EMU_DMI_H

#include "dmi_table.h"
#include "seccomp.h"

struct emu_dmi_svc;

/* Serve table d (copied) to the guests of s: NULL with errno on failure. */
struct emu_dmi_svc *emu_dmi_svc_new(struct emu_sc *s, const struct emu_dmi *d);
/* After emu_sc_free() (v may be NULL). */
void emu_dmi_svc_free(struct emu_dmi_svc *v);

#endif
