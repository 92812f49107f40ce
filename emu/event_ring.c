// SPDX-License-Identifier: MIT
/* Host events copied into a bounded ring, read back in another thread. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "event_ring.h"
#include "internal.h"

/* One event; its key (NUL-terminated), data and data2 bytes follow. */
struct rec {
	uint64_t seq, len, len2;	/* full text lengths */
	int64_t sec;
	int32_t nsec, status;
	uint32_t size;			/* the whole record; 0: the ring's end is padding */
	uint32_t type, owner, chan, proto;
	uint32_t klen, dlen, d2len;	/* bytes kept */
	uint8_t has_key, has_data, has_data2;
};

struct ev_ring {
	pthread_mutex_t lock;
	uint8_t *buf;
	size_t size, cut;
	uint64_t head, tail;	/* bytes ever put and taken: buf offsets modulo size */
	uint64_t seq, dropped;
};

#define ALIGN8(n) (((n) + 7) & ~(size_t)7)

static size_t rec_size(size_t klen, size_t dlen, size_t d2len)
{
	return ALIGN8(sizeof(struct rec) + klen + dlen + d2len);
}

struct ev_ring *ev_ring_new(size_t bytes, size_t cut)
{
	struct ev_ring *r = calloc(1, sizeof(*r));
	size_t most = rec_size(VMW_EMU_MAX_KEY_LEN + 1, cut + 1, cut + 1);

	if (!r)
		return NULL;
	r->cut = cut;
	r->size = ALIGN8(bytes > 2 * most ? bytes : 2 * most);
	r->buf = malloc(r->size);
	if (!r->buf || pthread_mutex_init(&r->lock, NULL)) {
		free(r->buf);
		free(r);
		return NULL;
	}
	return r;
}

void ev_ring_free(struct ev_ring *r)
{
	if (!r)
		return;
	pthread_mutex_destroy(&r->lock);
	free(r->buf);
	free(r);
}

static size_t kept(const void *p, size_t len, size_t cut)
{
	/* One byte past the cut tells whether the cut splits a character. */
	return p ? (len < cut + 1 ? len : cut + 1) : 0;
}

int ev_ring_put(struct ev_ring *r, const struct emu_event *ev)
{
	struct timespec ts;
	struct rec h = { .len = ev->len, .len2 = ev->len2, .status = ev->status,
			 .type = ev->type, .owner = ev->owner, .chan = ev->chan,
			 .proto = ev->proto, .has_key = !!ev->key, .has_data = !!ev->data,
			 .has_data2 = !!ev->data2 };
	size_t off, end, need;
	uint8_t *p;

	clock_gettime(CLOCK_REALTIME, &ts);
	h.sec = ts.tv_sec, h.nsec = (int32_t)ts.tv_nsec;
	h.klen = ev->key ? (uint32_t)strnlen(ev->key, VMW_EMU_MAX_KEY_LEN) + 1 : 0;
	h.dlen = (uint32_t)kept(ev->data, ev->len, r->cut);
	h.d2len = (uint32_t)kept(ev->data2, ev->len2, r->cut);
	need = rec_size(h.klen, h.dlen, h.d2len);
	h.size = (uint32_t)need;
	pthread_mutex_lock(&r->lock);
	h.seq = r->seq++;
	off = r->head % r->size;
	end = r->size - off;
	if (end < need && r->head + end + need - r->tail <= r->size) {
		/* No room before the end: pad to it, start over at the beginning. */
		if (end >= sizeof(struct rec))
			((struct rec *)(void *)(r->buf + off))->size = 0;
		r->head += end;
		off = 0;
	}
	if (r->head + need - r->tail > r->size || off + need > r->size) {
		r->dropped++;
		pthread_mutex_unlock(&r->lock);
		return -1;
	}
	p = r->buf + off;
	memcpy(p, &h, sizeof(h));
	p += sizeof(h);
	if (h.klen) {
		memcpy(p, ev->key, h.klen - 1);
		p[h.klen - 1] = '\0';
		p += h.klen;
	}
	if (h.dlen)
		memcpy(p, ev->data, h.dlen);
	p += h.dlen;
	if (h.d2len)
		memcpy(p, ev->data2, h.d2len);
	r->head += need;
	pthread_mutex_unlock(&r->lock);
	return 0;
}

uint64_t ev_ring_seq(struct ev_ring *r)
{
	uint64_t s;

	pthread_mutex_lock(&r->lock);
	s = r->seq;
	pthread_mutex_unlock(&r->lock);
	return s;
}

size_t ev_ring_take(struct ev_ring *r, ev_ring_fn *fn, void *ctx, uint64_t *dropped)
{
	uint64_t pos, end;
	size_t n = 0;

	pthread_mutex_lock(&r->lock);
	pos = r->tail, end = r->head;
	*dropped += r->dropped;
	r->dropped = 0;
	pthread_mutex_unlock(&r->lock);
	/* [pos, end) is ours: producers write only past end. */
	while (pos < end) {
		size_t off = pos % r->size, left = r->size - off;
		const struct rec *h = (const void *)(r->buf + off);
		const uint8_t *p = r->buf + off + sizeof(*h);
		struct emu_event ev;
		struct timespec ts;

		if (left < sizeof(*h) || h->size == 0) {
			pos += left;
			continue;
		}
		ev = (struct emu_event){ .type = (enum emu_event_type)h->type, .owner = h->owner,
					 .chan = h->chan, .proto = h->proto, .status = h->status,
					 .len = (size_t)h->len, .len2 = (size_t)h->len2 };
		if (h->has_key)
			ev.key = (const char *)p;
		p += h->klen;
		if (h->has_data)
			ev.data = p;
		p += h->dlen;
		if (h->has_data2)
			ev.data2 = p;
		ts = (struct timespec){ .tv_sec = (time_t)h->sec, .tv_nsec = h->nsec };
		fn(ctx, h->seq, &ev, &ts);
		pos += h->size;
		n++;
	}
	pthread_mutex_lock(&r->lock);
	r->tail = end;
	pthread_mutex_unlock(&r->lock);
	return n;
}
