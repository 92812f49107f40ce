// SPDX-License-Identifier: MIT
/* RPCI requests ("1 "/"0 " replies), guestinfo and log, and the TCLO poll. */
#include <stdlib.h>
#include <string.h>

#include "vmwcall/proto.h"
#include "vmwcall/rpc.h"
#include "vsock.h"

int vmw_rpci_call(struct vmw_chan *c, const void *req, size_t len,
		  char **reply, size_t *rlen)
{
	struct vmw_chan *own = NULL;
	const char *r = "";
	size_t n = 0;
	int err, cerr;

	if (reply)
		*reply = NULL;
	if (rlen)
		*rlen = 0;
	if (!c) {
		err = vmw_chan_open(&own, VMW_PROTO_RPCI);
		if (err)
			return err;
		vmw_chan_oneshot(own);
		c = own;
	}
	err = vmw_chan_send(c, req, len);
	if (!err)
		err = vmw_chan_recv(c, &r, &n);
	if (!err) {
		if (n < 2 || (r[0] != '1' && r[0] != '0') || r[1] != ' ')
			err = VMW_EPROTO;
		else if (r[0] == '0')
			err = VMW_EHOST;
	}
	if ((!err || err == VMW_EHOST) && reply) {
		*reply = malloc(n - 1);
		if (*reply) {
			memcpy(*reply, r + 2, n - 2);
			(*reply)[n - 2] = '\0';
			if (rlen)
				*rlen = n - 2;
		} else {
			err = VMW_ENOMEM;
		}
	}
	cerr = vmw_chan_close(own);
	if (cerr && (!err || err == VMW_EHOST)) {
		if (reply) {
			free(*reply);
			*reply = NULL;
		}
		if (rlen)
			*rlen = 0;
		err = cerr;
	}
	return err;
}

/*
 * "VERB guestinfo.KEY" or "VERB guestinfo.KEY VALUE" in one buffer.  The
 * key may come with or without its prefix; a space would end it early.
 */
static int info_req(const char *verb, const char *key, const void *val, size_t vlen,
		    int with_val, char **req, size_t *len)
{
	size_t vn = strlen(verb), pn = VMW_GUESTINFO_PREFIX_LEN, kn;
	char *p;

	if (!key)
		return VMW_EINVAL;
	if (!strncmp(key, VMW_GUESTINFO_PREFIX, pn))
		key += pn;
	kn = strlen(key);
	if (kn == 0 || strchr(key, ' ') || (vlen && !val))
		return VMW_EINVAL;
	if (kn > VMW_MSG_MAX_IN_SIZE || vlen > VMW_MSG_MAX_IN_SIZE)
		return VMW_ETOOBIG;
	*len = vn + 1 + pn + kn + (with_val ? 1 + vlen : 0);
	if (*len > VMW_MSG_MAX_IN_SIZE)
		return VMW_ETOOBIG;
	p = malloc(*len);
	if (!p)
		return VMW_ENOMEM;
	memcpy(p, verb, vn);
	p[vn] = ' ';
	memcpy(p + vn + 1, VMW_GUESTINFO_PREFIX, pn);
	memcpy(p + vn + 1 + pn, key, kn);
	if (with_val) {
		p[vn + 1 + pn + kn] = ' ';
		if (vlen)
			memcpy(p + vn + 2 + pn + kn, val, vlen);
	}
	*req = p;
	return 0;
}

int vmw_info_get(struct vmw_chan *c, const char *key, char **val, size_t *len)
{
	char *req;
	size_t n;
	int err;

	if (val)
		*val = NULL;
	if (len)
		*len = 0;
	err = info_req("info-get", key, NULL, 0, 0, &req, &n);
	if (err)
		return err;
	err = vmw_rpci_call(c, req, n, val, len);
	free(req);
	return err;
}

int vmw_info_set(struct vmw_chan *c, const char *key, const void *val, size_t len)
{
	char *req;
	size_t n;
	int err;

	err = info_req("info-set", key, val, len, 1, &req, &n);
	if (err)
		return err;
	err = vmw_rpci_call(c, req, n, NULL, NULL);
	free(req);
	return err;
}

int vmw_log(struct vmw_chan *c, const char *text)
{
	size_t n;
	char *req;
	int err;

	if (!text)
		return VMW_EINVAL;
	n = strlen(text);
	if (n > VMW_MSG_MAX_IN_SIZE - 4)
		return VMW_ETOOBIG;
	req = malloc(n + 4);
	if (!req)
		return VMW_ENOMEM;
	memcpy(req, "log ", 4);
	memcpy(req + 4, text, n);
	err = vmw_rpci_call(c, req, n + 4, NULL, NULL);
	free(req);
	return err;
}

int vmw_tclo_poll(struct vmw_chan *c, const void *result, size_t len,
		  const char **cmd, size_t *cmdlen)
{
	int err = vmw_chan_send(c, result, len);

	*cmd = "";
	*cmdlen = 0;
	return err ? err : vmw_chan_recv(c, cmd, cmdlen);
}
