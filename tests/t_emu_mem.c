// SPDX-License-Identifier: MIT
/*
 * How the ptrace runner reaches guest memory (issue 15, items 2 and 6):
 * HB transfers from guests that made themselves non-dumpable, never into a
 * page the guest could not write itself, no mode one guest can leave
 * behind for the next; and instructions that end a mapping.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <ucontext.h>

#include "emu_guest.h"

#define PAGE 4096
#define BLOB 3000

static const char secret[] = "1 hunter2";

/* Pages the guest may read but not write: .rodata, and one mprotect()ed. */
static const char rodata[2 * PAGE] __attribute__((aligned(PAGE))) = "rodata";

static int nodump(void)
{
	return prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) || prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0;
}

/* info-set over HB, info-get back over HB: 0 if every byte came back. */
static int hb_round_trip(void)
{
	static const char req[] = "info-set guestinfo.blob ";
	static char out[sizeof(req) - 1 + BLOB], in[BLOB + 2];
	struct chan c;
	char rep[16];

	memcpy(out, req, sizeof(req) - 1);
	for (int i = 0; i < BLOB; i++)
		out[sizeof(req) - 1 + i] = (char)(i * 7 % 255 + 1);	/* no NUL: a C string */
	if (chan_open(&c) || !(step(&c, VMW_MSG_SENDSIZE, sizeof(out), NULL) & VMW_MSG_HB))
		return 10;
	if (hb_out(&c, out, sizeof(out)) != VMW_MSG_SUCCESS)
		return 11;
	if (chan_recv(&c, rep, sizeof(rep)) != 2 || strcmp(rep, "1 "))
		return 12;
	if (chan_send(&c, "info-get guestinfo.blob"))
		return 13;
	if (step(&c, VMW_MSG_RECVSIZE, 0, NULL) != (VMW_MSG_SUCCESS | VMW_MSG_DORECV | VMW_MSG_HB))
		return 14;
	if (hb_in(&c, in, sizeof(in)) != VMW_MSG_SUCCESS)
		return 15;
	if (step(&c, VMW_MSG_RECVSTATUS, VMW_MSG_SUCCESS, NULL) != VMW_MSG_SUCCESS)
		return 16;
	return memcmp(in, "1 ", 2) || memcmp(in + 2, out + sizeof(req) - 1, BLOB) ? 17 : 0;
}

/*
 * HB in of the secret into read-only pages must fail and leave them as
 * they were; the same transfer into writable memory then succeeds.
 */
static int hb_readonly(void)
{
	const volatile char *ro = rodata;
	char *page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char ok_buf[sizeof(secret)];
	struct chan c;

	if (page == MAP_FAILED)
		return 20;
	memcpy(page, "mprotect", 9);
	if (mprotect(page, PAGE, PROT_READ) || chan_open(&c) ||
	    chan_send(&c, "info-get guestinfo.secret") ||
	    step(&c, VMW_MSG_RECVSIZE, 0, NULL) != (VMW_MSG_SUCCESS | VMW_MSG_DORECV | VMW_MSG_HB))
		return 21;
	if (hb_in(&c, (void *)(uintptr_t)(rodata + PAGE - 4), sizeof(secret) - 1) != 0)
		return 22;	/* into .rodata, across two pages */
	if (hb_in(&c, page, sizeof(secret) - 1) != 0)
		return 23;	/* into the mprotect()ed page */
	if (strcmp((const char *)(uintptr_t)ro, "rodata") || ro[PAGE - 4] || ro[PAGE] ||
	    strcmp(page, "mprotect"))
		return 24;	/* something was written anyway */
	if (hb_in(&c, ok_buf, sizeof(secret) - 1) != VMW_MSG_SUCCESS ||
	    memcmp(ok_buf, secret, sizeof(secret) - 1))
		return 25;
	return 0;
}

/*
 * Instruction at the very end of a mapping whose next page is unmapped:
 * answered, the guest resumes after it and faults at the page boundary,
 * where its handler picks up the registers.
 */
#ifdef __x86_64__
#define R_AX REG_RAX
#define R_BX REG_RBX
#define R_IP REG_RIP
#else
#define R_AX REG_EAX
#define R_BX REG_EBX
#define R_IP REG_EIP
#endif

static sigjmp_buf jb;
static volatile unsigned long got_ax, got_bx, got_ip, fault_at;

static void at_edge(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	got_ax = (unsigned long)uc->uc_mcontext.gregs[R_AX];
	got_bx = (unsigned long)uc->uc_mcontext.gregs[R_BX];
	got_ip = (unsigned long)uc->uc_mcontext.gregs[R_IP];
	fault_at = (unsigned long)si->si_addr;
	siglongjmp(jb, 1);
}

/* code: the instruction, followed by pad nops, placed to end the mapping. */
static int edge(const unsigned char *code, size_t len, size_t pad, unsigned long dx)
{
	struct sigaction sa = { .sa_sigaction = at_edge, .sa_flags = SA_SIGINFO };
	unsigned char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *at;

	if (p == MAP_FAILED || munmap(p + PAGE, PAGE))
		return 30;
	at = p + PAGE - len - pad;
	memcpy(at, code, len);
	memset(at + len, 0x90, pad);
	if (mprotect(p, PAGE, PROT_READ | PROT_EXEC) || sigaction(SIGSEGV, &sa, NULL))
		return 31;
	if (sigsetjmp(jb, 1) == 0) {
		__asm__ __volatile__("jmp *%4"
				     :: "a"(VMW_MAGIC), "b"(~VMW_MAGIC), "c"(VMW_CMD_GETVERSION),
				     "d"(dx), "r"(at) : "memory");
		__builtin_unreachable();
	}
	printf("ax=%lx bx=%lx ip=%lx fault=%lx end=%lx\n", got_ax, got_bx, got_ip, fault_at,
	       (unsigned long)(p + PAGE));
	return got_ax == 6 && got_bx == VMW_MAGIC && got_ip == (unsigned long)(p + PAGE) &&
	       fault_at == (unsigned long)(p + PAGE) ? 0 : 32;
}

static void *in_thread(void *arg)
{
	*(int *)arg = hb_round_trip();
	return NULL;
}

/* A thread born after the process went non-dumpable: served the same. */
static int thread_round_trip(void)
{
	pthread_t t;
	int rc = 40;

	if (nodump() || pthread_create(&t, NULL, in_thread, &rc) || pthread_join(t, NULL))
		return 41;
	return rc;
}

static int guest(const char *m)
{
	static const unsigned char in1[] = { 0xED }, ds_in[] = { 0x3E, 0xED },
				   vmcall[] = { 0x0F, 0x01, 0xC1 };

	if (!strcmp(m, "nodump"))
		return nodump() ? 1 : hb_round_trip();
	if (!strcmp(m, "nodump-thread"))
		return thread_round_trip();
	if (!strcmp(m, "nodump-readonly"))
		return nodump() ? 1 : hb_readonly();
	if (!strcmp(m, "readonly"))
		return hb_readonly();
	if (!strcmp(m, "edge-in"))
		return edge(in1, 1, 0, VMW_PORT);
	if (!strcmp(m, "edge-ds-in"))
		return edge(ds_in, 2, 0, VMW_PORT);
	if (!strcmp(m, "edge-vmcall"))
		return edge(vmcall, 3, 0, VMW_PORT);
	if (!strcmp(m, "edge-in-9"))
		return edge(in1, 1, 8, VMW_PORT);
	if (!strcmp(m, "edge-nodump"))
		return nodump() ? 1 : edge(in1, 1, 0, VMW_PORT);
	return 99;
}

/* sh -c script under the emulator, as uid 65534 if asked; its stdout in out. */
static int sh(int nobody, const char *script, char *out, size_t outlen)
{
	char cmd[3 * PATH_MAX + 1024];
	FILE *f;
	size_t n;
	int st;

	snprintf(cmd, sizeof(cmd),
		 "%s'%s' --set=guestinfo.secret=hunter2 -- sh -c '%s' 2>/dev/null",
		 nobody ? "setpriv --reuid=65534 --regid=65534 --clear-groups -- " : "", emu,
		 script);
	f = popen(cmd, "r");
	if (!f)
		return -1;
	n = fread(out, 1, outlen - 1, f);
	out[n] = '\0';
	st = pclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void skip(const char *why)
{
	printf("ok %d # SKIP %s\n", ++tap_n, why);
}

int main(int argc, char **argv)
{
	char out[512], script[4 * PATH_MAX];

	if (argc == 3 && !strcmp(argv[1], "--guest"))
		return guest(argv[2]);
	if (find_emu())
		return 0;
	plan(10);

	is_u64(run("--set=guestinfo.secret=hunter2", "readonly", NULL, 0), 0,
	       "HB in refuses .rodata and an mprotect()ed page, then delivers");
	is_u64(run(NULL, "nodump", NULL, 0), 0, "non-dumpable guest (tracer privileged): HB round trip");
	is_u64(run("--set=guestinfo.secret=hunter2", "nodump-readonly", NULL, 0), 0,
	       "non-dumpable guest (tracer privileged): read-only pages refused");
	if (geteuid() != 0) {
		skip("not root: cannot run the emulator as uid 65534 (a tracer without CAP_SYS_PTRACE)");
		skip("not root: as above");
		skip("not root: as above");
	} else {
		snprintf(script, sizeof(script),
			 "\"%s\" --guest nodump; a=$?; \"%s\" --guest nodump-thread; echo $a $?",
			 self, self);
		sh(1, script, out, sizeof(out));
		ok(!strcmp(out, "0 0\n"), "uid 65534: a non-dumpable guest, and a thread it starts, "
		   "complete HB round trips (exits %.*s)", (int)strcspn(out, "\n"), out);
		snprintf(script, sizeof(script),
			 "\"%s\" --guest nodump; a=$?; \"%s\" --guest nodump-readonly; b=$?; "
			 "\"%s\" --guest readonly; echo $a $b $?", self, self, self);
		sh(1, script, out, sizeof(out));
		ok(!strcmp(out, "0 0 0\n"), "uid 65534: read-only pages refused to a non-dumpable "
		   "guest and to a dumpable one after it (exits %.*s)", (int)strcspn(out, "\n"), out);
		snprintf(script, sizeof(script), "\"%s\" --guest edge-nodump; echo $?", self);
		sh(1, script, out, sizeof(out));
		ok(!strcmp(out + strcspn(out, "\n") + 1, "0\n"),
		   "uid 65534: a non-dumpable guest's instruction at a mapping's end is answered");
	}
	is_u64(run(NULL, "edge-in", out, sizeof(out)), 0,
	       "in as the last byte before an unmapped page: answered, resumes there");
	is_u64(run(NULL, "edge-ds-in", NULL, 0), 0, "ds: in, the mapping's last 2 bytes: answered");
	is_u64(run(NULL, "edge-vmcall", NULL, 0), 0, "vmcall, the mapping's last 3 bytes: answered");
	is_u64(run(NULL, "edge-in-9", NULL, 0), 0, "in 9 bytes before an unmapped page: answered");
	return done_testing();
}
