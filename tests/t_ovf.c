// SPDX-License-Identifier: MIT
/* guestinfo.ovfEnv: the document's shape, escaping, what is refused. */
#include <string.h>

#include "ovf.h"
#include "tap.h"

static const char want_doc[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<Environment\n"
	"     xmlns=\"http://schemas.dmtf.org/ovf/environment/1\"\n"
	"     xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
	"     xmlns:oe=\"http://schemas.dmtf.org/ovf/environment/1\"\n"
	"     xmlns:ve=\"http://www.vmware.com/schema/ovfenv\"\n"
	"     oe:id=\"\"\n"
	"     ve:vCenterId=\"vm-1\">\n"
	"   <PlatformSection>\n"
	"      <Kind>VMware ESXi</Kind>\n"
	"      <Version>8.0.3</Version>\n"
	"      <Vendor>VMware, Inc.</Vendor>\n"
	"      <Locale>en_US</Locale>\n"
	"   </PlatformSection>\n"
	"   <PropertySection>\n"
	"         <Property oe:key=\"hostname\" oe:value=\"vm1\"/>\n"
	"         <Property oe:key=\"a&amp;b\" oe:value=\"&lt;x y=&quot;1&quot;&gt; it&apos;s=&#9;&#10;&#13;\"/>\n"
	"         <Property oe:key=\"empty\" oe:value=\"\"/>\n"
	"         <Property oe:key=\"utf8\" oe:value=\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"/>\n"
	"   </PropertySection>\n"
	"</Environment>\n";

static int refused(const char *kv, const char *why)
{
	char err[256] = "";
	size_t len;
	char *doc = emu_ovf_env(&kv, 1, &len, err, sizeof(err));

	free(doc);
	return !doc && strstr(err, why);
}

int main(void)
{
	const char *kv[] = { "hostname=vm1", "a&b=<x y=\"1\"> it's=\t\n\r", "empty=",
			     "utf8=\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80" };
	char err[256];
	size_t len = 0;
	char *doc = emu_ovf_env(kv, 4, &len, err, sizeof(err));

	ok(doc && len == strlen(doc) && !strcmp(doc, want_doc),
	   "document as vCenter lays it out, values escaped for attributes");
	if (doc && strcmp(doc, want_doc))
		fprintf(stderr, "# got:\n%s", doc);
	free(doc);
	doc = emu_ovf_env(NULL, 0, &len, err, sizeof(err));
	ok(doc && strstr(doc, "<PropertySection>\n   </PropertySection>"), "no properties");
	free(doc);
	ok(refused("novalue", "is not KEY=VALUE"), "no '=' refused");
	ok(refused("=v", "is not KEY=VALUE"), "empty key refused");
	ok(refused("k=a\x01", "control"), "control character refused");
	ok(refused("k=\xc3", "UTF-8"), "truncated UTF-8 refused");
	ok(refused("k=\xc0\xaf", "UTF-8"), "overlong UTF-8 refused");
	ok(refused("k=\xed\xa0\x80", "UTF-8"), "surrogate refused");
	ok(refused("k=\xf4\x90\x80\x80", "UTF-8"), "past U+10FFFF refused");
	return done_testing();
}
