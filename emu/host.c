// SPDX-License-Identifier: MIT
/* Dispatch and the typed LB commands. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vmwcall/proto.h"
#include "internal.h"

void emu_config_default(struct emu_config *cfg)
{
	static const uint8_t uuid[16] = {
		0x56, 0x4d, 0x77, 0x63, 0x61, 0x6c, 0x6c, 0x2d,
		0x65, 0x6d, 0x75, 0x2d, 0x68, 0x6f, 0x73, 0x74,
	};

	memset(cfg, 0, sizeof(*cfg));
	cfg->version = VMW_VERSION_MAGIC;
	cfg->type = VMW_TYPE_WORKSTATION;
	cfg->hwversion = 21;
	cfg->mhz = 2000;
	cfg->tsc_hz = 2000000000ull;
	cfg->apic_hz = 66000000;
	memcpy(cfg->uuid, uuid, sizeof(uuid));
	cfg->memsize_mb = 2048;
	cfg->vcpu_info = VMW_VCPU_SYNC_VTSCS | VMW_VCPU_LEGACY_X2APIC;
	cfg->buildnum = 24000000;
	cfg->max_channels = VMW_MSG_MAX_CHANNELS;
	cfg->max_in_size = VMW_MSG_MAX_IN_SIZE;
	cfg->max_out_size = 16u << 20;
	cfg->info_limit = EMU_INFO_LIMIT_DEFAULT;
}

struct emu_host *emu_host_new(const struct emu_config *cfg)
{
	struct emu_host *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->cfg = *cfg;
	if (h->cfg.max_channels == 0 || h->cfg.max_channels > VMW_EMU_MAX_CHANNELS)
		h->cfg.max_channels = VMW_EMU_MAX_CHANNELS;
	if (h->cfg.max_in_size > VMW_EMU_MAX_IN_SIZE)
		h->cfg.max_in_size = VMW_EMU_MAX_IN_SIZE;
	/* Replies carry a 2-byte status; the store and RPCI subtract it. */
	if (h->cfg.max_out_size > VMW_EMU_MAX_OUT_SIZE || h->cfg.max_out_size < 2)
		h->cfg.max_out_size = VMW_EMU_MAX_OUT_SIZE;
	emu_opt_init(h);
	h->rng = h->cfg.seed;
	emu_guestlib_start(h);
	h->info.nocase = h->cfg.key_nocase;
	if (h->cfg.fault_permille > 1000)
		h->cfg.fault_permille = 1000;
	/*
	 * The same seeds give the same faults (seed 0 leaves fault_seed's
	 * sequence as it always was); xorshift must not start at 0.
	 */
	h->fault_rng = (h->cfg.fault_seed ^ h->cfg.seed * 0xD1B54A32D192ED03ull) *
		       0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
	return h;
}

void emu_host_free(struct emu_host *h)
{
	if (!h)
		return;
	emu_msg_free(h);
	emu_store_free(&h->info);
	emu_tclo_free(&h->tclo);
	emu_tools_free(&h->tools);
	emu_nsdb_free(h->nsdb);
	free(h);
}

void emu_host_set_trace(struct emu_host *h, emu_trace_fn *fn, void *ctx)
{
	h->trace = fn;
	h->trace_ctx = ctx;
}

const struct emu_stats *emu_host_stats(const struct emu_host *h)
{
	return &h->st;
}

static void now(const struct emu_host *h, uint64_t *sec, uint32_t *usec)
{
	struct timespec ts;
	int64_t us;

	if (h->cfg.clock_us) {
		us = h->cfg.clock_us(h->cfg.clock_ctx);
	} else {
		clock_gettime(CLOCK_REALTIME, &ts);
		us = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	}
	/* Saturate: neither a hostile clock nor the offset may overflow. */
	if (__builtin_add_overflow(us, h->cfg.time_offset_us, &us))
		us = h->cfg.time_offset_us > 0 ? INT64_MAX : 0;
	if (us < 0)
		us = 0;
	*sec = (uint64_t)us / 1000000;
	*usec = (uint32_t)((uint64_t)us % 1000000);
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void lb_command(struct emu_host *h, struct emu_regs *r, uint32_t owner)
{
	const struct emu_config *c = &h->cfg;
	uint32_t cmd = r->cx & 0xFFFF;
	uint64_t sec;
	uint32_t usec;

	switch (cmd) {
	case VMW_CMD_GETVERSION:
		r->ax = c->version;
		r->bx = VMW_MAGIC;
		r->cx = c->type;
		break;
	case VMW_CMD_GETMHZ:
		r->ax = c->mhz;
		break;
	case VMW_CMD_GETGUIOPTIONS:
		r->ax = emu_opt_gui(h);
		break;
	case VMW_CMD_GETHWVERSION:
		r->ax = c->hwversion;
		r->bx = VMW_MAGIC;
		break;
	case VMW_CMD_GETUUID:
		r->ax = le32(c->uuid);
		r->bx = le32(c->uuid + 4);
		r->cx = le32(c->uuid + 8);
		r->dx = le32(c->uuid + 12);
		break;
	case VMW_CMD_GETMEMSIZE:
		r->ax = c->memsize_mb;
		break;
	case VMW_CMD_GETTIME:
		now(h, &sec, &usec);
		r->ax = sec > 0xFFFFFFFEu ? 0xFFFFFFFFu : (uint32_t)sec;
		r->bx = usec;
		r->cx = 1000000;	/* max lag, us */
		r->dx = 0;		/* UTC offset, minutes */
		break;
	case VMW_CMD_GETTIMEFULL:
	case VMW_CMD_GETTIMEFULL_WITH_LAG:
		now(h, &sec, &usec);
		/* Success leaves eax = magic. */
		r->si = sec >> 32;
		r->dx = (uint32_t)sec;
		r->bx = usec;
		r->cx = 1000000;
		if (cmd == VMW_CMD_GETTIMEFULL_WITH_LAG)
			r->di = 0;	/* interrupt lag, us */
		break;
	case VMW_CMD_GETHZ:
		r->ax = (uint32_t)c->tsc_hz;
		r->bx = (uint32_t)(c->tsc_hz >> 32);
		r->cx = c->apic_hz;
		break;
	case VMW_CMD_GETVCPU_INFO:
		r->ax = c->vcpu_info;
		break;
	case VMW_CMD_GETBUILDNUM:
		r->ax = c->buildnum;
		break;
	case VMW_CMD_MESSAGE:
		emu_msg_lb(h, r, owner);
		break;
	default:
		r->ax = 0xFFFFFFFFu;	/* unknown command */
		break;
	}
}

/* only_cmds: a host that knows few commands (HB is MESSAGE's) and ignores the rest. */
static int answers(const struct emu_config *c, uint64_t cmd)
{
	return !c->only_cmds || (cmd < 64 && (c->only_cmds >> cmd & 1));
}

int emu_host_call(struct emu_host *h, enum emu_insn insn, struct emu_regs *r,
		  const struct emu_mem *mem, uint32_t owner)
{
	struct emu_regs in = *r;
	uint32_t dx = r->dx & 0xFFFF;
	int hb = 0, out = 0;

	if (insn == EMU_INSN_CPUID)
		return emu_cpuid_call(h, r);
	if ((uint32_t)r->ax != VMW_MAGIC) {
		h->st.refused++;
		return -1;
	}
	switch (insn) {
	case EMU_INSN_IN:
	case EMU_INSN_OUT:
		if (dx != VMW_PORT) {
			h->st.refused++;
			return -1;
		}
		break;
	case EMU_INSN_REP_INSB:
	case EMU_INSN_REP_OUTSB:
		if (dx != VMW_PORT_HB) {
			h->st.refused++;
			return -1;
		}
		hb = 1;
		out = insn == EMU_INSN_REP_OUTSB;
		break;
	case EMU_INSN_VMCALL:
	case EMU_INSN_VMMCALL:
		hb = dx & VMW_FLAG_HB;
		out = !!(dx & VMW_FLAG_OUT);
		break;
	case EMU_INSN_CPUID:
		break;	/* answered above */
	case EMU_INSN_TDCALL:
		if (r->cx & ~VMW_TDX_CMD_MASK) {
			r->ax = 0xFFFFFFFFu;	/* out of range: refused */
			goto done;
		}
		break;
	}
	if (h->cfg.qemu_vmport) {
		/* Port 0x5658 only: HB ports and hypercall instructions fault. */
		if (hb || insn > EMU_INSN_OUT) {
			h->st.refused++;
			return -1;
		}
		if (!emu_qemu_lb(&h->cfg, r))
			lb_command(h, r, owner);
		h->st.lb++;
		goto done;
	}
	h->caller = owner;
	if (hb) {
		if (answers(&h->cfg, VMW_CMD_MESSAGE))
			emu_msg_hb(h, r, mem, out, owner);
		if (out)
			h->st.hb_out++;
		else
			h->st.hb_in++;
	} else {
		if (answers(&h->cfg, r->cx & 0xFFFF))
			lb_command(h, r, owner);
		h->st.lb++;
	}
done:
	h->caller = 0;
	if (insn == EMU_INSN_IN)
		r->ax &= 0xFFFFFFFF;	/* in %dx, %eax zero-extends */
	h->st.calls++;
	if (h->trace)
		h->trace(h->trace_ctx, insn, &in, r);
	return 0;
}
