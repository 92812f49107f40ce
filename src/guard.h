/* SPDX-License-Identifier: MIT */
/* Run one hypercall with SIGSEGV/SIGILL turned into an error. */
#ifndef VMWCALL_GUARD_H
#define VMWCALL_GUARD_H

struct vmw_regs6;

/* 0 if the call returned, -1 if it faulted (registers then undefined). */
__attribute__((visibility("hidden"))) int vmw_guarded_lb(struct vmw_regs6 *r);

#endif
