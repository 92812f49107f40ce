// SPDX-License-Identifier: MIT
/*
 * QEMU's vmport (hw/i386/vmport.c, QEMU 7.2 as observed in doc/qemu.md):
 * port 0x5658 only, a handful of commands, no GuestRPC.  A command it does
 * not know gets eax = 0xFFFFFFFF and every other register back as loaded.
 */
#include "vmwcall/proto.h"
#include "internal.h"

int emu_qemu_lb(const struct emu_config *c, struct emu_regs *r)
{
	switch (r->cx & 0xFFFF) {
	case VMW_CMD_GETVERSION:	/* ecx: vmport's vmware-vmx-type, 2 by default */
	case VMW_CMD_GETUUID:
	case VMW_CMD_GETVCPU_INFO:
		return 0;		/* as VMware answers them */
	case VMW_CMD_GETMEMSIZE:
		/* Bytes, not MB, modulo 4 GiB; 0x1177 in ebx says it is QEMU. */
		r->ax = (uint32_t)((uint64_t)c->memsize_mb << 20);
		r->bx = 0x1177;
		return 1;
	case VMW_CMD_GETHZ:
		r->bx = 0xFFFFFFFFu;	/* TCG knows no APIC bus frequency: unsupported */
		return 1;
	default:
		r->ax = 0xFFFFFFFFu;
		return 1;
	}
}
