/* SPDX-License-Identifier: MIT */
/* Minimal TAP producer for prove: plan at the end, failures on stderr. */
#ifndef VMWCALL_TAP_H
#define VMWCALL_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_n, tap_failed;

static __attribute__((format(printf, 2, 3), unused)) int ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", cond ? "" : "not ", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!cond)
		tap_failed++;
	return cond;
}

#define is_u64(got, want, ...)						\
	do {								\
		uint64_t g_ = (uint64_t)(got), w_ = (uint64_t)(want);	\
		if (!ok(g_ == w_, __VA_ARGS__))				\
			fprintf(stderr, "#   got 0x%" PRIx64 ", want 0x%" PRIx64 "\n", g_, w_); \
	} while (0)

static __attribute__((unused)) int done_testing(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
