/* SPDX-License-Identifier: MIT */
/*
 * The control socket front end and the event observers (--control,
 * --rpc-log).  A thread serves the socket; the host is shared with the
 * ptrace runner under a mutex, which both hold while they call into it.
 * Events reach clients through a bounded ring the guest's path only copies
 * into (event_ring.h) and bounded per-client queues the thread fills: a
 * client that does not read loses events (and is told how many), the guest
 * never waits.
 */
#ifndef VMWCALL_EMU_CONTROL_H
#define VMWCALL_EMU_CONTROL_H

#include <pthread.h>
#include <stdio.h>

#include "host.h"

/* Events a subscriber may have queued before newer ones are dropped. */
#define CTL_QUEUE_MAX (1u << 20)
#define CTL_MAX_CLIENTS 64

struct emu_control;

/* NULL (and errno) on allocation failure. */
struct emu_control *emu_control_new(void);

/*
 * Listen on a Unix socket at path, mode 0600.  A stale socket there is
 * replaced; anything else (a file, a live emulator's socket) is refused.
 * 0, or -1 with a message in err.
 */
int emu_control_listen(struct emu_control *c, const char *path, char *err, size_t errlen);

/* Also write every event, texts whole, to f (--rpc-log). */
void emu_control_log(struct emu_control *c, FILE *f);

/* Observe h from now on and serve the socket (if any) from a thread.  0 or -1. */
int emu_control_start(struct emu_control *c, struct emu_host *h, pthread_mutex_t *lock);

/*
 * The emulator is ending: waiting requests fail, queued output is flushed
 * (for at most a second), clients are closed and the socket removed.
 * Returns -1 if the log could not be written.  Frees c.
 */
int emu_control_stop(struct emu_control *c);

#endif
