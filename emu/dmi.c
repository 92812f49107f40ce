// SPDX-License-Identifier: MIT
/*
 * The guests' calls are x86-64's (the supervisor checks the arch), so
 * flags and structures are that ABI's, spelled out here whatever we are
 * built for.  Paths come from guest memory: at most 63 bytes are read
 * (longer ones are never ours), and a path that is not exactly one of the
 * table's continues to the kernel, which reads it again itself; a guest
 * that changes it in between only changes which answer it gets.  Relative
 * paths are left to the kernel, whatever the directory descriptor or the
 * working directory (on a machine without DMI neither can be the dmi
 * directory; on one with it, the real files answer).  Absolute paths ignore
 * the descriptor, as the kernel does.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "dmi.h"

#define PATH_READ	64

/* x86-64's open flags and access modes. */
#define X_O_ACCMODE	03
#define X_O_CREAT	0100
#define X_O_EXCL	0200
#define X_O_DIRECTORY	0200000
#define X_O_CLOEXEC	02000000
#define X_AT_EACCESS	0x200
#define X_R_OK 4
#define X_W_OK 2
#define X_X_OK 1

#define CAP_DAC_BITS	(1ull << 1 | 1ull << 2)	/* DAC_OVERRIDE, DAC_READ_SEARCH */
#define SYSFS_SIZE	4096			/* what sysfs says of every attribute */

struct emu_dmi_svc {
	struct emu_sc *sc;
	int fd[EMU_DMI_NKEYS];	/* sealed memfd per file that exists, else -1 */
	int64_t t0;		/* the files' times: when we started, as at boot */
};

/* What the kernel checks permissions against: real and fs uid, effective caps. */
struct creds {
	unsigned int ruid, fsuid;
	unsigned long long cap;
};

static int creds_of(pid_t tid, struct creds *c)
{
	char path[64], line[256];
	unsigned int u[4];
	int got = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	if (!(f = fopen(path, "re")))
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Uid: %u %u %u %u", &u[0], &u[1], &u[2], &u[3]) == 4)
			c->ruid = u[0], c->fsuid = u[3], got |= 1;
		else if (sscanf(line, "CapEff: %llx", &c->cap) == 1)
			got |= 2;
	}
	fclose(f);
	return got == 3 ? 0 : -1;
}

/*
 * May the caller read file k?  Everyone, but for the 0400 root-owned ones:
 * their owner or a holder of CAP_DAC_*; access(2) asks as the real uid,
 * whose capabilities it keeps only if that is root.
 */
static int may_read(const struct emu_sc_req *r, enum emu_dmi_key k, int real)
{
	struct creds c;

	if (!emu_dmi_private(k))
		return 1;
	if (creds_of(r->pid, &c))
		return 0;
	return real ? c.ruid == 0 : c.fsuid == 0 || (c.cap & CAP_DAC_BITS);
}

/* The table's key for the path at addr; -1 if not ours. */
static int key_at(const struct emu_sc_req *r, uint64_t addr)
{
	char path[PATH_READ];

	if (emu_sc_read_str(r, addr, path, sizeof(path)) < 0 || path[0] != '/')
		return -1;
	return emu_dmi_path(path);
}

static int exists(const struct emu_dmi_svc *v, int k)
{
	return k >= 0 && v->fd[k] >= 0;
}

static int do_open(struct emu_dmi_svc *v, const struct emu_sc_req *r, int k, uint64_t flags,
		   int64_t *val)
{
	char self[64];
	int fd, got;

	/* In the kernel's order: O_EXCL, O_DIRECTORY, permission, sysfs's read-only. */
	if ((flags & (X_O_CREAT | X_O_EXCL)) == (X_O_CREAT | X_O_EXCL))
		*val = -EEXIST;
	else if (flags & X_O_DIRECTORY)
		*val = -ENOTDIR;
	else if ((flags & X_O_ACCMODE) != 0 || !may_read(r, (enum emu_dmi_key)k, 0))
		*val = -EACCES;
	else
		*val = 0;
	if (*val)
		return EMU_SC_ANSWER;
	/* Each open its own file description (offset), read-only. */
	snprintf(self, sizeof(self), "/proc/self/fd/%d", v->fd[k]);
	if ((fd = open(self, O_RDONLY | O_CLOEXEC)) < 0) {
		*val = -ENOMEM;
		return EMU_SC_ANSWER;
	}
	got = emu_sc_inject(v->sc, r, fd, !!(flags & X_O_CLOEXEC));
	close(fd);
	/* A failed ADDFD leaves the call waiting: answer it (if it is gone, harmlessly). */
	*val = got;
	return got < 0 ? EMU_SC_ANSWER : EMU_SC_DONE;
}

static int on_open(void *ctx, const struct emu_sc_req *r, int64_t *val)
{
	struct emu_dmi_svc *v = ctx;
	uint64_t how[3];	/* struct open_how: flags, mode, resolve */
	int k;

	switch (r->call) {
	case EMU_SC_OPEN:
		k = key_at(r, r->args[0]);
		return exists(v, k) ? do_open(v, r, k, r->args[1], val) : EMU_SC_CONTINUE;
	case EMU_SC_OPENAT:
		k = key_at(r, r->args[1]);
		return exists(v, k) ? do_open(v, r, k, r->args[2], val) : EMU_SC_CONTINUE;
	default:
		/* openat2: RESOLVE_* restrictions and odd sizes are the kernel's to judge. */
		k = key_at(r, r->args[1]);
		if (!exists(v, k) || r->args[3] < sizeof(how) ||
		    emu_sc_read(r, r->args[2], how, sizeof(how)) || how[2])
			return EMU_SC_CONTINUE;
		return do_open(v, r, k, how[0], val);
	}
}

static void put32(uint8_t *b, size_t at, uint32_t x)
{
	memcpy(b + at, &x, 4);
}

static void put64(uint8_t *b, size_t at, uint64_t x)
{
	memcpy(b + at, &x, 8);
}

static uint32_t mode_of(int k)
{
	return 0100000u | (emu_dmi_private((enum emu_dmi_key)k) ? 0400u : 0444u);
}

/* x86-64 struct stat (144 bytes), as sysfs fills it (anonymous device 0:22). */
static int put_stat(const struct emu_dmi_svc *v, const struct emu_sc_req *r, int k, uint64_t to)
{
	uint8_t b[144] = { 0 };

	put64(b, 0, 22);			/* st_dev */
	put64(b, 8, 0x4000u + (unsigned)k);	/* st_ino */
	put64(b, 16, 1);			/* st_nlink */
	put32(b, 24, mode_of(k));		/* st_mode; uid, gid 0 */
	put64(b, 48, SYSFS_SIZE);		/* st_size */
	put64(b, 56, 4096);			/* st_blksize */
	for (size_t t = 72; t <= 104; t += 16)	/* atime, mtime, ctime */
		put64(b, t, (uint64_t)v->t0);
	return emu_sc_write(r, to, b, sizeof(b));
}

/* struct statx (256 bytes). */
static int put_statx(const struct emu_dmi_svc *v, const struct emu_sc_req *r, int k, uint64_t to)
{
	uint8_t b[256] = { 0 };
	uint16_t mode = (uint16_t)mode_of(k);

	put32(b, 0, 0x7FF);			/* STATX_BASIC_STATS */
	put32(b, 4, 4096);			/* stx_blksize */
	put32(b, 16, 1);			/* stx_nlink; uid, gid 0 */
	memcpy(b + 28, &mode, 2);		/* stx_mode */
	put64(b, 32, 0x4000u + (unsigned)k);	/* stx_ino */
	put64(b, 40, SYSFS_SIZE);		/* stx_size */
	for (size_t t = 64; t <= 112; t += 16)	/* atime, btime (not in the mask), ctime, mtime */
		put64(b, t, (uint64_t)v->t0);
	put32(b, 140, 22);			/* stx_dev_minor */
	return emu_sc_write(r, to, b, sizeof(b));
}

static int on_stat(void *ctx, const struct emu_sc_req *r, int64_t *val)
{
	struct emu_dmi_svc *v = ctx;
	int k, bad;

	switch (r->call) {
	case EMU_SC_STAT:
	case EMU_SC_LSTAT:
		if (!exists(v, k = key_at(r, r->args[0])))
			return EMU_SC_CONTINUE;
		bad = put_stat(v, r, k, r->args[1]);
		break;
	case EMU_SC_NEWFSTATAT:
		if (!exists(v, k = key_at(r, r->args[1])))
			return EMU_SC_CONTINUE;
		bad = put_stat(v, r, k, r->args[2]);
		break;
	default:
		if (!exists(v, k = key_at(r, r->args[1])))
			return EMU_SC_CONTINUE;
		bad = put_statx(v, r, k, r->args[4]);
		break;
	}
	*val = bad ? -EFAULT : 0;
	return EMU_SC_ANSWER;
}

static int on_access(void *ctx, const struct emu_sc_req *r, int64_t *val)
{
	struct emu_dmi_svc *v = ctx;
	int at = r->call != EMU_SC_ACCESS;
	uint64_t mode = r->args[at ? 2 : 1];
	int k = key_at(r, r->args[at ? 1 : 0]);
	int real = !(r->call == EMU_SC_FACCESSAT2 && (r->args[3] & X_AT_EACCESS));
	int root;

	if (!exists(v, k) || (mode & ~7ull))
		return EMU_SC_CONTINUE;
	/* Writing is a permission root has (sysfs refuses the open itself); running is nobody's. */
	root = may_read(r, EMU_DMI_PRODUCT_UUID, real);
	if (((mode & X_R_OK) && !may_read(r, (enum emu_dmi_key)k, real)) ||
	    ((mode & X_W_OK) && !root) || (mode & X_X_OK))
		*val = -EACCES;
	else
		*val = 0;
	return EMU_SC_ANSWER;
}

static int seal(const char *name, const char *val)
{
	int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	size_t n = strlen(val);

	if (fd < 0)
		return -1;
	if (write(fd, val, n) != (ssize_t)n || write(fd, "\n", 1) != 1 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL)) {
		close(fd);
		return -1;
	}
	return fd;
}

struct emu_dmi_svc *emu_dmi_svc_new(struct emu_sc *s, const struct emu_dmi *d)
{
	static const enum emu_sc_call opens[] = { EMU_SC_OPEN, EMU_SC_OPENAT, EMU_SC_OPENAT2 };
	static const enum emu_sc_call stats[] = { EMU_SC_STAT, EMU_SC_LSTAT, EMU_SC_NEWFSTATAT,
						  EMU_SC_STATX };
	static const enum emu_sc_call accs[] = { EMU_SC_ACCESS, EMU_SC_FACCESSAT,
						 EMU_SC_FACCESSAT2 };
	struct emu_dmi_svc *v = calloc(1, sizeof(*v));
	int bad = 0;

	if (!v)
		return NULL;
	v->sc = s;
	v->t0 = (int64_t)time(NULL);
	for (int k = 0; k < EMU_DMI_NKEYS; k++) {
		v->fd[k] = -1;
		if (d->set[k] && !bad && (v->fd[k] = seal(emu_dmi_name((enum emu_dmi_key)k),
							  d->val[k])) < 0)
			bad = 1;
	}
	for (size_t i = 0; !bad && i < sizeof(opens) / sizeof(*opens); i++)
		bad = emu_sc_handle(s, opens[i], on_open, v);
	for (size_t i = 0; !bad && i < sizeof(stats) / sizeof(*stats); i++)
		bad = emu_sc_handle(s, stats[i], on_stat, v);
	for (size_t i = 0; !bad && i < sizeof(accs) / sizeof(*accs); i++)
		bad = emu_sc_handle(s, accs[i], on_access, v);
	if (bad) {
		int e = errno ? errno : ENOSPC;

		emu_dmi_svc_free(v);
		errno = e;
		return NULL;
	}
	return v;
}

void emu_dmi_svc_free(struct emu_dmi_svc *v)
{
	if (!v)
		return;
	for (int k = 0; k < EMU_DMI_NKEYS; k++)
		if (v->fd[k] >= 0)
			close(v->fd[k]);
	free(v);
}
