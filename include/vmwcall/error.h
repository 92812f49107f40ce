/* SPDX-License-Identifier: MIT */
/* Error codes of the typed commands and the GuestRPC layer. */
#ifndef VMWCALL_ERROR_H
#define VMWCALL_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The int functions of cmd.h, detect.h and rpc.h return 0 or one of these
 * (all negative); vmw_detect() returns 1 or 0 for its answer.
 */
enum vmw_err {
	VMW_OK = 0,
	VMW_ENOTVMWARE = -1,	/* no VMware backdoor answers here (the probe's verdict) */
	VMW_EUNSUPPORTED = -2,	/* the host does not implement this command */
	VMW_EPROTO = -3,	/* out of step: a malformed or unexpected reply, or a
				 * vsock send while a reply was still unread */
	VMW_ETOOBIG = -4,	/* message, key or reply larger than its limit */
	VMW_ECHANNEL = -5,	/* a channel could not be opened, was refused or lost */
	VMW_ECHECKPOINT = -6,	/* too many checkpoint restarts */
	VMW_ENOMEM = -7,	/* out of memory */
	VMW_EHOST = -8,		/* the host said no: an RPCI "0 ..." (its text is the
				 * reply), or a steal clock left in the other state */
	VMW_EINVAL = -9,	/* bad argument */
	VMW_EIO = -10,		/* a backdoor message step failed */
	VMW_ETIMEDOUT = -11,	/* the host did not answer in time (vsock) */
};

/* A short English description; never NULL. */
const char *vmw_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif
