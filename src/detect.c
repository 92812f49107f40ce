// SPDX-License-Identifier: MIT
#include <string.h>

#include "vmwcall/detect.h"
#include "vmwcall/hypercall.h"
#include "probe.h"
#include "sized.h"

const char *vmw_transport_name(unsigned int t)
{
	switch (t) {
	case VMW_TRANSPORT_IO:
		return "io";
	case VMW_TRANSPORT_VMCALL:
		return "vmcall";
	case VMW_TRANSPORT_VMMCALL:
		return "vmmcall";
	case VMW_TRANSPORT_TDX:
		return "tdx";
	}
	return "none";
}

int vmw_set_transport(unsigned int t)
{
	return vmware_hypercall_set_mode(t) ? VMW_EINVAL : 0;
}

#if defined(__aarch64__)
/* No CPUID: as open-vm-tools does on arm, only the guarded probe can tell. */
static void read_cpuid(struct vmw_info *info)
{
	(void)info;
}
#else
static void read_cpuid(struct vmw_info *info)
{
	vmw_u32 a, b, c, d, max;

	vmw_cpuid(0, 0, &max, &b, &c, &d);
	if (max >= VMW_CPUID_TDX_LEAF) {
		vmw_cpuid(VMW_CPUID_TDX_LEAF, 0, &a, &b, &c, &d);
		info->tdx = vmw_sig_is(b, d, c, "IntelTDX    ");
	}
	vmw_cpuid(1, 0, &a, &b, &c, &d);
	if (!(c & VMW_CPUID_HV_BIT))
		return;
	vmw_cpuid(VMW_CPUID_HV_LEAF, 0, &max, &b, &c, &d);
	memcpy(info->hv_sig, &b, 4);
	memcpy(info->hv_sig + 4, &c, 4);
	memcpy(info->hv_sig + 8, &d, 4);
	info->hv_sig[12] = '\0';
	info->cpuid_vmware = vmw_sig_is(b, c, d, "VMwareVMware");
	if (info->cpuid_vmware && max >= VMW_CPUID_FEATURES) {
		vmw_cpuid(VMW_CPUID_FEATURES, 0, &a, &b, &c, &d);
		info->tsc_khz = a;
		info->apic_khz = b;
	}
}
#endif

/* struct vmw_info's first version ends here: a caller's size may not be less. */
#define INFO_SIZE0 (offsetof(struct vmw_info, apic_khz) + sizeof(uint32_t))

static int detect(struct vmw_info *info, unsigned int flags)
{
	struct vmw_regs6 r;

	read_cpuid(info);
	info->transport = vmware_hypercall_get_mode();
	if (!info->cpuid_vmware && !(flags & VMW_DETECT_PROBE))
		return 0;
	if (!vmw_probe(&r))
		return 0;
	info->vmware = 1;
	info->version = (vmw_u32)r.ax;
	/* A host that ignores the type probe leaves 0xFFFF in the high half. */
	info->type = ((vmw_u32)r.cx >> 16) == 0xFFFF ? VMW_TYPE_UNSET : (vmw_u32)r.cx;
	return 1;
}

int vmw_detect(struct vmw_info *info, size_t size, unsigned int flags)
{
	struct vmw_info i = { 0 };
	int found;

	if (!info || size < INFO_SIZE0)
		return VMW_EINVAL;
	found = detect(&i, flags);
	vmw_copy_sized(info, size, &i, sizeof(i), INFO_SIZE0);
	return found;
}
