/* SPDX-License-Identifier: MIT */
/*
 * guestlib: the statistics an ESXi host gives libvmGuestLib (and so
 * `vmware-toolbox-cmd stat balloon|swap|memlimit|...`) through the RPCI
 * commands guestlib.info.get and guestlib.stat.get.  Wire formats from
 * open-vm-tools' libguestlib (vmGuestLibInt.h, guestlibV3.x); doc/profiles.md.
 */
#ifndef VMWCALL_EMU_GUESTLIB_H
#define VMWCALL_EMU_GUESTLIB_H

#include <stddef.h>
#include <stdint.h>

/* Statistic ids 1..EMU_GL_NSTATS of guestlibV3.x (GuestLibV3TypeIds). */
#define EMU_GL_NSTATS	38
#define EMU_GL_CPU_RES	1
#define EMU_GL_CPU_LIMIT 2
#define EMU_GL_POOL	18
#define EMU_GL_MEM_RES	6
#define EMU_GL_MEM_LIMIT 7
#define EMU_GL_BALLOON	12
#define EMU_GL_SWAPPED	13
#define EMU_GL_POOL_LONG 37

struct emu_guestlib {
	int enabled;		/* 0: "0 Unknown command", as Workstation answers */
	uint64_t session;	/* 0: derived from emu_config.seed (random if 0) */
	uint64_t set;		/* bit N: val[N] was given, else the ESX-like default */
	uint64_t val[EMU_GL_NSTATS + 1];
	const char *pool;	/* resource pool path (NULL: "/") */
};

/*
 * What the replies depend on besides the settings: the host's own
 * figures and the session.  All pure inputs, so the builder is testable.
 */
struct emu_gl_env {
	uint64_t session;
	uint32_t mhz, memsize_mb, buildnum;
	uint64_t elapsed_ms;
	const uint8_t *uuid;	/* 16 bytes, for stat.get's uuid.bios */
};

/* "NAME=VALUE" (names: doc/vmwcall-emu.1, --guestlib): 0, or -1 if unknown or bad. */
int emu_guestlib_option(struct emu_guestlib *g, const char *arg);

/* The value of statistic id as the host reports it (default or given). */
uint64_t emu_guestlib_value(const struct emu_guestlib *g, const struct emu_gl_env *env,
			    unsigned id);

struct emu_buf;
/*
 * The whole RPCI reply ("1 " + bytes or "0 text") to guestlib.info.get
 * and guestlib.stat.get given the argument text after the command name.
 * 0, or -1 on allocation failure.
 */
int emu_guestlib_info(const struct emu_guestlib *g, const struct emu_gl_env *env,
		      const uint8_t *arg, size_t len, struct emu_buf *out);
int emu_guestlib_stat(const struct emu_guestlib *g, const struct emu_gl_env *env,
		      const uint8_t *arg, size_t len, struct emu_buf *out);

#endif
