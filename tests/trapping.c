// SPDX-License-Identifier: MIT
/*
 * trapping.h's check for the shell tests (tests/trapping.sh): exit 0 if
 * the backdoor instructions trap here; else print the TAP skip plan and
 * exit 1.
 */
#include "trapping.h"

int main(void)
{
	if (backdoor_traps())
		return 0;
	puts(TRAPPING_SKIP_PLAN);
	return 1;
}
