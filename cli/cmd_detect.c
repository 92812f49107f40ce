// SPDX-License-Identifier: MIT
/* vmwcall detect: VMware or not, and what kind. */
#include <string.h>

#include "vmwcall/proto.h"
#include "cli.h"

/*
 * Which GuestRPC channels answer: the one --channel picks (auto: vsock when
 * the VM has VMCI), opened and closed again.  *vsock is 2 for a privileged
 * vsock source port.
 */
static void channels(struct opts *o, int *backdoor, int *vsock)
{
	struct vmw_chan *c;
	unsigned int via;

	*backdoor = *vsock = 0;
	if (o->via != VMW_VIA_VSOCK && vmw_chan_open_via(&c, VMW_PROTO_RPCI, VMW_VIA_BACKDOOR) == 0) {
		*backdoor = 1;
		vmw_chan_close(c);
	}
	if (o->via == VMW_VIA_BACKDOOR || vmw_chan_open_via(&c, VMW_PROTO_RPCI, o->via))
		return;
	via = vmw_chan_via(c);
	if (via & VMW_VIA_VSOCK)
		*vsock = via & VMW_VIA_PRIV ? 2 : 1;
	vmw_chan_close(c);
}

int cmd_detect(int argc, char **argv, struct opts *o)
{
	struct vmw_info in;
	int rc = take_opts(&argc, &argv, o), bd, vs;

	if (rc)
		return rc;
	if (argc)
		return usage_error("detect: unexpected argument '%s'", argv[0]);
	vmw_detect(&in, sizeof(in), VMW_DETECT_PROBE);
	channels(o, &bd, &vs);
	if (o->json) {
		printf("{\"vmware\":%s,\"version\":%u,\"type\":%u,",
		       in.vmware ? "true" : "false", in.version, in.type);
		json_member(stdout, "product", in.vmware ? product_name(in.type) : "", in.vmware ?
			    strlen(product_name(in.type)) : 0);
		printf(",\"transport\":\"%s\",\"cpuid_vmware\":%s,",
		       vmw_transport_name(in.transport), in.cpuid_vmware ? "true" : "false");
		/* CPUID's signature is the host's 12 bytes: any of them. */
		json_member(stdout, "hypervisor", in.hv_sig, strlen(in.hv_sig));
		printf(",\"tdx\":%s,\"tsc_khz\":%u,\"apic_khz\":%u", in.tdx ? "true" : "false",
		       in.tsc_khz, in.apic_khz);
		printf(",\"channels\":{\"backdoor\":%s,\"vsock\":%s,\"vsock_privileged\":%s}}\n",
		       bd ? "true" : "false", vs ? "true" : "false", vs == 2 ? "true" : "false");
		return in.vmware || vs ? 0 : EXIT_FAIL;
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
	printf("guestrpc: %s%s%s\n", bd ? "backdoor" : "", bd && vs ? ", " : "",
	       vs == 2 ? "vsock (privileged)" : vs ? "vsock" : "");
	return 0;
}
