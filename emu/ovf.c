// SPDX-License-Identifier: MIT
/*
 * The layout is a vCenter's (public captures of ESXi 5.5-8.0 guests and
 * govmomi's ovf/env.go): namespaces on the root element, PlatformSection,
 * then PropertySection.  Values are escaped for an attribute: the five
 * markup characters, and tab, newline and carriage return as character
 * references so that attribute-value normalization gives them back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovf.h"

static const char head[] =
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
	"   <PropertySection>\n";
static const char tail[] = "   </PropertySection>\n</Environment>\n";

/* Bytes of the UTF-8 sequence at s (at most n), or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	size_t len = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2 :
		     s[0] >= 0xE0 && s[0] <= 0xEF ? 3 : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
	unsigned lo = 0x80, hi = 0xBF;

	if (!len || len > n)
		return 0;
	/* The second byte's range rules out overlong forms, surrogates, > U+10FFFF. */
	if (s[0] == 0xE0)
		lo = 0xA0;
	else if (s[0] == 0xED)
		hi = 0x9F;
	else if (s[0] == 0xF0)
		lo = 0x90;
	else if (s[0] == 0xF4)
		hi = 0x8F;
	for (size_t i = 1; i < len; i++, lo = 0x80, hi = 0xBF)
		if (s[i] < lo || s[i] > hi)
			return 0;
	return len;
}

#define BAD ((size_t)-1)

/* s[0..n) escaped into out (NULL: only count); its escaped length, or BAD. */
static size_t escape(const char *s, size_t n, char *out)
{
	size_t o = 0;

	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		const char *rep = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" :
				  c == '"' ? "&quot;" : c == '\'' ? "&apos;" : c == '\t' ? "&#9;" :
				  c == '\n' ? "&#10;" : c == '\r' ? "&#13;" : NULL;
		size_t len = rep ? strlen(rep) : utf8_len((const unsigned char *)s + i, n - i);

		if (!rep && (len == 0 || c < 0x20 || c == 0x7F))
			return BAD;
		if (out)
			memcpy(out + o, rep ? rep : s + i, len);
		o += len;
		i += rep ? 1 : len;
	}
	return o;
}

char *emu_ovf_env(const char *const *kv, size_t n, size_t *len, char *err, size_t errlen)
{
	static const char pre[] = "         <Property oe:key=\"", mid[] = "\" oe:value=\"",
			  end[] = "\"/>\n";
	size_t total = sizeof(head) - 1 + sizeof(tail) - 1, o;
	char *doc;

	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(kv[i], '=');
		size_t k, v;

		if (!eq || eq == kv[i]) {
			snprintf(err, errlen, "'%.64s' is not KEY=VALUE", kv[i]);
			return NULL;
		}
		k = escape(kv[i], (size_t)(eq - kv[i]), NULL);
		v = escape(eq + 1, strlen(eq + 1), NULL);
		if (k == BAD || v == BAD) {
			snprintf(err, errlen, "'%.64s': invalid UTF-8 or a control character", kv[i]);
			return NULL;
		}
		total += sizeof(pre) + sizeof(mid) + sizeof(end) - 3 + k + v;
	}
	if (!(doc = malloc(total + 1))) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	memcpy(doc, head, sizeof(head) - 1);
	o = sizeof(head) - 1;
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(kv[i], '=');

		memcpy(doc + o, pre, sizeof(pre) - 1);
		o += sizeof(pre) - 1;
		o += escape(kv[i], (size_t)(eq - kv[i]), doc + o);
		memcpy(doc + o, mid, sizeof(mid) - 1);
		o += sizeof(mid) - 1;
		o += escape(eq + 1, strlen(eq + 1), doc + o);
		memcpy(doc + o, end, sizeof(end) - 1);
		o += sizeof(end) - 1;
	}
	memcpy(doc + o, tail, sizeof(tail));
	*len = o + sizeof(tail) - 1;
	return doc;
}
