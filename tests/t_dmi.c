// SPDX-License-Identifier: MIT
/* The DMI table: VMware's serial and UUID formats, overrides, the paths served. */
#include <string.h>

#include "dmi_table.h"
#include "tap.h"

/* A vCenter-assigned BIOS UUID, 4230a827-f9a3-cf54-e2a3-101dfdb821d0 (doc/platform.md). */
static const uint8_t vc[16] = { 0x42, 0x30, 0xa8, 0x27, 0xf9, 0xa3, 0xcf, 0x54,
				0xe2, 0xa3, 0x10, 0x1d, 0xfd, 0xb8, 0x21, 0xd0 };

static int val_is(const struct emu_dmi *d, enum emu_dmi_key k, const char *want)
{
	if (d->set[k] && !strcmp(d->val[k], want))
		return 1;
	fprintf(stderr, "#   %s: got '%s' (set %d), want '%s'\n", emu_dmi_name(k), d->val[k],
		d->set[k], want);
	return 0;
}

int main(void)
{
	struct emu_dmi d;
	char buf[64], err[256];

	emu_dmi_serial(vc, buf);
	ok(!strcmp(buf, "VMware-42 30 a8 27 f9 a3 cf 54-e2 a3 10 1d fd b8 21 d0"),
	   "serial as VMware formats it: %s", buf);
	emu_dmi_uuid(vc, buf);
	ok(!strcmp(buf, "4230a827-f9a3-cf54-e2a3-101dfdb821d0"), "product_uuid: %s", buf);

	emu_dmi_defaults(&d, vc);
	ok(val_is(&d, EMU_DMI_SYS_VENDOR, "VMware, Inc.") &&
	   val_is(&d, EMU_DMI_PRODUCT_NAME, "VMware20,1") &&
	   val_is(&d, EMU_DMI_PRODUCT_VERSION, "None") &&
	   val_is(&d, EMU_DMI_PRODUCT_SERIAL, "VMware-42 30 a8 27 f9 a3 cf 54-e2 a3 10 1d fd b8 21 d0") &&
	   val_is(&d, EMU_DMI_PRODUCT_UUID, "4230a827-f9a3-cf54-e2a3-101dfdb821d0"),
	   "system: vendor, name, version, serial, uuid");
	ok(val_is(&d, EMU_DMI_BIOS_VENDOR, "VMware, Inc.") &&
	   val_is(&d, EMU_DMI_BIOS_VERSION, "VMW201.00V.20192059.B64.2207280713") &&
	   val_is(&d, EMU_DMI_BIOS_DATE, "07/28/2022") &&
	   val_is(&d, EMU_DMI_BOARD_VENDOR, "Intel Corporation") &&
	   val_is(&d, EMU_DMI_BOARD_NAME, "440BX Desktop Reference Platform") &&
	   val_is(&d, EMU_DMI_CHASSIS_VENDOR, "No Enclosure") &&
	   val_is(&d, EMU_DMI_CHASSIS_TYPE, "1") &&
	   val_is(&d, EMU_DMI_CHASSIS_ASSET_TAG, "No Asset Tag"),
	   "bios, board, chassis");
	ok(!d.set[EMU_DMI_PRODUCT_FAMILY] && !d.set[EMU_DMI_PRODUCT_SKU] &&
	   !d.set[EMU_DMI_BIOS_RELEASE], "no family, SKU or BIOS release file by default");
	ok(emu_dmi_private(EMU_DMI_PRODUCT_SERIAL) && emu_dmi_private(EMU_DMI_PRODUCT_UUID) &&
	   !emu_dmi_private(EMU_DMI_SYS_VENDOR) && !emu_dmi_private(EMU_DMI_PRODUCT_NAME),
	   "serial and UUID root-only, names for everyone");

	ok(!emu_dmi_override(&d, "product_name=VMware Virtual Platform", err, sizeof(err)) &&
	   val_is(&d, EMU_DMI_PRODUCT_NAME, "VMware Virtual Platform"), "override a value");
	ok(!emu_dmi_override(&d, "product_family=VMware", err, sizeof(err)) &&
	   val_is(&d, EMU_DMI_PRODUCT_FAMILY, "VMware"), "add a file");
	ok(!emu_dmi_override(&d, "chassis_asset_tag=", err, sizeof(err)) &&
	   !d.set[EMU_DMI_CHASSIS_ASSET_TAG], "an empty value removes the file");
	ok(emu_dmi_override(&d, "modalias=x", err, sizeof(err)) == -1 && strstr(err, "modalias"),
	   "unknown key refused: %s", err);
	ok(emu_dmi_override(&d, "product_name", err, sizeof(err)) == -1, "no '=' refused");
	ok(emu_dmi_override(&d, "sys_vendor=a\nb", err, sizeof(err)) == -1 &&
	   val_is(&d, EMU_DMI_SYS_VENDOR, "VMware, Inc."), "a newline refused, value kept: %s", err);
	{
		char big[EMU_DMI_MAX_VALUE + 16] = "sys_vendor=";

		memset(big + 11, 'v', EMU_DMI_MAX_VALUE);
		ok(!emu_dmi_override(&d, big, err, sizeof(err)) &&
		   strlen(d.val[EMU_DMI_SYS_VENDOR]) == EMU_DMI_MAX_VALUE, "longest value taken");
		big[11 + EMU_DMI_MAX_VALUE] = 'v';
		ok(emu_dmi_override(&d, big, err, sizeof(err)) == -1, "one byte more refused");
	}

	ok(emu_dmi_path("/sys/class/dmi/id/sys_vendor") == EMU_DMI_SYS_VENDOR &&
	   emu_dmi_path("/sys/devices/virtual/dmi/id/product_uuid") == EMU_DMI_PRODUCT_UUID,
	   "both directories");
	ok(emu_dmi_path("/sys/class/dmi/id/") < 0 && emu_dmi_path("/sys/class/dmi/id") < 0 &&
	   emu_dmi_path("/sys/class/dmi/id//sys_vendor") < 0 &&
	   emu_dmi_path("/sys/class/dmi/id/sys_vendor/") < 0 &&
	   emu_dmi_path("/sys/class/dmi/id/../id/sys_vendor") < 0 &&
	   emu_dmi_path("sys/class/dmi/id/sys_vendor") < 0 &&
	   emu_dmi_path("/sys/class/dmi/id/uevent") < 0 && emu_dmi_path("/etc/passwd") < 0,
	   "other spellings and files are not ours");
	return done_testing();
}
