// SPDX-License-Identifier: MIT
/*
 * Guest customization state: "deployPkg.update.state <state> [<error>
 * [<message>]]", which the deployPkg plugin and libDeployPkg send while
 * they customize the guest (open-vm-tools
 * services/plugins/deployPkg/deployPkg.c, libDeployPkg/linuxDeployment.c;
 * the numbers: lib/include/vmware/guestrpc/deploypkg.h, guestcust-events.h).
 * Two events are questions: enabling the NICs answers "queryNicsSupported"
 * and querying them "connected", as the guest's SetCustomizationStatusInVmxEx
 * expects from a VMX that connects them.
 */
#include <string.h>

#include "internal.h"

#define ERR_LAST	9	/* TOOLSDEPLOYPKG_ERROR_CLOUDINIT_WRONG_META_FORMAT */
#define EV_FIRST	100	/* GUESTCUST_EVENT_CUSTOMIZE_FAILED */
#define EV_ENABLE_NICS	103
#define EV_QUERY_NICS	104

/* A decimal number up to max, ending at a space or the end; -1 if none. */
static long number(const uint8_t **p, const uint8_t *end, long max)
{
	const uint8_t *s = *p;
	long v = 0;

	while (s < end && *s >= '0' && *s <= '9' && v <= max)
		v = v * 10 + (*s++ - '0');
	if (s == *p || v > max || (s < end && *s != ' '))
		return -1;
	*p = s < end ? s + 1 : s;
	return v;
}

static int update_state(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out)
{
	struct emu_deploypkg *d = &h->deploypkg;
	const uint8_t *p = arg, *end = arg + len;
	long state, err = 0;
	size_t n;

	state = number(&p, end, 5);
	if (state >= 0 && p < end)
		err = number(&p, end, 999);
	if (state < 0 || err < 0 || (err > ERR_LAST && (err < EV_FIRST || err > EV_QUERY_NICS)))
		return EMU_REPLY(out, 0, "Invalid arguments");
	n = (size_t)(end - p);
	if (n > EMU_DEPLOYPKG_MSG)
		n = EMU_DEPLOYPKG_MSG;
	d->state = (int)state;
	d->err = (int)err;
	memcpy(d->msg, p, n);
	d->msg[n] = '\0';
	d->updates++;
	emu_log(h, "DEPLOYPKG: state %ld, error %ld '%s'", state, err, d->msg);
	if (err == EV_ENABLE_NICS)
		return EMU_REPLY(out, 1, "queryNicsSupported");
	if (err == EV_QUERY_NICS)
		return EMU_REPLY(out, 1, "connected");
	return EMU_REPLY(out, 1, "");
}

uint64_t emu_deploypkg_state(const struct emu_host *h, int *state, int *err, const char **msg)
{
	const struct emu_deploypkg *d = &h->deploypkg;

	*state = d->state;
	*err = d->err;
	*msg = d->msg;
	return d->updates;
}

const struct emu_rpc_cmd emu_rpc_deploypkg[] = {
	{ "deployPkg.update.state", update_state, 0 },
	{ NULL, NULL, 0 },
};
