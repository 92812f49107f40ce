/* Compiled with -ffreestanding -nostdinc -nostdlib: the header needs no libc. */
#include "vmwcall/hypercall.h"

unsigned long pinned1(unsigned long in1);
unsigned long every_call(void *buf);
void entry(void);

/* With VMW_TRANSPORT pinned this must be one instruction, no branch. */
unsigned long pinned1(unsigned long in1)
{
	return vmware_hypercall1(VMW_CMD_GETVERSION, in1);
}

unsigned long every_call(void *buf)
{
	vmw_u32 o1, o2, o3, o4, o5;
	unsigned long r = 0;

	r += vmware_hypercall1(VMW_CMD_GETMHZ, 0);
	r += vmware_hypercall3(VMW_CMD_GETVERSION, ~VMW_MAGIC, &o1, &o2);
	r += vmware_hypercall4(VMW_CMD_GETHZ, ~0ul, &o1, &o2, &o3);
	r += vmware_hypercall5(VMW_CMD_STEALCLOCK, 0, 0, 0, 1, &o2);
	r += vmware_hypercall6(VMW_CMD(VMW_CMD_MESSAGE, VMW_MSG_RECVSIZE), 0, 1ul << 16,
			       &o2, &o3, &o4, &o5);
	r += vmware_hypercall7(VMW_CMD(VMW_CMD_MESSAGE, VMW_MSG_SENDSIZE), 4, 1ul << 16, 2, 3,
			       &o1, &o2, &o3);
	r += vmware_hypercall9(VMW_CMD_GETUUID, 0, 0, 0, 0, &o1, &o2, &o3, &o4, &o5);
	r += vmware_hypercall_hb_out(VMW_HB_CMD_MESSAGE | (VMW_MSG_SUCCESS << 16), 4, 1ul << 16,
				     (unsigned long)buf, 2, 3, &o1);
	r += vmware_hypercall_hb_in(VMW_HB_CMD_MESSAGE | (VMW_MSG_SUCCESS << 16), 4, 1ul << 16,
				    3, (unsigned long)buf, 2, &o1);
	return r + o1 + o2 + o3 + o4 + o5;
}

/* A program with no libc at all links. */
void entry(void)
{
	char buf[4];

	every_call(buf);
	for (;;)
		;
}
