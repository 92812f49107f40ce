// SPDX-License-Identifier: MIT
#include "vmwcall/error.h"

const char *vmw_strerror(int err)
{
	switch (err) {
	case VMW_OK:
		return "Success";
	case VMW_ENOTVMWARE:
		return "Not running on a VMware hypervisor";
	case VMW_EUNSUPPORTED:
		return "Command not supported by the host";
	case VMW_EPROTO:
		return "Protocol error in the host's reply";
	case VMW_ETOOBIG:
		return "Message too large";
	case VMW_ECHANNEL:
		return "GuestRPC channel unavailable";
	case VMW_ECHECKPOINT:
		return "Interrupted by checkpoints too many times";
	case VMW_ENOMEM:
		return "Out of memory";
	case VMW_EHOST:
		return "The host refused the request";
	case VMW_EINVAL:
		return "Invalid argument";
	case VMW_EIO:
		return "GuestRPC transfer failed";
	case VMW_ETIMEDOUT:
		return "The host did not answer in time";
	}
	return "Unknown error";
}
