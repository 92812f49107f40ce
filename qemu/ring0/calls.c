/* SPDX-License-Identifier: MIT */
/*
 * The calls under test, compiled once per transport (-DVMW_TRANSPORT=... and
 * -DCALLS=name): the header's pinned and CPUID-chosen paths are separate code.
 */
#include <vmwcall/hypercall.h>

#include "ring0.h"

/* Sentinels in registers QEMU does not write: they must come back unchanged. */
#define IN4 0x11111111u
#define IN5 0x22222222u

void CALLS(void)
{
	vmw_u32 b, c, d, si, di;
	unsigned long a;

	put("[" TAG "]\n");
	put("transport");
	put_hex("mode", vmware_hypercall_get_mode());
	put("\n");

	a = vmware_hypercall3(VMW_CMD_GETVERSION, ~VMW_MAGIC, &b, &c);
	put("GETVERSION");
	put_hex("ax", (vmw_u32)a);
	put_hex("bx", b);
	put_hex("cx", c);
	put("\n");

	a = vmware_hypercall9(VMW_CMD_GETUUID, ~VMW_MAGIC, 0, IN4, IN5, &b, &c, &d, &si, &di);
	put("GETUUID");
	put_hex("ax", (vmw_u32)a);
	put_hex("bx", b);
	put_hex("cx", c);
	put_hex("dx", d);
	put_hex("si", si);
	put_hex("di", di);
	put("\n");

	a = vmware_hypercall1(VMW_CMD_GETMEMSIZE, ~VMW_MAGIC);
	put("GETMEMSIZE");
	put_hex("ax", (vmw_u32)a);
	put("\n");
}
