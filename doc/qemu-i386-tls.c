// SPDX-License-Identifier: MIT
/*
 * qemu-i386 returns threads from signal handlers with another thread's TLS
 * (doc/qemu-user.md):
 *
 *   gcc -m32 -pthread -Itests -o tls doc/qemu-i386-tls.c && qemu-i386 ./tls
 *
 * prints "broken" under qemu-i386 7.2 and "kept" where the kernel runs it.
 */
#include <stdio.h>

#include "sigtls.h"

int main(void)
{
	int broken = sigtls_broken();

	puts(broken ? "broken: a thread returned from SIGSEGV with another thread's TLS" :
		      "kept: every thread returned from SIGSEGV with its own TLS");
	return broken;
}
