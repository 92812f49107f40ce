/* SPDX-License-Identifier: MIT */
/*
 * The library's probe and gate: no command or channel issues a hypercall
 * until one GETVERSION, run where a fault cannot hurt, has answered.
 */
#ifndef VMWCALL_PROBE_H
#define VMWCALL_PROBE_H

#define VMW_INTERNAL __attribute__((visibility("hidden")))

struct vmw_regs6;

#define VMW_PROBE_FAULT		(-1)	/* the instruction faulted: no backdoor */
#define VMW_PROBE_NOCHILD	(-2)	/* no child process could be made */

/* 1 if a backdoor is known to answer; the first call probes (probe.c). */
VMW_INTERNAL int vmw_ready(void);

/* Probe now (GETVERSION, type probe), keep the answer; 1 and *r if answered. */
VMW_INTERNAL int vmw_probe(struct vmw_regs6 *r);

/* One LB call in a short-lived child process (child.c): 0 or VMW_PROBE_*. */
VMW_INTERNAL int vmw_child_lb(struct vmw_regs6 *r);

/* One LB call in this thread under a temporary fault guard (guard.c): 0 or VMW_PROBE_FAULT. */
VMW_INTERNAL int vmw_guarded_lb(struct vmw_regs6 *r);

#endif
