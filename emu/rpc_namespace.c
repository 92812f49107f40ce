// SPDX-License-Identifier: MIT
/*
 * The namespace database: "namespace-priv-get-values" and
 * "namespace-priv-set-keys", as vmware-namespace-cmd, vgauthImport and the
 * serviceDiscovery plugin send them (open-vm-tools namespacetool.c,
 * vgauthImport.c, serviceDiscovery.c).  Arguments are NUL-terminated
 * fields:
 *
 *   get-values  <ns> <key> [<key> ...]            reply: each value, NUL-ended
 *   set-keys    <ns> <numOps> then per op <opcode> <key> <value> <oldValue>
 *
 * Opcode 0 sets always, 1 only if the key's value is oldValue (an absent
 * key reads as ""); an empty value deletes.  The guest cannot create a
 * namespace: vSphere's management API does (here emu_ns_create).
 * A set-keys applies all its operations or none: every check (old values,
 * sizes, counts, memory) passes before anything changes.
 *
 * Each namespace is a sorted array: binary search, and the counts are
 * bounded (EMU_NS_KEYS), so an insert's move stays cheap.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_OPS		256	/* operations in one set-keys */

struct ent {
	char *kv;		/* key, NUL, value, NUL */
	size_t klen, vlen;
};

struct ns {
	char *name;
	struct ent *ent;
	size_t n, cap;
};

struct emu_nsdb {
	struct ns ns[EMU_NS_MAX];
	size_t n;
	uint64_t bytes;		/* keys + values over every namespace */
};

/* One set-keys operation: pointers into the request. */
struct op {
	const char *k, *v, *o;
	size_t kl, vl, ol;
	int cas;
	int last;		/* no later operation names the same key */
	char *kv;		/* the new entry, allocated before anything changes */
};

void emu_nsdb_free(struct emu_nsdb *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < db->n; i++) {
		for (size_t j = 0; j < db->ns[i].n; j++)
			free(db->ns[i].ent[j].kv);
		free(db->ns[i].ent);
		free(db->ns[i].name);
	}
	free(db);
}

static struct ns *ns_find(const struct emu_nsdb *db, const char *name, size_t len)
{
	if (!db)
		return NULL;
	for (size_t i = 0; i < db->n; i++)
		if (strlen(db->ns[i].name) == len && !memcmp(db->ns[i].name, name, len))
			return (struct ns *)&db->ns[i];
	return NULL;
}

/* The index of key in ns, or where it would go (*found 0). */
static size_t ent_find(const struct ns *ns, const char *key, size_t len, int *found)
{
	size_t lo = 0, hi = ns->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, m = ns->ent[mid].klen;
		int c = memcmp(key, ns->ent[mid].kv, len < m ? len : m);

		if (!c)
			c = len < m ? -1 : len > m;
		if (!c) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	*found = 0;
	return lo;
}

static const struct ent *lookup(const struct ns *ns, const char *key, size_t len)
{
	int found;
	size_t i = ent_find(ns, key, len, &found);

	return found ? &ns->ent[i] : NULL;
}

int emu_ns_create(struct emu_host *h, const char *name)
{
	size_t len = strlen(name);
	struct emu_nsdb *db;

	if (!len || len > EMU_NS_NAME_MAX)
		return -1;
	if (ns_find(h->nsdb, name, len))
		return 0;
	if (!h->nsdb && !(h->nsdb = calloc(1, sizeof(*h->nsdb))))
		return -1;
	db = h->nsdb;
	if (db->n == EMU_NS_MAX || !(db->ns[db->n].name = strdup(name)))
		return -1;
	db->n++;
	return 0;
}

const char *emu_ns_get(const struct emu_host *h, const char *ns, const char *key, size_t *len)
{
	const struct ns *s = ns_find(h->nsdb, ns, strlen(ns));
	const struct ent *e = s ? lookup(s, key, strlen(key)) : NULL;

	if (!e)
		return NULL;
	*len = e->vlen;
	return e->kv + e->klen + 1;
}

size_t emu_ns_count(const struct emu_host *h)
{
	return h->nsdb ? h->nsdb->n : 0;
}

const char *emu_ns_name(const struct emu_host *h, size_t i)
{
	return i < emu_ns_count(h) ? h->nsdb->ns[i].name : NULL;
}

const char *emu_ns_key_at(const struct emu_host *h, const char *ns, size_t i, const char **val,
			  size_t *len)
{
	const struct ns *s = ns_find(h->nsdb, ns, strlen(ns));

	if (!s || i >= s->n)
		return NULL;
	*val = s->ent[i].kv + s->ent[i].klen + 1;
	*len = s->ent[i].vlen;
	return s->ent[i].kv;
}

/* The next field: up to a NUL or the end of the request.  -1 past the end. */
static int field(const uint8_t **p, const uint8_t *end, const char **s, size_t *n)
{
	const uint8_t *nul;

	if (*p >= end)
		return -1;
	nul = memchr(*p, '\0', (size_t)(end - *p));
	*s = (const char *)*p;
	*n = (size_t)((nul ? nul : end) - *p);
	*p = nul ? nul + 1 : end;
	return 0;
}

/* Nothing but NULs left: the padding serviceDiscovery adds. */
static int only_nuls(const uint8_t *p, const uint8_t *end)
{
	while (p < end && !*p)
		p++;
	return p == end;
}

/* The namespace the request names, or a refusal in *why. */
static struct ns *ns_arg(struct emu_host *h, const uint8_t **p, const uint8_t *end,
			 const char **why)
{
	const char *name;
	size_t n;
	struct ns *s;

	*why = "Invalid arguments";
	if (field(p, end, &name, &n) || !n)
		return NULL;
	if (!(s = ns_find(h->nsdb, name, n)))
		*why = "No such namespace";
	return s;
}

static int refuse(struct emu_buf *out, const char *why)
{
	return emu_reply(out, 0, why, strlen(why));
}

static int get_values(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out)
{
	const uint8_t *p = arg, *end = arg + len, *keys;
	const char *why, *k = NULL;
	struct ns *s = ns_arg(h, &p, end, &why);
	size_t n = 0, total = 0, nkeys = 0;
	uint8_t *w;

	if (!s)
		return refuse(out, why);
	/* Two passes: every key exists and the reply fits, then the reply. */
	keys = p;
	while (!field(&p, end, &k, &n)) {
		const struct ent *e;

		if (!n) {
			if (!only_nuls(p, end))
				return EMU_REPLY(out, 0, "Invalid arguments");
			break;
		}
		if (!(e = lookup(s, k, n)))
			return EMU_REPLY(out, 0, "Key not found");
		total += e->vlen + 1;
		nkeys++;
		if (total > h->cfg.max_out_size - 2)
			return EMU_REPLY(out, 0, "Reply too large");
	}
	if (!nkeys)
		return EMU_REPLY(out, 0, "Invalid arguments");
	if (emu_reply(out, 1, "", 0) || !(w = realloc(out->p, total + 2)))
		return -1;
	out->p = w;
	out->len = (uint32_t)(total + 2);
	w += 2;
	for (p = keys; nkeys--;) {
		const struct ent *e;

		field(&p, end, &k, &n);
		e = lookup(s, k, n);
		memcpy(w, e->kv + e->klen + 1, e->vlen + 1);
		w += e->vlen + 1;
	}
	return 0;
}

/* numOps: decimal, at most MAX_OPS; -1 otherwise. */
static long num_ops(const char *s, size_t n)
{
	long v = 0;

	if (!n || n > 4)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v <= MAX_OPS ? v : -1;
}

/* The operations, checked for form and size; NULL and *why if refused. */
static const char *parse_ops(const uint8_t **p, const uint8_t *end, struct op *op, long n)
{
	for (long i = 0; i < n; i++) {
		const char *c;
		size_t cl;

		if (field(p, end, &c, &cl) || cl != 1 || (c[0] != '0' && c[0] != '1') ||
		    field(p, end, &op[i].k, &op[i].kl) || field(p, end, &op[i].v, &op[i].vl) ||
		    field(p, end, &op[i].o, &op[i].ol) || !op[i].kl)
			return "Invalid arguments";
		if (op[i].kl > EMU_NS_KEY_MAX)
			return "Key too long";
		if (op[i].vl > EMU_NS_VALUE_MAX || op[i].ol > EMU_NS_VALUE_MAX)
			return "Value too large";
		op[i].cas = c[0] == '1';
		op[i].last = 1;
		op[i].kv = NULL;
	}
	return only_nuls(*p, end) ? NULL : "Invalid arguments";
}

static int same_key(const struct op *a, const struct op *b)
{
	return a->kl == b->kl && !memcmp(a->k, b->k, a->kl);
}

/*
 * Old values, each against the state the earlier operations leave; then
 * the final state of each key against the limits.  NULL if all pass.
 */
static const char *check_ops(const struct emu_nsdb *db, const struct ns *s, struct op *op,
			     long n, size_t *added)
{
	int64_t keys = (int64_t)s->n, bytes = (int64_t)db->bytes;

	*added = 0;
	for (long i = 0; i < n; i++) {
		const char *cur = "";
		size_t cl = 0;
		long j = i - 1;

		while (j >= 0 && !same_key(&op[j], &op[i]))
			j--;
		if (j >= 0) {
			op[j].last = 0;
			cur = op[j].v, cl = op[j].vl;
		} else {
			const struct ent *e = lookup(s, op[i].k, op[i].kl);

			if (e)
				cur = e->kv + e->klen + 1, cl = e->vlen;
		}
		if (op[i].cas && (cl != op[i].ol || memcmp(cur, op[i].o, cl)))
			return "Old value does not match";
	}
	for (long i = 0; i < n; i++) {
		const struct ent *e;

		if (!op[i].last)
			continue;
		if ((e = lookup(s, op[i].k, op[i].kl)))
			keys--, bytes -= (int64_t)(e->klen + e->vlen);
		if (op[i].vl) {
			keys++, bytes += (int64_t)(op[i].kl + op[i].vl);
			*added += !e;
		}
	}
	if (keys > EMU_NS_KEYS)
		return "Too many keys";
	if (bytes > (int64_t)EMU_NS_BYTES)
		return "Namespace database full";
	return NULL;
}

/* Memory for every new entry and the array; -1 (nothing kept) if short. */
static int prepare(struct ns *s, struct op *op, long n, size_t added)
{
	if (s->n + added > s->cap) {
		size_t cap = s->n + added > 2 * s->cap ? s->n + added : 2 * s->cap;
		struct ent *e = realloc(s->ent, cap * sizeof(*e));

		if (!e)
			return -1;
		s->ent = e;
		s->cap = cap;
	}
	for (long i = 0; i < n; i++) {
		if (!op[i].last || !op[i].vl)
			continue;
		if (!(op[i].kv = malloc(op[i].kl + op[i].vl + 2))) {
			while (i--)
				free(op[i].kv);
			return -1;
		}
		memcpy(op[i].kv, op[i].k, op[i].kl);
		op[i].kv[op[i].kl] = '\0';
		memcpy(op[i].kv + op[i].kl + 1, op[i].v, op[i].vl);
		op[i].kv[op[i].kl + 1 + op[i].vl] = '\0';
	}
	return 0;
}

/* Cannot fail: prepare() made room. */
static void apply(struct emu_nsdb *db, struct ns *s, const struct op *op, long n)
{
	for (long i = 0; i < n; i++) {
		int found;
		size_t at;

		if (!op[i].last)
			continue;
		at = ent_find(s, op[i].k, op[i].kl, &found);
		if (found) {
			db->bytes -= s->ent[at].klen + s->ent[at].vlen;
			free(s->ent[at].kv);
			if (!op[i].vl) {
				memmove(&s->ent[at], &s->ent[at + 1], (s->n - at - 1) * sizeof(*s->ent));
				s->n--;
				continue;
			}
		} else if (op[i].vl) {
			memmove(&s->ent[at + 1], &s->ent[at], (s->n - at) * sizeof(*s->ent));
			s->n++;
		} else {
			continue;
		}
		s->ent[at] = (struct ent){ op[i].kv, op[i].kl, op[i].vl };
		db->bytes += op[i].kl + op[i].vl;
	}
}

static int set_keys(struct emu_host *h, const uint8_t *arg, size_t len, struct emu_buf *out)
{
	const uint8_t *p = arg, *end = arg + len;
	const char *why, *c;
	struct ns *s = ns_arg(h, &p, end, &why);
	struct op *op;
	size_t cl, added;
	long n;
	int rc;

	if (!s)
		return refuse(out, why);
	if (field(&p, end, &c, &cl) || (n = num_ops(c, cl)) < 0)
		return EMU_REPLY(out, 0, "Invalid arguments");
	if (!n)
		return only_nuls(p, end) ? EMU_REPLY(out, 1, "") : EMU_REPLY(out, 0, "Invalid arguments");
	if (!(op = malloc((size_t)n * sizeof(*op))))
		return -1;
	if ((why = parse_ops(&p, end, op, n)) || (why = check_ops(h->nsdb, s, op, n, &added)))
		rc = refuse(out, why);
	else if (prepare(s, op, n, added))
		rc = EMU_REPLY(out, 0, "Out of memory");
	else {
		apply(h->nsdb, s, op, n);
		rc = EMU_REPLY(out, 1, "");
	}
	free(op);
	return rc;
}

int emu_ns_set(struct emu_host *h, const char *ns, const char *key, const char *val, size_t len)
{
	struct ns *s = ns_find(h->nsdb, ns, strlen(ns));
	struct op op = { key, val, "", strlen(key), len, 0, 0, 1, NULL };
	size_t added;

	if (!s || !op.kl || op.kl > EMU_NS_KEY_MAX || len > EMU_NS_VALUE_MAX ||
	    (len && memchr(val, '\0', len)) || check_ops(h->nsdb, s, &op, 1, &added) ||
	    prepare(s, &op, 1, added))
		return -1;
	apply(h->nsdb, s, &op, 1);
	return 0;
}

const struct emu_rpc_cmd emu_rpc_namespace[] = {
	{ "namespace-priv-get-values", get_values, EMU_RPC_RAW },
	{ "namespace-priv-set-keys", set_keys, EMU_RPC_RAW },
	{ NULL, NULL, 0 },
};
