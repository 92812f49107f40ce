// SPDX-License-Identifier: MIT
/* vmwcall stat: the typed commands, one per subcommand. */
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "vmwcall/cmd.h"
#include "vmwcall/proto.h"
#include "cli.h"

static int hosttime(struct opts *o)
{
	struct vmw_time t;
	struct tm tm;
	time_t s;
	char buf[64];
	int rc = vmw_get_host_time(&t, sizeof(t));

	if (rc)
		return rc;
	if (o->json) {
		printf("{\"sec\":%" PRIu64 ",\"usec\":%u,\"max_lag_us\":%u,\"full\":%s}\n",
		       t.sec, t.usec, t.max_lag_us, t.full ? "true" : "false");
		return 0;
	}
	/* As vmware-toolbox-cmd stat hosttime prints it: local time. */
	s = (time_t)t.sec;
	if ((uint64_t)s != t.sec || !localtime_r(&s, &tm) ||
	    !strftime(buf, sizeof(buf), "%d %b %Y %H:%M:%S", &tm))
		return VMW_EPROTO;
	puts(buf);
	return 0;
}

static int speed(struct opts *o)
{
	uint32_t mhz;
	int rc = vmw_get_mhz(&mhz);

	if (!rc)
		printf(o->json ? "{\"mhz\":%u}\n" : "%u MHz\n", mhz);
	return rc;
}

static int hz(struct opts *o)
{
	uint64_t tsc;
	uint32_t apic;
	int rc = vmw_get_hz(&tsc, &apic);

	if (!rc)
		printf(o->json ? "{\"tsc_hz\":%" PRIu64 ",\"apic_hz\":%u}\n"
			       : "tsc %" PRIu64 " Hz\napic %u Hz\n", tsc, apic);
	return rc;
}

static int uuid(struct opts *o)
{
	uint8_t u[16];
	int rc = vmw_get_uuid(u);

	if (rc)
		return rc;
	if (o->json)
		fputs("{\"uuid\":\"", stdout);
	for (int i = 0; i < 16; i++)
		printf("%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "", u[i]);
	fputs(o->json ? "\"}\n" : "\n", stdout);
	return 0;
}

static int memsize(struct opts *o)
{
	uint32_t mb;
	unsigned int how;
	int rc = vmw_get_memsize(&mb, &how);

	if (rc)
		return rc;
	if (o->json)
		printf("{\"memsize_mb\":%u,\"exact\":%s}\n", mb,
		       how == VMW_MEMSIZE_QEMU ? "false" : "true");
	else
		printf("%u MB\n", mb);
	if (how == VMW_MEMSIZE_QEMU)
		fprintf(stderr, "vmwcall: stat memsize: QEMU's vmport counts bytes modulo 4 GiB;"
			" %u MB is exact only below 4096 MB\n", mb);
	return 0;
}

static int vcpu(struct opts *o)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} names[] = {
		{ VMW_VCPU_SYNC_VTSCS, "sync_vtscs" },
		{ VMW_VCPU_LEGACY_X2APIC, "legacy_x2apic" },
		{ VMW_VCPU_MMIO_HONORS_PAT, "mmio_honors_pat" },
	};
	uint32_t bits;
	int rc = vmw_get_vcpu_info(&bits);
	const char *sep = "";

	if (rc)
		return rc;
	printf(o->json ? "{\"bits\":%u,\"flags\":[" : "0x%08x", bits);
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		if (!(bits & names[i].bit))
			continue;
		printf(o->json ? "%s\"%s\"" : "%s %s", sep, names[i].name);
		sep = o->json ? "," : "";
	}
	fputs(o->json ? "]}\n" : "\n", stdout);
	return 0;
}

int cmd_stat(int argc, char **argv, struct opts *o)
{
	static const struct {
		const char *name;
		int (*fn)(struct opts *o);
	} stats[] = {
		{ "hosttime", hosttime }, { "speed", speed }, { "hz", hz },
		{ "uuid", uuid }, { "memsize", memsize }, { "vcpu", vcpu },
	};
	struct vmw_info info;
	int rc = take_opts(&argc, &argv, o);

	if (rc)
		return rc;
	if (argc != 1)
		return usage_error("usage: vmwcall stat hosttime|speed|hz|uuid|memsize|vcpu");
	for (size_t i = 0; i < sizeof(stats) / sizeof(*stats); i++) {
		if (strcmp(argv[0], stats[i].name))
			continue;
		if (!need_vmware(&info))
			return EXIT_FAIL;
		rc = stats[i].fn(o);
		return rc ? fail("stat %s: %s", argv[0], vmw_strerror(rc)) : 0;
	}
	return usage_error("stat: unknown statistic '%s'; one of hosttime speed hz uuid memsize vcpu",
			   argv[0]);
}
