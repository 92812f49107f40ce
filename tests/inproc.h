/* SPDX-License-Identifier: MIT */
/* Tests that run the real client against the in-process host (emu/trap.h). */
#ifndef VMWCALL_TESTS_INPROC_H
#define VMWCALL_TESTS_INPROC_H

#include <stdio.h>
#include <stdlib.h>

#include "vmwcall/detect.h"
#include "host.h"
#include "trap.h"

static struct emu_host *host;

/* Replace the host with a new one made from cfg; exit if that fails. */
static __attribute__((unused)) struct emu_host *use(const struct emu_config *cfg)
{
	emu_host_free(host);
	host = emu_host_new(cfg);
	if (!host || emu_trap_install(host)) {
		fprintf(stderr, "cannot set up the emulated host\n");
		exit(1);
	}
	/* The probe runs in a child, which this process's handlers do not answer. */
	vmw_set_present(1);
	return host;
}

#endif
