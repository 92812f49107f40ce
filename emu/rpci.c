// SPDX-License-Identifier: MIT
/*
 * RPCI that does not come through the message channel (vsock), and the
 * secure-RPC policy every RPCI request passes: a hardened ESXi host
 * answers guestinfo it guards only to a privileged vsock connection.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "vmwcall/proto.h"
#include "internal.h"

/* "info-get KEY" / "info-set KEY VALUE": the key, cut as the VMX reads text. */
static int guarded_key(const uint8_t *msg, size_t len, char *key, size_t cap)
{
	static const char *const verbs[] = { "info-get ", "info-set " };
	const uint8_t *nul = memchr(msg, '\0', len);
	size_t n, k;

	if (nul)
		len = (size_t)(nul - msg);
	for (size_t i = 0; i < sizeof(verbs) / sizeof(*verbs); i++) {
		n = strlen(verbs[i]);
		if (len <= n || memcmp(msg, verbs[i], n))
			continue;
		for (k = 0; n + k < len && msg[n + k] != ' '; k++)
			;
		if (k == 0 || k >= cap)
			return 0;
		memcpy(key, msg + n, k);
		key[k] = '\0';
		return 1;
	}
	return 0;
}

int emu_rpc_refused(const struct emu_host *h, const uint8_t *msg, size_t len, int privileged)
{
	char key[VMW_EMU_MAX_KEY_LEN + 16];

	if (privileged || !h->cfg.n_rpc_auth || !msg || !guarded_key(msg, len, key, sizeof(key)))
		return 0;
	for (size_t i = 0; i < h->cfg.n_rpc_auth; i++)
		if (fnmatch(h->cfg.rpc_auth[i], key, 0) == 0)
			return 1;
	return 0;
}

int emu_rpc_text(struct emu_buf *out, const char *text)
{
	size_t n = strlen(text);

	out->p = malloc(n);
	if (!out->p)
		return -1;
	memcpy(out->p, text, n);
	out->len = (uint32_t)n;
	out->pos = 0;
	return 0;
}

int emu_host_rpci(struct emu_host *h, const void *msg, size_t len, int privileged,
		  uint32_t owner, uint32_t chan, uint8_t **reply, size_t *rlen)
{
	struct emu_buf out = { 0 };
	int rc;

	*reply = NULL;
	*rlen = 0;
	h->st.rpcs++;
	h->st.vsock_rpcs++;
	h->st.bytes_in += len;
	if (len > h->cfg.max_in_size)
		rc = emu_rpc_text(&out, "0 Message too large");
	else if (emu_rpc_refused(h, msg, len, privileged))
		rc = emu_rpc_text(&out, EMU_RPC_REFUSAL);
	else
		rc = emu_rpc_answer(h, msg, (uint32_t)len, &out);
	if (rc)
		return -1;
	h->st.bytes_out += out.len;
	emu_ev_rpci(h, owner, chan, msg, len, out.p, out.len);
	*reply = out.p;
	*rlen = out.len;
	return 0;
}
