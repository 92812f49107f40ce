// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmwcall/proto.h"
#include "cli.h"

static void vsay(const char *fmt, va_list ap)
{
	fputs("vmwcall: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

int fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	return EXIT_FAIL;
}

/*
 * At exit: flush and close stdout, so output lost to a full disk or a
 * closed descriptor is an error (exit 1 with a message), not a silent 0.
 * As gnulib's close_stdout: closing a closed stdout that held nothing is
 * fine.
 */
static const char *prog_name = "vmwcall";

static void close_stdout(void)
{
	int lost = ferror(stdout), pending = __fpending(stdout) != 0;

	errno = 0;
	if (fclose(stdout) && (pending || errno != EBADF))
		lost = 1;
	if (!lost)
		return;
	if (errno && errno != EBADF)
		fprintf(stderr, "%s: write error: %s\n", prog_name, strerror(errno));
	else
		fprintf(stderr, "%s: write error\n", prog_name);
	_exit(EXIT_FAIL);
}

void check_output(const char *prog)
{
	/*
	 * A closed fd 1 or 2 would be taken by the next file opened, and our
	 * output would land there: hold them with a read-only /dev/null, on
	 * which every write fails and is caught.
	 */
	for (int fd = 1; fd <= 2; fd++)
		if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
			int n = open("/dev/null", O_RDONLY);

			if (n >= 0 && n != fd) {
				dup2(n, fd);
				close(n);
			}
		}
	prog_name = prog;
	atexit(close_stdout);
}

int usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(fmt, ap);
	va_end(ap);
	return EXIT_USAGE;
}

int take_opts(int *argc, char ***argv, struct opts *o)
{
	const char *name = (*argv)[0];

	(*argc)--, (*argv)++;
	while (*argc > 0 && (*argv)[0][0] == '-' && (*argv)[0][1] == '-') {
		const char *a = (*argv)[0];

		(*argc)--, (*argv)++;
		if (!strcmp(a, "--"))
			break;
		switch (take_channel(argc, argv, a, o)) {
		case 1:
			continue;
		case -1:
			return EXIT_USAGE;
		}
		if (!strcmp(a, "--json")) {
			o->json = 1;
		} else if (!strcmp(a, "--help")) {
			usage(stdout);
			exit(0);
		} else {
			return usage_error("%s: unknown option '%s'", name, a);
		}
	}
	return 0;
}

int take_channel(int *argc, char ***argv, const char *s, struct opts *o)
{
	static const struct {
		const char *name;
		unsigned int via;
	} modes[] = {
		{ "auto", VMW_VIA_AUTO }, { "backdoor", VMW_VIA_BACKDOOR }, { "vsock", VMW_VIA_VSOCK },
	};
	const char *mode;

	if (!strncmp(s, "--channel=", 10)) {
		mode = s + 10;
	} else if (!strcmp(s, "--channel")) {
		if (*argc == 0) {
			usage_error("--channel needs auto, backdoor or vsock");
			return -1;
		}
		mode = (*argv)[0];
		(*argc)--, (*argv)++;
	} else {
		return 0;
	}
	for (size_t i = 0; i < sizeof(modes) / sizeof(*modes); i++) {
		if (!strcmp(mode, modes[i].name)) {
			o->via = modes[i].via;
			return 1;
		}
	}
	usage_error("--channel: '%s' is not auto, backdoor or vsock", mode);
	return -1;
}

int open_rpci(struct opts *o, struct vmw_chan **c, const char *what)
{
	int rc = vmw_chan_open_via(c, VMW_PROTO_RPCI, o->via);

	if (rc == 0)
		return 0;
	if (o->via == VMW_VIA_VSOCK)
		return fail("%s: no GuestRPC over vsock: %s", what, vmw_strerror(rc));
	return fail("%s: %s", what, vmw_strerror(rc));
}

int need_vmware(struct vmw_info *info)
{
	if (vmw_detect(info, sizeof(*info), VMW_DETECT_PROBE))
		return 1;
	fail("not running on a VMware hypervisor (no backdoor answered%s%s)",
	     info->hv_sig[0] ? "; CPUID says " : "", info->hv_sig);
	return 0;
}

int vmcheck(struct vmw_info *info)
{
	vmw_detect(info, sizeof(*info), VMW_DETECT_PROBE);
	/* open-vm-tools gives up on these signatures without probing. */
	if (!info->cpuid_vmware &&
	    (!strcmp(info->hv_sig, "KVMKVMKVM") || !strcmp(info->hv_sig, "XenVMMXenVMM")))
		return 0;
	return info->vmware && info->version == VMW_VERSION_MAGIC;
}

char *read_stdin(size_t max, size_t *len)
{
	size_t n = 0, cap = 4096;
	char *p = malloc(cap + 1);
	ssize_t r;

	if (!p)
		return NULL;
	for (;;) {
		if (n == cap) {
			char *q;

			if (cap > max) {
				free(p);
				return NULL;
			}
			cap *= 2;
			q = realloc(p, cap + 1);
			if (!q) {
				free(p);
				return NULL;
			}
			p = q;
		}
		r = read(0, p + n, cap - n);
		if (r == 0)
			break;
		if (r < 0) {
			free(p);
			return NULL;
		}
		n += (size_t)r;
	}
	if (n > max) {
		free(p);
		return NULL;
	}
	p[n] = '\0';
	*len = n;
	return p;
}

/* Length of the valid UTF-8 sequence at s[0..n) (RFC 3629: no overlongs, surrogates, > U+10FFFF), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xBF;
	size_t len;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		len = 2;
	else if (c >= 0xE0 && c <= 0xEF)
		len = 3, lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
	else if (c >= 0xF0 && c <= 0xF4)
		len = 4, lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
	else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xBF)
			return 0;
	return len;
}

static int is_utf8(const char *s, size_t n)
{
	for (size_t i = 0, k; i < n; i += k)
		if (!(k = utf8_len((const unsigned char *)s + i, n - i)))
			return 0;
	return 1;
}

static void json_str(FILE *f, const char *s, size_t n)
{
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void base64(FILE *f, const unsigned char *s, size_t n)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

	fputc('"', f);
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16 | (i + 1 < n ? (uint32_t)s[i + 1] << 8 : 0) |
			     (i + 2 < n ? s[i + 2] : 0);

		fputc(b64[v >> 18], f);
		fputc(b64[v >> 12 & 63], f);
		fputc(i + 1 < n ? b64[v >> 6 & 63] : '=', f);
		fputc(i + 2 < n ? b64[v & 63] : '=', f);
	}
	fputc('"', f);
}

void json_member(FILE *f, const char *name, const char *s, size_t n)
{
	if (is_utf8(s, n)) {
		fprintf(f, "\"%s\":", name);
		json_str(f, s, n);
	} else {
		fprintf(f, "\"%s_base64\":", name);
		base64(f, (const unsigned char *)s, n);
	}
}

const char *product_name(uint32_t type)
{
	switch (type) {
	case VMW_TYPE_ESX:
		return "ESX Server";
	case VMW_TYPE_WORKSTATION:
		return "Workstation";
	}
	return "Unknown";
}
