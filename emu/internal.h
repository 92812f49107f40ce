/* SPDX-License-Identifier: MIT */
/* The host's parts, visible to one another and to nothing else. */
#ifndef VMWCALL_EMU_INTERNAL_H
#define VMWCALL_EMU_INTERNAL_H

#include "host.h"

#define VMW_EMU_MAX_CHANNELS	128		/* VMware's table size */
#define VMW_EMU_MAX_IN_SIZE	(16u << 20)	/* cap on max_in_size */
#define VMW_EMU_MAX_OUT_SIZE	(64u << 20)	/* cap on max_out_size */
#define VMW_EMU_MAX_KEYS	65536		/* guestinfo keys */
#define VMW_EMU_MAX_KEY_LEN	1024
#define VMW_EMU_MAX_TCLO	1024		/* host commands, queued or answered */
#define EMU_APP_MAX		64		/* a tools application's name */
#define EMU_OPT_N		13		/* tools options (options.c) */
#define EMU_OPT_LEN		15		/* an option's value */
#define EMU_INFO_LIMIT_DEFAULT	(1u << 20)	/* tools.setInfo.sizeLimit */
#define EMU_MAX_CAPS		64		/* tools.capability.* kept */
#define EMU_CAP_NAME		63
#define EMU_CAP_ARGS		127

struct emu_buf {
	uint8_t *p;
	uint32_t len, pos;	/* bytes held, bytes already moved */
};

/* A TCLO channel: the application behind it and where its handshake is. */
struct emu_tclo_chan {
	char app[EMU_APP_MAX + 1];	/* from its "OK ATR app"; "" until then */
	unsigned stage;			/* next handshake step (tclo.c) */
	int hs_wait;			/* a handshake command awaits its answer */
	int ready;			/* handshake over: queued commands flow */
	uint64_t wait_id;		/* a queued command awaits its answer */
};

struct emu_chan {
	int open;
	int cookie;		/* opened with VMW_MSG_FLAG_COOKIE */
	uint32_t proto;
	uint32_t cookie_hi, cookie_lo;
	uint32_t owner;
	int sending;		/* a guest message is arriving in in */
	int replying;		/* a host message waits in out */
	int cpt_send, cpt_recv;	/* this message already met its checkpoint */
	struct emu_buf in, out;
	struct emu_tclo_chan tc;
};

/* A node of the store's AVL tree (store.c). */
struct emu_kv {
	struct emu_kv *l, *r;
	int height;
	int guest;		/* set by a guest: counts against cfg.info_limit */
	char *val;
	size_t len;
	char key[];
};

struct emu_store {
	struct emu_kv *root;
	size_t n;
	uint64_t guest_bytes;	/* keys + values of guest-set keys */
	uint64_t cmps;		/* key comparisons so far: the cost tests bound */
	int nocase;		/* emu_config.key_nocase */
};

enum emu_tclo_st { EMU_TCLO_FREE, EMU_TCLO_QUEUED, EMU_TCLO_SENT, EMU_TCLO_DONE, EMU_TCLO_DROPPED };

/* A host command for an application, from emu_tclo_send. */
struct emu_tclo_rec {
	uint64_t id;
	enum emu_tclo_st st;
	char app[EMU_APP_MAX + 1];
	char *cmd;
	size_t cmd_len;
	char *reply;
	size_t reply_len;
};

/* Commands live in rec[id % VMW_EMU_MAX_TCLO] until a newer id needs the slot. */
struct emu_tclo {
	struct emu_tclo_rec rec[VMW_EMU_MAX_TCLO];
	uint64_t next_id;
	char *last;
	size_t last_len;
};

/* What the tools service told the host about itself (rpc_tools.c). */
struct emu_tools_st {
	uint32_t version, install_type;	/* tools.set.versiontype; 0 unset */
	struct {
		char name[EMU_CAP_NAME + 1], args[EMU_CAP_ARGS + 1];
	} cap[EMU_MAX_CAPS];
	size_t ncap;
	struct emu_buf info[EMU_GUESTINFO_TYPES];	/* SetGuestInfo, by type */
	struct emu_buf disks;				/* SetGuestDiskInfo */
	int statechange_ok, statechange_state;		/* tools.os.statechange.status */
	uint64_t statechanges;
};

#define EMU_QUIESCE_MSG		255		/* an event's message */

/* The host's quiesce (rpc_vmbackup.c). */
struct emu_quiesce {
	enum emu_quiesce_st st;
	int abort, abort_sent;
	int guest_abort, guest_error;
	uint64_t start_id;		/* its TCLO command */
	uint64_t serial, keepalives;
	struct emu_quiesce_ev {
		char name[24];
		uint32_t code;
		char msg[EMU_QUIESCE_MSG + 1];
	} ev[EMU_QUIESCE_EVENTS];
	size_t nev;
};

#define EMU_DEPLOYPKG_MSG	1024		/* a customization message kept */

/* The guest's customization state (rpc_deploypkg.c). */
struct emu_deploypkg {
	int state, err;
	char msg[EMU_DEPLOYPKG_MSG + 1];
	uint64_t updates;
};

struct emu_nsdb;	/* rpc_namespace.c */

struct emu_host {
	struct emu_config cfg;
	struct emu_stats st;
	emu_trace_fn *trace;
	void *trace_ctx;
	emu_event_fn *event;
	void *event_ctx;
	uint32_t caller;	/* owner of the call being answered; 0 outside one */
	uint64_t rng;		/* cookie generator state when seeded */
	uint64_t msg_ops;	/* retryable message operations, for CPT injection */
	uint64_t fault_rng;	/* emu_config.fault_seed's generator */
	struct emu_chan chan[VMW_EMU_MAX_CHANNELS];
	struct emu_store info;
	struct emu_tclo tclo;
	uint64_t gl_session;	/* guestlib's session id (rpc_guestlib.c) */
	int64_t gl_t0_us;	/* the session's start, for elapsedMs */
	char opt[EMU_OPT_N][EMU_OPT_LEN + 1];	/* tools options (options.c) */
	struct emu_tools_st tools;
	struct emu_quiesce quiesce;
	struct emu_deploypkg deploypkg;
	struct emu_nsdb *nsdb;	/* NULL until the host creates a namespace */
	emu_log_fn *log;
	void *log_ctx;
};

/* msg.c: MESSAGE (LB) and the HB transfers. */
void emu_msg_lb(struct emu_host *h, struct emu_regs *r, uint32_t owner);
void emu_msg_hb(struct emu_host *h, struct emu_regs *r, const struct emu_mem *mem, int out,
		uint32_t owner);
void emu_msg_free(struct emu_host *h);

/* rpc.c: answer one complete RPCI request; fills *reply (malloc'd). */
int emu_rpc_answer(struct emu_host *h, const uint8_t *msg, uint32_t len, struct emu_buf *reply);

/* event.c: typed events from the one place each happens. */
void emu_ev_message(struct emu_host *h, const struct emu_chan *c, const struct emu_buf *reply);
/* An RPCI request and its reply, whatever channel carried them. */
void emu_ev_rpci(struct emu_host *h, uint32_t owner, uint32_t chan, const uint8_t *msg,
		 size_t len, const uint8_t *reply, size_t rlen);
void emu_ev_chan(struct emu_host *h, const struct emu_chan *c, int open);
void emu_ev_info(struct emu_host *h, const char *key, const char *val, size_t len);
/* cpuid.c: answer EMU_INSN_CPUID (eax leaf, ecx subleaf); -1 if cfg.no_cpuid. */
int emu_cpuid_call(struct emu_host *h, struct emu_regs *r);
/* rpci.c: 1 if the secure-RPC policy refuses msg from this caller. */
int emu_rpc_refused(const struct emu_host *h, const uint8_t *msg, size_t len, int privileged);
/* A whole reply text ("0 Permission denied"), as emu_rpc_answer() builds them. */
int emu_rpc_text(struct emu_buf *out, const char *text);
#define EMU_RPC_REFUSAL "0 Permission denied"

/*
 * store.c: an info-set from a guest, held to cfg.info_limit.  0; -1 if the
 * key or value is too long, the key table full or memory short;
 * EMU_STORE_FULL if the budget would be exceeded (nothing changes).
 */
#define EMU_STORE_FULL (-2)
int emu_store_guest_set(struct emu_host *h, const char *key, const void *val, size_t len);

/*
 * An RPCI command's handler: arg is what follows "name " (len bytes, not
 * NUL-terminated).  It fills *out with emu_reply; -1 only if out of memory.
 */
typedef int emu_rpc_fn(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out);

#define EMU_RPC_RAW	1	/* binary arguments: not cut at the first NUL */
#define EMU_RPC_FAMILY	2	/* name ends in '.': every command it prefixes */

struct emu_rpc_cmd {
	const char *name;
	emu_rpc_fn *fn;
	unsigned flags;
};

/* The command tables of the families (rpc_*.c), each ended by a NULL name. */
extern const struct emu_rpc_cmd emu_rpc_tools[];
extern const struct emu_rpc_cmd emu_rpc_vmbackup[];
extern const struct emu_rpc_cmd emu_rpc_deploypkg[];
extern const struct emu_rpc_cmd emu_rpc_namespace[];
void emu_nsdb_free(struct emu_nsdb *db);

/* "1 text" or "0 text" into *out; 0, or -1 on allocation failure. */
int emu_reply(struct emu_buf *out, int ok, const void *text, size_t len);
#define EMU_REPLY(out, ok, str) emu_reply(out, ok, str, sizeof(str) - 1)

void emu_store_free(struct emu_store *s);

/* qemu.c: one LB command as QEMU's vmport answers it: 1, or 0 if as VMware does. */
int emu_qemu_lb(const struct emu_config *c, struct emu_regs *r);

/* rpc_guestlib.c: the session id and its start; the two RPCI commands. */
void emu_guestlib_start(struct emu_host *h);
int emu_rpc_guestlib_info(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out);
int emu_rpc_guestlib_stat(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out);

/*
 * tclo.c: a complete guest message on TCLO channel c (its answer to the
 * last command, or an empty poll); *out gets the next command, if any.
 */
int emu_tclo_answer(struct emu_host *h, struct emu_chan *c, const uint8_t *msg, uint32_t len,
		    struct emu_buf *out);
/* Channel c is closing: a command it was answering is dropped. */
void emu_tclo_close(struct emu_host *h, struct emu_chan *c);
void emu_tclo_free(struct emu_tclo *t);

/* options.c: the tools options; values are short words without spaces. */
void emu_opt_init(struct emu_host *h);
const char *emu_opt_name(size_t i);
int emu_opt_find(const char *name, size_t n);
int emu_opt_set(struct emu_host *h, size_t i, const char *val, size_t n);
/* GETGUIOPTIONS: the VMW_GUI_* bits the options imply. */
uint32_t emu_opt_gui(const struct emu_host *h);

void emu_tools_free(struct emu_tools_st *t);

/* log.c: one line to the host's log (emu_host_set_log), if any. */
void emu_log(struct emu_host *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
