// SPDX-License-Identifier: MIT
/*
 * Values from doc/platform.md's "platform values served": observed on ESXi 7/8
 * and Workstation 16/17 VMs with EFI firmware.  (I) in the comments marks
 * what no public capture confirmed.
 */
#include <stdio.h>
#include <string.h>

#include "dmi_table.h"

static const char *const names[EMU_DMI_NKEYS] = {
	"bios_vendor", "bios_version", "bios_date", "bios_release",
	"sys_vendor", "product_name", "product_version",
	"product_serial", "product_uuid", "product_sku",
	"product_family", "board_vendor", "board_name",
	"board_version", "board_serial", "board_asset_tag",
	"chassis_vendor", "chassis_type", "chassis_version",
	"chassis_serial", "chassis_asset_tag",
};

static void put(struct emu_dmi *d, enum emu_dmi_key k, const char *v)
{
	snprintf(d->val[k], sizeof(d->val[k]), "%s", v);
	d->set[k] = 1;
}

void emu_dmi_serial(const uint8_t u[16], char out[55])
{
	char *p = out + sprintf(out, "VMware-");

	for (int i = 0; i < 16; i++)
		p += sprintf(p, i == 0 ? "%02x" : i == 8 ? "-%02x" : " %02x", u[i]);
}

/*
 * The UUID in the serial's order.  Hardware version 13 and later store its
 * first three fields little-endian, as SMBIOS 2.6 wants and Linux decodes
 * (an EFI VM's raw table bytes, doc/platform.md); older ones stored them as
 * written, so their product_uuid shows those fields byte-swapped.
 */
void emu_dmi_uuid(const uint8_t u[16], char out[37])
{
	sprintf(out, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
		u[13], u[14], u[15]);
}

void emu_dmi_defaults(struct emu_dmi *d, const uint8_t uuid[16])
{
	char buf[55];

	memset(d, 0, sizeof(*d));
	put(d, EMU_DMI_BIOS_VENDOR, "VMware, Inc.");
	put(d, EMU_DMI_BIOS_VERSION, "VMW201.00V.20192059.B64.2207280713");
	put(d, EMU_DMI_BIOS_DATE, "07/28/2022");
	put(d, EMU_DMI_SYS_VENDOR, "VMware, Inc.");
	put(d, EMU_DMI_PRODUCT_NAME, "VMware20,1");
	put(d, EMU_DMI_PRODUCT_VERSION, "None");
	emu_dmi_serial(uuid, buf);
	put(d, EMU_DMI_PRODUCT_SERIAL, buf);
	emu_dmi_uuid(uuid, buf);
	put(d, EMU_DMI_PRODUCT_UUID, buf);
	/* dmidecode says "Not Specified": no string, so Linux has no file (I). */
	put(d, EMU_DMI_BOARD_VENDOR, "Intel Corporation");
	put(d, EMU_DMI_BOARD_NAME, "440BX Desktop Reference Platform");
	put(d, EMU_DMI_BOARD_VERSION, "None");			/* (I) */
	put(d, EMU_DMI_BOARD_SERIAL, "None");			/* (I) */
	put(d, EMU_DMI_CHASSIS_VENDOR, "No Enclosure");
	put(d, EMU_DMI_CHASSIS_TYPE, "1");
	put(d, EMU_DMI_CHASSIS_VERSION, "N/A");			/* (I) */
	put(d, EMU_DMI_CHASSIS_SERIAL, "None");
	put(d, EMU_DMI_CHASSIS_ASSET_TAG, "No Asset Tag");
}

int emu_dmi_key(const char *name)
{
	for (int k = 0; k < EMU_DMI_NKEYS; k++)
		if (!strcmp(names[k], name))
			return k;
	return -1;
}

const char *emu_dmi_name(enum emu_dmi_key k)
{
	return (unsigned)k < EMU_DMI_NKEYS ? names[k] : NULL;
}

int emu_dmi_private(enum emu_dmi_key k)
{
	return k == EMU_DMI_PRODUCT_SERIAL || k == EMU_DMI_PRODUCT_UUID ||
	       k == EMU_DMI_BOARD_SERIAL || k == EMU_DMI_CHASSIS_SERIAL;
}

int emu_dmi_override(struct emu_dmi *d, const char *kv, char *err, size_t errlen)
{
	const char *eq = strchr(kv, '=');
	char name[32];
	size_t n = eq ? (size_t)(eq - kv) : 0, vlen;
	int k = -1;

	if (eq && n < sizeof(name)) {
		memcpy(name, kv, n);
		name[n] = '\0';
		k = emu_dmi_key(name);
	}
	if (k < 0) {
		snprintf(err, errlen, "'%.64s' is not KEY=VALUE with KEY a /sys/class/dmi/id file "
			 "(sys_vendor, product_name, ...)", kv);
		return -1;
	}
	vlen = strlen(eq + 1);
	if (vlen > EMU_DMI_MAX_VALUE) {
		snprintf(err, errlen, "%s: value longer than %d bytes", name, EMU_DMI_MAX_VALUE);
		return -1;
	}
	for (const unsigned char *p = (const unsigned char *)eq + 1; *p; p++) {
		if (*p < 0x20 || *p == 0x7F) {
			snprintf(err, errlen, "%s: control character in the value", name);
			return -1;
		}
	}
	memcpy(d->val[k], eq + 1, vlen + 1);
	d->set[k] = vlen > 0;
	return 0;
}

int emu_dmi_path(const char *path)
{
	static const char *const dirs[] = { "/sys/class/dmi/id/", "/sys/devices/virtual/dmi/id/" };

	for (size_t i = 0; i < sizeof(dirs) / sizeof(*dirs); i++)
		if (!strncmp(path, dirs[i], strlen(dirs[i])))
			return emu_dmi_key(path + strlen(dirs[i]));
	return -1;
}
