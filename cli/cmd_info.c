// SPDX-License-Identifier: MIT
/* vmwcall info get|set: guestinfo keys, values binary-safe. */
#include <stdlib.h>
#include <string.h>

#include "vmwcall/proto.h"
#include "vmwcall/rpc.h"
#include "cli.h"

#define PREFIX "guestinfo."

/* The key as the host knows it, for messages. */
static const char *bare(const char *key)
{
	return strncmp(key, PREFIX, sizeof(PREFIX) - 1) ? key : key + sizeof(PREFIX) - 1;
}

static void json_key(const char *key)
{
	size_t n = strlen(bare(key)), p = sizeof(PREFIX) - 1;
	char *k = malloc(p + n + 1);

	if (!k) {
		json_member(stdout, "key", "", 0);
		return;
	}
	memcpy(k, PREFIX, p);
	memcpy(k + p, bare(key), n + 1);
	json_member(stdout, "key", k, p + n);
	free(k);
}

static int get(const char *key, struct opts *o)
{
	struct vmw_chan *c;
	char *val;
	size_t len;
	int rc;

	if (open_rpci(o, &c, "info get"))
		return EXIT_FAIL;
	rc = vmw_info_get(c, key, &val, &len);
	vmw_chan_close(c);

	if (rc == VMW_EHOST) {
		fail("info get %s%s: %s", PREFIX, bare(key), val);
		free(val);
		return EXIT_FAIL;
	}
	if (rc)
		return fail("info get %s%s: %s", PREFIX, bare(key), vmw_strerror(rc));
	if (o->json) {
		putchar('{');
		json_key(key);
		putchar(',');
		json_member(stdout, "value", val, len);
		printf("}\n");
	} else {
		fwrite(val, 1, len, stdout);
		fputc('\n', stdout);
	}
	free(val);
	return 0;
}

static int set(const char *key, const char *arg, struct opts *o)
{
	struct vmw_chan *c;
	char *in = NULL;
	size_t len;
	int rc;

	if (!strcmp(arg, "-")) {
		in = read_stdin(VMW_MSG_MAX_IN_SIZE, &len);
		if (!in)
			return fail("info set: cannot read the value from stdin (at most %u bytes)",
				    VMW_MSG_MAX_IN_SIZE);
		arg = in;
	} else {
		len = strlen(arg);
	}
	if (open_rpci(o, &c, "info set")) {
		free(in);
		return EXIT_FAIL;
	}
	rc = vmw_info_set(c, key, arg, len);
	vmw_chan_close(c);
	free(in);
	if (rc)
		return fail("info set %s%s: %s", PREFIX, bare(key), vmw_strerror(rc));
	if (o->json) {
		putchar('{');
		json_key(key);
		printf(",\"set\":true,\"length\":%zu}\n", len);
	}
	return 0;
}

int cmd_info(int argc, char **argv, struct opts *o)
{
	struct vmw_info info;
	int rc = take_opts(&argc, &argv, o);

	if (rc)
		return rc;
	if (argc == 2 && !strcmp(argv[0], "get")) {
		if (o->via != VMW_VIA_VSOCK && !need_vmware(&info))
			return EXIT_FAIL;
		return get(argv[1], o);
	}
	if (argc == 3 && !strcmp(argv[0], "set")) {
		if (o->via != VMW_VIA_VSOCK && !need_vmware(&info))
			return EXIT_FAIL;
		return set(argv[1], argv[2], o);
	}
	return usage_error("usage: vmwcall info get KEY | info set KEY VALUE|-");
}
