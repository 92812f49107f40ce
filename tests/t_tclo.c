// SPDX-License-Identifier: MIT
/*
 * TCLO as a VMX drives it, against the in-process host through the
 * library's TCLO client: the handshake on every new channel, channels
 * belonging to the application their guest names, queued commands in order
 * with every answer kept, and what happens to commands that lose their
 * channel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmwcall/proto.h"
#include "vmwcall/rpc.h"
#include "tap.h"
#include "inproc.h"
#include "trapping.h"

static const char *const handshake[] = {
	"reset", "ping", "Capabilities_Register",
	"Set_Option synctime 0", "Set_Option copypaste 1", "Set_Option autohide 0",
	"Set_Option broadcastIP 1", "Set_Option enableDnD 1", "Set_Option synctime.period 0",
	"Set_Option time.synchronize.tools.enable 1", "Set_Option time.synchronize.tools.startup 1",
	"Set_Option time.synchronize.tools.startup.backward 0",
	"Set_Option toolScripts.afterPowerOn 1", "Set_Option toolScripts.afterResume 1",
	"Set_Option toolScripts.beforeSuspend 1", "Set_Option toolScripts.beforePowerOff 1",
	"Time_Synchronize 0",
};
#define NHS (sizeof(handshake) / sizeof(*handshake))

/* Answer the previous command with ans; the next command, "" if none. */
static const char *poll_with(struct vmw_chan *c, const char *ans)
{
	const char *cmd;
	size_t n;

	if (vmw_tclo_poll(c, ans, strlen(ans), &cmd, &n))
		return "<poll failed>";
	return n ? cmd : "";
}

/*
 * Run the handshake as a tools service named app; 0 if it went as a VMX's.
 * *next: the command after it ("" if none).
 */
static int shake(struct vmw_chan *c, const char *app, const char **next)
{
	char atr[80];
	const char *cmd = poll_with(c, "");
	size_t want = strcmp(app, "toolbox") ? NHS - 1 : NHS;

	snprintf(atr, sizeof(atr), "OK ATR %s", app);
	for (size_t i = 0; i < want; i++) {
		if (strcmp(cmd, handshake[i])) {
			printf("#   step %zu: got '%s', want '%s'\n", i, cmd, handshake[i]);
			return -1;
		}
		if (i == 0 && emu_tools_state(host, app) != EMU_TOOLS_NONE)
			return -1;
		if (i == 1 && emu_tools_state(host, app) != EMU_TOOLS_HANDSHAKE)
			return -1;
		cmd = poll_with(c, i == 0 ? atr : "OK ");
	}
	*next = cmd;
	return 0;
}

static void test_handshake(void)
{
	struct vmw_chan *c;
	const char *next;
	uint64_t id;

	ok(emu_tools_state(host, NULL) == EMU_TOOLS_NONE, "no channel: tools not running");
	id = emu_tclo_send(host, NULL, "queued early");
	ok(id > 0 && emu_tclo_result(host, id, NULL, NULL) == 0, "a command queued before any channel is pending");
	vmw_chan_open(&c, VMW_PROTO_TCLO);
	ok(shake(c, "toolbox", &next) == 0, "new channel: reset, ping, Capabilities_Register, %zu Set_Option, "
	   "Time_Synchronize 0, in that order", NHS - 4);
	ok(!strcmp(next, "queued early"), "then the command queued before: '%s'", next);
	ok(emu_tools_state(host, "toolbox") == EMU_TOOLS_READY, "toolbox: handshake done");
	vmw_chan_close(c);
	ok(emu_tools_state(host, "toolbox") == EMU_TOOLS_NONE, "channel closed: tools gone");
	ok(emu_tclo_result(host, id, NULL, NULL) == -1, "the command it was answering is dropped");
}

static void test_order(void)
{
	struct vmw_chan *c;
	uint64_t id[3];
	const char *rep, *next;
	size_t len;
	int good = 1;

	vmw_chan_open(&c, VMW_PROTO_TCLO);
	ok(shake(c, "toolbox", &next) == 0 && !*next, "handshake again on a new channel");
	id[0] = emu_tclo_send(host, NULL, "one");
	id[1] = emu_tclo_send(host, "toolbox", "two");
	id[2] = emu_tclo_push(host, "three") == 0 ? id[1] + 1 : 0;
	ok(!strcmp(poll_with(c, ""), "one"), "first queued command first");
	ok(emu_tclo_result(host, id[0], NULL, NULL) == 0, "sent, not answered: pending");
	ok(!strcmp(poll_with(c, "OK 1"), "two") && !strcmp(poll_with(c, "ERROR 2"), "three") &&
	   !strcmp(poll_with(c, "OK 3"), ""), "then the others, in order");
	for (int i = 0; i < 3; i++) {
		char want[16];

		snprintf(want, sizeof(want), "%s %d", i == 1 ? "ERROR" : "OK", i + 1);
		good &= emu_tclo_result(host, id[i], &rep, &len) == 1 && len == strlen(want) &&
			!memcmp(rep, want, len);
	}
	ok(good, "each answer kept with its command");
	ok(emu_tclo_last_reply(host, &len) && len == 4, "emu_tclo_last_reply: the latest answer");
	id[0] = emu_tclo_send(host, NULL, "lost");
	ok(!strcmp(poll_with(c, ""), "lost") && !strcmp(poll_with(c, ""), "") &&
	   emu_tclo_result(host, id[0], NULL, NULL) == -1, "an empty poll instead of an answer: dropped");
	vmw_chan_close(c);
}

static void test_apps(void)
{
	struct vmw_chan *a, *b, *x;
	const char *next, *rep;
	uint64_t ia, ib;

	vmw_chan_open(&a, VMW_PROTO_TCLO);
	vmw_chan_open(&b, VMW_PROTO_TCLO);
	ok(shake(b, "toolbox-dnd", &next) == 0 && !*next,
	   "toolbox-dnd: the handshake without Time_Synchronize");
	ok(emu_tools_state(host, "toolbox-dnd") == EMU_TOOLS_READY &&
	   emu_tools_state(host, "toolbox") == EMU_TOOLS_NONE, "state is per application");
	ia = emu_tclo_send(host, NULL, "for-toolbox");
	ib = emu_tclo_send(host, "toolbox-dnd", "for-dnd");
	ok(!strcmp(poll_with(b, ""), "for-dnd") && !strcmp(poll_with(b, "OK b"), ""),
	   "toolbox-dnd gets only its own command");
	ok(emu_tclo_result(host, ia, NULL, NULL) == 0, "the toolbox command waits for a toolbox channel");
	ok(shake(a, "toolbox", &next) == 0 && !strcmp(next, "for-toolbox"),
	   "which gets it after its handshake");
	ok(!strcmp(poll_with(a, "OK a"), "") && emu_tclo_result(host, ia, &rep, NULL) == 1 &&
	   !strcmp(rep, "OK a") && emu_tclo_result(host, ib, &rep, NULL) == 1 && !strcmp(rep, "OK b"),
	   "both answers kept apart");
	vmw_chan_close(a);
	vmw_chan_close(b);

	vmw_chan_open(&x, VMW_PROTO_TCLO);
	ok(!strcmp(poll_with(x, ""), "reset") && !strcmp(poll_with(x, "ERROR Unknown Command"), ""),
	   "a guest that does not name its application gets nothing more");
	ok(!strcmp(poll_with(x, ""), ""), "... on later polls either");
	vmw_chan_close(x);
}

static void test_limits(void)
{
	char app[80];
	uint64_t first = 0, last = 0, id;
	size_t n = 0;

	ok(!emu_tclo_send(host, "", "x") && !emu_tclo_send(host, "to olbox", "x") &&
	   !emu_tclo_send(host, "a/b", "x"), "bad application names refused");
	memset(app, 'a', 65);
	app[65] = '\0';
	ok(!emu_tclo_send(host, app, "x"), "a 65-byte application name refused");
	app[64] = '\0';
	ok(emu_tclo_send(host, app, "x") > 0, "a 64-byte one accepted");
	while ((id = emu_tclo_send(host, "nobody-polls", "x")) && n < 5000) {
		first = first ? first : id;
		last = id;
		n++;
	}
	ok(id == 0 && n < 1024, "the queue is bounded: %zu more accepted, then 0", n);
	ok(emu_tclo_result(host, 0, NULL, NULL) == -1 && emu_tclo_result(host, last + 1, NULL, NULL) == -1,
	   "id 0 and a future id: unknown");
	ok(emu_tclo_result(host, first, NULL, NULL) == 0, "queued ones stay pending");
}

static int rpci(const char *req, size_t len, const char *want_reply)
{
	char *got = NULL;
	size_t n;
	int rc = vmw_rpci_call(NULL, req, len, &got, &n);
	/* want_reply NULL: the host must refuse ("0 ..."). */
	int good = want_reply ? rc == 0 && n == strlen(want_reply) && !memcmp(got, want_reply, n)
			      : rc != 0;

	if (!good)
		printf("#   '%s': rc %d, '%s'\n", req, rc, got ? got : "");
	free(got);
	return good;
}

/* What vmtoolsd reports lands in the host's state; options reach the guest. */
static void test_tools_state(void)
{
	static const char nic[] = "SetGuestInfo  10 \0\0\0\3\0\0\0\1";
	static const char up[] = "SetGuestInfo  7 12345\0";
	struct vmw_chan *c;
	const char *next;
	const void *p;
	uint32_t v, t;
	int ok1, st;
	size_t n;

	ok(emu_tools_version(host, &v, &t) == -1, "no versiontype yet");
	ok(rpci("tools.set.versiontype 12352 4", 29, "") && emu_tools_version(host, &v, &t) == 0 &&
	   v == 12352 && t == 4, "tools.set.versiontype kept");
	ok(rpci("tools.capability.statechange ", 29, "") &&
	   rpci("tools.capability.features 36=0\0", 31, "") &&
	   !strcmp(emu_tools_capability(host, "statechange"), "") &&
	   !strcmp(emu_tools_capability(host, "features"), "36=0"), "capabilities kept by name");
	ok(!strcmp(emu_tools_capability_at(host, 1, &next), "features") && !strcmp(next, "36=0") &&
	   !emu_tools_capability_at(host, 2, NULL), "capabilities listed in order");
	ok(emu_tools_statechange(host, &ok1, &st) == 0, "no state change reported yet");
	ok(rpci("tools.os.statechange.status 0 4\0", 32, "") &&
	   emu_tools_statechange(host, &ok1, &st) == 1 && ok1 == 0 && st == 4,
	   "tools.os.statechange.status kept and counted");
	ok(rpci("tools.os.statechange.status 1 6", 31, NULL) &&
	   emu_tools_statechange(host, &ok1, &st) == 1, "a state out of 1..5 refused, not counted");
	ok(rpci(up, sizeof(up) - 1, "") && (p = emu_guest_info(host, 7, &n)) && n == 5 &&
	   !memcmp(p, "12345", 5), "SetGuestInfo text type: up to its NUL");
	ok(rpci(nic, sizeof(nic) - 1, "") && (p = emu_guest_info(host, 10, &n)) && n == 8 &&
	   !memcmp(p, "\0\0\0\3\0\0\0\1", 8), "SetGuestInfo binary type (NIC XDR): raw, NULs and all");
	ok(rpci("SetGuestDiskInfo {\"version\":\"1\"}\0", 32, "") &&
	   (p = emu_guest_info(host, EMU_GUESTINFO_DISKS, &n)) && n == 15,
	   "SetGuestDiskInfo kept");
	ok(!emu_guest_info(host, 3, NULL) && !emu_guest_info(host, 99, NULL), "unsent or unknown type: NULL");

	ok(rpci("vmx.set_option synctime 0 1\0", 28, ""), "vmx.set_option synctime 0 1");
	vmw_chan_open(&c, VMW_PROTO_TCLO);
	ok(poll_with(c, "") && !strcmp(poll_with(c, "OK ATR toolbox"), "ping") &&
	   !strcmp(poll_with(c, "OK "), "Capabilities_Register") &&
	   !strcmp(poll_with(c, "OK "), "Set_Option synctime 1"), "the next handshake sends the new value");
	while (*(next = poll_with(c, "OK ")) && strcmp(next, "Set_Option synctime 1"))
		;
	ok(!strcmp(next, "Set_Option synctime 1"), "and the change itself is pushed to toolbox");
	vmw_chan_close(c);
}

/* A quiesce as a VMX runs it, the guest's side played here. */
static void test_quiesce(void)
{
	static const uint8_t xdr[] = { 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
				       0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
	static const char pre[] = "vmbackup.startWithOpts ";
	struct vmw_chan *c;
	const char *cmd, *name, *msg;
	uint32_t code;
	size_t n, i;
	int rc;

	ok(emu_quiesce_state(host) == EMU_QUIESCE_NONE, "no quiesce yet");
	ok(rpci("vmbackup.eventSet reset 0 ", 26, NULL), "an event with no quiesce under way: refused");
	ok(emu_quiesce_start(host, 0) == 0 && emu_quiesce_state(host) == EMU_QUIESCE_STARTED,
	   "quiesce started");
	ok(emu_quiesce_start(host, 0) == -1, "a second one while it runs: refused");
	vmw_chan_open(&c, VMW_PROTO_TCLO);
	rc = vmw_tclo_poll(c, "", 0, &cmd, &n);
	rc = rc ? rc : vmw_tclo_poll(c, "OK ATR toolbox", 14, &cmd, &n);
	/* The handshake, then the command (binary: compared by hand). */
	for (i = 0; rc == 0 && i < 40 && !(n > sizeof(pre) - 1 && !memcmp(cmd, pre, sizeof(pre) - 1));
	     i++)
		rc = vmw_tclo_poll(c, "OK ", 3, &cmd, &n);
	ok(rc == 0 && n == sizeof(pre) - 1 + sizeof(xdr) && !memcmp(cmd + sizeof(pre) - 1, xdr, sizeof(xdr)),
	   "vmbackup.startWithOpts with XDR GuestQuiesceParams V1: scripts only, no FS quiesce");
	ok(rpci("vmbackup.eventSet reset 0 \0", 27, "") &&
	   rpci("vmbackup.eventSet req.keepAlive 0 ", 34, ""), "reset and keep-alive accepted");
	ok(rpci("vmbackup.eventSet nosuch 0 ", 27, NULL) && rpci("vmbackup.eventSet reset x ", 26, NULL) &&
	   rpci("vmbackup.eventSet reset 4294967296 ", 35, NULL) && rpci("vmbackup.eventSet reset", 23, NULL),
	   "unknown event, bad or too large code, no code: refused");
	ok(rpci("vmbackup.eventSet prov.snapshotCommit 0 ", 40, "") &&
	   emu_quiesce_state(host) == EMU_QUIESCE_COMMITTED, "prov.snapshotCommit: committed");
	ok(!strcmp(poll_with(c, "OK "), "vmbackup.snapshotDone"), "the host answers vmbackup.snapshotDone");
	ok(rpci("vmbackup.eventSet req.done 0 ", 29, "") &&
	   emu_quiesce_state(host) == EMU_QUIESCE_COMPLETED, "req.done: completed");
	for (i = 0; (name = emu_quiesce_event(host, i, &code, &msg)); i++)
		;
	ok(i == 3 && !strcmp(emu_quiesce_event(host, 1, &code, &msg), "prov.snapshotCommit") &&
	   code == 0 && !*msg, "three events kept (keep-alives only counted)");
	ok(rpci("vmbackup.eventSet reset 0 ", 26, NULL), "after the end: refused");

	ok(emu_quiesce_start(host, 1) == 0, "a quiesce to abort");
	for (i = 0, n = 0; i < 40; i++)
		n += (size_t)rpci("vmbackup.eventSet req.error 3 x", 31, "");
	for (i = 0; (name = emu_quiesce_event(host, i, NULL, NULL)); i++)
		;
	ok(n == 40 && i == EMU_QUIESCE_EVENTS, "40 events accepted, %zu kept: bounded", i);
	ok(rpci("vmbackup.eventSet prov.snapshotCommit 0 ", 40, ""), "committed");
	cmd = poll_with(c, "OK ");
	while (*cmd && strcmp(cmd, "vmbackup.abort"))
		cmd = poll_with(c, "OK ");
	ok(!strcmp(cmd, "vmbackup.abort"), "the host aborts instead of completing");
	ok(rpci("vmbackup.eventSet req.aborted 4 Quiesce canceled.", 50, "") &&
	   rpci("vmbackup.eventSet req.done 0 ", 29, "") &&
	   emu_quiesce_state(host) == EMU_QUIESCE_ABORTED, "req.aborted then req.done: aborted");
	vmw_chan_close(c);
}

/* deployPkg.update.state as the deployPkg plugin and libDeployPkg send it. */
static void test_deploypkg(void)
{
	const char *msg;
	int st, err;

	ok(emu_deploypkg_state(host, &st, &err, &msg) == 0, "no customization state yet");
	ok(rpci("deployPkg.update.state 3", 24, "") && emu_deploypkg_state(host, &st, &err, &msg) == 1 &&
	   st == 3 && err == 0 && !*msg, "state alone (deploying)");
	ok(rpci("deployPkg.update.state 4 0 /var/log/vmware-imc/toolsDeployPkg.log@ok\0", 68, "") &&
	   st == 3 && emu_deploypkg_state(host, &st, &err, &msg) == 2 && st == 4 && err == 0 &&
	   !strcmp(msg, "/var/log/vmware-imc/toolsDeployPkg.log@ok"), "state, error and message kept");
	ok(rpci("deployPkg.update.state 4 103 eth0", 33, "queryNicsSupported") &&
	   rpci("deployPkg.update.state 4 104 eth0", 33, "connected"),
	   "enable-NICs and query-NICs events answered as a VMX that connects them");
	ok(rpci("deployPkg.update.state 6 0 x", 28, NULL) && rpci("deployPkg.update.state 4 10 x", 29, NULL) &&
	   rpci("deployPkg.update.state 4 105 x", 30, NULL) && rpci("deployPkg.update.state x", 24, NULL) &&
	   rpci("deployPkg.update.state", 22, NULL) &&
	   emu_deploypkg_state(host, &st, &err, &msg) == 4, "bad state or error code: refused, not kept");
}

int main(void)
{
	struct emu_config cfg;

	need_trapping();
	emu_config_default(&cfg);
	use(&cfg);
	test_handshake();
	test_order();
	test_apps();
	test_tools_state();
	test_quiesce();
	test_deploypkg();
	test_limits();
	return done_testing();
}
