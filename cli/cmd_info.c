// SPDX-License-Identifier: MIT
/* vmwcall info get|set: guestinfo keys, values binary-safe. */
#include <stdlib.h>
#include <string.h>

#include "vmwcall/proto.h"
#include "vmwcall/rpc.h"
#include "cli.h"
#include "record.h"

/* The key as the host knows it, for messages. */
static const char *bare(const char *key)
{
	size_t p = VMW_GUESTINFO_PREFIX_LEN;

	return strncmp(key, VMW_GUESTINFO_PREFIX, p) ? key : key + p;
}

static void json_key(const char *key)
{
	size_t n = strlen(bare(key)), p = VMW_GUESTINFO_PREFIX_LEN;
	char *k = malloc(p + n + 1);

	if (!k) {
		json_member(stdout, "key", "", 0);
		return;
	}
	memcpy(k, VMW_GUESTINFO_PREFIX, p);
	memcpy(k + p, bare(key), n + 1);
	json_member(stdout, "key", k, p + n);
	free(k);
}

/*
 * "info-get guestinfo.KEY" or, with val, "info-set guestinfo.KEY VALUE":
 * the request vmw_info_get() and vmw_info_set() make, built here so that
 * --record sees it.  0 or a VMW_E* code.
 */
static int request(const char *key, const char *val, size_t vlen, char **req, size_t *n)
{
	const char *verb = val ? "info-set " : "info-get ";
	size_t kn = strlen(bare(key)), p = VMW_GUESTINFO_PREFIX_LEN;

	if (kn == 0 || strchr(key, ' '))
		return VMW_EINVAL;
	if (kn > VMW_MSG_MAX_IN_SIZE || vlen > VMW_MSG_MAX_IN_SIZE ||
	    9 + p + kn + (val ? 1 + vlen : 0) > VMW_MSG_MAX_IN_SIZE)
		return VMW_ETOOBIG;
	*n = 9 + p + kn + (val ? 1 + vlen : 0);
	if (!(*req = malloc(*n)))
		return VMW_ENOMEM;
	memcpy(*req, verb, 9);
	memcpy(*req + 9, VMW_GUESTINFO_PREFIX, p);
	memcpy(*req + 9 + p, bare(key), kn);
	if (val) {
		(*req)[9 + p + kn] = ' ';
		memcpy(*req + 10 + p + kn, val, vlen);
	}
	return 0;
}

/*
 * One guestinfo request on a channel of its own, recorded (one that
 * could not be sent as well); as vmw_info_get/set.  *opened = 0: no
 * channel, said.
 */
static int call(struct opts *o, const char *what, const char *key, const char *val,
		size_t vlen, char **reply, size_t *rlen, int *opened)
{
	struct vmw_chan *c;
	char *req;
	size_t n;
	int rc = request(key, val, vlen, &req, &n);

	*opened = 1;
	if (rc)
		return rc;
	if (open_rpci(o, &c, what)) {
		rec_rpc(req, n, NULL, 0, "cannot open a GuestRPC channel");
		*opened = 0;
	} else {
		rc = rec_rpci_call(c, req, n, reply, rlen);
		vmw_chan_close(c);
	}
	free(req);
	return rc;
}

static int get(const char *key, struct opts *o)
{
	char *val = NULL;
	size_t len = 0;
	int opened, rc = call(o, "info get", key, NULL, 0, &val, &len, &opened);

	if (!opened)
		return EXIT_FAIL;

	if (rc == VMW_EHOST) {
		fail("info get %s%s: %s", VMW_GUESTINFO_PREFIX, bare(key), val);
		free(val);
		return EXIT_FAIL;
	}
	if (rc)
		return fail("info get %s%s: %s", VMW_GUESTINFO_PREFIX, bare(key), vmw_strerror(rc));
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
	char *in = NULL;
	size_t len;
	int opened, rc;

	if (!strcmp(arg, "-")) {
		in = read_stdin(VMW_MSG_MAX_IN_SIZE, &len);
		if (!in)
			return fail("info set: cannot read the value from stdin (at most %u bytes)",
				    VMW_MSG_MAX_IN_SIZE);
		arg = in;
	} else {
		len = strlen(arg);
	}
	rc = call(o, "info set", key, arg, len, NULL, NULL, &opened);
	free(in);
	if (!opened)
		return EXIT_FAIL;
	if (rc)
		return fail("info set %s%s: %s", VMW_GUESTINFO_PREFIX, bare(key), vmw_strerror(rc));
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
