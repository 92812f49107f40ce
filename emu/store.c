// SPDX-License-Identifier: MIT
/* The guestinfo store and the TCLO command queue. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static struct emu_kv *find(const struct emu_store *s, const char *key)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->kv[i].key, key) == 0)
			return &s->kv[i];
	return NULL;
}

int emu_info_set(struct emu_host *h, const char *key, const void *val, size_t len)
{
	struct emu_store *s = &h->info;
	struct emu_kv *kv = find(s, key);
	size_t klen = strlen(key);
	char *v;

	if (klen == 0 || klen > VMW_EMU_MAX_KEY_LEN || len > h->cfg.max_out_size - 2)
		return -1;
	v = malloc(len + 1);
	if (!v)
		return -1;
	memcpy(v, val, len);
	v[len] = '\0';
	if (!kv) {
		if (s->n == VMW_EMU_MAX_KEYS)
			goto fail;
		if (s->n == s->cap) {
			size_t cap = s->cap ? 2 * s->cap : 16;
			struct emu_kv *p = realloc(s->kv, cap * sizeof(*p));

			if (!p)
				goto fail;
			s->kv = p;
			s->cap = cap;
		}
		kv = &s->kv[s->n];
		kv->key = strdup(key);
		if (!kv->key)
			goto fail;
		kv->val = NULL;
		s->n++;
	}
	free(kv->val);
	kv->val = v;
	kv->len = len;
	emu_ev_info(h, key, v, len);
	return 0;
fail:
	free(v);
	return -1;
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

int emu_info_del(struct emu_host *h, const char *key)
{
	struct emu_store *s = &h->info;
	struct emu_kv *kv = find(s, key);

	if (!kv)
		return -1;
	emu_ev_info(h, key, NULL, 0);
	free(kv->key);
	free(kv->val);
	*kv = s->kv[--s->n];
	return 0;
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct emu_kv *)a)->key, ((const struct emu_kv *)b)->key);
}

int emu_info_each(const struct emu_host *h,
		  int (*fn)(void *ctx, const char *key, const char *val, size_t len),
		  void *ctx)
{
	const struct emu_store *s = &h->info;
	int ret = 0;

	/* Sorting in place keeps dumps stable; lookups do not depend on order. */
	if (s->n > 1)
		qsort(s->kv, s->n, sizeof(*s->kv), by_key);
	for (size_t i = 0; i < s->n && !ret; i++)
		ret = fn(ctx, s->kv[i].key, s->kv[i].val, s->kv[i].len);
	return ret;
}

void emu_store_free(struct emu_store *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->kv[i].key);
		free(s->kv[i].val);
	}
	free(s->kv);
	*s = (struct emu_store){ 0 };
}

int emu_tclo_push(struct emu_host *h, const char *cmd)
{
	struct emu_tclo *t = &h->tclo;
	char *c;

	if (t->n == VMW_EMU_MAX_TCLO)
		return -1;
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 8;
		char **q = malloc(cap * sizeof(*q));

		if (!q)
			return -1;
		for (size_t i = 0; i < t->n; i++)
			q[i] = t->q[(t->head + i) % t->cap];
		free(t->q);
		t->q = q;
		t->cap = cap;
		t->head = 0;
	}
	c = strdup(cmd);
	if (!c)
		return -1;
	t->q[(t->head + t->n++) % t->cap] = c;
	return 0;
}

/* Next queued command, or NULL; the caller frees it. */
char *emu_tclo_pop(struct emu_host *h)
{
	struct emu_tclo *t = &h->tclo;
	char *c;

	if (!t->n)
		return NULL;
	c = t->q[t->head];
	t->head = (t->head + 1) % t->cap;
	t->n--;
	return c;
}

const char *emu_tclo_last_reply(const struct emu_host *h, size_t *len)
{
	if (len)
		*len = h->tclo.last_len;
	return h->tclo.last;
}

void emu_tclo_free(struct emu_tclo *t)
{
	while (t->n) {
		free(t->q[t->head]);
		t->head = (t->head + 1) % t->cap;
		t->n--;
	}
	free(t->q);
	free(t->last);
	*t = (struct emu_tclo){ 0 };
}
