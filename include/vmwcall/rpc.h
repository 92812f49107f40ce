/* SPDX-License-Identifier: MIT */
/*
 * GuestRPC: the message channel (MESSAGE, command 30) and the RPCI and
 * TCLO protocols on top of it.
 *
 * Every function returns 0 or a negative enum vmw_err (error.h).  Replies
 * are binary-safe: a pointer and a length, with a NUL after the last byte
 * for convenience.  Host replies are untrusted: a reply larger than the
 * channel's limit is refused before anything is allocated for it.
 *
 * Outside VMware, opening a channel fails with VMW_ENOTVMWARE (the first
 * open probes; see vmw_set_present() in detect.h).
 *
 * A NULL channel where one is required gives VMW_EINVAL.
 *
 * A kept channel whose send or receive failed after reaching the host
 * (VMW_EIO, VMW_ECHECKPOINT, VMW_EPROTO, VMW_ETOOBIG or VMW_ENOMEM for a
 * reply, a vsock error) is in an unknown state, so the library renews it:
 * a backdoor channel is closed (the host's answer ignored) and opened
 * again with new cookies at its next send or receive, a vsock channel
 * reconnects at its next send.  That call then fails with VMW_ECHANNEL if the host refuses
 * the new channel, and the next one tries again.  The failed message may
 * or may not have reached the host; its reply is lost.  The caller needs
 * to do nothing but repeat what it must.
 *
 * Threads: a channel is one conversation and must not be used by two
 * threads at once (the caller locks).  Separate channels are independent
 * and the functions keep no global state, so each thread may use its own.
 */
#ifndef VMWCALL_RPC_H
#define VMWCALL_RPC_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "proto.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Default reply limit: a 1 MiB value plus room for the status and key. */
#define VMW_RPC_MAX_REPLY_DEFAULT	((1u << 20) + 4096)
/* Checkpoint restarts of one message before giving up (VMW_ECHECKPOINT). */
#define VMW_RPC_MAX_RETRIES		8

/* How long a vsock channel waits for the host before VMW_ETIMEDOUT. */
#define VMW_RPC_TIMEOUT_MS_DEFAULT	10000u

struct vmw_chan;

/*
 * Open a channel for proto (VMW_PROTO_RPCI or VMW_PROTO_TCLO): with
 * cookies first, without if the host refuses them.  VMW_ECHANNEL if the
 * host refused both (table full, no GuestRPC).  Same as
 * vmw_chan_open_via(c, proto, VMW_VIA_AUTO).
 */
int vmw_chan_open(struct vmw_chan **c, uint32_t proto);

/*
 * How a channel reaches the host.  The backdoor is the MESSAGE hypercall;
 * vsock is a stream to the hypervisor (context 0, port 976) that hardened
 * hosts trust with commands they refuse on the backdoor when it comes from
 * a privileged source port (below 1024: root or CAP_NET_BIND_SERVICE).
 * AUTO takes vsock for RPCI when the guest has the VMCI device and the
 * connection succeeds, else the backdoor, as open-vm-tools' tools do; a
 * guest without VMCI pays no vsock attempt at all.  TCLO is backdoor only.
 */
#define VMW_VIA_AUTO		0u
#define VMW_VIA_BACKDOOR	1u
#define VMW_VIA_VSOCK		2u
#define VMW_VIA_PRIV		4u	/* vmw_chan_via(): privileged source port */

/*
 * vmw_chan_open() with a choice of transport.  A vsock channel cannot carry
 * an empty message (VMW_EINVAL).  VMW_VIA_VSOCK fails with
 * VMW_ECHANNEL when no vsock host answers (VMW_ETIMEDOUT when it does not
 * answer in time) and with VMW_EINVAL for TCLO.
 */
int vmw_chan_open_via(struct vmw_chan **c, uint32_t proto, unsigned int via);

/* The transport c uses: VMW_VIA_BACKDOOR, or VMW_VIA_VSOCK with VMW_VIA_PRIV. */
unsigned int vmw_chan_via(const struct vmw_chan *c);

/* Bound a vsock channel's waits to ms (default VMW_RPC_TIMEOUT_MS_DEFAULT). */
void vmw_chan_set_timeout(struct vmw_chan *c, unsigned int ms);

/* Close and free (c may be NULL).  VMW_ECHANNEL if the host refused; c is freed anyway. */
int vmw_chan_close(struct vmw_chan *c);

/* Largest reply accepted on c (default VMW_RPC_MAX_REPLY_DEFAULT). */
void vmw_chan_set_max_reply(struct vmw_chan *c, size_t max);

/* Send one message of len <= VMW_MSG_MAX_IN_SIZE bytes (else VMW_ETOOBIG). */
int vmw_chan_send(struct vmw_chan *c, const void *msg, size_t len);

/*
 * Receive the host's pending message.  *len = 0 if there is none.  *msg
 * points into the channel's buffer, valid until the next call on c.
 */
int vmw_chan_recv(struct vmw_chan *c, const char **msg, size_t *len);

/*
 * RPCI: send req and return the host's answer with its "1 "/"0 " status
 * stripped.  0 for "1 ", VMW_EHOST for "0 ": in both cases *reply is the
 * text (malloc'd, NUL-terminated, the caller frees it); on any other error
 * *reply is NULL.  reply may be NULL to discard the text.  c is a kept
 * RPCI channel, or NULL to open one for this call and close it after.
 */
int vmw_rpci_call(struct vmw_chan *c, const void *req, size_t len,
		  char **reply, size_t *rlen);

/*
 * guestinfo: key with or without the "guestinfo." prefix, no spaces.
 * get: 0 and the value (malloc'd, as vmw_rpci_call), or VMW_EHOST with
 * the host's text ("No value found" if unset).  set: the whole request
 * "info-set guestinfo.KEY VALUE" must fit VMW_MSG_MAX_IN_SIZE.
 */
int vmw_info_get(struct vmw_chan *c, const char *key, char **val, size_t *len);
int vmw_info_set(struct vmw_chan *c, const char *key, const void *val, size_t len);

/* Write text to the VM's log (vmware.log). */
int vmw_log(struct vmw_chan *c, const char *text);

/*
 * TCLO, on a channel opened with VMW_PROTO_TCLO: send the result of the
 * previous host command (len 0 on the first poll and when there was none:
 * that is how the host learns we are listening), then fetch the next
 * command.  *cmdlen = 0 if the host has none; *cmd is as vmw_chan_recv's.
 * Results are "OK text" or "ERROR text"; "reset" wants "OK ATR <name>".
 */
int vmw_tclo_poll(struct vmw_chan *c, const void *result, size_t len,
		  const char **cmd, size_t *cmdlen);

#ifdef __cplusplus
}
#endif

#endif
