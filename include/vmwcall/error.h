/* SPDX-License-Identifier: MIT */
/* Error codes of the typed commands and the GuestRPC layer. */
#ifndef VMWCALL_ERROR_H
#define VMWCALL_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

/* Every function returns 0 or one of these (all negative). */
enum vmw_err {
	VMW_OK = 0,
	VMW_ENOTVMWARE = -1,	/* no VMware host answered */
	VMW_EUNSUPPORTED = -2,	/* the host does not implement this command */
	VMW_EPROTO = -3,	/* the host broke the protocol (malformed reply) */
	VMW_ETOOBIG = -4,	/* message or reply larger than the limit */
	VMW_ECHANNEL = -5,	/* channel could not be opened or was refused */
	VMW_ECHECKPOINT = -6,	/* too many checkpoint restarts */
	VMW_ENOMEM = -7,	/* out of memory */
	VMW_EHOST = -8,		/* the host answered "0 ..." (its text is the reply) */
	VMW_EINVAL = -9,	/* bad argument */
	VMW_EIO = -10,		/* a transfer step failed */
	VMW_ETIMEDOUT = -11,	/* the host did not answer in time (vsock) */
};

/* A short English description; never NULL. */
const char *vmw_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif
