// SPDX-License-Identifier: MIT
/* vmwcall-emu --ctl PATH VERB [ARG]...: the control socket's command-line client. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl.h"
#include "ctl_req.h"
#include "json.h"

#define EXIT_FAIL 1
#define EXIT_USAGE 2
#define EXIT_INTERNAL 125
#define MAX_REPLY (64u << 20)
#define MAX_VALUE (16u << 20)

static const char usage[] =
	"usage: vmwcall-emu --ctl SOCKET VERB [ARG]...\n"
	"  info get KEY | info set KEY VALUE|- | info del KEY | info list\n"
	"  wait info KEY [VALUE] [--timeout S] | wait tools [--app APP] [--timeout S]\n"
	"  tclo [--app APP] COMMAND [--timeout S] | power halt|reboot|suspend|resume|poweron\n"
	"  quiesce [--abort] [--timeout S]\n"
	"  ns create NAME | ns get NAME KEY | ns set NAME KEY VALUE (empty: delete)\n"
	"  guest | events | stats\n";

static int say(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int say(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("vmwcall-emu: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

struct conn {
	int fd;
	struct sbuf in;
	size_t pos;	/* start of the next line in in */
};

static int dial(struct conn *k, const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };

	if (strlen(path) >= sizeof(a.sun_path))
		return say(EXIT_USAGE, "%s: path too long", path);
	strcpy(a.sun_path, path);
	k->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (k->fd < 0 || connect(k->fd, (struct sockaddr *)&a, sizeof(a)))
		return say(EXIT_INTERNAL, "%s: %s", path, strerror(errno));
	sb_init(&k->in, MAX_REPLY);
	return 0;
}

static int send_all(struct conn *k, const struct sbuf *b)
{
	for (size_t off = 0; off < b->len;) {
		ssize_t n = send(k->fd, b->p + off, b->len - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return say(EXIT_INTERNAL, "control socket: %s", strerror(errno));
		off += (size_t)n;
	}
	return 0;
}

/* The next line (without its newline) or NULL at the end of the stream. */
static char *next_line(struct conn *k, size_t *len, int *err)
{
	*err = 0;
	for (;;) {
		char *s = k->in.p ? k->in.p + k->pos : NULL;
		char *nl = s ? memchr(s, '\n', k->in.len - k->pos) : NULL;
		char buf[65536];
		ssize_t n;

		if (nl) {
			*len = (size_t)(nl - s);
			k->pos += *len + 1;
			return s;
		}
		if (k->pos && k->in.p) {
			memmove(k->in.p, s, k->in.len - k->pos);
			k->in.len -= k->pos;
			k->pos = 0;
		}
		n = recv(k->fd, buf, sizeof(buf), 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			*err = n < 0 || k->in.len;
			return NULL;
		}
		sb_put(&k->in, buf, (size_t)n);
		if (k->in.err) {
			*err = 1;
			return NULL;
		}
	}
}

struct reply {
	struct json_obj o;
	char *scratch;
};

/* Send one request, parse the reply; status 0 if "ok", else the error reported. */
static int call(struct conn *k, struct sbuf *req, struct reply *r)
{
	const struct json_member *ok, *e;
	const char *err;
	char *line;
	size_t len;
	int bad, rc;

	sb_puts(req, "}\n");
	if (req->err)
		return say(EXIT_FAIL, "request too large");
	if ((rc = send_all(k, req)))
		return rc;
	line = next_line(k, &len, &bad);
	if (!line)
		return say(EXIT_INTERNAL, "control socket closed without a reply (the emulator ended?)");
	r->scratch = malloc(JSON_SCRATCH(len));
	if (!r->scratch)
		return say(EXIT_INTERNAL, "%s", strerror(ENOMEM));
	if (json_parse(line, len, r->scratch, &r->o, &err))
		return say(EXIT_INTERNAL, "control socket: bad reply: %s", err);
	ok = json_get(&r->o, "ok");
	if (ok && ok->type == JSON_BOOL && ok->b)
		return 0;
	e = json_get(&r->o, "error");
	return say(EXIT_FAIL, "%s", e && e->type == JSON_STR ? e->s : "failed");
}

/* Write a "value" / "value_base64" member's bytes. */
static int print_value(const struct reply *r, const char *name)
{
	const struct json_member *v = json_get(&r->o, name);
	char b64[64];

	snprintf(b64, sizeof(b64), "%s_base64", name);
	if (v && v->type == JSON_STR) {
		fwrite(v->s, 1, v->len, stdout);
	} else if ((v = json_get(&r->o, b64)) && v->type == JSON_STR) {
		uint8_t *p = malloc(v->len + 1);
		long n = p ? base64_decode(v->s, v->len, p) : -1;

		if (n >= 0)
			fwrite(p, 1, (size_t)n, stdout);
		free(p);
		if (n < 0)
			return say(EXIT_INTERNAL, "bad %s in the reply", b64);
	} else {
		return say(EXIT_INTERNAL, "no %s in the reply", name);
	}
	return 0;
}

static void member(struct sbuf *b, const char *name, const char *val, size_t len)
{
	sb_printf(b, ",\"%s\":", name);
	sb_json_str(b, val, len);
}

/* The words "ns SUB ..." takes: create NAME, get NAME KEY, set NAME KEY VALUE. */
static int ns_argc(const char *sub)
{
	return !strcmp(sub, "create") ? 3 : !strcmp(sub, "get") ? 4 : !strcmp(sub, "set") ? 5 : -1;
}

/* A value from the command line or stdin, as "value" or "value_base64". */
static int value_member(struct sbuf *b, const char *arg)
{
	struct sbuf in;
	char buf[65536];
	ssize_t n;

	if (strcmp(arg, "-")) {
		sb_json_bytes(b, 1, "value", arg, strlen(arg), SIZE_MAX);
		return 0;
	}
	sb_init(&in, MAX_VALUE);
	while ((n = read(0, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			sb_free(&in);
			return say(EXIT_FAIL, "stdin: %s", strerror(errno));
		}
		sb_put(&in, buf, (size_t)n);
		if (in.err) {
			sb_free(&in);
			return say(EXIT_FAIL, "stdin: more than %u bytes", MAX_VALUE);
		}
	}
	sb_json_bytes(b, 1, "value", in.p ? in.p : "", in.len, SIZE_MAX);
	sb_free(&in);
	return 0;
}

/* --timeout S (seconds, decimals allowed) anywhere after the verb; removed from argv. */
static int take_timeout(int *argc, char **argv, long long *ms)
{
	*ms = -1;
	for (int i = 0; i < *argc; i++) {
		char *end;
		double s;

		if (strcmp(argv[i], "--timeout"))
			continue;
		if (i + 1 >= *argc)
			return say(EXIT_USAGE, "--timeout needs seconds");
		errno = 0;
		s = strtod(argv[i + 1], &end);
		if (errno || end == argv[i + 1] || *end || !(s >= 0 && s <= 604800))
			return say(EXIT_USAGE, "--timeout: '%s' is not 0..604800 seconds", argv[i + 1]);
		*ms = (long long)(s * 1000 + 0.5);
		memmove(argv + i, argv + i + 2, (size_t)(*argc - i - 2) * sizeof(*argv));
		*argc -= 2;
		i--;
	}
	return 0;
}

static int events(struct conn *k)
{
	char *line;
	size_t len;
	int bad;

	while ((line = next_line(k, &len, &bad))) {
		fwrite(line, 1, len, stdout);
		fputc('\n', stdout);
		if (fflush(stdout))
			return say(EXIT_FAIL, "stdout: %s", strerror(errno));
	}
	return bad ? say(EXIT_INTERNAL, "control socket: bad event stream") : 0;
}

static int keys(const struct reply *r)
{
	const struct json_member *m = json_get(&r->o, "keys");
	const char *p, *end, *e;
	size_t len;
	int rc;

	if (!m || m->type != JSON_RAW || *m->s != '[')
		return say(EXIT_INTERNAL, "no key list in the reply");
	p = m->s, end = m->s + m->len;
	while ((rc = json_array_next(&p, end, &e, &len)) > 0) {
		struct reply one = { .scratch = malloc(JSON_SCRATCH(len)) };
		const char *err;

		if (!one.scratch)
			return say(EXIT_INTERNAL, "%s", strerror(ENOMEM));
		rc = json_parse(e, len, one.scratch, &one.o, &err) ? -1 : print_value(&one, "key");
		free(one.scratch);
		if (rc)
			return say(EXIT_INTERNAL, "bad key list in the reply");
		fputc('\n', stdout);
	}
	return rc ? say(EXIT_INTERNAL, "bad key list in the reply") : 0;
}

/* The guest's events, one a line, then how it ended; 0 only if completed. */
static int quiesce_report(const struct reply *r)
{
	const struct json_member *m = json_get(&r->o, "events"), *st = json_get(&r->o, "state");
	const char *p, *end, *e;
	size_t len;
	int rc;

	if (!m || m->type != JSON_RAW || *m->s != '[' || !st || st->type != JSON_STR)
		return say(EXIT_INTERNAL, "no quiesce report in the reply");
	p = m->s, end = m->s + m->len;
	while ((rc = json_array_next(&p, end, &e, &len)) > 0) {
		/* Each a JSON string: print it as {"v": ...} decodes it. */
		struct sbuf one;
		struct reply v = { .scratch = malloc(JSON_SCRATCH(len + 8)) };
		const char *err;

		sb_init(&one, SIZE_MAX);
		sb_puts(&one, "{\"v\":");
		sb_put(&one, e, len);
		sb_puts(&one, "}");
		rc = !v.scratch || one.err || json_parse(one.p, one.len, v.scratch, &v.o, &err) ?
			     -1 : print_value(&v, "v");
		free(v.scratch);
		sb_free(&one);
		if (rc)
			return say(EXIT_INTERNAL, "bad event list in the reply");
		fputc('\n', stdout);
	}
	if (rc)
		return say(EXIT_INTERNAL, "bad event list in the reply");
	if (json_get(&r->o, "timed_out")) {
		puts("timed out: aborted by the host");
		return EXIT_FAIL;
	}
	puts(st->s);
	return strcmp(st->s, "completed") ? EXIT_FAIL : 0;
}

static int raw(const struct reply *r, const char *name)
{
	const struct json_member *m = json_get(&r->o, name);

	if (!m || m->type != JSON_RAW)
		return say(EXIT_INTERNAL, "no %s in the reply", name);
	fwrite(m->s, 1, m->len, stdout);
	fputc('\n', stdout);
	return 0;
}

int emu_ctl_main(int argc, char **argv)
{
	struct reply r = { .scratch = NULL };
	struct conn k = { .fd = -1 };
	struct sbuf req;
	long long ms;
	const char *verb, *sub, *path;
	int rc;

	if (argc < 3) {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	path = argv[1];
	argc -= 2, argv += 2;	/* past --ctl PATH */
	if ((rc = take_timeout(&argc, argv, &ms)))
		return rc;
	verb = argv[0];
	sub = argc > 1 ? argv[1] : "";
	sb_init(&req, CTL_MAX_REQUEST - 2);
	if (!strcmp(verb, "info") && !strcmp(sub, "get") && argc == 3) {
		sb_puts(&req, "{\"op\":\"info.get\"");
		member(&req, "key", argv[2], strlen(argv[2]));
	} else if (!strcmp(verb, "info") && !strcmp(sub, "set") && argc == 4) {
		sb_puts(&req, "{\"op\":\"info.set\"");
		member(&req, "key", argv[2], strlen(argv[2]));
		if ((rc = value_member(&req, argv[3])))
			goto out;
	} else if (!strcmp(verb, "info") && !strcmp(sub, "del") && argc == 3) {
		sb_puts(&req, "{\"op\":\"info.del\"");
		member(&req, "key", argv[2], strlen(argv[2]));
	} else if (!strcmp(verb, "info") && !strcmp(sub, "list") && argc == 2) {
		sb_puts(&req, "{\"op\":\"info.list\"");
	} else if (!strcmp(verb, "wait") && !strcmp(sub, "info") && (argc == 3 || argc == 4)) {
		sb_puts(&req, "{\"op\":\"wait.info\"");
		member(&req, "key", argv[2], strlen(argv[2]));
		if (argc == 4)
			sb_json_bytes(&req, 1, "value", argv[3], strlen(argv[3]), SIZE_MAX);
	} else if (!strcmp(verb, "wait") && !strcmp(sub, "tools") &&
		   (argc == 2 || (argc == 4 && !strcmp(argv[2], "--app")))) {
		sb_puts(&req, "{\"op\":\"wait.tools\"");
		if (argc == 4)
			member(&req, "app", argv[3], strlen(argv[3]));
	} else if (!strcmp(verb, "tclo") && (argc == 2 || (argc == 4 && !strcmp(sub, "--app")))) {
		sb_puts(&req, "{\"op\":\"tclo\"");
		if (argc == 4)
			member(&req, "app", argv[2], strlen(argv[2]));
		member(&req, "cmd", argv[argc - 1], strlen(argv[argc - 1]));
	} else if (!strcmp(verb, "power") && argc == 2) {
		sb_puts(&req, "{\"op\":\"power\"");
		member(&req, "action", sub, strlen(sub));
	} else if (!strcmp(verb, "quiesce") && (argc == 1 || (argc == 2 && !strcmp(sub, "--abort")))) {
		sb_puts(&req, argc == 2 ? "{\"op\":\"quiesce\",\"abort\":true" : "{\"op\":\"quiesce\"");
	} else if (!strcmp(verb, "ns") && argc == ns_argc(sub)) {
		sb_printf(&req, "{\"op\":\"ns.%s\"", sub);
		member(&req, "name", argv[2], strlen(argv[2]));
		if (argc > 3)
			member(&req, "key", argv[3], strlen(argv[3]));
		if (argc > 4)
			member(&req, "value", argv[4], strlen(argv[4]));
	} else if (!strcmp(verb, "guest") && argc == 1) {
		sb_puts(&req, "{\"op\":\"guest\"");
	} else if (!strcmp(verb, "help") && argc == 1) {
		fputs(usage, stdout);
		rc = 0;
		goto out;
	} else if (!strcmp(verb, "stats") && argc == 1) {
		sb_puts(&req, "{\"op\":\"stats\"");
	} else if (!strcmp(verb, "events") && argc == 1) {
		sb_puts(&req, "{\"op\":\"events\"");
	} else {
		fputs(usage, stderr);
		rc = EXIT_USAGE;
		goto out;
	}
	if (ms >= 0 && strcmp(verb, "wait") && strcmp(verb, "tclo") && strcmp(verb, "power") &&
	    strcmp(verb, "quiesce")) {
		rc = say(EXIT_USAGE, "--timeout is for wait, tclo, power and quiesce");
		goto out;
	}
	if (ms >= 0)
		sb_printf(&req, ",\"timeout_ms\":%lld", ms);
	if ((rc = dial(&k, path)))
		goto out;
	if ((rc = call(&k, &req, &r)))
		goto out;
	if ((!strcmp(verb, "info") && !strcmp(sub, "get")) ||
	    (!strcmp(verb, "wait") && !strcmp(sub, "info")) ||
	    (!strcmp(verb, "ns") && !strcmp(sub, "get"))) {
		if (!(rc = print_value(&r, "value")))
			fputc('\n', stdout);
	} else if (!strcmp(verb, "info") && !strcmp(sub, "list")) {
		rc = keys(&r);
	} else if (!strcmp(verb, "tclo") || !strcmp(verb, "power")) {
		/* The guest's answer as it sent it; a power op's report after it. */
		if (!(rc = print_value(&r, "reply")))
			fputc('\n', stdout);
		if (!rc && json_get(&r.o, "statechange") && !(rc = print_value(&r, "statechange")))
			fputc('\n', stdout);
		/* Delivered, but the tools refused: a script wants to know. */
		if (!rc && !(json_get(&r.o, "reply") && !strncmp(json_get(&r.o, "reply")->s, "OK", 2)))
			rc = EXIT_FAIL;
	} else if (!strcmp(verb, "quiesce")) {
		rc = quiesce_report(&r);
	} else if (!strcmp(verb, "guest")) {
		rc = raw(&r, "guest");
	} else if (!strcmp(verb, "stats")) {
		rc = raw(&r, "stats");
	} else if (!strcmp(verb, "events")) {
		rc = events(&k);
	}
	if (!rc && fflush(stdout))
		rc = say(EXIT_FAIL, "stdout: %s", strerror(errno));
out:
	free(r.scratch);
	sb_free(&req);
	sb_free(&k.in);
	if (k.fd >= 0)
		close(k.fd);
	return rc;
}
