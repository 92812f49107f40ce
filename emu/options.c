// SPDX-License-Identifier: MIT
/*
 * The VM's tools options as a VMX holds them (tools.syncTime,
 * time.synchronize.*, toolScripts.* in the .vmx): sent to every new tools
 * channel as the Set_Option burst, changed by the guest's vmx.set_option,
 * and the source of GETGUIOPTIONS' SYNC_TIME bit.  Which options a VMX sends
 * and their values are inferred from logs of real hosts (doc/vmx.md).
 */
#include <string.h>

#include "internal.h"

#define VMW_GUI_SYNC_TIME 0x400	/* tclodefs.h VMWARE_GUI_SYNC_TIME */

static const struct {
	const char *name, *def;
} opts[] = {
	{ "synctime", "0" },
	{ "copypaste", "1" },
	{ "autohide", "0" },
	{ "broadcastIP", "1" },
	{ "enableDnD", "1" },
	{ "synctime.period", "0" },
	{ "time.synchronize.tools.enable", "1" },
	{ "time.synchronize.tools.startup", "1" },
	{ "time.synchronize.tools.startup.backward", "0" },
	{ "toolScripts.afterPowerOn", "1" },
	{ "toolScripts.afterResume", "1" },
	{ "toolScripts.beforeSuspend", "1" },
	{ "toolScripts.beforePowerOff", "1" },
};

_Static_assert(sizeof(opts) / sizeof(*opts) == EMU_OPT_N, "EMU_OPT_N matches the table");

void emu_opt_init(struct emu_host *h)
{
	for (size_t i = 0; i < EMU_OPT_N; i++)
		strcpy(h->opt[i], opts[i].def);
}

const char *emu_opt_name(size_t i)
{
	return i < EMU_OPT_N ? opts[i].name : NULL;
}

int emu_opt_find(const char *name, size_t n)
{
	for (size_t i = 0; i < EMU_OPT_N; i++)
		if (strlen(opts[i].name) == n && !memcmp(opts[i].name, name, n))
			return (int)i;
	return -1;
}

uint32_t emu_opt_gui(const struct emu_host *h)
{
	/* tools.syncTime: the bit vmware-toolbox-cmd timesync reads. */
	return strcmp(h->opt[emu_opt_find("synctime", 8)], "0") ? VMW_GUI_SYNC_TIME : 0;
}

int emu_opt_set(struct emu_host *h, size_t i, const char *val, size_t n)
{
	if (i >= EMU_OPT_N || n == 0 || n > EMU_OPT_LEN || memchr(val, ' ', n) || memchr(val, '\0', n))
		return -1;
	memcpy(h->opt[i], val, n);
	h->opt[i][n] = '\0';
	return 0;
}
