// SPDX-License-Identifier: MIT
/* vmwcall: the VMware hypercall interface from the shell. */
#include <string.h>

#include "cli.h"
#include "record.h"

#ifndef VMWCALL_VERSION
#define VMWCALL_VERSION "dev"
#endif

static const char usage_text[] =
	"usage: vmwcall [--json] [--channel auto|backdoor|vsock] COMMAND [ARG]...\n"
	"Talk to the VMware hypervisor through the backdoor (hypercall) interface.\n"
	"\n"
	"  detect                 is this a VMware VM? version, product, transport\n"
	"  rpc COMMAND|-          send a GuestRPC (RPCI) command, as vmware-rpctool;\n"
	"                         - reads the command from stdin\n"
	"  info get KEY           print a guestinfo value (KEY with or without 'guestinfo.')\n"
	"  info set KEY VALUE|-   set a guestinfo value; - reads it from stdin\n"
	"  stat hosttime|speed|hz|uuid|memsize|vcpu\n"
	"                         host time, CPU MHz, TSC/APIC Hz, BIOS UUID, memory, vCPU bits\n"
	"  call [--transport io|vmcall|vmmcall] CMD [IN1 [IN3 [IN4 [IN5]]]]\n"
	"                         one raw hypercall; prints every out register\n"
	"\n"
	"  --json                 machine-readable output (detect, info, stat, call)\n"
	"  --record FILE          append each RPC sent and its reply to FILE (JSON lines)\n"
	"  --channel MODE         GuestRPC over vsock, the backdoor, or vsock when the\n"
	"                         VM has VMCI and the backdoor otherwise (auto, default)\n"
	"  -h, --help             print this help and exit\n"
	"  -V, --version          print the version and exit\n"
	"\n"
	"Run as vmware-rpctool or vmware-checkvm (a link to vmwcall), it behaves as\n"
	"those tools.  Exit status: 0 success, 1 failure or not VMware, 2 bad usage.\n";

void usage(FILE *f)
{
	fputs(usage_text, f);
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv, struct opts *o);
} cmds[] = {
	{ "detect", cmd_detect },
	{ "rpc", cmd_rpc },
	{ "info", cmd_info },
	{ "stat", cmd_stat },
	{ "call", cmd_call },
};

int main(int argc, char **argv)
{
	const char *base = argc > 0 ? strrchr(argv[0], '/') : NULL;
	struct opts o = { 0 };

	base = base ? base + 1 : argc > 0 ? argv[0] : "vmwcall";
	check_output(base);
	if (!strcmp(base, "vmware-rpctool"))
		return rpctool_main(argc, argv);
	if (!strcmp(base, "vmware-checkvm"))
		return checkvm_main(argc, argv);

	argc--, argv++;
	while (argc > 0 && argv[0][0] == '-') {
		const char *a = argv[0];

		argc--, argv++;
		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			puts("vmwcall " VMWCALL_VERSION);
			return 0;
		}
		switch (take_channel(&argc, &argv, a, &o)) {
		case 1:
			continue;
		case -1:
			return EXIT_USAGE;
		}
		if (!strcmp(a, "--json")) {
			o.json = 1;
		} else if (!strcmp(a, "--record")) {
			if (argc == 0)
				return usage_error("--record needs a FILE");
			if (rec_open(argv[0]))
				return EXIT_USAGE;
			argc--, argv++;
		} else {
			return usage_error("unknown option '%s'; try 'vmwcall --help'", a);
		}
	}
	if (argc == 0)
		return usage_error("no command given; try 'vmwcall --help'");
	for (size_t i = 0; i < sizeof(cmds) / sizeof(*cmds); i++)
		if (!strcmp(argv[0], cmds[i].name)) {
			int rc = cmds[i].fn(argc, argv, &o), rrc = rec_close();

			return rc ? rc : rrc;
		}
	return usage_error("unknown command '%s'; try 'vmwcall --help'", argv[0]);
}
