/* SPDX-License-Identifier: MIT */
/* The library's gate: no hypercall is issued until a backdoor answered. */
#ifndef VMWCALL_PRESENT_H
#define VMWCALL_PRESENT_H

/* 1 if a backdoor is known to be there; the first call probes (detect.c). */
int vmw_ready(void);

/* What a probe found, for later vmw_ready() calls. */
void vmw_remember(int vmware);

#endif
