/* SPDX-License-Identifier: MIT */
/*
 * Page protections from /proc/PID/maps, for front ends that must write
 * guest memory through a path that ignores them (/proc/PID/mem forces its
 * way into read-only pages): they ask here first.
 */
#ifndef VMWCALL_EMU_MAPS_H
#define VMWCALL_EMU_MAPS_H

#include <stddef.h>
#include <stdint.h>

/*
 * 0 if [addr, addr + n) lies wholly in mappings that carry perm ('r', 'w'
 * or 'x'), according to the maps file open on fd (read from its start);
 * -1 otherwise, or if it cannot be read.
 */
int emu_maps_allow(int fd, uint64_t addr, size_t n, char perm);

#endif
