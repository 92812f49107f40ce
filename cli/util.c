// SPDX-License-Identifier: MIT
#include <stdarg.h>
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

int need_vmware(struct vmw_info *info)
{
	if (vmw_detect(info, VMW_DETECT_PROBE))
		return 1;
	fail("not running on a VMware hypervisor (no backdoor answered%s%s)",
	     info->hv_sig[0] ? "; CPUID says " : "", info->hv_sig);
	return 0;
}

int vmcheck(struct vmw_info *info)
{
	vmw_detect(info, VMW_DETECT_PROBE);
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

void json_str(FILE *f, const char *s, size_t n)
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
