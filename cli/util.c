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
