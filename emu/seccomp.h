/* SPDX-License-Identifier: MIT */
/*
 * Seccomp user-notification supervisor: a front end that answers chosen
 * system calls of the guests (the paths, sockets and ioctls a VMware
 * guest's kernel would serve differently) from a thread of the emulator.
 * Services register handlers per call; a call no handler takes runs as it
 * would have.  Filters stack with the ptrace runner's own.
 */
#ifndef VMWCALL_EMU_SECCOMP_H
#define VMWCALL_EMU_SECCOMP_H

#include <stdint.h>
#include <sys/types.h>

/* x86-64 numbers of the calls a service may take (the filter matches these). */
enum emu_sc_call {
	EMU_SC_SOCKET, EMU_SC_CONNECT, EMU_SC_BIND, EMU_SC_GETSOCKNAME, EMU_SC_GETPEERNAME,
	EMU_SC_SETSOCKOPT, EMU_SC_ACCESS, EMU_SC_FACCESSAT, EMU_SC_FACCESSAT2,
	EMU_SC_OPEN, EMU_SC_OPENAT, EMU_SC_OPENAT2, EMU_SC_STAT, EMU_SC_LSTAT, EMU_SC_NEWFSTATAT,
	EMU_SC_STATX, EMU_SC_NCALLS
};

/* One intercepted call, as the guest made it. */
struct emu_sc_req {
	uint64_t id;		/* the notification's cookie */
	pid_t pid;		/* the calling thread */
	enum emu_sc_call call;
	uint64_t args[6];
};

/* A handler's verdict: */
#define EMU_SC_ANSWER	0	/* answer with *val: the result, or -errno */
#define EMU_SC_CONTINUE	1	/* not ours: the kernel runs the call */
#define EMU_SC_DONE	2	/* already answered (emu_sc_inject) */

typedef int emu_sc_handler(void *ctx, const struct emu_sc_req *r, int64_t *val);

/* Called when fd (registered with emu_sc_watch) is readable or writable. */
typedef void emu_sc_watch_fn(void *ctx, int fd, short revents);

struct emu_sc;

/* Before the guest starts: NULL with errno on failure. */
struct emu_sc *emu_sc_new(void);
/*
 * Take call c with fn; the filter covers the calls taken before
 * emu_sc_child().  Several services may take one call: each is asked in
 * the order they registered until one does not answer EMU_SC_CONTINUE.
 * 0, or -1 if call c has EMU_SC_MAX_TAKERS already.
 */
#define EMU_SC_MAX_TAKERS 4
int emu_sc_handle(struct emu_sc *s, enum emu_sc_call c, emu_sc_handler *fn, void *ctx);

/*
 * In the child, before exec: install the filter and hand its listener to
 * the emulator.  0, or -1 with errno (the guest then runs without it).
 */
int emu_sc_child(struct emu_sc *s);

/* In the emulator after the child started: take the listener, start the thread. */
int emu_sc_start(struct emu_sc *s);

/* Stop the thread and free everything (s may be NULL). */
void emu_sc_free(struct emu_sc *s);

/*
 * For handlers, on the supervisor's thread.  Memory of the calling process:
 * 0 or -1.  Inject fd into the caller as the call's result (the new
 * descriptor number, or -errno), with O_CLOEXEC if cloexec.
 */
int emu_sc_read(const struct emu_sc_req *r, uint64_t addr, void *dst, size_t n);
int emu_sc_write(const struct emu_sc_req *r, uint64_t addr, const void *src, size_t n);
/*
 * A NUL-terminated string (a path) of the calling process into buf[0..size):
 * its length, or -1 if unreadable or if no NUL comes within size - 1 bytes.
 * Reads page by page, so a string ending just before an unmapped page counts.
 */
long emu_sc_read_str(const struct emu_sc_req *r, uint64_t addr, char *buf, size_t size);
int emu_sc_inject(struct emu_sc *s, const struct emu_sc_req *r, int fd, int cloexec);
/* Is the call still waiting (the caller not killed or interrupted)? */
int emu_sc_valid(struct emu_sc *s, const struct emu_sc_req *r);

/* Poll fd with events on the supervisor's thread; events 0 stops watching it. */
int emu_sc_watch(struct emu_sc *s, int fd, short events, emu_sc_watch_fn *fn, void *ctx);

#endif
