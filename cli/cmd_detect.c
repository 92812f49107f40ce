// SPDX-License-Identifier: MIT
/* vmwcall detect: VMware or not, and what kind. */
#include <string.h>

#include "cli.h"

int cmd_detect(int argc, char **argv, struct opts *o)
{
	struct vmw_info in;
	int rc = take_opts(&argc, &argv, o);

	if (rc)
		return rc;
	if (argc)
		return usage_error("detect: unexpected argument '%s'", argv[0]);
	vmw_detect(&in, VMW_DETECT_PROBE);
	if (o->json) {
		printf("{\"vmware\":%s,\"version\":%u,\"type\":%u,\"product\":",
		       in.vmware ? "true" : "false", in.version, in.type);
		json_str(stdout, in.vmware ? product_name(in.type) : "", in.vmware ?
			 strlen(product_name(in.type)) : 0);
		printf(",\"transport\":\"%s\",\"cpuid_vmware\":%s,\"hypervisor\":",
		       vmw_transport_name(in.transport), in.cpuid_vmware ? "true" : "false");
		json_str(stdout, in.hv_sig, strlen(in.hv_sig));
		printf(",\"tdx\":%s,\"tsc_khz\":%u,\"apic_khz\":%u}\n", in.tdx ? "true" : "false",
		       in.tsc_khz, in.apic_khz);
		return in.vmware ? 0 : EXIT_FAIL;
	}
	if (!in.vmware) {
		printf("not VMware: no backdoor answered (CPUID hypervisor: %s)\n",
		       in.hv_sig[0] ? in.hv_sig : "none");
		return EXIT_FAIL;
	}
	printf("VMware: yes\nversion: %u\nproduct: %s (type %u)\ntransport: %s\n"
	       "cpuid: %s\n", in.version, product_name(in.type), in.type,
	       vmw_transport_name(in.transport), in.hv_sig[0] ? in.hv_sig : "none");
	if (in.tsc_khz)
		printf("tsc: %u kHz\napic: %u kHz\n", in.tsc_khz, in.apic_khz);
	return 0;
}
