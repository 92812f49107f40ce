// SPDX-License-Identifier: MIT
/*
 * vmwcall rpc and the vmware-rpctool persona: one RPCI command on its own
 * channel, with vmware-rpctool's output, messages and exit codes.
 */
#include <stdlib.h>
#include <string.h>

#include "vmwcall/proto.h"
#include "vmwcall/rpc.h"
#include "cli.h"
#include "record.h"

static const char rpctool_usage[] =
	"rpctool syntax:\n\n"
	"  -h | --help\tprint usage.\n"
	"  rpctool <text>\tsend <text> as an RPC command.\n";

/*
 * 0 and the text after "1 ", or 1 and the error text (NULL where
 * open-vm-tools has none: a channel that would not open or close).
 */
static int send_one(unsigned int via, const char *req, size_t len, char **reply, size_t *rlen)
{
	struct vmw_chan *c;
	const char *r = "", *why = NULL;
	size_t n = 0;
	int st = 1, got = 0;

	*reply = NULL;
	*rlen = 0;
	if (vmw_chan_open_via(&c, VMW_PROTO_RPCI, via)) {
		rec_rpc(req, len, NULL, 0, "cannot open a GuestRPC channel");
		return 1;
	}
	if (vmw_chan_send(c, req, len))
		why = "RpcOut: Unable to send the RPCI command";
	else if (vmw_chan_recv(c, &r, &n))
		why = "RpcOut: Unable to receive the result of the RPCI command";
	else
		got = 1;
	if (got && (n < 2 || (r[0] != '1' && r[0] != '0') || r[1] != ' '))
		why = "RpcOut: Invalid format for the result of the RPCI command";
	else if (got)
		st = r[0] != '1';
	/* What the host said, even when it is malformed; else why there is nothing. */
	rec_rpc(req, len, got ? r : NULL, n, why);
	if (why) {
		r = why;
		n = strlen(why);
	} else {
		r += 2;
		n -= 2;
	}
	*reply = malloc(n + 1);
	if (*reply) {
		memcpy(*reply, r, n);
		(*reply)[n] = '\0';
		*rlen = n;
	}
	if (vmw_chan_close(c)) {
		free(*reply);
		*reply = NULL;
		return 1;
	}
	return st;
}

static int run(unsigned int via, const char *req, size_t len)
{
	char *reply;
	size_t n;
	int st;

	/* vsock's framing cannot carry an empty request; the backdoor can. */
	if (len == 0 && via == VMW_VIA_AUTO)
		via = VMW_VIA_BACKDOOR;
	st = send_one(via, req, len, &reply, &n);
	FILE *f = st ? stderr : stdout;

	/* Binary-safe where vmware-rpctool's printf stops at a NUL. */
	if (reply)
		fwrite(reply, 1, n, f);
	else
		fputs("NULL", f);
	fputc('\n', f);
	free(reply);
	return st;
}

/* After the VM check, as vmware-rpctool: argv[1] only, "-h"/"--help" prefixes. */
static int rpctool(unsigned int via, int argc, char **argv)
{
	if (argc < 2) {
		fputs(rpctool_usage, stderr);
		return 1;
	}
	if (!strncmp(argv[1], "-h", 2) || !strncmp(argv[1], "--help", 6)) {
		fputs(rpctool_usage, stderr);
		return 0;
	}
	return run(via, argv[1], strlen(argv[1]));
}

int rpctool_main(int argc, char **argv)
{
	struct vmw_info info;

	if (!vmcheck(&info)) {
		fprintf(stderr, "Error: %s must be run inside a virtual machine on a VMware "
			"hypervisor product.\n", argc > 0 ? argv[0] : "vmware-rpctool");
		return 255;
	}
	/* Unlike open-vm-tools' rpctool, vsock first: hardened hosts want it. */
	return rpctool(VMW_VIA_AUTO, argc, argv);
}

int cmd_rpc(int argc, char **argv, struct opts *o)
{
	struct vmw_info info;
	size_t len;
	char *req;
	int rc;

	if (o->via != VMW_VIA_VSOCK && !need_vmware(&info))
		return EXIT_FAIL;
	if (argc < 2 || strcmp(argv[1], "-"))
		return rpctool(o->via, argc, argv);
	req = read_stdin(VMW_MSG_MAX_IN_SIZE, &len);
	if (!req)
		return fail("rpc: cannot read the command from stdin (at most %u bytes)",
			    VMW_MSG_MAX_IN_SIZE);
	rc = run(o->via, req, len);
	free(req);
	return rc;
}
