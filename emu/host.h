/* SPDX-License-Identifier: MIT */
/*
 * The emulated VMware host: a pure state machine.  A front end (signal
 * handler, ptrace runner, fuzzer) decodes a trapped instruction into a
 * struct emu_call, hands over the guest's registers and a guest-memory
 * accessor, and writes the registers back.  Nothing here touches signals,
 * processes or the guest's address space directly.
 */
#ifndef VMWCALL_EMU_HOST_H
#define VMWCALL_EMU_HOST_H

#include <stddef.h>
#include <stdint.h>

#include "guestlib.h"

/* Canonical argument registers 0..6 (TDX front ends map r12/r13/r14 here). */
struct emu_regs {
	uint64_t ax, bx, cx, dx, si, di, bp;
};

enum emu_insn {
	EMU_INSN_IN,		/* in (%dx), %eax */
	EMU_INSN_OUT,		/* out %eax, (%dx) */
	EMU_INSN_REP_INSB,	/* rep insb: host-to-guest bytes at rdi */
	EMU_INSN_REP_OUTSB,	/* rep outsb: guest-to-host bytes at rsi */
	EMU_INSN_VMCALL,
	EMU_INSN_VMMCALL,
	EMU_INSN_TDCALL,	/* TDG.VP.VMCALL, already remapped to canonical */
	EMU_INSN_CPUID,		/* cpuid, where the processor faults it (emu/cpuid.h) */
};

/* Guest memory; both return 0 on success, -1 if any byte is inaccessible. */
struct emu_mem {
	void *ctx;
	int (*read)(void *ctx, uint64_t addr, void *dst, size_t n);
	int (*write)(void *ctx, uint64_t addr, const void *src, size_t n);
};

struct emu_config {
	uint32_t version;	/* GETVERSION out0 (6) */
	uint32_t type;		/* product type (VMW_TYPE_*) */
	uint32_t hwversion;	/* virtual hardware version */
	uint32_t mhz;
	uint64_t tsc_hz;
	uint32_t apic_hz;
	uint8_t uuid[16];	/* BIOS UUID, byte order as SMBIOS stores it */
	uint32_t memsize_mb;
	uint32_t vcpu_info;	/* GETVCPU_INFO bits */
	uint32_t buildnum;
	int64_t time_offset_us;	/* added to the clock for GETTIME* */
	/*
	 * The host's clock: microseconds since the Unix epoch, read for every
	 * GETTIME* call.  NULL: CLOCK_REALTIME.  Replays and fuzzers pass a
	 * fixed or stepped clock so a run gives the same answers twice.
	 */
	int64_t (*clock_us)(void *clock_ctx);
	void *clock_ctx;
	/*
	 * 0: channel cookies come from getrandom(), so no guest can predict
	 * another's (an OPEN fails if the kernel has no randomness to give).
	 * Any other value: cookies follow from it, and it is mixed into the
	 * fault generator, so a whole run repeats exactly.  A seeded host's
	 * cookies are predictable by design: for tests and fuzzing only.
	 */
	uint64_t seed;
	uint32_t max_channels;	/* <= VMW_MSG_MAX_CHANNELS */
	uint32_t max_in_size;	/* guest-to-host message limit */
	uint32_t max_out_size;	/* largest reply the host builds */
	uint32_t checkpoint_every; /* 0: never inject VMW_MSG_CPT */
	/*
	 * Faults on message steps (every MESSAGE call but OPEN and CLOSE, and
	 * every HB transfer, counted from 1 over all channels): a checkpoint at
	 * step cpt_at; a host that fails every call, OPEN included, from step
	 * stop_at on; and with fault_permille, at each step that chance of a
	 * random CPT, failure or dropped channel, from fault_seed (and seed).
	 * 0: off.
	 */
	uint64_t cpt_at, stop_at;
	uint32_t fault_permille;
	uint64_t fault_seed;
	int no_hb;		/* refuse HB: never advertise it */
	int no_cookies;		/* refuse OPEN with the cookie flag */
	const char *machine_id;	/* reply to machine.id.get; NULL: unset */
	uint64_t only_cmds;	/* nonzero: answer only the LB commands whose bit is set (bit N = command N) and leave every register of any other call untouched, as QEMU's vmport does for commands it does not know */
	/*
	 * Budget for what guests store with info-set: bytes of key (without
	 * "guestinfo.") plus value over every key a guest set last, as VMware's
	 * tools.setInfo.sizeLimit (default 1 MiB, its hardening-guide value).
	 * A set that would pass it is refused with "0 Guest info size limit
	 * exceeded" and changes nothing.  Keys the host set (emu_info_set:
	 * --set, --vmx) do not count.  0 refuses every guest set.
	 */
	uint64_t info_limit;
	/*
	 * Secure RPC (ESXi's guest_rpc.rpci.auth.cmd.info-get/-set): info-get
	 * and info-set of a key matching one of these fnmatch(3) patterns
	 * (full names, "guestinfo.secret*") answer "0 Permission denied"
	 * unless they come over vsock from a privileged source port.
	 */
	const char *const *rpc_auth;
	size_t n_rpc_auth;
	/*
	 * Set (--replay): answers every RPCI request, backdoor or vsock, in
	 * place of the host's commands; TCLO and the typed commands are the
	 * host's.  0 and *reply (malloc'd, the whole "1 ..."/"0 ..." text), or
	 * -1 if memory is short.
	 */
	int (*rpci_answer)(void *ctx, const uint8_t *msg, size_t len, uint8_t **reply,
			   size_t *rlen);
	void *rpci_answer_ctx;
	struct emu_guestlib guestlib;	/* guestlib.info.get/stat.get (guestlib.h) */
	/*
	 * Profile switches (profile.c): guest info-set of an empty value
	 * refused; guestinfo keys compared without regard to case, as the
	 * VMX's config keys are; every guest info-set refused, as
	 * isolation.tools.setinfo.disable; and answer as QEMU's vmport (port
	 * 0x5658 only, qemu.c) instead of as VMware.
	 */
	int refuse_empty, key_nocase, setinfo_disable, qemu_vmport;
	/*
	 * CPUID (emu/cpuid.h): no_cpuid refuses EMU_INSN_CPUID (the front end
	 * delivers the fault); cpuid_ecx holds leaf 0x40000010's backdoor bits
	 * (EMU_CPUID_VMCALL, EMU_CPUID_VMMCALL: the instruction guests should
	 * use); cpuid_real gives the processor's answers to the other leaves
	 * (NULL: the cpuid instruction).
	 */
	int no_cpuid;
	uint32_t cpuid_ecx;
	void (*cpuid_real)(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4]);
	void *cpuid_ctx;
};

struct emu_stats {
	uint64_t calls;		/* every hypercall answered */
	uint64_t lb, hb_in, hb_out;
	uint64_t bytes_in;	/* guest-to-host payload bytes (LB and HB) */
	uint64_t bytes_out;	/* host-to-guest payload bytes */
	uint64_t rpcs;		/* complete guest messages answered */
	uint64_t checkpoints;	/* injected VMW_MSG_CPT */
	uint64_t steps;		/* message steps (see emu_config.cpt_at) */
	uint64_t faults;	/* injected failures and dropped channels */
	uint64_t refused;	/* trapped instructions that were not hypercalls */
	uint64_t vsock_rpcs;	/* RPCI requests answered over vsock (emu_host_rpci) */
	uint64_t cpuid;		/* CPUID instructions answered (not in calls) */
};

struct emu_host;

/* Called after each answered hypercall with the registers before and after. */
typedef void emu_trace_fn(void *ctx, enum emu_insn insn,
			  const struct emu_regs *in, const struct emu_regs *out);

/* Defaults: a VMware Workstation-like host (version 6, 2 GiB, 2000 MHz). */
void emu_config_default(struct emu_config *cfg);

/* NULL on allocation failure.  The host copies cfg. */
struct emu_host *emu_host_new(const struct emu_config *cfg);
void emu_host_free(struct emu_host *h);

/*
 * Answer one trapped instruction.  Returns 0 and updates *r if it was a
 * hypercall; -1 (r untouched) if it was not (wrong magic or port), in which
 * case the front end delivers the original fault.  owner identifies the
 * guest process: a channel answers only the owner that opened it (and its
 * cookies), and a front end reclaims an owner's channels when it dies.  A
 * front end that cannot tell processes apart passes 0 for all of them.
 */
int emu_host_call(struct emu_host *h, enum emu_insn insn, struct emu_regs *r,
		  const struct emu_mem *mem, uint32_t owner);

/*
 * Answer one RPCI request that arrived outside the backdoor (vsock):
 * *reply (malloc'd, "1 ..." or "0 ...") and its length, or -1 on
 * allocation failure.  privileged: from a source port below 1024.  owner
 * and chan name the caller in events (vsock connections are channels
 * EMU_VSOCK_CHAN and up).
 */
#define EMU_VSOCK_CHAN	1000u
int emu_host_rpci(struct emu_host *h, const void *msg, size_t len, int privileged,
		  uint32_t owner, uint32_t chan, uint8_t **reply, size_t *rlen);

/* Close every channel opened by owner (a guest process that exited). */
void emu_host_reclaim(struct emu_host *h, uint32_t owner);

void emu_host_set_trace(struct emu_host *h, emu_trace_fn *fn, void *ctx);
const struct emu_stats *emu_host_stats(const struct emu_host *h);

/*
 * guestinfo store: keys are given without the "guestinfo." prefix.
 * set (the host's own, not held to info_limit): 0, or -1 on allocation
 * failure/oversize/too many keys.  get: the value and its length, or NULL
 * if unset (the pointer stays valid until the key changes).  Both take
 * O(log n) key comparisons.
 */
int emu_info_set(struct emu_host *h, const char *key, const void *val, size_t len);
const char *emu_info_get(const struct emu_host *h, const char *key, size_t *len);
/* Visit every key in sorted order; stops early when fn returns non-zero. */
int emu_info_each(const struct emu_host *h,
		  int (*fn)(void *ctx, const char *key, const char *val, size_t len),
		  void *ctx);

/*
 * TCLO, host to guest.  Like a VMX, the host opens every new TCLO channel
 * with the tools handshake: "reset" (the guest answers "OK ATR <app>",
 * naming the application behind the channel), "ping",
 * "Capabilities_Register", the Set_Option burst of the VM's tools options
 * and, for "toolbox", "Time_Synchronize 0".  Commands queued here then go
 * to a channel of their application whose handshake is over, one at a time
 * and in order; the guest's answer ("OK ..."/"ERROR ...") is kept.
 */
#define EMU_TOOLS_APP "toolbox"		/* vmtoolsd -n vmsvc, the main service */

/*
 * Queue cmd (a C string, at most the host's reply limit) for application
 * app (NULL: EMU_TOOLS_APP).  Returns its id (> 0), or 0 if refused: bad
 * application name, or VMW_EMU_MAX_TCLO commands pending.
 */
uint64_t emu_tclo_send(struct emu_host *h, const char *app, const char *cmd);
/*
 * The guest's answer to command id: 1 and the answer in *reply, *len (valid until the
 * next call into the host) once it came; 0 while queued or sent; -1 if id
 * is unknown (never issued, or so old its slot was reused) or dropped (its
 * channel closed, or the guest polled without answering).
 */
int emu_tclo_result(const struct emu_host *h, uint64_t id, const char **reply, size_t *len);

enum emu_tools {
	EMU_TOOLS_NONE,		/* no open TCLO channel of that application */
	EMU_TOOLS_HANDSHAKE,	/* one is open, handshake under way */
	EMU_TOOLS_READY,	/* one finished the handshake: commands flow */
};
/* Where application app (NULL: EMU_TOOLS_APP) is, over all its channels. */
enum emu_tools emu_tools_state(const struct emu_host *h, const char *app);

/* emu_tclo_send for a command of len bytes that may hold NULs (XDR arguments). */
uint64_t emu_tclo_send_bytes(struct emu_host *h, const char *app, const void *cmd, size_t len);

/*
 * A quiesce (vmbackup), as a VMX runs one for a quiesced snapshot; scripts
 * only (the guest's freeze/thaw scripts and sync(), never a filesystem
 * freeze).  start: 0, or -1 if one is under way or the TCLO queue refuses;
 * abort set: the host aborts it once the guest is quiesced instead of
 * completing it.  abort: send vmbackup.abort now (a timeout); 0 or -1.
 */
enum emu_quiesce_st {
	EMU_QUIESCE_NONE,	/* never started */
	EMU_QUIESCE_STARTED,	/* vmbackup.startWithOpts queued or running */
	EMU_QUIESCE_COMMITTED,	/* the guest is quiesced; snapshotDone or abort sent */
	EMU_QUIESCE_COMPLETED,	/* req.done after snapshotDone, no error */
	EMU_QUIESCE_ABORTED,	/* req.done after an abort, host's or guest's */
	EMU_QUIESCE_FAILED,	/* refused by the guest, or req.done after an error */
};
int emu_quiesce_start(struct emu_host *h, int abort);
int emu_quiesce_abort(struct emu_host *h);
enum emu_quiesce_st emu_quiesce_state(const struct emu_host *h);
const char *emu_quiesce_name(enum emu_quiesce_st st);
/* The i-th event of the last quiesce (keep-alives not kept): its name, code and message. */
#define EMU_QUIESCE_EVENTS 32	/* events kept of one quiesce */
#define EMU_QUIESCE_LINE 300	/* room for "name code message" */
const char *emu_quiesce_event(const struct emu_host *h, size_t i, uint32_t *code, const char **msg);

/*
 * Guest customization (deployPkg.update.state): how many updates came; the
 * last one's state (0 idle .. 5 done), error code (0..9, or a 100..104
 * event) and message in *state, *err, *msg (valid until the next update).
 */
uint64_t emu_deploypkg_state(const struct emu_host *h, int *state, int *err, const char **msg);

/*
 * The namespace database (namespace-priv-get-values/-set-keys, as
 * vmware-namespace-cmd sends them): guests read and write keys only in
 * namespaces the host created, as vSphere's namespace manager creates them.
 * Values are text (no NUL), compared exactly, at most EMU_NS_VALUE_MAX
 * bytes; EMU_NS_BYTES bounds keys plus values over all namespaces.
 * create: 0 (also if it exists); -1 if the name is empty or too long,
 * EMU_NS_MAX exist, or memory is short.  get: the value (NUL-terminated)
 * and its length, or NULL; valid until the key changes.  set: the host's
 * own write, held to the same limits (len 0 deletes): 0 or -1.
 */
#define EMU_NS_MAX		64
#define EMU_NS_NAME_MAX		255
#define EMU_NS_KEYS		4096		/* per namespace */
#define EMU_NS_KEY_MAX		1024
#define EMU_NS_VALUE_MAX	16384		/* namespacetool's SUPPORTED_FILE_SIZE */
#define EMU_NS_BYTES		(4u << 20)
int emu_ns_create(struct emu_host *h, const char *name);
const char *emu_ns_get(const struct emu_host *h, const char *ns, const char *key, size_t *len);
int emu_ns_set(struct emu_host *h, const char *ns, const char *key, const char *val, size_t len);
/* The namespaces in creation order, and the i-th key of one in sorted order (NULL past the end). */
size_t emu_ns_count(const struct emu_host *h);
const char *emu_ns_name(const struct emu_host *h, size_t i);
const char *emu_ns_key_at(const struct emu_host *h, const char *ns, size_t i, const char **val,
			  size_t *len);

/* emu_tclo_send(h, NULL, cmd): 0, or -1 if refused. */
int emu_tclo_push(struct emu_host *h, const char *cmd);
/* The guest's most recent non-empty TCLO message, or NULL. */
const char *emu_tclo_last_reply(const struct emu_host *h, size_t *len);

/*
 * Events: what happened, for observers (the control socket, --rpc-log).
 * The sink runs synchronously inside the host call that caused the event;
 * pointers are valid only during the call.  owner is the guest process
 * (0: the host side, e.g. a control client's info set).
 */
enum emu_event_type {
	EMU_EV_RPC,		/* RPCI request data, reply data2 */
	EMU_EV_LOG,		/* an RPCI "log" line: the text in data */
	EMU_EV_TCLO_CMD,	/* a host command delivered on a TCLO channel: data */
	EMU_EV_TCLO_REPLY,	/* the guest's answer to it: data (empty: a poll) */
	EMU_EV_INFO,		/* guestinfo key set to data, or deleted (data NULL) */
	EMU_EV_OPEN,		/* channel chan opened with protocol proto */
	EMU_EV_CLOSE,		/* channel chan closed (or reclaimed) */
	EMU_EV_START,		/* front end: process owner started by parent status */
	EMU_EV_EXEC,		/* front end: process owner ran data (its path) */
	EMU_EV_EXIT,		/* front end: process owner ended; status as ptrace.h returns */
};

struct emu_event {
	enum emu_event_type type;
	uint32_t owner;
	uint32_t chan, proto;
	int status;
	const char *key;
	const void *data, *data2;
	size_t len, len2;
};

typedef void emu_event_fn(void *ctx, const struct emu_event *ev);

void emu_host_set_event(struct emu_host *h, emu_event_fn *fn, void *ctx);
/* Front ends report process events through the same sink. */
void emu_host_emit(struct emu_host *h, const struct emu_event *ev);

/* Delete a guestinfo key: 0, or -1 if it was not set. */
int emu_info_del(struct emu_host *h, const char *key);

/*
 * What the tools service reported.  SetGuestInfo payloads are kept raw, as
 * sent, per type (1 host name, 4 build, 7 uptime, 8 memory stats, 10 NICs
 * as XDR NicInfoV3, 11 detailed OS ...; open-vm-tools' guestInfo.h);
 * SetGuestDiskInfo's JSON text is EMU_GUESTINFO_DISKS.  NULL if never sent.
 */
#define EMU_GUESTINFO_TYPES	16
#define EMU_GUESTINFO_DISKS	EMU_GUESTINFO_TYPES
const void *emu_guest_info(const struct emu_host *h, unsigned type, size_t *len);
/* tools.set.versiontype's version and install type: 0, or -1 if never sent. */
int emu_tools_version(const struct emu_host *h, uint32_t *version, uint32_t *install_type);
/* The arguments the guest registered capability name with, or NULL. */
const char *emu_tools_capability(const struct emu_host *h, const char *name);
/* The name of the i-th capability registered (from 0), *args its arguments; NULL past the last. */
const char *emu_tools_capability_at(const struct emu_host *h, size_t i, const char **args);
/*
 * How many tools.os.statechange.status reports came (a power operation's
 * script ran); the last one's success (0/1) and state (1..5) in *ok, *state.
 */
uint64_t emu_tools_statechange(const struct emu_host *h, int *ok, int *state);

/*
 * The host's log, like a VMX's vmware.log: the guest's "log" RPCs, TCLO
 * answers, tools state.  One line per call, without newline.
 */
typedef void emu_log_fn(void *ctx, const char *line, size_t len);
void emu_host_set_log(struct emu_host *h, emu_log_fn *fn, void *ctx);

#endif
