// SPDX-License-Identifier: MIT
/* vmwcall call: one raw LB hypercall, every register shown. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vmwcall/hypercall.h"
#include "cli.h"

static int number(const char *s, unsigned long *v)
{
	char *end;

	/* strtoul would skip blanks and take a sign: " -1" is 0xFFFFFFFF on i386. */
	if (*s < '0' || *s > '9')
		return 0;
	errno = 0;
	*v = strtoul(s, &end, 0);
	return !*end && !errno && *v <= 0xFFFFFFFFul;
}

static int transport(const char *s, unsigned int *t)
{
	static const char *const names[] = { "io", "vmcall", "vmmcall" };

	for (unsigned int i = 0; i < 3; i++)
		if (!strcmp(s, names[i])) {
			*t = VMW_TRANSPORT_IO + i;
			return 1;
		}
	return 0;
}

int cmd_call(int argc, char **argv, struct opts *o)
{
	static const char *const regs[] = { "ax", "bx", "cx", "dx", "si", "di" };
	unsigned long in[5] = { 0 };	/* cmd, in1, in3, in4, in5 */
	unsigned int t = 0;
	vmw_u32 out[6];
	struct vmw_info info;

	for (argc--, argv++; argc > 0 && argv[0][0] == '-' && argv[0][1] == '-'; argc--, argv++) {
		if (!strcmp(argv[0], "--")) {
			argc--, argv++;
			break;
		}
		if (!strcmp(argv[0], "--json")) {
			o->json = 1;
		} else if (!strcmp(argv[0], "--help")) {
			usage(stdout);
			return 0;
		} else if (!strncmp(argv[0], "--transport", 11)) {
			const char *v = argv[0][11] == '=' ? argv[0] + 12 : argc > 1 ? argv[1] : "";

			if (argv[0][11] != '=' && argv[0][11] != '\0')
				return usage_error("call: unknown option '%s'", argv[0]);
			if (!transport(v, &t))
				return usage_error("call: --transport io|vmcall|vmmcall, not '%s'", v);
			if (argv[0][11] == '\0')
				argc--, argv++;
		} else {
			return usage_error("call: unknown option '%s'", argv[0]);
		}
	}
	if (argc < 1 || argc > 5)
		return usage_error("usage: vmwcall call [--transport io|vmcall|vmmcall] CMD "
				   "[IN1 [IN3 [IN4 [IN5]]]]");
	for (int i = 0; i < argc; i++)
		if (!number(argv[i], &in[i]))
			return usage_error("call: '%s' is not a 32-bit number", argv[i]);
	if (in[2] & 0xFFFF)
		return usage_error("call: IN3's low 16 bits carry the port or flags; they must be 0");
	if (!need_vmware(&info))
		return EXIT_FAIL;
	if (t) {
		vmware_hypercall_set_mode(t);
		vmw_set_transport(t);	/* the library's, if it is a shared one */
	}
	t = vmware_hypercall_get_mode();
	out[0] = (vmw_u32)vmware_hypercall9(in[0], in[1], in[2], in[3], in[4],
					    &out[1], &out[2], &out[3], &out[4], &out[5]);
	if (o->json) {
		printf("{\"transport\":\"%s\"", vmw_transport_name(t));
		for (int i = 0; i < 6; i++)
			printf(",\"out%d\":%u", i, out[i]);
		printf("}\n");
	} else {
		for (int i = 0; i < 6; i++)
			printf("out%d %s 0x%08x\n", i, regs[i], out[i]);
	}
	return 0;
}
