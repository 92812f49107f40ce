/* SPDX-License-Identifier: MIT */
/* The library's gate: no hypercall is issued until a backdoor answered. */
#ifndef VMWCALL_PRESENT_H
#define VMWCALL_PRESENT_H

#define VMW_INTERNAL __attribute__((visibility("hidden")))

/* 1 if a backdoor is known to be there; the first call probes (detect.c). */
VMW_INTERNAL int vmw_ready(void);

#endif
