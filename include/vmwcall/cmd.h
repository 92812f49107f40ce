/* SPDX-License-Identifier: MIT */
/*
 * Typed LB commands.  Each returns 0 or a negative enum vmw_err and fills
 * its outputs only on success.  The host's answers are checked: a host
 * that does not implement a command gives VMW_EUNSUPPORTED, one that
 * answers nonsense VMW_EPROTO.
 *
 * Outside VMware they fail with VMW_ENOTVMWARE: the first call probes
 * (see vmw_set_present() in detect.h).  All are thread-safe.
 */
#ifndef VMWCALL_CMD_H
#define VMWCALL_CMD_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "proto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* GETVERSION: version (6 on VMware) and product type (VMW_TYPE_*). */
int vmw_get_version(uint32_t *version, uint32_t *type);

/* GETMHZ: processor speed in MHz (> 0). */
int vmw_get_mhz(uint32_t *mhz);

/* GETHZ: TSC frequency and APIC bus frequency in Hz. */
int vmw_get_hz(uint64_t *tsc_hz, uint32_t *apic_hz);

/* Grows only at the end; passed with its size (the rule in detect.h). */
struct vmw_time {
	uint64_t sec;		/* seconds since the epoch, UTC */
	uint32_t usec;		/* < 1000000 */
	uint32_t max_lag_us;	/* how far the host lets the guest lag */
	int full;		/* 1: from GETTIMEFULL, 0: 32-bit GETTIME */
};

/* GETTIMEFULL, or GETTIME where the host lacks it; size: sizeof *t. */
int vmw_get_host_time(struct vmw_time *t, size_t size);

/* GETUUID: the BIOS UUID, 16 bytes in SMBIOS order. */
int vmw_get_uuid(uint8_t uuid[16]);

/* vmw_get_memsize()'s *how: the unit the host answered in. */
#define VMW_MEMSIZE_MB		0	/* VMware: MB, exact */
#define VMW_MEMSIZE_QEMU	1	/* QEMU's vmport: bytes modulo 4 GiB, shown as MB */

/*
 * GETMEMSIZE: guest memory in MB.  QEMU answers in bytes truncated to 32
 * bits (and marks ebx 0x1177): *mb is then exact only below 4096 MB, and
 * *how says so.  how may be NULL.  VMW_EPROTO for a QEMU count below
 * 1 MiB (a multiple of 4 GiB).
 */
int vmw_get_memsize(uint32_t *mb, unsigned int *how);

/* GET_VCPU_INFO: VMW_VCPU_* bits. */
int vmw_get_vcpu_info(uint32_t *bits);

/*
 * STEALCLOCK: ask the host to keep steal time at physical address pa
 * (a struct vmw_steal_time, 64-byte aligned; ring 0 only on VMware).
 * VMW_EUNSUPPORTED if the host has no steal clock; VMW_EHOST if it
 * answered with the other state.
 */
int vmw_stealclock_enable(uint64_t pa);
int vmw_stealclock_disable(void);

/* What the host writes at the enabled address: VMware's layout, fixed. */
struct vmw_steal_time {
	uint64_t clock;		/* nanoseconds of stolen time */
	uint64_t reserved[7];
};

/* Read clock without tearing, also where 64-bit loads are two 32-bit ones. */
uint64_t vmw_stealclock_read(const volatile struct vmw_steal_time *st);

#ifdef __cplusplus
}
#endif

#endif
