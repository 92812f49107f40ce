// SPDX-License-Identifier: MIT
/*
 * CPUID as VMware presents it: the leaves (pure), the decoder, and the
 * answer path of both front ends.  This machine cannot fault CPUID, so the
 * fault is made by hand: a SIGSEGV with si_code SI_KERNEL (what the
 * kernel sends for a faulted CPUID) queued to ourselves while blocked, and
 * unblocked by returning from a SIGUSR1 handler that left the thread at a
 * cpuid instruction with the leaf in eax.  The front end then finds that
 * instruction at rip exactly as after a real fault.  The in-process trap
 * handler is tested here; the ptrace runner on this program re-run as a
 * guest under $O/vmwcall-emu.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>
#include <valgrind/valgrind.h>

#include "cpu.h"
#include "cpuid.h"
#include "emu_guest.h"
#include "ptrace.h"
#include "trap.h"

static int regs_are(const uint32_t got[4], uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
	if (got[0] == a && got[1] == b && got[2] == c && got[3] == d)
		return 1;
	fprintf(stderr, "#   got %08x %08x %08x %08x, want %08x %08x %08x %08x\n", got[0], got[1],
		got[2], got[3], a, b, c, d);
	return 0;
}

static void leaves(void)
{
	struct emu_config cfg;
	uint32_t out[4], real[4] = { 0x000906ea, 0x01000800, 0x7ffafbff, 0xbfebfbff };
	uint32_t kvm[4] = { 0x40000001, 0x4b4d564b, 0x564b4d56, 0x4d };

	emu_config_default(&cfg);
	emu_cpuid_leaf(&cfg, 1, 0, real, out);
	ok(regs_are(out, real[0], real[1], real[2] | 1u << 31, real[3]),
	   "leaf 1: the processor's, hypervisor bit set");
	emu_cpuid_leaf(&cfg, 0x40000000, 0, kvm, out);
	ok(regs_are(out, 0x40000010, 0x61774d56, 0x4d566572, 0x65726177) &&
	   !memcmp(&out[1], "VMwareVMware", 12), "0x40000000: max 0x40000010, \"VMwareVMware\"");
	emu_cpuid_leaf(&cfg, 0x40000010, 0, kvm, out);
	ok(regs_are(out, 2000000, 66000, 0, 0), "0x40000010: TSC and APIC kHz, no vmcall bits");
	cfg.cpuid_ecx = EMU_CPUID_VMCALL;
	cfg.tsc_hz = 3000000000ull;
	emu_cpuid_leaf(&cfg, 0x40000010, 0, kvm, out);
	ok(regs_are(out, 3000000, 66000, 2, 0), "--transport vmcall: ecx bit 1");
	cfg.cpuid_ecx = EMU_CPUID_VMMCALL;
	cfg.tsc_hz = 1ull << 50;
	emu_cpuid_leaf(&cfg, 0x40000010, 0, kvm, out);
	ok(regs_are(out, UINT32_MAX, 66000, 1, 0), "vmmcall: ecx bit 0; a huge TSC saturates");
	emu_cpuid_leaf(&cfg, 0x40000001, 0, kvm, out);
	ok(regs_are(out, 0, 0, 0, 0), "0x40000001: zero, the KVM features hidden");
	emu_cpuid_leaf(&cfg, 0x40000100, 0, kvm, out);
	ok(regs_are(out, 0, 0, 0, 0), "0x40000100: zero (a second hypervisor's range)");
	emu_cpuid_leaf(&cfg, 0, 0, real, out);
	ok(regs_are(out, real[0], real[1], real[2], real[3]), "leaf 0: the processor's");
	emu_cpuid_leaf(&cfg, 0x80000001, 0, real, out);
	ok(regs_are(out, real[0], real[1], real[2], real[3]), "0x80000001: the processor's");
}

static void decode(void)
{
	static const struct {
		uint8_t code[4];
		size_t n;
		int rc;
		size_t len;
	} t[] = {
		{ { 0x0F, 0xA2 }, 2, 0, 2 },
		{ { 0x66, 0x0F, 0xA2 }, 3, 0, 3 },
		{ { 0xF3, 0x48, 0x0F, 0xA2 }, 4, 0, 4 },
		{ { 0x0F }, 1, -1, 0 },
		{ { 0xF0, 0x0F, 0xA2 }, 3, -1, 0 },
		{ { 0x0F, 0xA3 }, 2, -1, 0 },
	};
	int good = 1;

	for (size_t i = 0; i < sizeof(t) / sizeof(*t); i++) {
		struct emu_decoded d = { 0 };
		int rc = emu_decode(t[i].code, t[i].n, 1, &d);

		if (rc != t[i].rc || (rc == 0 && (d.insn != EMU_INSN_CPUID || d.len != t[i].len))) {
			fprintf(stderr, "#   case %zu: rc %d insn %d len %zu\n", i, rc, d.insn, d.len);
			good = 0;
		}
	}
	ok(good, "0F A2 decodes as cpuid (prefixes counted, lock and a lone 0F refused)");
}

#if defined(__x86_64__)
static uint32_t fake_real[4] = { 0x11, 0x22, 0x33, 0x44 };

static void fake(void *ctx, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
	(void)ctx, (void)leaf, (void)sub;
	memcpy(out, fake_real, sizeof(fake_real));
}

/* The fault, made by hand (see the top); the answer in out. */
static volatile uint32_t want_leaf, want_sub;

static void at_cpuid(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig, (void)si;
	uc->uc_mcontext.gregs[REG_RAX] = want_leaf;
	uc->uc_mcontext.gregs[REG_RCX] = want_sub;
	sigdelset(&uc->uc_sigmask, SIGSEGV);
}

static void faulted_cpuid(uint32_t leaf, uint32_t out[4])
{
	siginfo_t si;
	sigset_t segv, old;
	struct sigaction sa;
	uint64_t a, b, c, d;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = at_cpuid;
	sa.sa_flags = SA_SIGINFO;
	sigaction(SIGUSR1, &sa, NULL);
	sigemptyset(&segv);
	sigaddset(&segv, SIGSEGV);
	sigprocmask(SIG_BLOCK, &segv, &old);
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGSEGV;
	si.si_code = SI_KERNEL;
	syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGSEGV, &si);
	want_leaf = leaf, want_sub = 0;
	/* tgkill(SIGUSR1); its handler returns to the cpuid right after it. */
	__asm__ volatile("syscall\n\tcpuid"
			 : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"((uint64_t)SYS_tgkill), "D"((uint64_t)getpid()),
			   "S"((uint64_t)gettid()), "d"((uint64_t)SIGUSR1)
			 : "r11", "memory");
	sigprocmask(SIG_SETMASK, &old, NULL);
	out[0] = (uint32_t)a, out[1] = (uint32_t)b, out[2] = (uint32_t)c, out[3] = (uint32_t)d;
}

static sigjmp_buf jb;

static void caught(int sig)
{
	siglongjmp(jb, sig);
}

static void in_process(void)
{
	struct emu_config cfg;
	struct emu_host *h;
	uint32_t out[4];

	emu_config_default(&cfg);
	cfg.cpuid_real = fake;
	cfg.cpuid_ecx = EMU_CPUID_VMCALL;
	h = emu_host_new(&cfg);
	signal(SIGSEGV, caught);	/* where a fault the host refuses goes */
	if (!h || emu_trap_install(h))
		exit(1);
	if (!sigsetjmp(jb, 1)) {
		faulted_cpuid(0x40000000, out);
		ok(!memcmp(&out[1], "VMwareVMware", 12) && out[0] == 0x40000010,
		   "trap front end: a faulted cpuid of 0x40000000 answers VMwareVMware");
		faulted_cpuid(0x40000010, out);
		ok(regs_are(out, 2000000, 66000, 2, 0), "... 0x40000010 with the vmcall bit");
		faulted_cpuid(1, out);
		ok(regs_are(out, 0x11, 0x22, 0x33 | 1u << 31, 0x44),
		   "... leaf 1: the processor's (cfg.cpuid_real) with the hypervisor bit");
		is_u64(emu_host_stats(h)->cpuid, 3, "... counted as cpuid, not as hypercalls (%" PRIu64 ")",
		       emu_host_stats(h)->calls);
	} else {
		ok(0, "trap front end: the fault was not answered");
	}
	emu_trap_remove();
	emu_host_free(h);
	cfg.no_cpuid = 1;
	h = emu_host_new(&cfg);
	emu_trap_install(h);
	if (!sigsetjmp(jb, 1)) {
		faulted_cpuid(0x40000000, out);
		ok(0, "no_cpuid: the fault was answered");
	} else {
		ok(1, "no_cpuid: the fault goes to the program's SIGSEGV handler");
	}
	emu_trap_remove();
	emu_host_free(h);
	signal(SIGSEGV, SIG_DFL);
}

/* As a guest of the ptrace runner: print what the faulted leaves answer. */
static int guest(const char *mode)
{
	uint32_t v[4], f[4];

	(void)mode;
	faulted_cpuid(0x40000000, v);
	faulted_cpuid(0x40000010, f);
	printf("%.4s%.4s%.4s %x %u %u %u\n", (char *)&v[1], (char *)&v[2], (char *)&v[3], v[0],
	       f[0], f[1], f[2]);
	return 0;
}

/* On a processor that cannot fault CPUID, the emulator says so once per run. */
static void unavailable(void)
{
	static const char line[] = "vmwcall-emu: CPUID faulting unavailable on this processor: "
		"guests see the real CPUID, without VMware's leaves (--cpuid=off: say nothing)\n";
	char cmd[2 * PATH_MAX + 128], msg[1024] = "", off[256] = "";
	FILE *f;
	size_t n;

	if (!emu_cpuid_can_fault()) {
		ok(1, "# SKIP this processor faults CPUID: nothing to say");
		return;
	}
	snprintf(cmd, sizeof(cmd), "'%s' -- sh -c 'true; true; \"%s\" --guest cpuid' 2>&1 >/dev/null",
		 emu, self);
	f = popen(cmd, "r");
	n = f ? fread(msg, 1, sizeof(msg) - 1, f) : 0;
	msg[n] = '\0';
	if (f)
		pclose(f);
	ok(!strcmp(msg, line), "ENODEV here: the emulator says so exactly once for 4 processes: %.*s",
	   (int)strcspn(msg, "\n"), msg);
	snprintf(cmd, sizeof(cmd), "'%s' --cpuid=off -- true 2>&1", emu);
	f = popen(cmd, "r");
	n = f ? fread(off, 1, sizeof(off) - 1, f) : 0;
	off[n] = '\0';
	if (f)
		pclose(f);
	ok(f && n == 0, "--cpuid=off: not a word");
	snprintf(cmd, sizeof(cmd), "'%s' --cpuid=require -- true 2>/dev/null", emu);
	is_u64(WEXITSTATUS(system(cmd)), 125, "--cpuid=require: exit 125, the program not run");
}

/*
 * The runner's injection of arch_prctl(ARCH_SET_CPUID, 0) after each exec,
 * forced on: here the call fails with ENODEV, which only the kernel running
 * it in the tracee can say, and the guest goes on unharmed.
 */
static void injection(void)
{
	char file[] = "/tmp/t_cpuid.XXXXXX", cmd[128], got[64] = "";
	char *argv[] = { "/bin/sh", "-c", cmd, NULL };
	const struct emu_ptrace_cpuid *st = emu_ptrace_cpuid_stats();
	struct emu_config cfg;
	struct emu_host *h;
	int fd = mkstemp(file), rc;
	ssize_t n;

	emu_config_default(&cfg);
	h = emu_host_new(&cfg);
	snprintf(cmd, sizeof(cmd), "exec /bin/echo unharmed >%s", file);
	emu_ptrace_set_cpuid(1);
	rc = emu_ptrace_run(h, argv);
	emu_ptrace_set_cpuid(0);
	n = fd >= 0 ? read(fd, got, sizeof(got) - 1) : -1;
	got[n > 0 ? n : 0] = '\0';
	ok(rc == 0 && !strcmp(got, "unharmed\n"), "injection: two execs (sh, echo) run on, exit %d", rc);
	if (emu_cpuid_can_fault() == 0)
		ok(st->done == 2 && st->failed == 0, "injection: CPUID faulting set after both execs");
	else
		ok(st->done == 0 && st->failed == 2 && st->last_error == ENODEV,
		   "injection: both tracees ran arch_prctl(ARCH_SET_CPUID), ENODEV here (%lu, %lu, %d)",
		   st->done, st->failed, st->last_error);
	if (fd >= 0)
		close(fd);
	unlink(file);
	emu_host_free(h);
}

static void front_ends(void)
{
	char out[256];

	/* valgrind runs cpuid itself and dies of a queued SI_KERNEL fault. */
	if (RUNNING_ON_VALGRIND) {
		ok(1, "# SKIP the hand-made fault and the in-process runner under valgrind");
	} else {
		in_process();
		injection();
	}
	if (find_emu())
		return;
	setenv("VMWCALL_EMU_CPUID", "auto", 1);	/* make check says off */
	unavailable();
	ok(run("--transport=vmmcall", "cpuid", out, sizeof(out)) == 0 &&
	   !strcmp(out, "VMwareVMware 40000010 2000000 66000 1\n"),
	   "ptrace runner: faulted cpuid answered, --transport vmmcall in 0x40000010: %.60s", out);
	ok(run("--cpuid=off", "cpuid", out, sizeof(out)) == 128 + SIGSEGV && !out[0],
	   "ptrace runner, --cpuid=off: the fault kills the guest (SIGSEGV)");
}
#else
/* The hand-made fault is x86-64 code; the leaves and the decoder are tested anywhere. */
static int guest(const char *mode)
{
	(void)mode;
	return 99;
}

static void front_ends(void)
{
	(void)find_emu;
}
#endif

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--guest"))
		return guest(argv[2]);
	need_trapping();	/* before any line: find_emu() asks again, mid-run */
	leaves();
	decode();
	front_ends();
	return done_testing();
}
