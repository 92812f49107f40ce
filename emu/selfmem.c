// SPDX-License-Identifier: MIT
/*
 * process_vm_readv/writev on ourselves turn a bad pointer into EFAULT.
 * Where they are missing (qemu-user answers ENOSYS; container seccomp
 * profiles EPERM) a pipe does the same job: write(2) from and read(2) into
 * a bad address fail with EFAULT.  The pipe is made on first need, once per
 * process (O_CLOEXEC), and moves at most a page at a time so a bad page
 * stops the copy where it starts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "selfmem.h"

#define CHUNK 4096u

static int no_vm;		/* process_vm_* refused: use the pipe */
static int fds[2] = { -1, -1 };

static int vm_refused(void)
{
	return errno == ENOSYS || errno == EPERM;
}

/* One chunk through the pipe: bytes moved (all of n), or 0. */
static size_t pipe_copy(void *dst, const void *src, size_t n)
{
	static char drain[CHUNK];
	ssize_t w, r;

	if (fds[0] < 0 && pipe2(fds, O_CLOEXEC | O_NONBLOCK))
		return 0;
	w = write(fds[1], src, n);
	if (w != (ssize_t)n) {
		if (w > 0)
			while (read(fds[0], drain, sizeof(drain)) > 0)
				;
		return 0;
	}
	r = read(fds[0], dst, n);
	if (r == w)
		return n;
	/* Empty it for the next copy. */
	while (read(fds[0], drain, sizeof(drain)) > 0)
		;
	return 0;
}

/* Chunks that end at the guest address's page boundaries. */
static size_t chunk(uintptr_t guest, size_t n)
{
	size_t k = CHUNK - (guest & (CHUNK - 1));

	return k < n ? k : n;
}

size_t emu_self_read(void *dst, uintptr_t addr, size_t n)
{
	size_t done = 0, k;

	if (!no_vm) {
		struct iovec l = { dst, n }, r = { (void *)addr, n };
		ssize_t got = process_vm_readv(getpid(), &l, 1, &r, 1, 0);

		if (got >= 0)
			return (size_t)got;
		if (!vm_refused())
			return 0;
		no_vm = 1;
	}
	while (done < n && (k = chunk(addr + done, n - done)) &&
	       pipe_copy((char *)dst + done, (const void *)(addr + done), k) == k)
		done += k;
	return done;
}

int emu_self_write(uintptr_t addr, const void *src, size_t n)
{
	size_t done = 0, k;

	if (!no_vm) {
		struct iovec l = { (void *)src, n }, r = { (void *)addr, n };
		ssize_t put = process_vm_writev(getpid(), &l, 1, &r, 1, 0);

		if (put == (ssize_t)n) {
			/* Now known writable: copy again so memory checkers see defined bytes. */
			memmove((void *)addr, src, n);
			return 0;
		}
		if (put >= 0 || !vm_refused())
			return -1;
		no_vm = 1;
	}
	while (done < n && (k = chunk(addr + done, n - done)) &&
	       pipe_copy((void *)(addr + done), (const char *)src + done, k) == k)
		done += k;
	return done == n ? 0 : -1;
}
