#include "domain/conflict.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "domain/match.h"
#include "store/misc.h"

#define CATCH_UP_BATCH 1000

/* Set once at start and cleared at the end; the index has its own lock. */
static struct match_index *_Atomic index_ptr;

static const struct {
	unsigned bit;
	const char *name;
} reason_names[] = {
	{ MATCH_SAME_DOMAIN, "same_domain" },   { MATCH_SAME_NAME, "same_name" },
	{ MATCH_SIMILAR_NAME, "similar_name" }, { MATCH_ACRONYM, "acronym" },
	{ MATCH_SAME_COUNTRY, "same_country" }, { MATCH_DIFFERENT_COUNTRY, "different_country" },
};

static const char *const level_names[] = { "", "possible", "probable", "certain" };

int
conflict_domain_key(const char *in, char *out, size_t size)
{
	return match_domain_key(in, out, size) < 0 ? -1 : 0;
}

static int
is_open(const char *status)
{
	return status && (!strcmp(status, "submitted") || !strcmp(status, "approved"));
}

static void
put_account(struct match_index *idx, const struct account *a)
{
	struct match_record m = { .kind = MATCH_ACCOUNT,
		                  .id = a->id,
		                  .partner_id = a->owner_partner_id,
		                  .name = a->name,
		                  .domain = a->ndomains ? a->domains[0] : NULL,
		                  .country = a->country };

	match_index_put(idx, &m);
}

static void
put_registration(struct match_index *idx, const struct registration *r)
{
	struct match_record m = { .kind = MATCH_REGISTRATION,
		                  .id = r->id,
		                  .partner_id = r->partner_id,
		                  .name = r->customer_name,
		                  .domain = r->customer_domain,
		                  .country = r->customer_country };

	if (is_open(r->status))
		match_index_put(idx, &m);
	else
		match_index_remove(idx, MATCH_REGISTRATION, r->id);
}

static enum err
load_account(void *arg, const struct account *a)
{
	put_account(arg, a);
	return ERR_OK;
}

static enum err
load_registration(void *arg, const struct registration *r)
{
	put_registration(arg, r);
	return ERR_OK;
}

enum err
conflict_index_open(struct ctx *c)
{
	struct match_index *idx = match_index_new();
	enum err rc;

	if (!idx)
		return ERR_NOMEM;
	if ((rc = store_account_each(c, load_account, idx)) ||
	    (rc = store_registration_each_open(c, load_registration, idx))) {
		match_index_free(idx);
		return rc;
	}
	match_index_free(atomic_exchange(&index_ptr, idx));
	return ERR_OK;
}

void
conflict_index_close(void)
{
	match_index_free(atomic_exchange(&index_ptr, NULL));
}

size_t
conflict_index_size(void)
{
	struct match_index *idx = atomic_load(&index_ptr);

	return idx ? match_index_size(idx) : 0;
}

/* A copy of a record's matching keys, made in the arena, for after commit. */
struct note {
	struct match_record m;
	int remove;
};

static void
apply_note(void *arg)
{
	struct note *n = arg;
	struct match_index *idx = atomic_load(&index_ptr);

	if (!idx)
		return;
	if (n->remove)
		match_index_remove(idx, n->m.kind, n->m.id);
	else
		match_index_put(idx, &n->m);
}

static enum err
note(struct ctx *c, const struct match_record *m, int remove)
{
	struct note *n;

	if (!atomic_load(&index_ptr))
		return ERR_OK;
	if (!(n = arena_alloc(c->arena, sizeof *n)))
		return ERR_NOMEM;
	n->m = *m;
	n->m.name = arena_strdup(c->arena, m->name);
	n->m.domain = arena_strdup(c->arena, m->domain);
	n->m.country = arena_strdup(c->arena, m->country);
	n->remove = remove;
	return ctx_after_commit(c, apply_note, n) ? ERR_NOMEM : ERR_OK;
}

enum err
conflict_note_account(struct ctx *c, const struct account *a)
{
	struct match_record m = { .kind = MATCH_ACCOUNT,
		                  .id = a->id,
		                  .partner_id = a->owner_partner_id,
		                  .name = a->name,
		                  .domain = a->ndomains ? a->domains[0] : NULL,
		                  .country = a->country };

	return note(c, &m, 0);
}

enum err
conflict_note_registration(struct ctx *c, const struct registration *r)
{
	struct match_record m = { .kind = MATCH_REGISTRATION,
		                  .id = r->id,
		                  .partner_id = r->partner_id,
		                  .name = r->customer_name,
		                  .domain = r->customer_domain,
		                  .country = r->customer_country };

	return note(c, &m, !is_open(r->status));
}

enum err
conflict_catch_up(struct ctx *c, int64_t *last)
{
	struct match_index *idx = atomic_load(&index_ptr);
	struct change *items;
	struct actor saved = c->actor;
	size_t n;
	enum err rc;

	if (!idx)
		return ERR_OK;
	c->actor = (struct actor){ 0 }; /* the index covers every partner */
	do {
		if ((rc = store_changes_since(c, *last, CATCH_UP_BATCH, &items, &n)))
			break;
		for (size_t i = 0; i < n && !rc; i++) {
			if (!strcmp(items[i].entity, "account")) {
				struct account a;
				rc = store_account_get(c, items[i].entity_id, &a);
				if (!rc)
					put_account(idx, &a);
			} else if (!strcmp(items[i].entity, "registration")) {
				struct registration r;
				rc = store_registration_get(c, items[i].entity_id, &r);
				if (!rc)
					put_registration(idx, &r);
			}
			if (rc == ERR_NOTFOUND)
				rc = ERR_OK;
			if (!rc)
				*last = items[i].id;
		}
	} while (!rc && n == CATCH_UP_BATCH);
	c->actor = saved;
	return rc;
}

static json_t *
reasons_json(unsigned bits)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < sizeof reason_names / sizeof reason_names[0]; i++)
		if (bits & reason_names[i].bit)
			json_array_append_new(arr, json_string(reason_names[i].name));
	return arr;
}

enum err
conflict_find(struct ctx *c, const char *name, const char *domain, const char *country,
              int64_t partner_id, int64_t self_id, json_t **out)
{
	struct match_index *idx = atomic_load(&index_ptr);
	struct match_hit hits[CONFLICTS_MAX + 8];
	size_t n = 0;
	json_t *arr = json_array();

	*out = NULL;
	if (!arr)
		return ERR_NOMEM;
	if (idx &&
	    match_check(idx, name, domain, country, hits, sizeof hits / sizeof hits[0], &n)) {
		json_decref(arr);
		return ERR_NOMEM;
	}
	for (size_t i = 0; i < n && json_array_size(arr) < CONFLICTS_MAX; i++) {
		const struct match_hit *h = &hits[i];
		const char *kind, *type;

		if (h->kind == MATCH_REGISTRATION) {
			/* a partner's own registrations are not channel conflicts */
			if (h->id == self_id || (partner_id && h->partner_id == partner_id))
				continue;
			kind = "duplicate_registration";
			type = "deal_registration";
		} else if (h->kind == MATCH_ACCOUNT) {
			if (partner_id && h->partner_id == partner_id)
				continue; /* the partner's own customer */
			kind = h->partner_id ? "partner_account" : "direct_account";
			type = "account";
		} else {
			kind = "direct_opportunity";
			type = "opportunity";
		}
		json_array_append_new(arr,
		                      json_pack("{sssssssIsisosI}", "kind", kind, "level",
		                                level_names[h->level], "record_type", type,
		                                "record_id", (json_int_t)h->id, "score_bps",
		                                h->score_bps, "reasons", reasons_json(h->reasons),
		                                "partner_id", (json_int_t)h->partner_id));
	}
	*out = arr;
	return ERR_OK;
}

json_t *
conflict_view(const struct ctx *c, json_t *stored)
{
	json_t *arr = json_array(), *v;
	size_t i;

	json_array_foreach(stored, i, v)
	{
		int64_t owner = json_integer_value(json_object_get(v, "partner_id"));
		int mine = ctx_scope(c) && owner == ctx_scope(c);
		int hide = ctx_scope(c) && !mine;
		json_int_t bps = json_integer_value(json_object_get(v, "score_bps"));
		json_t *id = json_object_get(v, "record_id");

		json_array_append_new(arr, json_pack("{sOsOsOsososO}", "kind",
		                                     json_object_get(v, "kind"), "level",
		                                     json_object_get(v, "level"), "record_type",
		                                     json_object_get(v, "record_type"), "record_id",
		                                     hide ? json_null() : json_incref(id), "score",
		                                     json_real((double)bps / 10000.0), "reasons",
		                                     json_object_get(v, "reasons")));
	}
	return arr;
}
