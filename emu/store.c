// SPDX-License-Identifier: MIT
/*
 * The guestinfo store.
 *
 * The store is an AVL tree keyed by strcmp order: every get and set costs
 * O(log n) key comparisons whatever the keys look like (a hash table would
 * need a secret seed to stay fast against keys a guest picks, and the core
 * takes no randomness it is not given), and a walk gives the sorted order
 * dumps need without sorting.  Height <= 1.44 log2(n + 2): 24 levels for
 * VMW_EMU_MAX_KEYS, so the recursion is shallow.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

static int keycmp(struct emu_store *s, const char *a, const char *b)
{
	s->cmps++;
	return s->nocase ? strcasecmp(a, b) : strcmp(a, b);
}

static struct emu_kv *find(const struct emu_store *cs, const char *key)
{
	struct emu_store *s = (struct emu_store *)cs;	/* only the counter changes */
	struct emu_kv *n = s->root;
	int c;

	while (n && (c = keycmp(s, key, n->key)) != 0)
		n = c < 0 ? n->l : n->r;
	return n;
}

static int height(const struct emu_kv *n)
{
	return n ? n->height : 0;
}

static void fix(struct emu_kv *n)
{
	int l = height(n->l), r = height(n->r);

	n->height = 1 + (l > r ? l : r);
}

/* balance() rotates only toward a child 2 levels high: never NULL. */
static struct emu_kv *rot_right(struct emu_kv *n)
{
	struct emu_kv *l = n->l;

	if (!l)
		return n;
	n->l = l->r;
	l->r = n;
	fix(n);
	fix(l);
	return l;
}

static struct emu_kv *rot_left(struct emu_kv *n)
{
	struct emu_kv *r = n->r;

	if (!r)
		return n;
	n->r = r->l;
	r->l = n;
	fix(n);
	fix(r);
	return r;
}

static struct emu_kv *balance(struct emu_kv *n)
{
	int b = height(n->l) - height(n->r);

	if (b > 1) {
		if (height(n->l->l) < height(n->l->r))
			n->l = rot_left(n->l);
		return rot_right(n);
	}
	if (b < -1) {
		if (height(n->r->r) < height(n->r->l))
			n->r = rot_right(n->r);
		return rot_left(n);
	}
	fix(n);
	return n;
}

/* Insert kv, whose key is not in the tree yet. */
static struct emu_kv *insert(struct emu_store *s, struct emu_kv *n, struct emu_kv *kv)
{
	if (!n)
		return kv;
	if (keycmp(s, kv->key, n->key) < 0)
		n->l = insert(s, n->l, kv);
	else
		n->r = insert(s, n->r, kv);
	return balance(n);
}

/* What a key and its value cost against cfg.info_limit. */
static uint64_t cost(size_t klen, size_t len)
{
	return (uint64_t)klen + len;
}

static int put(struct emu_host *h, const char *key, const void *val, size_t len, int guest)
{
	struct emu_store *s = &h->info;
	struct emu_kv *kv = find(s, key);
	size_t klen = strlen(key);
	uint64_t used = s->guest_bytes;
	char *v;

	if (klen == 0 || klen > VMW_EMU_MAX_KEY_LEN || len > h->cfg.max_out_size - 2)
		return -1;
	if (!kv && s->n == VMW_EMU_MAX_KEYS)
		return -1;
	if (kv && kv->guest)
		used -= cost(klen, kv->len);
	/* Checked before allocating: a refused set must not cost memory either. */
	if (guest && (used > h->cfg.info_limit || cost(klen, len) > h->cfg.info_limit - used))
		return EMU_STORE_FULL;
	v = malloc(len + 1);
	if (!v)
		return -1;
	memcpy(v, val, len);
	v[len] = '\0';
	if (!kv) {
		kv = malloc(sizeof(*kv) + klen + 1);
		if (!kv) {
			free(v);
			return -1;
		}
		*kv = (struct emu_kv){ .height = 1 };
		memcpy(kv->key, key, klen + 1);
		s->root = insert(s, s->root, kv);
		s->n++;
	}
	free(kv->val);
	kv->val = v;
	kv->len = len;
	kv->guest = guest;
	s->guest_bytes = used + (guest ? cost(klen, len) : 0);
	emu_ev_info(h, key, v, len);
	return 0;
}

int emu_info_set(struct emu_host *h, const char *key, const void *val, size_t len)
{
	return put(h, key, val, len, 0);
}

int emu_store_guest_set(struct emu_host *h, const char *key, const void *val, size_t len)
{
	return put(h, key, val, len, 1);
}

const char *emu_info_get(const struct emu_host *h, const char *key, size_t *len)
{
	const struct emu_kv *kv = find(&h->info, key);

	if (!kv)
		return NULL;
	if (len)
		*len = kv->len;
	return kv->val;
}

/* Take the leftmost node out of the subtree n into *min. */
static struct emu_kv *remove_min(struct emu_kv *n, struct emu_kv **min)
{
	if (!n->l) {
		*min = n;
		return n->r;
	}
	n->l = remove_min(n->l, min);
	return balance(n);
}

/* Unlink key's node (known to be there) from the subtree n. */
static struct emu_kv *unlink_key(struct emu_store *s, struct emu_kv *n, const char *key)
{
	int c = keycmp(s, key, n->key);
	struct emu_kv *m;

	if (c < 0) {
		n->l = unlink_key(s, n->l, key);
	} else if (c > 0) {
		n->r = unlink_key(s, n->r, key);
	} else {
		if (!n->l || !n->r)
			return n->l ? n->l : n->r;
		n->r = remove_min(n->r, &m);
		m->l = n->l;
		m->r = n->r;
		n = m;
	}
	return balance(n);
}

int emu_info_del(struct emu_host *h, const char *key)
{
	struct emu_store *s = &h->info;
	struct emu_kv *kv = find(s, key);

	if (!kv)
		return -1;
	emu_ev_info(h, key, NULL, 0);
	if (kv->guest)
		s->guest_bytes -= cost(strlen(kv->key), kv->len);
	s->root = unlink_key(s, s->root, kv->key);
	s->n--;
	free(kv->val);
	free(kv);
	return 0;
}

static int walk(const struct emu_kv *n,
		int (*fn)(void *ctx, const char *key, const char *val, size_t len), void *ctx)
{
	int ret;

	if (!n)
		return 0;
	if ((ret = walk(n->l, fn, ctx)) || (ret = fn(ctx, n->key, n->val, n->len)))
		return ret;
	return walk(n->r, fn, ctx);
}

int emu_info_each(const struct emu_host *h,
		  int (*fn)(void *ctx, const char *key, const char *val, size_t len),
		  void *ctx)
{
	return walk(h->info.root, fn, ctx);
}

static void free_tree(struct emu_kv *n)
{
	if (!n)
		return;
	free_tree(n->l);
	free_tree(n->r);
	free(n->val);
	free(n);
}

void emu_store_free(struct emu_store *s)
{
	free_tree(s->root);
	*s = (struct emu_store){ 0 };
}
