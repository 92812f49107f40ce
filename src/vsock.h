/* SPDX-License-Identifier: MIT */
/*
 * GuestRPC over vsock, as open-vm-tools' RpcChannel speaks it: a stream
 * to the hypervisor's context, one request packet and one reply packet
 * per RPCI call (proto.h has the framing).
 */
#ifndef VMWCALL_VSOCK_H
#define VMWCALL_VSOCK_H

#include <stddef.h>

#include "probe.h"	/* VMW_INTERNAL */

/* Bytes a request adds to its payload: length, TYPE, FAST_CLOSE, PAYLOAD header. */
#define VMW_VSOCK_REQ_HDR	(4 + 16 + 16 + 12)

/* Longest wait for a connection (the VMX accepts at once). */
#define VMW_VSOCK_CONNECT_MS	1000u

/* 1 if this kernel has the VMCI device, the only vsock route to the VMX. */
VMW_INTERNAL int vmw_vsock_present(void);

/*
 * Connect to the hypervisor's port, from a privileged source port when the
 * process may bind one (*priv = 1), else an ephemeral one.  Replies wait at
 * most timeout_ms.  The socket, or a negative vmw_err.
 */
VMW_INTERNAL int vmw_vsock_connect(unsigned int port, unsigned int timeout_ms, int *priv);

/* Bound every wait on fd (connect, send, receive) to ms. */
VMW_INTERNAL void vmw_vsock_set_timeout(int fd, unsigned int ms);

struct vmw_chan;
/* Mark c as opened for one request (the host may close after the reply). */
VMW_INTERNAL void vmw_chan_oneshot(struct vmw_chan *c);

/* Fill hdr[VMW_VSOCK_REQ_HDR] for a DATA packet whose payload is len bytes. */
VMW_INTERNAL void vmw_vsock_req_hdr(unsigned char *hdr, size_t len, int fast_close);

/* Send one request packet: 0 or a negative vmw_err. */
VMW_INTERNAL int vmw_vsock_send(int fd, const void *msg, size_t len, int fast_close);

/*
 * Receive one packet of at most max payload bytes into *buf (grown as
 * needed, *cap its size): 0 and the payload, moved to the front of *buf
 * and NUL-terminated, in *payload and *plen; or a negative vmw_err.  After an error the stream's
 * framing is lost: close fd.
 */
VMW_INTERNAL int vmw_vsock_recv(int fd, size_t max, char **buf, size_t *cap,
			      const char **payload, size_t *plen);

/*
 * Parse a packet body (after the length word): 0 and the DATA payload, or
 * VMW_EPROTO for anything open-vm-tools' DataMap decoder refuses
 * (truncation, unknown types, empty strings, a repeated field we read) and
 * for packets that are not DATA with a payload.
 */
VMW_INTERNAL int vmw_vsock_parse(const unsigned char *p, size_t n,
			       const unsigned char **payload, size_t *plen);

#endif
