// SPDX-License-Identifier: MIT
/*
 * The aarch64 decoder and register mapping on their own, on any host: the
 * instruction word and x7 in, the host's answer in x0..x6 and pc out.
 */
#include <string.h>

#include "vmwcall/proto.h"
#include "cpu_a64.h"
#include "tap.h"

#define RAM_BASE 0x40000000ull
#define RAM_SIZE 8192
#include "ram.h"

#define X7(kind) ((uint64_t)VMW_X7_MAGIC << 32 | (kind))
#define PC 0x400000ull

static const uint8_t mrs[4] = { 0x1F, 0x01, 0x33, 0xD5 };	/* mrs xzr, mdccsr_el0 */

static void test_decode(void)
{
	static const struct {
		uint8_t code[4];
		uint64_t x7;
		int want;
		enum emu_insn insn;
		const char *what;
	} v[] = {
		{ { 0x1F, 0x01, 0x33, 0xD5 }, X7(VMW_X7_LB), 0, EMU_INSN_IN, "LB: in (%dx), %eax" },
		{ { 0x1F, 0x01, 0x33, 0xD5 }, X7(VMW_X7_DX | VMW_X7_SIZE4), 0, EMU_INSN_OUT, "out %eax, (%dx)" },
		{ { 0x1F, 0x01, 0x33, 0xD5 }, X7(VMW_X7_HB_IN), 0, EMU_INSN_REP_INSB, "HB in: rep insb" },
		{ { 0x1F, 0x01, 0x33, 0xD5 }, X7(VMW_X7_HB_OUT), 0, EMU_INSN_REP_OUTSB, "HB out: rep outsb" },
		{ { 0x1F, 0x01, 0x33, 0xD5 }, VMW_X7_LB, -1, 0, "no magic in x7 63:32" },
		{ { 0x1F, 0x01, 0x33, 0xD5 }, (uint64_t)0x87 << 32 | VMW_X7_LB, -1, 0, "wrong magic" },
		{ { 0x1F, 0x01, 0x33, 0xD5 }, X7(VMW_X7_DX | VMW_X7_IN), -1, 0, "in of 1 byte" },
		{ { 0x1F, 0x01, 0x33, 0xD5 }, X7(VMW_X7_DX | VMW_X7_IN | 1), -1, 0, "in of 2 bytes" },
		{ { 0x1F, 0x01, 0x33, 0xD5 }, X7(VMW_X7_DX | VMW_X7_IN | 3), -1, 0, "size 3: invalid" },
		{ { 0x1F, 0x01, 0x33, 0xD5 }, X7(VMW_X7_IN | VMW_X7_SIZE4 | 0x58 << 5), -1, 0,
		  "in with an immediate port" },
		{ { 0x1F, 0x01, 0x33, 0xD5 }, X7(VMW_X7_STR | VMW_X7_IN), -1, 0, "insb without rep" },
		{ { 0x1F, 0x01, 0x33, 0xD5 }, X7(VMW_X7_HB_IN | VMW_X7_DF), -1, 0, "rep insb with DF set" },
		{ { 0x1F, 0x01, 0x33, 0xD5 }, X7(VMW_X7_HB_OUT | VMW_X7_SIZE4), -1, 0, "rep outsd" },
		{ { 0x1F, 0x01, 0x33, 0xD5 }, X7(VMW_X7_LB | 1u << 13), -1, 0, "a reserved bit set" },
		{ { 0x00, 0x01, 0x33, 0xD5 }, X7(VMW_X7_LB), -1, 0, "mrs x0, mdccsr_el0 (not xzr)" },
		{ { 0x1F, 0x04, 0x33, 0xD5 }, X7(VMW_X7_LB), -1, 0, "mrs xzr, dbgdtr_el0" },
		{ { 0x1F, 0x05, 0x13, 0xD5 }, X7(VMW_X7_LB), -1, 0, "msr dbgdtrtx_el0, xzr" },
		{ { 0xC0, 0x10, 0x20, 0xD4 }, X7(VMW_X7_LB), -1, 0, "brk #0x86" },
		{ { 0xC2, 0x10, 0x00, 0xD4 }, X7(VMW_X7_LB), -1, 0, "hvc #0x86" },
		{ { 0x00, 0x00, 0x00, 0x00 }, X7(VMW_X7_LB), -1, 0, "udf #0" },
	};
	enum emu_insn insn;

	for (size_t i = 0; i < sizeof(v) / sizeof(*v); i++) {
		insn = (enum emu_insn)-1;
		ok(emu_a64_decode(v[i].code, 4, v[i].x7, &insn) == v[i].want &&
		   (v[i].want || insn == v[i].insn), "decode: %s", v[i].what);
	}
	ok(emu_a64_decode(mrs, 3, X7(VMW_X7_LB), &insn) == -1, "decode: 3 bytes are not an instruction");
}

static struct emu_cpu lb(uint32_t cmd, uint64_t bx, uint64_t dx, uint64_t si, uint64_t di)
{
	return (struct emu_cpu){ .ax = VMW_MAGIC, .bx = bx, .cx = cmd, .dx = dx | VMW_PORT,
				 .si = si, .di = di, .bp = 0x6666666666666666ull, .ip = PC,
				 .is64 = 1, .x7 = X7(VMW_X7_LB) };
}

static void test_step(void)
{
	static const char req[] = "info-set guestinfo.a64 over HB";
	struct emu_config cfg;
	struct emu_host *h;
	struct emu_cpu c, before;
	uint32_t id, hi, lo;
	size_t len = sizeof(req) - 1, n;
	const char *v;

	emu_config_default(&cfg);
	h = emu_host_new(&cfg);

	c = lb(VMW_CMD_GETVERSION, ~VMW_MAGIC, 0xFFFF0000ull << 16, 0, 0);
	ok(emu_a64_step(h, &c, mrs, 4, &mem, 1) == 0, "GETVERSION answered");
	ok(c.ax == 6 && c.bx == VMW_MAGIC && c.cx == VMW_TYPE_WORKSTATION,
	   "x0 = 6, x1 = magic, x2 = product type");
	is_u64(c.ip, PC + 4, "pc advanced by 4");
	is_u64(c.bp, 0x6666666666666666ull, "x6 untouched by an LB call");

	c = lb(VMW_CMD_GETVERSION, ~VMW_MAGIC, 0, 0, 0);
	c.dx = 0x5657;
	before = c;
	ok(emu_a64_step(h, &c, mrs, 4, &mem, 1) == -1 && !memcmp(&c, &before, sizeof(c)),
	   "another port in x3: refused, registers untouched");
	c = lb(VMW_CMD_GETVERSION, ~VMW_MAGIC, 0, 0, 0);
	c.x7 = X7(VMW_X7_HB_IN);
	before = c;
	ok(emu_a64_step(h, &c, mrs, 4, &mem, 1) == -1 && !memcmp(&c, &before, sizeof(c)),
	   "rep insb on the LB port: refused, registers untouched");
	c = lb(VMW_CMD_GETVERSION, ~VMW_MAGIC, 0, 0, 0);
	c.x7 = X7(VMW_X7_DX | VMW_X7_IN);
	before = c;
	ok(emu_a64_step(h, &c, mrs, 4, &mem, 1) == -1 && !memcmp(&c, &before, sizeof(c)),
	   "byte-sized in: refused, registers untouched");

	/* A channel, a message over HB out (x4 = source), the reply over HB in (x5 = destination). */
	c = lb(VMW_CMD(VMW_CMD_MESSAGE, VMW_MSG_OPEN), VMW_PROTO_RPCI | VMW_MSG_FLAG_COOKIE, 0, 0, 0);
	ok(emu_a64_step(h, &c, mrs, 4, &mem, 1) == 0 && c.cx == VMW_MSG_SUCCESS << 16,
	   "MESSAGE OPEN: success");
	id = (uint32_t)(c.dx >> 16), hi = (uint32_t)c.si, lo = (uint32_t)c.di;
	c = lb(VMW_CMD(VMW_CMD_MESSAGE, VMW_MSG_SENDSIZE), len, (uint64_t)id << 16, hi, lo);
	ok(emu_a64_step(h, &c, mrs, 4, &mem, 1) == 0 && c.cx >> 16 == (VMW_MSG_SUCCESS | VMW_MSG_HB),
	   "SENDSIZE: the host takes HB");
	memcpy(ram, req, len);
	c = (struct emu_cpu){ VMW_MAGIC, VMW_HB_CMD_MESSAGE | VMW_MSG_SUCCESS << 16, len,
			      (uint64_t)id << 16 | VMW_PORT_HB, RAM_BASE, lo, hi, .ip = PC, .is64 = 1,
			      .x7 = X7(VMW_X7_HB_OUT) };
	ok(emu_a64_step(h, &c, mrs, 4, &mem, 1) == 0 && c.bx == VMW_MSG_SUCCESS << 16,
	   "HB out from x4: success");
	v = emu_info_get(h, "a64", &n);
	ok(v && n == 7 && !memcmp(v, "over HB", 7), "the host read the message from guest memory");
	c = lb(VMW_CMD(VMW_CMD_MESSAGE, VMW_MSG_RECVSIZE), 0, (uint64_t)id << 16, hi, lo);
	ok(emu_a64_step(h, &c, mrs, 4, &mem, 1) == 0 && c.bx == 2, "RECVSIZE: 2 bytes");
	c = (struct emu_cpu){ VMW_MAGIC, VMW_HB_CMD_MESSAGE | VMW_MSG_SUCCESS << 16, 2,
			      (uint64_t)id << 16 | VMW_PORT_HB, hi, RAM_BASE + 4096, lo, .ip = PC,
			      .is64 = 1, .x7 = X7(VMW_X7_HB_IN) };
	ok(emu_a64_step(h, &c, mrs, 4, &mem, 1) == 0 && c.bx == VMW_MSG_SUCCESS << 16 &&
	   !memcmp(ram + 4096, "1 ", 2), "HB in to x5: the reply '1 ' is in guest memory");
	is_u64(c.ip, PC + 4, "HB: pc advanced by 4");
	emu_host_free(h);
}

int main(void)
{
	plan(35);
	test_decode();
	test_step();
	return done_testing();
}
