// SPDX-License-Identifier: MIT
/* The host's log lines (emu_host_set_log). */
#include <stdarg.h>
#include <stdio.h>

#include "internal.h"

#define LOG_LINE 4096	/* longer lines are cut, as a guest's log text may be 64 KiB */

void emu_host_set_log(struct emu_host *h, emu_log_fn *fn, void *ctx)
{
	h->log = fn;
	h->log_ctx = ctx;
}

void emu_log(struct emu_host *h, const char *fmt, ...)
{
	char line[LOG_LINE];
	va_list ap;
	int n;

	if (!h->log)
		return;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	/* Guest text must not start lines of its own. */
	for (int i = 0; i < n; i++)
		if ((unsigned char)line[i] < ' ' && line[i] != '\t')
			line[i] = ' ';
	h->log(h->log_ctx, line, (size_t)n);
}
