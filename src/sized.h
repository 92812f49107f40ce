/* SPDX-License-Identifier: MIT */
/*
 * Structs the library fills grow only at the end, and the caller passes
 * the size it was built with (the rule in detect.h).
 */
#ifndef VMWCALL_SIZED_H
#define VMWCALL_SIZED_H

#include <stddef.h>
#include <string.h>

#include "vmwcall/error.h"

/*
 * Copy what the library filled (have bytes at src) to the caller's size
 * bytes at dst: never a byte past size, zeros for fields the library
 * does not know.  VMW_EINVAL (dst untouched) for a NULL dst or a size
 * short of the struct's first version (min).
 */
static inline int vmw_copy_sized(void *dst, size_t size, const void *src, size_t have, size_t min)
{
	if (!dst || size < min)
		return VMW_EINVAL;
	memcpy(dst, src, size < have ? size : have);
	if (size > have)
		memset((char *)dst + have, 0, size - have);
	return 0;
}

#endif
