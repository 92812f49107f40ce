// SPDX-License-Identifier: MIT
/*
 * The vmware-checkvm persona: the VM check first, then glib-style options
 * (-p/--prod, -h/--help), then the version line.
 */
#include <langinfo.h>
#include <locale.h>
#include <string.h>

#include "vmwcall/cmd.h"
#include "vmwcall/proto.h"
#include "cli.h"

static void help(const char *prog)
{
	/* glib writes its ellipsis as '?' where the locale cannot show it. */
	const char *cs = nl_langinfo(CODESET);
	int utf8 = cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));

	printf("Usage:\n  %s [OPTION%s]\n\n"
	       "Help Options:\n"
	       "  -h, --help       Show help options\n\n"
	       "Application Options:\n"
	       "  -p, --prod       print VMware hypervisor product.\n\n",
	       prog, utf8 ? "\xe2\x80\xa6" : "?");
}

/* 1 for -p, 0 for none, -1 after printing help or an error (*rc set). */
static int options(const char *prog, int argc, char **argv, int *rc)
{
	int prod = 0;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--"))
			break;
		if (a[0] != '-' || a[1] == '\0')
			continue;
		if (a[1] == '-') {
			if (!strcmp(a, "--prod") || !strncmp(a, "--prod=", 7)) {
				prod = 1;
				continue;
			}
			if (!strcmp(a, "--help")) {
				help(prog);
				return *rc = 0, -1;
			}
			fprintf(stderr, "%s: Unknown option %s\n", prog, a);
			return *rc = 1, -1;
		}
		for (const char *f = a + 1; *f; f++) {
			if (*f == 'p') {
				prod = 1;
			} else if (*f == 'h' || *f == '?') {
				help(prog);
				return *rc = 0, -1;
			} else {
				fprintf(stderr, "%s: Unknown option -%c\n", prog, *f);
				return *rc = 1, -1;
			}
		}
	}
	return prod;
}

int checkvm_main(int argc, char **argv)
{
	const char *prog = argc > 0 ? strrchr(argv[0], '/') : NULL;
	struct vmw_info info;
	uint32_t version, type;
	int prod, rc = 0;

	setlocale(LC_ALL, "");
	prog = prog ? prog + 1 : argc > 0 ? argv[0] : "vmware-checkvm";
	if (!vmcheck(&info)) {
		fprintf(stderr, "Error: %s must be run inside a virtual machine on a VMware "
			"hypervisor product.\n", prog);
		return 1;
	}
	if (vmw_get_version(&version, &type)) {
		fprintf(stderr, "%s: Couldn't get version\n", prog);
		return 1;
	}
	prod = options(prog, argc, argv, &rc);
	if (prod < 0)
		return rc;
	if (prod)
		puts(product_name(type));
	else
		printf("VMware software version %u (good)\n", version);
	return 0;
}
