/* SPDX-License-Identifier: MIT */
/*
 * The SMBIOS strings a VMware VM's Linux kernel shows in /sys/class/dmi/id:
 * the values (VMware's, derived from the BIOS UUID where VMware derives
 * them, overridable), and which file names and paths they answer.  Pure:
 * no files, no processes; emu/dmi.c serves them to guests.
 */
#ifndef VMWCALL_EMU_DMI_TABLE_H
#define VMWCALL_EMU_DMI_TABLE_H

#include <stddef.h>
#include <stdint.h>

#define EMU_DMI_MAX_VALUE	256	/* bytes of one value, newline not counted */

/* The files of /sys/class/dmi/id a table may hold (Linux's dmi-id.c names). */
enum emu_dmi_key {
	EMU_DMI_BIOS_VENDOR, EMU_DMI_BIOS_VERSION, EMU_DMI_BIOS_DATE, EMU_DMI_BIOS_RELEASE,
	EMU_DMI_SYS_VENDOR, EMU_DMI_PRODUCT_NAME, EMU_DMI_PRODUCT_VERSION,
	EMU_DMI_PRODUCT_SERIAL, EMU_DMI_PRODUCT_UUID, EMU_DMI_PRODUCT_SKU,
	EMU_DMI_PRODUCT_FAMILY, EMU_DMI_BOARD_VENDOR, EMU_DMI_BOARD_NAME,
	EMU_DMI_BOARD_VERSION, EMU_DMI_BOARD_SERIAL, EMU_DMI_BOARD_ASSET_TAG,
	EMU_DMI_CHASSIS_VENDOR, EMU_DMI_CHASSIS_TYPE, EMU_DMI_CHASSIS_VERSION,
	EMU_DMI_CHASSIS_SERIAL, EMU_DMI_CHASSIS_ASSET_TAG, EMU_DMI_NKEYS
};

struct emu_dmi {
	char val[EMU_DMI_NKEYS][EMU_DMI_MAX_VALUE + 1];
	unsigned char set[EMU_DMI_NKEYS];	/* 0: the file does not exist */
};

/*
 * VMware's values for a VM with BIOS UUID uuid (bytes as SMBIOS stores
 * them, the order of .vmx uuid.bios and of --uuid): an EFI-firmware VM of
 * hardware version 20 and later (doc/platform.md lists them and their sources).
 */
void emu_dmi_defaults(struct emu_dmi *d, const uint8_t uuid[16]);

/*
 * "KEY=VALUE" (KEY a file name above; an empty VALUE removes the file):
 * 0, or -1 with the reason in err.  A value holds no control characters.
 */
int emu_dmi_override(struct emu_dmi *d, const char *kv, char *err, size_t errlen);

/* "VMware-56 4d ... 5d e7-ce 49 ... b1 8f" (54 bytes and NUL). */
void emu_dmi_serial(const uint8_t uuid[16], char out[55]);
/* product_uuid, lower case (36 bytes and NUL). */
void emu_dmi_uuid(const uint8_t uuid[16], char out[37]);

/* The key of a file name, or -1. */
int emu_dmi_key(const char *name);
const char *emu_dmi_name(enum emu_dmi_key k);
/* Readable by root only (0400 in sysfs): the serial numbers and the UUID. */
int emu_dmi_private(enum emu_dmi_key k);

/*
 * The key path names, or -1: "/sys/class/dmi/id/NAME" or the directory
 * that link resolves to, "/sys/devices/virtual/dmi/id/NAME", spelled
 * exactly so (other spellings are left to the kernel).
 */
int emu_dmi_path(const char *path);

#endif
