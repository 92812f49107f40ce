/* SPDX-License-Identifier: MIT */
/*
 * The cookie-prediction attack of issue 15: the emulator once drew cookies
 * as bits 16..47 of successive xorshift64 states.  xorshift is linear over
 * GF(2), so the four cookies of two channels a guest opens itself give 128
 * linear equations in the 64 state bits; solving them predicts the cookies
 * of the next channel anyone opens.  Tests run it against the host to show
 * that cookies no longer follow from earlier ones.
 */
#ifndef VMWCALL_TESTS_PREDICT_H
#define VMWCALL_TESTS_PREDICT_H

#include <stdint.h>

static uint64_t predict_step(uint64_t x)
{
	x ^= x << 13, x ^= x >> 7, x ^= x << 17;
	return x;
}

static uint64_t predict_steps(uint64_t x, int k)
{
	while (k-- > 0)
		x = predict_step(x);
	return x;
}

/*
 * seen: hi, lo of one channel, then hi, lo of the next.  0 and the cookies
 * the following open would return in next[0..1], or -1 if the equations
 * have no unique solution (they cannot come from that generator).
 */
static __attribute__((unused)) int predict_cookies(const uint32_t seen[4], uint32_t next[2])
{
	uint64_t row[128], rhs[2] = { 0, 0 }, x = 0;
	int piv[64], r = 0;

	/* Row 32k+b: which bits of the first state make bit b of cookie k. */
	for (int k = 0; k < 4; k++)
		for (int b = 0; b < 32; b++) {
			uint64_t m = 0;

			for (int j = 0; j < 64; j++)
				if (predict_steps(1ull << j, k) >> (16 + b) & 1)
					m |= 1ull << j;
			row[32 * k + b] = m;
			if (seen[k] >> b & 1)
				rhs[(32 * k + b) / 64] |= 1ull << ((32 * k + b) % 64);
		}
	/* Gauss-Jordan over GF(2); rhs bit i belongs to row i. */
	for (int c = 0; c < 64; c++) {
		int p = -1;

		for (int i = r; i < 128 && p < 0; i++)
			if (row[i] >> c & 1)
				p = i;
		if (p < 0)
			return -1;
		if (p != r) {
			uint64_t t = row[p];
			int bp = rhs[p / 64] >> (p % 64) & 1, br = rhs[r / 64] >> (r % 64) & 1;

			row[p] = row[r], row[r] = t;
			rhs[p / 64] = (rhs[p / 64] & ~(1ull << (p % 64))) | (uint64_t)br << (p % 64);
			rhs[r / 64] = (rhs[r / 64] & ~(1ull << (r % 64))) | (uint64_t)bp << (r % 64);
		}
		for (int i = 0; i < 128; i++)
			if (i != r && (row[i] >> c & 1)) {
				row[i] ^= row[r];
				rhs[i / 64] ^= (uint64_t)(rhs[r / 64] >> (r % 64) & 1) << (i % 64);
			}
		piv[c] = r++;
	}
	/* Consistent only if every leftover row reduced to 0 = 0. */
	for (int i = 64; i < 128; i++)
		if (rhs[i / 64] >> (i % 64) & 1)
			return -1;
	for (int c = 0; c < 64; c++)
		if (rhs[piv[c] / 64] >> (piv[c] % 64) & 1)
			x |= 1ull << c;
	next[0] = (uint32_t)(predict_steps(x, 4) >> 16);
	next[1] = (uint32_t)(predict_steps(x, 5) >> 16);
	return 0;
}

#endif
