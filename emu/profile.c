// SPDX-License-Identifier: MIT
/*
 * The host profiles.  Each sets every emu_config field in which the hosts
 * differ; vmwcall-emu applies the profile first and individual options
 * after, so they win whatever their order.  Sources and what is
 * unverified: doc/profiles.md, "Profiles".
 */
#include <string.h>

#include "vmwcall/proto.h"
#include "host.h"
#include "profile.h"

#define KIB	1024u
#define MIB	(1024u * 1024u)

struct profile {
	const char *name;
	uint32_t type;
	int no_hb, qemu, vmx_text, guestlib;
	uint32_t max_in, max_out, vcpu_info;
	uint64_t info_limit;
};

static const struct profile profiles[] = {
	/* The VMX is one program on both products: the same limits and text rules. */
	{ "esxi", VMW_TYPE_ESX, 0, 0, 1, 1, 64 * KIB, MIB, VMW_VCPU_SYNC_VTSCS | VMW_VCPU_LEGACY_X2APIC, MIB },
	{ "workstation", VMW_TYPE_WORKSTATION, 0, 0, 1, 0, 64 * KIB, MIB,
	  VMW_VCPU_SYNC_VTSCS | VMW_VCPU_LEGACY_X2APIC, MIB },
	/* QEMU 7.2's vmport under TCG with the qemu64 CPU (doc/qemu.md). */
	{ "qemu", VMW_TYPE_ESX, 1, 1, 0, 0, 64 * KIB, MIB, 0, MIB },
};

const char emu_profile_names[] = "esxi workstation qemu";

int emu_profile_apply(struct emu_config *cfg, const char *name)
{
	for (size_t i = 0; i < sizeof(profiles) / sizeof(*profiles); i++) {
		const struct profile *p = &profiles[i];

		if (strcmp(name, p->name))
			continue;
		cfg->version = VMW_VERSION_MAGIC;
		cfg->type = p->type;
		cfg->no_hb = p->no_hb;
		cfg->qemu_vmport = p->qemu;
		cfg->refuse_empty = p->vmx_text;
		cfg->key_nocase = p->vmx_text;
		cfg->max_in_size = p->max_in;
		cfg->max_out_size = p->max_out;
		cfg->vcpu_info = p->vcpu_info;
		cfg->info_limit = p->info_limit;
		cfg->guestlib.enabled = p->guestlib;
		return 0;
	}
	return -1;
}

/* VMware's texts for these refusals are not published; guests test only the '0'. */
const char *emu_profile_refuse_set(const struct emu_config *cfg, size_t vlen)
{
	if (cfg->setinfo_disable)
		return "disabled";
	if (vlen == 0 && cfg->refuse_empty)
		return "Invalid value";
	return NULL;
}
