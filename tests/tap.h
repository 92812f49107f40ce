/* SPDX-License-Identifier: MIT */
/*
 * Minimal TAP producer for prove, failures on stderr.  plan(n) first where
 * the count is known (a test that stops early then shows); else
 * done_testing() prints the plan at the end.
 */
#ifndef VMWCALL_TAP_H
#define VMWCALL_TAP_H

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

static int tap_n, tap_failed, tap_planned = -1;

static __attribute__((unused)) void plan(int n)
{
	printf("1..%d\n", n);
	fflush(stdout);
	tap_planned = n;
}

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
	if (tap_planned < 0)
		printf("1..%d\n", tap_n);
	else if (tap_n != tap_planned)
		fprintf(stderr, "# planned %d tests, ran %d\n", tap_planned, tap_n);
	return tap_failed || (tap_planned >= 0 && tap_n != tap_planned) ? 1 : 0;
}

#endif
