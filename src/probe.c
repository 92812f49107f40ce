// SPDX-License-Identifier: MIT
/*
 * The one probe and its cached answer.  Outside VMware every command and
 * channel call then fails with VMW_ENOTVMWARE instead of faulting.
 *
 * The probe runs in a child process first (child.c): it alone meets the
 * fault, with signal state of its own, so nothing of ours changes.  Only
 * where no child can be made (a sandbox refusing clone, no processes or
 * memory left) does it fall back to the guard in this thread (guard.c),
 * which swaps process-wide handlers for one instruction.
 */
#include "vmwcall/detect.h"
#include "vmwcall/hypercall.h"
#include "probe.h"

enum { UNKNOWN, PRESENT, ABSENT };

static int state;

static void keep(int s)
{
	__atomic_store_n(&state, s, __ATOMIC_RELEASE);
}

int vmw_probe(struct vmw_regs6 *r)
{
	const struct vmw_regs6 getversion = {
		0, ~(unsigned long)VMW_MAGIC & 0xFFFFFFFFul,
		VMW_CMD(VMW_CMD_GETVERSION, 0xFFFF), 0, 0, 0, 0
	};
	int rc, answered;

	*r = getversion;
	rc = vmw_child_lb(r);
	if (rc == VMW_PROBE_NOCHILD) {
		*r = getversion;
		rc = vmw_guarded_lb(r);
	}
	answered = rc == 0 && (vmw_u32)r->bx == VMW_MAGIC && (vmw_u32)r->ax != 0xFFFFFFFFu;
	keep(answered ? PRESENT : ABSENT);
	return answered;
}

void vmw_set_present(int present)
{
	keep(present < 0 ? UNKNOWN : present ? PRESENT : ABSENT);
}

int vmw_ready(void)
{
	int s = __atomic_load_n(&state, __ATOMIC_ACQUIRE);
	struct vmw_regs6 r;

	/* Racing first calls may both probe: each probe is whole and gives the same answer. */
	if (s == UNKNOWN)
		return vmw_probe(&r);
	return s == PRESENT;
}
