/*
 * The library's headers without proto.h or hypercall.h: what their
 * functions take and give is named by what they include (C and C++).
 */
#include "vmwcall/cmd.h"
#include "vmwcall/detect.h"
#include "vmwcall/error.h"
#include "vmwcall/rpc.h"

#ifdef __cplusplus
extern "C" int use(void);
#else
int use(void);
#endif

int use(void)
{
	static const char prefix[] = VMW_GUESTINFO_PREFIX;
	unsigned int via = VMW_VIA_BACKDOOR;
	unsigned long n = VMW_MSG_MAX_IN_SIZE + VMW_GUESTINFO_PREFIX_LEN;

	return (int)(VMW_PROTO_RPCI + VMW_PROTO_TCLO + VMW_TRANSPORT_IO + VMW_TYPE_ESX +
		     VMW_VCPU_LEGACY_X2APIC + VMW_DETECT_PROBE + via + n) + VMW_EINVAL + prefix[0];
}
