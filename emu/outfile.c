// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"

int emu_outfile_open(struct emu_outfile *o, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	int dirlen = slash ? (int)(slash - path) + 1 : 0;
	struct stat sb;
	mode_t mask;
	int fd, e;

	*o = (struct emu_outfile){ path, NULL, NULL };
	/* rename() would replace a directory's entry only at the very end. */
	if (!*base || (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))) {
		errno = EISDIR;
		return -1;
	}
	if (asprintf(&o->tmp, "%.*s.%s.XXXXXX", dirlen, path, base) < 0) {
		o->tmp = NULL;
		errno = ENOMEM;
		return -1;
	}
	fd = mkostemp(o->tmp, O_CLOEXEC);
	if (fd < 0)
		goto fail;
	/* The mode fopen would have given, not mkstemp's 0600. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) || !(o->f = fdopen(fd, "w"))) {
		e = errno;
		close(fd);
		unlink(o->tmp);
		errno = e;
		goto fail;
	}
	return 0;
fail:
	e = errno;
	free(o->tmp);
	o->tmp = NULL;
	errno = e;
	return -1;
}

int emu_outfile_commit(struct emu_outfile *o)
{
	int rc = 0, e = 0;

	if (!o->f) {
		errno = EBADF;
		return -1;
	}
	if (fflush(o->f) || ferror(o->f) || fsync(fileno(o->f)))
		rc = -1, e = errno ? errno : EIO;
	if (fclose(o->f) && !rc)
		rc = -1, e = errno;
	o->f = NULL;
	if (!rc && rename(o->tmp, o->path))
		rc = -1, e = errno;
	if (rc)
		unlink(o->tmp);
	free(o->tmp);
	o->tmp = NULL;
	errno = e;
	return rc;
}

void emu_outfile_abort(struct emu_outfile *o)
{
	if (o->f)
		fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	*o = (struct emu_outfile){ 0 };
}
