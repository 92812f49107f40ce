// SPDX-License-Identifier: MIT
/*
 * The control socket: one thread polls the listening socket, the clients
 * and an eventfd the event sink rings.  The sink runs in the guest's path
 * (whichever thread holds the host's lock) and only copies the event into
 * a bounded ring; this thread formats it and queues it for the
 * subscribers, a batch per wakeup.  The clients are this thread's alone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "control.h"
#include "ctl_req.h"
#include "event_json.h"
#include "event_ring.h"
#include "guestview.h"

struct client {
	int fd;
	int events;		/* subscribed to the event stream */
	int closing;		/* broken or gone: close now */
	int eof;		/* sent all its requests: close when done */
	int waiting;		/* w holds a pending request */
	int discard;		/* skipping the rest of an oversized line */
	uint64_t deadline;	/* monotonic ms; 0: none */
	uint64_t dropped;	/* events lost since the last notice */
	uint64_t since;		/* the first event it gets (ring sequence) */
	struct ctl_wait w;
	struct sbuf in;
	struct sbuf out;
	size_t sent;		/* bytes of out already written */
};

struct emu_control {
	int lfd, wake;
	char *path;
	FILE *log;
	int log_err;
	struct emu_host *h;
	pthread_mutex_t *lock;	/* the host's */
	pthread_t thread;
	int running;
	atomic_int stop, rung, subscribers, waiters;
	struct client *cl[CTL_MAX_CLIENTS];
	size_t ncl;
	struct ev_ring *ring;	/* events for the subscribers */
	struct sbuf line;	/* an event for the log, under the host lock */
	struct sbuf sub_line;	/* an event for the subscribers, in the thread */
	struct guestview gv;	/* under the host lock */
};

/* Events the ring holds for the thread: some thousands of RPCs. */
#define CTL_RING_BYTES (1u << 20)

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

struct emu_control *emu_control_new(void)
{
	struct emu_control *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->lfd = -1;
	c->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	c->ring = ev_ring_new(CTL_RING_BYTES, EMU_EVENT_TEXT_LIMIT);
	if (c->wake < 0 || !c->ring) {
		if (c->wake >= 0)
			close(c->wake);
		ev_ring_free(c->ring);
		free(c);
		return NULL;
	}
	sb_init(&c->line, SIZE_MAX);
	sb_init(&c->sub_line, SIZE_MAX);
	gv_init(&c->gv);
	return c;
}

int emu_control_listen(struct emu_control *c, const char *path, char *err, size_t errlen)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old;
	int fd, rc;

	if (strlen(path) >= sizeof(a.sun_path)) {
		snprintf(err, errlen, "%.200s: path longer than %zu bytes", path, sizeof(a.sun_path) - 1);
		return -1;
	}
	strcpy(a.sun_path, path);
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "%s: exists and is not a socket", path);
			return -1;
		}
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0 ||
		    errno != ECONNREFUSED) {
			if (fd >= 0)
				close(fd);
			snprintf(err, errlen, "%s: in use by a running emulator", path);
			return -1;
		}
		close(fd);
		unlink(path);	/* stale: nobody listens */
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		goto fail;
	old = umask(077);	/* no moment where others could connect */
	rc = bind(fd, (struct sockaddr *)&a, sizeof(a));
	umask(old);
	if (rc || chmod(path, 0600) || listen(fd, 16)) {
		close(fd);
		goto fail;
	}
	c->path = strdup(path);
	if (!c->path) {
		close(fd);
		unlink(path);
		goto fail;
	}
	c->lfd = fd;
	return 0;
fail:
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return -1;
}

void emu_control_log(struct emu_control *c, FILE *f)
{
	c->log = f;
}

/* How long an event may wait to share its wakeup with the next ones. */
#define CTL_BATCH_NS 10000000

static void ring(struct emu_control *c)
{
	uint64_t one = 1;

	if (!atomic_exchange(&c->rung, 1) && write(c->wake, &one, sizeof(one)) < 0)
		atomic_store(&c->rung, 0);
}

/*
 * Queue an event line for a subscriber, all of it or nothing, after the
 * notice of those dropped before it (n 0: the notice alone).
 */
static void enqueue(struct client *k, const char *s, size_t n)
{
	char note[64];
	int m = 0;

	if (!n && !k->dropped)
		return;
	if (k->dropped)
		m = snprintf(note, sizeof(note), "{\"event\":\"dropped\",\"count\":%llu}\n",
			     (unsigned long long)k->dropped);
	if (k->out.len - k->sent + (size_t)m + n > CTL_QUEUE_MAX) {
		k->dropped++;
		return;
	}
	if (m) {
		sb_put(&k->out, note, (size_t)m);
		k->dropped = 0;
	}
	sb_put(&k->out, s, n);
}

/*
 * The host's event sink: runs in whichever thread holds the host's lock,
 * the guest's path.  The log (texts whole, nothing dropped) is written
 * here; for the subscribers the event is only copied.
 */
static void sink(void *ctx, const struct emu_event *ev)
{
	struct emu_control *c = ctx;
	int beat = ev->type == EMU_EV_TCLO_REPLY && !ev->len;	/* for the guest view only */
	int subs = !beat && atomic_load(&c->subscribers);

	gv_event(&c->gv, ev);
	if (beat && !atomic_load(&c->waiters))
		return;
	if (c->log && !c->log_err && !beat) {
		c->line.len = 0;
		emu_event_json(&c->line, ev, SIZE_MAX, NULL);
		if (c->line.err || fwrite(c->line.p, 1, c->line.len, c->log) != c->line.len)
			c->log_err = 1;
	}
	if (subs)
		ev_ring_put(c->ring, ev);	/* full: dropped, and counted */
	if (subs || atomic_load(&c->waiters))
		ring(c);
}

static void deliver_one(void *ctx, uint64_t seq, const struct emu_event *ev,
			const struct timespec *when)
{
	struct emu_control *c = ctx;

	c->sub_line.len = 0;
	c->sub_line.err = 0;
	emu_event_json(&c->sub_line, ev, EMU_EVENT_TEXT_LIMIT, when);
	for (size_t i = 0; i < c->ncl && !c->sub_line.err; i++)
		if (c->cl[i]->events && seq >= c->cl[i]->since)
			enqueue(c->cl[i], c->sub_line.p, c->sub_line.len);
}

/* The events the sink copied, to the subscribers' queues. */
static void deliver(struct emu_control *c)
{
	uint64_t dropped = 0;

	ev_ring_take(c->ring, deliver_one, c, &dropped);
	for (size_t i = 0; i < c->ncl; i++) {
		if (!c->cl[i]->events)
			continue;
		c->cl[i]->dropped += dropped;
		enqueue(c->cl[i], NULL, 0);
	}
}

static void reply(struct client *k, const struct sbuf *r)
{
	if (r->err)
		sb_puts(&k->out, "{\"ok\":false,\"error\":\"reply too large or out of memory\"}\n");
	else
		sb_put(&k->out, r->p, r->len);
}

static void request(struct emu_control *c, struct client *k, const char *line, size_t n)
{
	struct sbuf r;
	enum ctl_kind kind;

	sb_init(&r, SIZE_MAX);
	pthread_mutex_lock(c->lock);
	kind = ctl_handle(c->h, &c->gv, line, n, &r, &k->w);
	pthread_mutex_unlock(c->lock);
	if (kind == CTL_WAIT) {
		k->waiting = 1;
		k->deadline = k->w.has_timeout ? now_ms() + k->w.timeout_ms : 0;
		atomic_fetch_add(&c->waiters, 1);
	}
	reply(k, &r);
	if (kind == CTL_EVENTS && !k->events) {
		k->events = 1;
		k->since = ev_ring_seq(c->ring);
		atomic_fetch_add(&c->subscribers, 1);
	}
	sb_free(&r);
}

static void too_long(struct client *k)
{
	struct sbuf r;

	sb_init(&r, 256);
	sb_printf(&r, "{\"ok\":false,\"error\":\"request longer than %u bytes\"}\n",
		  CTL_MAX_REQUEST);
	reply(k, &r);
	sb_free(&r);
}

/* Complete lines in k->in, one request each, until one waits. */
static void requests(struct emu_control *c, struct client *k)
{
	size_t start = 0;

	while (!k->waiting && !k->closing && start < k->in.len) {
		char *nl = memchr(k->in.p + start, '\n', k->in.len - start);
		size_t n;

		if (!nl)
			break;
		n = (size_t)(nl - (k->in.p + start));
		if (k->discard)
			k->discard = 0;
		else if (n && !(n == 1 && k->in.p[start] == '\r'))
			request(c, k, k->in.p + start, n);
		start += n + 1;
	}
	memmove(k->in.p, k->in.p + start, k->in.len - start);
	k->in.len -= start;
	if (k->in.len >= CTL_MAX_REQUEST && !k->waiting) {
		/* No newline within the limit: refuse the line, skip to its end. */
		if (!k->discard)
			too_long(k);
		k->discard = 1;
		k->in.len = 0;
	}
}

static void take_input(struct emu_control *c, struct client *k)
{
	char buf[65536];
	ssize_t n = recv(k->fd, buf, sizeof(buf), 0);

	if (n == 0) {
		/* Half-closed, as socat does: a last line without newline still counts. */
		k->eof = 1;
		if (!k->discard && k->in.len && !k->waiting) {
			sb_put(&k->in, "\n", 1);
			requests(c, k);
		}
		return;
	}
	if (n < 0 && errno != EAGAIN && errno != EINTR) {
		k->closing = 1;
		return;
	}
	if (n < 0)
		return;
	if (k->discard) {
		char *nl = memchr(buf, '\n', (size_t)n);

		if (!nl)
			return;
		k->discard = 0;
		sb_put(&k->in, nl + 1, (size_t)(buf + n - nl - 1));
	} else {
		sb_put(&k->in, buf, (size_t)n);
	}
	if (k->in.err) {
		k->closing = 1;
		return;
	}
	requests(c, k);
}

static void flush(struct client *k)
{
	while (k->sent < k->out.len) {
		ssize_t n = send(k->fd, k->out.p + k->sent, k->out.len - k->sent,
				 MSG_NOSIGNAL | MSG_DONTWAIT);

		if (n <= 0) {
			if (n < 0 && errno != EAGAIN && errno != EINTR)
				k->closing = 1;
			break;
		}
		k->sent += (size_t)n;
	}
	if (k->sent == k->out.len) {
		k->out.len = k->sent = 0;
	} else if (k->sent > (1u << 16)) {
		memmove(k->out.p, k->out.p + k->sent, k->out.len - k->sent);
		k->out.len -= k->sent;
		k->sent = 0;
	}
}

static void check_wait(struct emu_control *c, struct client *k, int ended)
{
	struct sbuf r;
	int over;

	sb_init(&r, SIZE_MAX);
	pthread_mutex_lock(c->lock);
	over = ctl_wait_check(c->h, &k->w, &r, k->deadline && now_ms() >= k->deadline, ended);
	pthread_mutex_unlock(c->lock);
	if (over) {
		reply(k, &r);
		ctl_wait_free(&k->w);
		k->waiting = 0;
		atomic_fetch_sub(&c->waiters, 1);
		requests(c, k);
	}
	sb_free(&r);
}

static void drop_client(struct emu_control *c, size_t i)
{
	struct client *k = c->cl[i];

	c->cl[i] = c->cl[--c->ncl];
	if (k->events)
		atomic_fetch_sub(&c->subscribers, 1);
	if (k->waiting) {
		ctl_wait_free(&k->w);
		atomic_fetch_sub(&c->waiters, 1);
	}
	close(k->fd);
	sb_free(&k->in);
	sb_free(&k->out);
	free(k);
}

static void accept_one(struct emu_control *c)
{
	static const char full[] = "{\"ok\":false,\"error\":\"too many clients\"}\n";
	int fd = accept4(c->lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	struct client *k;

	if (fd < 0)
		return;
	if (c->ncl == CTL_MAX_CLIENTS || !(k = calloc(1, sizeof(*k)))) {
		if (send(fd, full, sizeof(full) - 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0)
			(void)0;	/* it is being turned away anyway */
		close(fd);
		return;
	}
	k->fd = fd;
	sb_init(&k->in, CTL_MAX_REQUEST + 65536);
	sb_init(&k->out, SIZE_MAX);
	c->cl[c->ncl++] = k;
}

static int pending_out(const struct client *k)
{
	return k->sent < k->out.len;
}

/*
 * One round of poll.  Ending: requests already sent are still answered
 * (against the final state), waits fail, output is flushed.
 */
static void serve_once(struct emu_control *c, int ending)
{
	struct pollfd pfd[CTL_MAX_CLIENTS + 2];
	uint64_t t = now_ms(), next = 0;
	size_t n = 0, i;
	int timeout = ending ? 50 : -1;

	pfd[n++] = (struct pollfd){ c->wake, POLLIN, 0 };
	pfd[n++] = (struct pollfd){ c->lfd, POLLIN, 0 };
	for (i = 0; i < c->ncl; i++) {
		struct client *k = c->cl[i];
		short ev = 0;

		/* A client with a request in progress or a backlog is not read. */
		if (!k->waiting && !k->closing && !k->eof && !pending_out(k))
			ev |= POLLIN;
		if (pending_out(k))
			ev |= POLLOUT;
		pfd[n++] = (struct pollfd){ k->fd, ev, 0 };
		if (k->waiting && k->deadline && (!next || k->deadline < next))
			next = k->deadline;
	}
	if (next)
		timeout = next > t ? (int)(next - t < 60000 ? next - t : 60000) : 0;
	if (poll(pfd, n, timeout) < 0)
		return;
	if (pfd[0].revents) {
		uint64_t v;

		/*
		 * Rung for events alone: let more gather before sending, so a
		 * guest at full speed costs a wakeup per batch, not per event
		 * (the sink does not ring again until rung is cleared).
		 */
		if (!ending && !atomic_load(&c->waiters))
			nanosleep(&(struct timespec){ 0, CTL_BATCH_NS }, NULL);
		/*
		 * Drained before rung is cleared: a ring in between is either
		 * in the ring already (delivered below) or writes again.
		 */
		if (read(c->wake, &v, sizeof(v)) < 0)
			(void)0;	/* EAGAIN: already drained */
		atomic_store(&c->rung, 0);
	}
	deliver(c);
	if (pfd[1].revents & POLLIN)
		accept_one(c);
	for (i = 0; i < n - 2 && i < c->ncl; i++) {
		struct client *k = c->cl[i];

		if (pfd[i + 2].fd != k->fd)
			break;	/* a new client took this slot's place: next round */
		if (pfd[i + 2].revents & POLLIN)
			take_input(c, k);
		else if (pfd[i + 2].revents & (POLLHUP | POLLERR))
			k->closing = 1;	/* gone both ways: nobody to answer */
	}
	for (i = 0; i < c->ncl; i++) {
		struct client *k = c->cl[i];

		if (k->waiting)
			check_wait(c, k, ending);
		if (!k->closing)
			flush(k);
	}
	for (i = c->ncl; i-- > 0;) {
		struct client *k = c->cl[i];

		if (k->closing || (k->eof && !k->waiting && !k->events && !pending_out(k)))
			drop_client(c, i);
	}
}

static void *serve(void *arg)
{
	struct emu_control *c = arg;
	uint64_t end;
	int busy, rounds = 0;

	while (!atomic_load(&c->stop))
		serve_once(c, 0);
	/* The emulator is ending: last requests, the waits' ends, what is queued. */
	end = now_ms() + 1000;
	do {
		serve_once(c, 1);
		busy = rounds++ < 2;
		for (size_t i = 0; i < c->ncl; i++)
			busy |= pending_out(c->cl[i]);
	} while (busy && now_ms() < end);
	while (c->ncl)
		drop_client(c, c->ncl - 1);
	return NULL;
}

int emu_control_start(struct emu_control *c, struct emu_host *h, pthread_mutex_t *lock)
{
	sigset_t all, old;
	int rc;

	c->h = h;
	c->lock = lock;
	emu_host_set_event(h, sink, c);
	if (c->lfd < 0)
		return 0;
	/* Signals are for the ptrace runner's thread. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&c->thread, NULL, serve, c);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc) {
		errno = rc;
		return -1;
	}
	c->running = 1;
	return 0;
}

int emu_control_stop(struct emu_control *c)
{
	int rc;

	if (!c)
		return 0;
	if (c->h)
		emu_host_set_event(c->h, NULL, NULL);
	if (c->running) {
		atomic_store(&c->stop, 1);
		ring(c);
		pthread_join(c->thread, NULL);
	}
	if (c->lfd >= 0) {
		close(c->lfd);
		unlink(c->path);
	}
	rc = c->log_err ? -1 : 0;
	close(c->wake);
	ev_ring_free(c->ring);
	sb_free(&c->line);
	sb_free(&c->sub_line);
	gv_free(&c->gv);
	free(c->path);
	free(c);
	return rc;
}
