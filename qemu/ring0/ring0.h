/* SPDX-License-Identifier: MIT */
/* Ring-0 test image: what its translation units share. */
#ifndef RING0_H
#define RING0_H

void put(const char *s);
void put_hex(const char *name, unsigned int v);

/* Every call under test: transport pinned to port I/O, and chosen from CPUID. */
void calls_io(void);
void calls_auto(void);

#endif
