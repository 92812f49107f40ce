// SPDX-License-Identifier: MIT
/*
 * One probe per process, then a load: outside VMware every command and
 * channel call fails with VMW_ENOTVMWARE instead of faulting.
 */
#include "vmwcall/detect.h"
#include "present.h"

enum { UNKNOWN, PRESENT, ABSENT };

static int state;

void vmw_set_present(int present)
{
	__atomic_store_n(&state, present < 0 ? UNKNOWN : present ? PRESENT : ABSENT,
			 __ATOMIC_RELEASE);
}

int vmw_ready(void)
{
	int s = __atomic_load_n(&state, __ATOMIC_ACQUIRE);
	struct vmw_info info;

	/* Racing first calls may both probe: the probe is serialized and idempotent. */
	if (s == UNKNOWN) {
		vmw_detect(&info, VMW_DETECT_PROBE);
		s = __atomic_load_n(&state, __ATOMIC_ACQUIRE);
	}
	return s == PRESENT;
}
