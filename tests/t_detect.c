// SPDX-License-Identifier: MIT
/* Detection on this machine (not VMware): a clear "no", no crash, no handler left. */
#include <signal.h>
#include <string.h>

#include "vmwcall/detect.h"
#include "vmwcall/hypercall.h"
#include "tap.h"
#include "trapping.h"

static void mine(int sig)
{
	(void)sig;
}

static int same(int sig, const struct sigaction *a)
{
	struct sigaction now;

	sigaction(sig, NULL, &now);
	/* glibc adds SA_RESTORER on the way in; compare what the handler is. */
	return now.sa_handler == a->sa_handler &&
	       (now.sa_flags & SA_SIGINFO) == (a->sa_flags & SA_SIGINFO);
}

int main(void)
{
	struct vmw_info info;
	struct sigaction segv, ill, custom;

	need_trapping();
	plan(12);
	memset(&info, 0xAA, sizeof(info));
	ok(vmw_detect(&info, sizeof(info), 0) == 0, "cpuid-only detection: not VMware");
	ok(!info.vmware && !info.cpuid_vmware, "info says not VMware");
	ok(info.transport == VMW_TRANSPORT_IO, "transport falls back to port I/O (%s)",
	   vmw_transport_name(info.transport));
	ok(strlen(info.hv_sig) <= 12, "hypervisor signature is a string (\"%s\")", info.hv_sig);

	sigaction(SIGSEGV, NULL, &segv);
	sigaction(SIGILL, NULL, &ill);
	ok(vmw_detect(&info, sizeof(info), VMW_DETECT_PROBE) == 0, "guarded probe: not VMware, no crash");
	ok(!info.vmware && info.version == 0, "probe result says not VMware");
	ok(same(SIGSEGV, &segv), "SIGSEGV handler restored after probe");
	ok(same(SIGILL, &ill), "SIGILL handler restored after probe");

	memset(&custom, 0, sizeof(custom));
	custom.sa_handler = mine;
	sigaction(SIGSEGV, &custom, NULL);
	sigaction(SIGILL, &custom, NULL);
	for (unsigned int t = VMW_TRANSPORT_IO; t <= VMW_TRANSPORT_VMMCALL; t++) {
		vmware_hypercall_set_mode(t);
		ok(vmw_detect(&info, sizeof(info), VMW_DETECT_PROBE) == 0, "probe over %s: not VMware",
		   vmw_transport_name(t));
	}
	ok(same(SIGSEGV, &custom) && same(SIGILL, &custom),
	   "an application's own handlers survive repeated probes");
	return done_testing();
}
