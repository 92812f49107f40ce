// SPDX-License-Identifier: MIT
/* .vmx guestinfo lines: escapes, what is skipped, errors by line, round trip. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "host.h"
#include "vmx.h"
#include "tap.h"

static struct emu_host *host(void)
{
	struct emu_config cfg;

	emu_config_default(&cfg);
	return emu_host_new(&cfg);
}

/* Load text; 0 or -1, the message in err. */
static int load(struct emu_host *h, const char *text, size_t len, char *err)
{
	FILE *f = fmemopen((void *)text, len, "r");
	int rc;

	err[0] = '\0';
	rc = emu_vmx_load(h, f, err, 128);
	fclose(f);
	return rc;
}

static int val_is(struct emu_host *h, const char *key, const char *want, size_t wlen)
{
	size_t len;
	const char *v = emu_info_get(h, key, &len);

	return v && len == wlen && memcmp(v, want, len) == 0;
}

static void good(void)
{
	static const char text[] =
		".encoding = \"UTF-8\"\n"
		"# a comment\n"
		"\n"
		"   \t\n"
		"displayName = \"not guestinfo\"\n"
		"guestinfo.plain = \"hello world\"\n"
		"  guestinfo.spaced   =   \"x\"  \r\n"
		"GuestInfo.Mixed = \"case\"\n"
		"guestinfo.esc = \"a|22b|7Cc|0ad|7c\"\n"
		"guestinfo.empty = \"\"\n"
		"guestinfo.dup = \"1\"\n"
		"guestinfo.dup = \"2\"\n"
		"guestinfo.last = \"no newline\"";
	struct emu_host *h = host();
	char err[128];

	ok(load(h, text, sizeof(text) - 1, err) == 0, "well-formed file loads (%s)", err);
	ok(val_is(h, "plain", "hello world", 11), "plain value");
	ok(val_is(h, "spaced", "x", 1), "spaces and CR around key and value");
	ok(val_is(h, "Mixed", "case", 4), "prefix matched case-insensitively, key kept as written");
	ok(val_is(h, "esc", "a\"b|c\nd|", 8), "|22 |7C |0a |7c decode");
	ok(val_is(h, "empty", "", 0), "empty value");
	ok(val_is(h, "dup", "2", 1), "a later line wins");
	ok(val_is(h, "last", "no newline", 10), "last line without newline");
	ok(!emu_info_get(h, "encoding", NULL) && !emu_info_get(h, "displayName", NULL),
	   "other keys are skipped");
	emu_host_free(h);
}

static void bad(const char *text, const char *want)
{
	struct emu_host *h = host();
	char err[128];
	int rc = load(h, text, strlen(text), err);

	ok(rc == -1 && strcmp(err, want) == 0, "error '%s' (got '%s')", want, err);
	emu_host_free(h);
}

static void errors(void)
{
	bad("a = \"1\"\nno equals sign\n", "2: expected KEY = \"VALUE\"");
	bad("guestinfo.x = unquoted\n", "1: value must be in double quotes");
	bad("guestinfo.x = \"open\n", "1: value must be in double quotes");
	bad("guestinfo.x = \"\n", "1: value must be in double quotes");
	bad("\n\nguestinfo.x = \"a|2\"\n", "3: bad |XX escape or bare quote in value");
	bad("guestinfo.x = \"a|zz\"\n", "1: bad |XX escape or bare quote in value");
	bad("guestinfo.x = \"a\"b\"\n", "1: bad |XX escape or bare quote in value");
	bad(" = \"v\"\n", "1: empty key");
	bad("guest info.x = \"v\"\n", "1: bad character in key");
	bad("guestinfo. = \"v\"\n", "1: guestinfo key without a name");
}

static void bad_key(void)
{
	bad("guestinfo.a|4 = \"v\"\n", "1: bad |XX escape in key");
	bad("guestinfo.a|00b = \"v\"\n", "1: NUL byte in key");
}

static void unescape(void)
{
	char out[16];

	ok(emu_vmx_unescape("|41|42", 6, out) == 2 && memcmp(out, "AB", 2) == 0, "unescape |41|42");
	ok(emu_vmx_unescape("|00", 3, out) == 1 && out[0] == 0, "unescape |00 to NUL");
	ok(emu_vmx_unescape("|", 1, out) == -1, "lone | rejected");
	ok(emu_vmx_unescape("x|4", 3, out) == -1, "short escape rejected");
	ok(emu_vmx_unescape("", 0, out) == 0, "empty");
}

/* Keys a guest may set that no plain .vmx name can hold: escaped, all kept (issue 15). */
static void keys(void)
{
	static const char *const ks[] = {
		"caf\xc3\xa9", "a=b", "k|x", "has space", "has\"quote", "h#sh", "tab\tnl\n",
		"\x01\x7f\xff", "|7C", "end|",
	};
	struct emu_host *h = host(), *g = host();
	char *text = NULL, err[128];
	size_t len = 0;
	int bad = 0;
	FILE *f;

	for (size_t i = 0; i < sizeof(ks) / sizeof(*ks); i++)
		emu_info_set(h, ks[i], ks[i], strlen(ks[i]));
	f = open_memstream(&text, &len);
	ok(emu_vmx_dump(h, f) == 0 && fclose(f) == 0, "dump of awkward keys");
	ok(strstr(text, "guestinfo.caf\xc3\xa9 = ") && strstr(text, "guestinfo.a|3Db = ") &&
	   strstr(text, "guestinfo.k|7Cx = ") && strstr(text, "guestinfo.has|20space = "),
	   "UTF-8 raw as VMware writes it; '=', '|', space as |XX");
	ok(load(g, text, len, err) == 0, "and reads back (%s)", err);
	for (size_t i = 0; i < sizeof(ks) / sizeof(*ks); i++)
		if (!val_is(g, ks[i], ks[i], strlen(ks[i]))) {
			fprintf(stderr, "#   key %zu lost\n", i);
			bad++;
		}
	ok(bad == 0, "every key survives the round trip");
	free(text);
	emu_host_free(h);
	emu_host_free(g);
	bad_key();
}

static void roundtrip(void)
{
	struct emu_host *h = host(), *g = host();
	char all[256], *text = NULL, err[128];
	size_t len = 0;
	FILE *f;

	for (int i = 0; i < 256; i++)
		all[i] = (char)i;
	emu_info_set(h, "zz", "last", 4);
	emu_info_set(h, "bytes", all, sizeof(all));
	emu_info_set(h, "a", "", 0);
	f = open_memstream(&text, &len);
	ok(emu_vmx_dump(h, f) == 0, "dump");
	fclose(f);
	ok(strncmp(text, "guestinfo.a = \"\"\nguestinfo.bytes = \"|00|01", 42) == 0,
	   "sorted, control bytes escaped");
	ok(strstr(text, "|22") && strstr(text, "|7C"), "quote and pipe escaped");
	ok(load(g, text, len, err) == 0, "dump reads back (%s)", err);
	ok(val_is(g, "bytes", all, sizeof(all)) && val_is(g, "zz", "last", 4) &&
	   val_is(g, "a", "", 0), "every byte value survives the round trip");
	free(text);
	emu_host_free(h);
	emu_host_free(g);

	/* fuzz/vmx found it: an empty store was sorted with qsort(NULL, 0) (UB). */
	h = host();
	text = NULL;
	f = open_memstream(&text, &len);
	ok(emu_vmx_dump(h, f) == 0 && fclose(f) == 0 && len == 0,
	   "empty store dumps nothing");
	free(text);
	emu_host_free(h);
}

int main(void)
{
	plan(36);
	good();
	errors();
	unescape();
	roundtrip();
	keys();
	return done_testing();
}
