// SPDX-License-Identifier: MIT
/* vmwcall-emu: run a program under an emulated VMware host. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vmwcall/proto.h"
#include "control.h"
#include "cpuid.h"
#include "ctl.h"
#include "dmi.h"
#include "preset.h"
#include "profile.h"
#include "replay.h"
#include "ptrace.h"
#include "outfile.h"
#include "ovf.h"
#include "seccomp.h"
#include "vsock.h"
#include "vmx.h"

#ifndef VMWCALL_VERSION
#define VMWCALL_VERSION "dev"
#endif

#define EXIT_USAGE 2
#define EXIT_INTERNAL 125
#define EXIT_DIVERGED 123	/* --replay: the guests departed from the transcript */
#define MAX_PRESETS 1024

static const char usage[] =
	"usage: vmwcall-emu [OPTION]... [--] PROGRAM [ARG]...\n"
	"       vmwcall-emu --ctl SOCKET VERB [ARG]...\n"
	"Run PROGRAM and every process it starts under one emulated VMware host.\n"
	"With --ctl, drive a running emulator's control socket (verbs: --ctl S help).\n"
	"\n"
	"  --set guestinfo.KEY=VALUE  preset a guestinfo key; VALUE @FILE reads FILE (repeatable)\n"
	"  --vmx FILE                 preset the guestinfo.* lines of a .vmx file (repeatable)\n"
	"  --dump FILE                write the final guestinfo store to FILE in .vmx form\n"
	"  --trace                    one line per hypercall on stderr\n"
	"  --trace-file FILE          the same, to FILE\n"
	"  --stats-json FILE          write hypercall counts to FILE as JSON at the end\n"
	"  --no-hb                    no high-bandwidth (rep insb/outsb) transfers\n"
	"  --no-cookies               refuse channels opened with cookies\n"
	"  --checkpoint-every N       answer every Nth retryable message step with CPT (0: never)\n"
	"  --cpt-at N                 answer message step N with CPT (steps count every\n"
	"                             MESSAGE call but OPEN/CLOSE and every HB transfer)\n"
	"  --stop-at N                from message step N on, fail every GuestRPC call\n"
	"  --faults SEED:PERMILLE     at each message step, a PERMILLE/1000 chance of a\n"
	"                             CPT, a failure or a dropped channel (seeded)\n"
	"  --seed N                   derive cookies and faults from N: a repeatable run\n"
	"                             whose cookies are predictable (0: random, the default)\n"
	"  --max-channels N           GuestRPC channels, 1-128 (128)\n"
	"  --max-message N            guest-to-host message limit in bytes, 0-16777216 (65536)\n"
	"  --kill-after SECONDS       on TERM, HUP or INT, every guest gets it; those left\n"
	"                             SECONDS later are killed (5)\n"
	"  --info-limit BYTES         total of keys and values guests may info-set (1048576)\n"
	"  --profile NAME             the host: esxi, workstation or qemu (default: none,\n"
	"                             a lenient Workstation; doc/profiles.md);\n"
	"                             other options override it whatever their order\n"
	"  --guestlib on|off|NAME=VALUE  guestlib statistics (on under esxi); NAME a\n"
	"                             statistic (memlimit, balloon, session, ...) (repeatable)\n"
	"  --max-reply BYTES          largest host-to-guest reply (16 MiB; VMware 1 MiB)\n"
	"  --empty-values store|refuse  guest info-set of an empty value (store;\n"
	"                             VMware refuses)\n"
	"  --key-case exact|fold      guestinfo key comparison (exact; VMware folds)\n"
	"  --setinfo-disable          refuse every guest info-set\n"
	"                             (isolation.tools.setinfo.disable)\n"
	"  --host-version N           GETVERSION value (6)\n"
	"  --type N                   product type: 2 ESX Server, 4 Workstation (4)\n"
	"  --mhz N                    GETMHZ value (2000)\n"
	"  --uuid UUID                BIOS UUID, 8-4-4-4-12 hex\n"
	"  --memsize MB               GETMEMSIZE value (2048)\n"
	"  --machine-id TEXT          reply to machine.id.get\n"
	"  --namespace NAME           create namespace NAME in the namespace database, as\n"
	"                             vSphere does; guests cannot (repeatable)\n"
	"  --tclo [APP:]CMD           queue a TCLO command for tools application APP\n"
	"                             (toolbox), sent after its handshake (repeatable)\n"
	"  --log-file FILE            the host's log, like vmware.log: the guest's log\n"
	"                             lines, TCLO answers, tools state\n"
	"  --control SOCKET           serve the control protocol on a Unix socket\n"
	"  --rpc-log FILE             write every event (RPCs, TCLO, guestinfo) as JSON lines\n"
	"  --replay FILE              answer RPCI requests as the transcript FILE (--rpc-log,\n"
	"                             vmwcall --record) did; exit 123 at a divergence\n"
	"  --rpc-auth PATTERN         info-get/info-set of guestinfo keys matching PATTERN\n"
	"                             (fnmatch, e.g. 'guestinfo.secret*') only over a\n"
	"                             privileged vsock connection, as ESXi's secure RPC\n"
	"  --no-vsock                 no vsock GuestRPC channel (guests fall back to the backdoor)\n"
	"  --dmi KEY=VALUE            /sys/class/dmi/id/KEY reads VALUE (empty: no such file;\n"
	"                             repeatable); the rest are VMware's, from --uuid\n"
	"  --no-dmi                   guests see the machine's own /sys/class/dmi/id\n"
	"  --ovf-prop KEY=VALUE       a vApp property in guestinfo.ovfEnv, the OVF environment\n"
	"                             vSphere publishes (repeatable)\n"
	"  --ovf-env FILE             guestinfo.ovfEnv is FILE's contents\n"
	"  --cpuid auto|off|require   present VMware's CPUID leaves where the processor can\n"
	"                             fault CPUID: auto says once if it cannot (default),\n"
	"                             off never tries, require fails without it; the\n"
	"                             default comes from $VMWCALL_EMU_CPUID if set\n"
	"  --transport io|vmcall|vmmcall  the backdoor instruction CPUID 0x40000010 offers (io)\n"
	"  -V, --version              print vmwcall-emu's version and exit\n"
	"  -h, --help                 print this help and exit\n"
	"\n"
	"Numbers are decimal or 0x hex.  Exit status: PROGRAM's; 128+N if signal N\n"
	"killed it; 126/127 if it could not be run; 2 on bad usage; 125 on other errors.\n";

enum {
	O_SET = 256, O_VMX, O_DUMP, O_TRACE, O_TRACE_FILE, O_STATS, O_NO_HB, O_NO_COOKIES,
	O_CPT, O_CPT_AT, O_STOP_AT, O_FAULTS, O_MAXCH, O_MAXMSG, O_HOST_VERSION, O_TYPE, O_MHZ,
	O_UUID, O_MEMSIZE, O_MACHINE_ID, O_TCLO, O_SEED, O_CONTROL, O_RPC_LOG, O_INFO_LIMIT, O_KILL_AFTER,
	O_RPC_AUTH, O_NO_VSOCK, O_DMI, O_NO_DMI, O_OVF_PROP, O_OVF_ENV,
	O_REPLAY,
	O_PROFILE, O_GUESTLIB, O_MAXREPLY, O_EMPTY, O_KEYCASE, O_SETINFO_OFF,
	O_CPUID, O_TRANSPORT,
	O_LOG_FILE, O_NAMESPACE,
};

static const struct option longopts[] = {
	{ "set", required_argument, NULL, O_SET },
	{ "vmx", required_argument, NULL, O_VMX },
	{ "dump", required_argument, NULL, O_DUMP },
	{ "trace", no_argument, NULL, O_TRACE },
	{ "trace-file", required_argument, NULL, O_TRACE_FILE },
	{ "stats-json", required_argument, NULL, O_STATS },
	{ "no-hb", no_argument, NULL, O_NO_HB },
	{ "no-cookies", no_argument, NULL, O_NO_COOKIES },
	{ "checkpoint-every", required_argument, NULL, O_CPT },
	{ "max-channels", required_argument, NULL, O_MAXCH },
	{ "cpt-at", required_argument, NULL, O_CPT_AT },
	{ "stop-at", required_argument, NULL, O_STOP_AT },
	{ "faults", required_argument, NULL, O_FAULTS },
	{ "seed", required_argument, NULL, O_SEED },
	{ "rpc-auth", required_argument, NULL, O_RPC_AUTH },
	{ "no-vsock", no_argument, NULL, O_NO_VSOCK },
	{ "dmi", required_argument, NULL, O_DMI },
	{ "no-dmi", no_argument, NULL, O_NO_DMI },
	{ "ovf-prop", required_argument, NULL, O_OVF_PROP },
	{ "ovf-env", required_argument, NULL, O_OVF_ENV },
	{ "cpuid", required_argument, NULL, O_CPUID },
	{ "transport", required_argument, NULL, O_TRANSPORT },
	{ "max-message", required_argument, NULL, O_MAXMSG },
	{ "host-version", required_argument, NULL, O_HOST_VERSION },
	{ "type", required_argument, NULL, O_TYPE },
	{ "mhz", required_argument, NULL, O_MHZ },
	{ "uuid", required_argument, NULL, O_UUID },
	{ "memsize", required_argument, NULL, O_MEMSIZE },
	{ "machine-id", required_argument, NULL, O_MACHINE_ID },
	{ "tclo", required_argument, NULL, O_TCLO },
	{ "namespace", required_argument, NULL, O_NAMESPACE },
	{ "control", required_argument, NULL, O_CONTROL },
	{ "rpc-log", required_argument, NULL, O_RPC_LOG },
	{ "replay", required_argument, NULL, O_REPLAY },
	{ "info-limit", required_argument, NULL, O_INFO_LIMIT },
	{ "kill-after", required_argument, NULL, O_KILL_AFTER },
	{ "profile", required_argument, NULL, O_PROFILE },
	{ "guestlib", required_argument, NULL, O_GUESTLIB },
	{ "max-reply", required_argument, NULL, O_MAXREPLY },
	{ "empty-values", required_argument, NULL, O_EMPTY },
	{ "key-case", required_argument, NULL, O_KEYCASE },
	{ "setinfo-disable", no_argument, NULL, O_SETINFO_OFF },
	{ "log-file", required_argument, NULL, O_LOG_FILE },
	{ "version", no_argument, NULL, 'V' },
	{ "help", no_argument, NULL, 'h' },
	{ 0 },
};

static __attribute__((format(printf, 2, 3), noreturn)) void die(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("vmwcall-emu: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

static int hexdig(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Decimal or 0x hex; no sign, no spaces, no octal surprises. */
static uint32_t number(const char *opt, const char *s, uint32_t lo, uint32_t hi)
{
	int hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	const char *d = hex ? s + 2 : s;
	unsigned long long v = 0;
	char *end = (char *)d;

	errno = 0;
	if (hexdig(*d) >= 0 && (hex || hexdig(*d) < 10))
		v = strtoull(d, &end, hex ? 16 : 10);
	if (errno || end == d || *end || v < lo || v > hi)
		die(EXIT_USAGE, "--%s: '%s' is not a number in %" PRIu32 "..%" PRIu32, opt, s,
		    lo, hi);
	return (uint32_t)v;
}

/* --faults SEED:PERMILLE */
static void faults(const char *s, struct emu_config *cfg)
{
	const char *colon = strchr(s, ':');
	char seed[32];

	if (!colon || (size_t)(colon - s) >= sizeof(seed))
		die(EXIT_USAGE, "--faults: '%.64s' is not SEED:PERMILLE", s);
	memcpy(seed, s, (size_t)(colon - s));
	seed[colon - s] = '\0';
	cfg->fault_seed = number("faults", seed, 0, UINT32_MAX);
	cfg->fault_permille = number("faults", colon + 1, 0, 1000);
}

/* Canonical 8-4-4-4-12 hex, stored in the order written. */
static void parse_uuid(const char *s, uint8_t *out)
{
	size_t i, n = 0;

	if (strlen(s) != 36)
		goto bad;
	for (i = 0; i < 36; i++) {
		int hi, lo;

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				goto bad;
			continue;
		}
		if ((hi = hexdig(s[i])) < 0 || (lo = hexdig(s[++i])) < 0)
			goto bad;
		out[n++] = (uint8_t)(hi << 4 | lo);
	}
	return;
bad:
	die(EXIT_USAGE, "--uuid: '%.64s' is not a UUID (8-4-4-4-12 hex digits)", s);
}

/* A --set @FILE value, bounded by what the host can store. */
static char *slurp(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 0, n;
	char *buf = NULL, *p;

	if (!f)
		die(EXIT_USAGE, "%s: %s", path, strerror(errno));
	*len = 0;
	do {
		if (*len == cap) {
			cap = cap ? 2 * cap : 65536;
			if (cap > max + 1)
				cap = max + 1;
			if (!(p = realloc(buf, cap)))
				die(EXIT_INTERNAL, "%s: %s", path, strerror(ENOMEM));
			buf = p;
		}
		n = fread(buf + *len, 1, cap - *len, f);
		*len += n;
	} while (n && *len <= max);
	if (ferror(f))
		die(EXIT_USAGE, "%s: read error", path);
	if (*len > max)
		die(EXIT_USAGE, "%s: larger than %zu bytes", path, max);
	fclose(f);
	return buf;
}

static void set_one(struct emu_host *h, const char *s, size_t max)
{
	const char *val;
	size_t len;
	char key[1100], *buf = NULL;
	int rc;

	if (emu_preset_split(s, key, sizeof(key), &val))
		die(EXIT_USAGE, "--set: '%.64s' is not guestinfo.KEY=VALUE", s);
	if (val[0] == '@') {
		buf = slurp(val + 1, max, &len);
		rc = emu_info_set(h, key, buf, len);
		free(buf);
	} else {
		rc = emu_info_set(h, key, val, strlen(val));
	}
	if (rc)
		die(EXIT_USAGE, "--set: cannot store guestinfo.%s: key or value too long", key);
}

static void load_vmx(struct emu_host *h, const char *path)
{
	FILE *f = fopen(path, "r");
	char err[256];

	if (!f)
		die(EXIT_USAGE, "%s: %s", path, strerror(errno));
	if (emu_vmx_load(h, f, err, sizeof(err)))
		die(EXIT_USAGE, "%s:%s", path, err);
	fclose(f);
}

/* --tclo [APP:]CMD: APP is a name without spaces before the first colon. */
static void tclo_one(struct emu_host *h, const char *s)
{
	const char *colon = strchr(s, ':');
	char app[65];
	size_t n = colon ? (size_t)(colon - s) : 0;

	if (colon && n < sizeof(app) && !memchr(s, ' ', n)) {
		memcpy(app, s, n);
		app[n] = '\0';
		if (emu_tclo_send(h, app, colon + 1))
			return;
	} else if (emu_tclo_send(h, NULL, s)) {
		return;
	}
	die(EXIT_USAGE, "--tclo: cannot queue '%.64s'", s);
}

static void ns_one(struct emu_host *h, const char *name)
{
	if (emu_ns_create(h, name))
		die(EXIT_USAGE, "--namespace '%.64s': empty, over %d bytes, or over %d namespaces",
		    name, EMU_NS_NAME_MAX, EMU_NS_MAX);
}

static void log_line(void *ctx, const char *line, size_t len)
{
	struct timespec ts;
	struct tm tm;
	char when[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(ctx, "%s.%03ldZ| vmx| %.*s\n", when, ts.tv_nsec / 1000000, (int)len, line);
	fflush(ctx);
}

static const char *const insn_name[] = {
	"in", "out", "rep-insb", "rep-outsb", "vmcall", "vmmcall", "tdcall",
};

/* The trace stream; an output error ends tracing, never the guests. */
struct tracer {
	FILE *f;
	const char *name;
	struct emu_host *h;
	int err;		/* errno of the error that stopped tracing */
};

static void trace_failed(struct tracer *t, int err)
{
	t->err = err ? err : EIO;
	emu_host_set_trace(t->h, NULL, NULL);
	fprintf(stderr, "vmwcall-emu: %s: %s; tracing stopped, the guests go on\n", t->name,
		strerror(t->err));
}

static void trace(void *ctx, enum emu_insn insn, const struct emu_regs *in,
		  const struct emu_regs *out)
{
	struct tracer *t = ctx;
	int hb = insn == EMU_INSN_REP_INSB || insn == EMU_INSN_REP_OUTSB ||
		 ((insn == EMU_INSN_VMCALL || insn == EMU_INSN_VMMCALL) && (in->dx & VMW_FLAG_HB));

	/* HB carries its command in bx, LB in cx; the sub-command is the high half. */
	errno = 0;
	fprintf(t->f, "%s %s cmd=%" PRIu64 " sub=%" PRIu64
		" in ax=%" PRIx64 " bx=%" PRIx64 " cx=%" PRIx64 " dx=%" PRIx64 " si=%" PRIx64
		" di=%" PRIx64 " bp=%" PRIx64 " out ax=%" PRIx64 " bx=%" PRIx64 " cx=%" PRIx64
		" dx=%" PRIx64 " si=%" PRIx64 " di=%" PRIx64 " bp=%" PRIx64 "\n",
		insn_name[insn], hb ? "hb" : "lb",
		(hb ? in->bx : in->cx) & 0xFFFF, hb ? 0 : in->cx >> 16 & 0xFFFF,
		in->ax, in->bx, in->cx, in->dx, in->si, in->di, in->bp,
		out->ax, out->bx, out->cx, out->dx, out->si, out->di, out->bp);
	if (ferror(t->f))
		trace_failed(t, errno);
}

static void write_stats(FILE *f, const struct emu_stats *s)
{
	fprintf(f, "{\"hypercalls\": %" PRIu64 ", \"lb\": %" PRIu64 ", \"hb_in\": %" PRIu64
		", \"hb_out\": %" PRIu64 ", \"bytes_in\": %" PRIu64 ", \"bytes_out\": %" PRIu64
		", \"rpcs\": %" PRIu64 ", \"checkpoints\": %" PRIu64 ", \"faults\": %" PRIu64
		", \"steps\": %" PRIu64 ", \"refused\": %" PRIu64 ", \"vsock_rpcs\": %" PRIu64 "}\n",
		s->calls, s->lb, s->hb_in, s->hb_out, s->bytes_in, s->bytes_out, s->rpcs,
		s->checkpoints, s->faults, s->steps, s->refused, s->vsock_rpcs);
}

/* Commit a result file; 0, or -1 after saying why. */
static int commit(struct emu_outfile *o, int wrote)
{
	if (!o->f)
		return 0;
	if (wrote == 0 && emu_outfile_commit(o) == 0)
		return 0;
	fprintf(stderr, "vmwcall-emu: %s: %s; not written\n", o->path,
		wrote ? "write error" : strerror(errno));
	emu_outfile_abort(o);
	return -1;
}

/* Stop requests, passed on to every guest (emu_ptrace_forward says how). */
static void on_signal(int sig)
{
	emu_ptrace_forward(sig);
}

static void signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_IGN;
	sigaction(SIGQUIT, &sa, NULL);
	/* A closed trace pipe is an EPIPE to handle, not our death. */
	sigaction(SIGPIPE, &sa, NULL);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
}

struct opts {
	const char *preset[MAX_PRESETS];	/* --set, --vmx, --tclo, --namespace, in order */
	int kind[MAX_PRESETS];
	size_t n;
	const char *dump, *stats, *trace, *control, *rpc_log, *replay, *log;
	int want_trace;
	const char *auth[MAX_PRESETS];		/* --rpc-auth */
	size_t n_auth;
	int no_vsock, no_dmi;
	const char *dmi[MAX_PRESETS];		/* --dmi */
	size_t n_dmi;
	const char *ovf[MAX_PRESETS], *ovf_env;	/* --ovf-prop, --ovf-env */
	size_t n_ovf;
	int cpuid;				/* CPUID_AUTO, _OFF, _REQUIRE */
};

/* "A|B" option values: 0 for a, 1 for b. */
static int choice(const char *opt, const char *v, const char *a, const char *b)
{
	if (strcmp(v, a) && strcmp(v, b))
		die(EXIT_USAGE, "--%s: '%s' is neither %s nor %s", opt, v, a, b);
	return strcmp(v, a) != 0;
}

/* --profile first (the last one given), so that every other option overrides it. */
static void profile(int argc, char **argv, struct emu_config *cfg)
{
	const char *name = NULL;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1)
		if (c == O_PROFILE)
			name = optarg;
	opterr = 1;
	optind = 0;	/* glibc: a full reinitialisation for the real pass */
	if (name && emu_profile_apply(cfg, name))
		die(EXIT_USAGE, "--profile %s: not one of %s", name, emu_profile_names);
}

static void guestlib(struct emu_config *cfg, const char *v)
{
	if (!strcmp(v, "on") || !strcmp(v, "off"))
		cfg->guestlib.enabled = !strcmp(v, "on");
	else if (emu_guestlib_option(&cfg->guestlib, v))
		die(EXIT_USAGE, "--guestlib %s: not on, off or a statistic NAME=VALUE", v);
}

enum { CPUID_AUTO, CPUID_OFF, CPUID_REQUIRE };

/* WORD as the index of one of words[], or a usage error. */
static int one_of(const char *opt, const char *word, const char *const *words, int n)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(word, words[i]))
			return i;
	die(EXIT_USAGE, "--%s: '%.64s' is not one of %s|%s|%s", opt, word, words[0], words[1],
	    words[2]);
}

static void parse(int argc, char **argv, struct emu_config *cfg, struct opts *o)
{
	static const char *const cpuid_words[] = { "auto", "off", "require" };
	const char *env = getenv("VMWCALL_EMU_CPUID");
	int c;

	profile(argc, argv, cfg);
	/* --cpuid's default, so that one setting quiets every run (the tests do). */
	if (env && *env) {
		o->cpuid = one_of("cpuid (VMWCALL_EMU_CPUID)", env, cpuid_words, 3);
		cfg->no_cpuid = o->cpuid == CPUID_OFF;
	}
	while ((c = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1) {
		switch (c) {
		case O_SET:
		case O_VMX:
		case O_TCLO:
		case O_NAMESPACE:
			if (o->n == MAX_PRESETS)
				die(EXIT_USAGE, "at most %d --set, --vmx, --tclo and --namespace",
				    MAX_PRESETS);
			o->kind[o->n] = c;
			o->preset[o->n++] = optarg;
			break;
		case O_DUMP: o->dump = optarg; break;
		case O_LOG_FILE: o->log = optarg; break;
		case O_TRACE: o->want_trace = 1; break;
		case O_TRACE_FILE: o->trace = optarg; o->want_trace = 1; break;
		case O_STATS: o->stats = optarg; break;
		case O_CONTROL: o->control = optarg; break;
		case O_RPC_LOG: o->rpc_log = optarg; break;
		case O_REPLAY: o->replay = optarg; break;
		case O_NO_HB: cfg->no_hb = 1; break;
		case O_NO_COOKIES: cfg->no_cookies = 1; break;
		case O_CPT:
			cfg->checkpoint_every = number("checkpoint-every", optarg, 0, UINT32_MAX);
			break;
		case O_CPT_AT: cfg->cpt_at = number("cpt-at", optarg, 1, UINT32_MAX); break;
		case O_STOP_AT: cfg->stop_at = number("stop-at", optarg, 1, UINT32_MAX); break;
		case O_FAULTS: faults(optarg, cfg); break;
		case O_SEED: cfg->seed = number("seed", optarg, 0, UINT32_MAX); break;
		case O_RPC_AUTH:
			if (o->n_auth == MAX_PRESETS)
				die(EXIT_USAGE, "at most %d --rpc-auth", MAX_PRESETS);
			o->auth[o->n_auth++] = optarg;
			break;
		case O_NO_VSOCK: o->no_vsock = 1; break;
		case O_NO_DMI: o->no_dmi = 1; break;
		case O_OVF_ENV: o->ovf_env = optarg; break;
		case O_CPUID:
			o->cpuid = one_of("cpuid", optarg, cpuid_words, 3);
			cfg->no_cpuid = o->cpuid == CPUID_OFF;
			break;
		case O_TRANSPORT: {
			static const char *const w[] = { "io", "vmcall", "vmmcall" };
			static const uint32_t bits[] = { 0, EMU_CPUID_VMCALL, EMU_CPUID_VMMCALL };

			cfg->cpuid_ecx = bits[one_of("transport", optarg, w, 3)];
			break;
		}
		case O_OVF_PROP:
			if (o->n_ovf == MAX_PRESETS)
				die(EXIT_USAGE, "at most %d --ovf-prop", MAX_PRESETS);
			o->ovf[o->n_ovf++] = optarg;
			break;
		case O_DMI:
			if (o->n_dmi == MAX_PRESETS)
				die(EXIT_USAGE, "at most %d --dmi", MAX_PRESETS);
			o->dmi[o->n_dmi++] = optarg;
			break;
		case O_PROFILE: break;
		case O_GUESTLIB: guestlib(cfg, optarg); break;
		case O_MAXREPLY:
			cfg->max_out_size = number("max-reply", optarg, 2, 64u << 20);
			break;
		case O_EMPTY: cfg->refuse_empty = choice("empty-values", optarg, "store", "refuse"); break;
		case O_KEYCASE: cfg->key_nocase = choice("key-case", optarg, "exact", "fold"); break;
		case O_SETINFO_OFF: cfg->setinfo_disable = 1; break;
		case O_MAXCH:
			cfg->max_channels = number("max-channels", optarg, 1, VMW_MSG_MAX_CHANNELS);
			break;
		case O_MAXMSG: cfg->max_in_size = number("max-message", optarg, 0, 16u << 20); break;
		case O_KILL_AFTER:
			emu_ptrace_set_grace(number("kill-after", optarg, 0, 3600) * 1000);
			break;
		case O_INFO_LIMIT:
			cfg->info_limit = number("info-limit", optarg, 0, UINT32_MAX);
			break;
		case O_HOST_VERSION:
			cfg->version = number("host-version", optarg, 0, UINT32_MAX);
			break;
		case O_TYPE: cfg->type = number("type", optarg, 0, UINT32_MAX); break;
		case O_MHZ:
			cfg->mhz = number("mhz", optarg, 0, UINT32_MAX);
			cfg->tsc_hz = cfg->mhz * 1000000ull;
			break;
		case O_UUID: parse_uuid(optarg, cfg->uuid); break;
		case O_MEMSIZE: cfg->memsize_mb = number("memsize", optarg, 0, UINT32_MAX); break;
		case O_MACHINE_ID: cfg->machine_id = optarg; break;
		case 'V': printf("vmwcall-emu %s\n", VMWCALL_VERSION); exit(0);
		case 'h': fputs(usage, stdout); exit(0);
		default:
			fputs("Try 'vmwcall-emu --help'.\n", stderr);
			exit(EXIT_USAGE);
		}
	}
	if (optind >= argc)
		die(EXIT_USAGE, "no program given; try 'vmwcall-emu --help'");
	cfg->rpc_auth = o->auth;
	cfg->n_rpc_auth = o->n_auth;
	o->no_vsock |= cfg->qemu_vmport;	/* QEMU has no VMCI: no GuestRPC at all */
}

static int sc_setup(void *sc)
{
	return emu_sc_child(sc);
}

/* The vsock channel: a seccomp supervisor serving the guests' AF_VSOCK calls. */
static struct emu_vsock *vsock_prepare(struct emu_sc **sc, struct emu_host *h,
				       pthread_mutex_t *lock)
{
	struct emu_vsock *v;

	if (!*sc && !(*sc = emu_sc_new()))
		return NULL;
	if (!(v = emu_vsock_new(*sc, h, lock)))
		return NULL;
	emu_ptrace_set_setup(sc_setup, *sc);
	return v;
}

/* guestinfo.ovfEnv from --ovf-prop or --ovf-env, after --set and --vmx. */
static void ovf_publish(struct emu_host *h, const struct opts *o, size_t max)
{
	char err[256], *doc;
	size_t len;

	if (o->ovf_env && o->n_ovf)
		die(EXIT_USAGE, "--ovf-env and --ovf-prop: give one or the other");
	if (o->ovf_env)
		doc = slurp(o->ovf_env, max, &len);
	else if (!o->n_ovf)
		return;
	else if (!(doc = emu_ovf_env(o->ovf, o->n_ovf, &len, err, sizeof(err))))
		die(EXIT_USAGE, "--ovf-prop %s", err);
	if (emu_info_set(h, EMU_OVF_KEY, doc ? doc : "", len))
		die(EXIT_USAGE, "guestinfo.%s: longer than the host stores", EMU_OVF_KEY);
	free(doc);
}

/* /sys/class/dmi/id served by the same supervisor; --dmi errors are usage errors. */
static struct emu_dmi_svc *dmi_prepare(struct emu_sc **sc, const struct emu_config *cfg,
				       const struct opts *o)
{
	struct emu_dmi d;
	char err[256];

	emu_dmi_defaults(&d, cfg->uuid);
	for (size_t i = 0; i < o->n_dmi; i++)
		if (emu_dmi_override(&d, o->dmi[i], err, sizeof(err)))
			die(EXIT_USAGE, "--dmi: %s", err);
	if (o->no_dmi || (!*sc && !(*sc = emu_sc_new())))
		return NULL;
	emu_ptrace_set_setup(sc_setup, *sc);
	return emu_dmi_svc_new(*sc, &d);
}

/* Open --dump and --stats-json now: an unwritable path fails before any guest runs. */
static void open_results(const struct opts *o, struct emu_outfile *dump, struct emu_outfile *stats)
{
	*dump = *stats = (struct emu_outfile){ 0 };
	if (o->dump && emu_outfile_open(dump, o->dump))
		die(EXIT_USAGE, "--dump %s: %s", o->dump, strerror(errno));
	if (o->stats && emu_outfile_open(stats, o->stats)) {
		emu_outfile_abort(dump);
		die(EXIT_USAGE, "--stats-json %s: %s", o->stats, strerror(errno));
	}
}

int main(int argc, char **argv)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static struct opts o;
	struct emu_control *ctl = NULL;
	struct emu_outfile dump, stats;
	struct tracer tr = { 0 };
	struct emu_vsock *vs = NULL;
	struct emu_dmi_svc *dmi = NULL;
	struct emu_sc *sc = NULL;
	struct emu_replay *rp = NULL;
	struct emu_config cfg;
	struct emu_host *h;
	FILE *lf = NULL, *vmx_log = NULL;
	int status, lost = 0;

	if (argc > 1 && !strcmp(argv[1], "--ctl"))
		return emu_ctl_main(argc - 1, argv + 1);
	emu_config_default(&cfg);
	parse(argc, argv, &cfg, &o);
	if (o.replay) {
		char err[256];

		if (!(rp = emu_replay_load(o.replay, err, sizeof(err))))
			die(EXIT_USAGE, "--replay %s: %s", o.replay, err);
		emu_replay_attach(rp, &cfg, stderr);
	}
	h = emu_host_new(&cfg);
	if (!h)
		die(EXIT_INTERNAL, "%s", strerror(ENOMEM));
	for (size_t i = 0; i < o.n; i++) {
		if (o.kind[i] == O_SET)
			set_one(h, o.preset[i], cfg.max_out_size - 2);
		else if (o.kind[i] == O_VMX)
			load_vmx(h, o.preset[i]);
		else if (o.kind[i] == O_NAMESPACE)
			ns_one(h, o.preset[i]);
		else
			tclo_one(h, o.preset[i]);
	}
	if (o.log) {
		if (!(vmx_log = fopen(o.log, "w")))
			die(EXIT_USAGE, "%s: %s", o.log, strerror(errno));
		emu_host_set_log(h, log_line, vmx_log);
	}
	ovf_publish(h, &o, cfg.max_out_size - 2);
	if (o.want_trace) {
		tr = (struct tracer){ o.trace ? fopen(o.trace, "w") : stderr,
				      o.trace ? o.trace : "trace", h, 0 };
		if (!tr.f)
			die(EXIT_USAGE, "%s: %s", o.trace, strerror(errno));
		emu_host_set_trace(h, trace, &tr);
	}
	if (o.control || o.rpc_log) {
		char err[256];

		if (!(ctl = emu_control_new()))
			die(EXIT_INTERNAL, "%s", strerror(errno));
		if (o.control && emu_control_listen(ctl, o.control, err, sizeof(err)))
			die(EXIT_USAGE, "--control %s", err);
		if (o.rpc_log && !(lf = fopen(o.rpc_log, "w")))
			die(EXIT_USAGE, "%s: %s", o.rpc_log, strerror(errno));
		emu_control_log(ctl, lf);
	}
	if (o.cpuid != CPUID_OFF && emu_cpuid_can_fault()) {
		if (o.cpuid == CPUID_REQUIRE)
			die(EXIT_INTERNAL, "--cpuid=require: CPUID faulting unavailable on this processor (%s)",
			    strerror(errno));
		fprintf(stderr, "vmwcall-emu: CPUID faulting unavailable on this processor: guests "
			"see the real CPUID, without VMware's leaves (--cpuid=off: say nothing)\n");
	} else if (o.cpuid != CPUID_OFF) {
		emu_ptrace_set_cpuid(1);
	}
	if (!(dmi = dmi_prepare(&sc, &cfg, &o)) && !o.no_dmi)
		fprintf(stderr, "vmwcall-emu: no DMI: %s\n", strerror(errno));
	open_results(&o, &dump, &stats);
	if (!o.no_vsock && !(vs = vsock_prepare(&sc, h, &lock)))
		fprintf(stderr, "vmwcall-emu: no vsock channel: %s\n", strerror(errno));
	emu_ptrace_set_lock(&lock);
	if (emu_ptrace_start(argv + optind)) {
		fprintf(stderr, "vmwcall-emu: cannot trace %s: %s\n", argv[optind], strerror(errno));
		status = EXIT_INTERNAL;
	} else {
		signals();	/* after the fork: the program keeps our dispositions */
		if (ctl && emu_control_start(ctl, h, &lock))
			fprintf(stderr, "vmwcall-emu: control socket: %s\n", strerror(errno));
		if (sc && emu_sc_start(sc))
			fprintf(stderr, "vmwcall-emu: no vsock channel%s (seccomp supervisor: %s)\n",
				dmi ? " or DMI" : "", errno ? strerror(errno) : "not installed");
		status = emu_ptrace_wait(h);
	}
	emu_sc_free(sc);
	emu_vsock_free(vs);
	emu_dmi_svc_free(dmi);
	if (emu_control_stop(ctl) || (lf && fclose(lf))) {
		fprintf(stderr, "vmwcall-emu: %s: write error\n", o.rpc_log);
		lost = 1;
	}
	if (vmx_log && fclose(vmx_log)) {
		fprintf(stderr, "vmwcall-emu: %s: %s\n", o.log, strerror(errno));
		lost = 1;
	}
	if (tr.f && (tr.f == stderr ? fflush(tr.f) : fclose(tr.f)) && !tr.err)
		trace_failed(&tr, errno);
	/* A reader that went away (| head) is not a failure; a full disk is. */
	lost |= tr.err && tr.err != EPIPE;
	if (stats.f) {
		write_stats(stats.f, emu_host_stats(h));
		lost |= commit(&stats, 0);
	}
	if (dump.f)
		lost |= commit(&dump, emu_vmx_dump(h, dump.f));
	if (rp && emu_replay_finish(rp)) {
		if (status != 0)
			fprintf(stderr, "vmwcall-emu: %s exited with status %d; exiting %d for the "
				"divergence\n", argv[optind], status, EXIT_DIVERGED);
		status = EXIT_DIVERGED;
	}
	emu_replay_free(rp);
	/* Lost output wins over the program's status, which is said instead. */
	if (lost && status != 0)
		fprintf(stderr, "vmwcall-emu: %s exited with status %d; exiting %d for the output lost\n",
			argv[optind], status, EXIT_INTERNAL);
	if (lost)
		status = EXIT_INTERNAL;
	emu_host_free(h);
	return status;
}
