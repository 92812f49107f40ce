/* SPDX-License-Identifier: MIT */
/*
 * vmwcall --record FILE: a transcript of the RPCI requests this process
 * sends and the replies it gets, as JSON lines in the event format of
 * vmwcall-emu --rpc-log, so one reader (vmwcall-emu --replay) takes both.
 * Recording sits above the library: the subcommands pass their requests
 * through rec_rpci_call() or report them with rec_rpc(); with no --record
 * both cost one test.
 */
#ifndef VMWCALL_CLI_RECORD_H
#define VMWCALL_CLI_RECORD_H

#include <stddef.h>

#include "vmwcall/rpc.h"

/* Append to path (created 0600 if missing).  0, or EXIT_USAGE after saying why. */
int rec_open(const char *path);

/*
 * One request and the host's whole reply ("1 ..." or "0 ..."), or, when
 * the call failed, reply NULL and why.  Each line is one write(2) on an
 * O_APPEND descriptor, so processes recording to one file do not mix.
 */
void rec_rpc(const void *req, size_t len, const char *reply, size_t rlen, const char *why);

/* vmw_rpci_call(), recorded; the reply is rebuilt from its status. */
int rec_rpci_call(struct vmw_chan *c, const void *req, size_t len, char **reply, size_t *rlen);

/* 0, or EXIT_FAIL if a line was lost (said once, when it happened). */
int rec_close(void);

#endif
