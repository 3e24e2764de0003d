#include "store/account.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "store/db.h"
#include "store/row.h"

#define ACCOUNT_COLS                                                                               \
	"id, name, country, status, external_id, domains, owner_kind, owner_user_id,"              \
	" owner_partner_id, created_at, updated_at"

static void
read_domains(struct ctx *c, const char *text, struct account *a)
{
	json_t *arr = text ? json_loads(text, 0, NULL) : NULL;
	size_t i;
	json_t *v;

	a->ndomains = 0;
	json_array_foreach(arr, i, v)
	{
		if (a->ndomains < ACCOUNT_DOMAINS_MAX && json_is_string(v))
			a->domains[a->ndomains++] = arena_strdup(c->arena, json_string_value(v));
	}
	json_decref(arr);
}

static void
read_account(struct ctx *c, struct dbstmt *st, struct account *a)
{
	a->id = db_col_i64(st, 0);
	a->name = row_text(c, st, 1);
	a->country = row_text(c, st, 2);
	a->status = row_text(c, st, 3);
	a->external_id = row_text(c, st, 4);
	read_domains(c, db_col_text(st, 5), a);
	a->owner_kind = row_text(c, st, 6);
	a->owner_user_id = db_col_i64(st, 7);
	a->owner_partner_id = db_col_i64(st, 8);
	a->created_at = db_col_i64(st, 9);
	a->updated_at = db_col_i64(st, 10);
}

static char *
domains_json(const struct account *a)
{
	json_t *arr = json_array();
	char *s;

	for (int i = 0; i < a->ndomains; i++)
		json_array_append_new(arr, json_string(a->domains[i]));
	s = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	return s;
}

enum err
store_account_get(struct ctx *c, int64_t id, struct account *a)
{
	struct dbstmt *st;
	enum err rc;
	int row;

	if ((rc = db_prepare(c->db,
	                     "SELECT " ACCOUNT_COLS " FROM accounts WHERE id = ?"
	                     " AND (? = 0 OR owner_partner_id = ?)",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, id);
	db_bind_i64(st, 2, ctx_scope(c));
	db_bind_i64(st, 3, ctx_scope(c));
	if ((rc = db_step(st, &row)))
		return rc;
	if (!row)
		return ERR_NOTFOUND;
	read_account(c, st, a);
	return row_drain(st, row);
}

/* Rewrites the domain rows of an account. */
static enum err
write_domains(struct ctx *c, const struct account *a)
{
	struct dbstmt *st;
	enum err rc;

	if ((rc = db_prepare(c->db, "DELETE FROM account_domains WHERE account_id = ?", &st)))
		return rc;
	db_bind_i64(st, 1, a->id);
	if ((rc = db_run(st, NULL)))
		return rc;
	for (int i = 0; i < a->ndomains; i++) {
		if ((rc = db_prepare(c->db,
		                     "INSERT INTO account_domains(account_id, domain) VALUES (?, ?)"
		                     " ON CONFLICT DO NOTHING",
		                     &st)))
			return rc;
		db_bind_i64(st, 1, a->id);
		db_bind_text(st, 2, a->domains[i]);
		if ((rc = db_run(st, NULL)))
			return rc;
	}
	return ERR_OK;
}

static void
bind_fields(struct dbstmt *st, int at, const struct account *a, const char *name_key,
            const char *domains)
{
	db_bind_text(st, at + 0, a->name);
	db_bind_text(st, at + 1, name_key);
	db_bind_text(st, at + 2, a->ndomains ? a->domains[0] : NULL);
	db_bind_text(st, at + 3, domains);
	db_bind_text(st, at + 4, a->country);
	db_bind_text(st, at + 5, a->status);
	db_bind_text(st, at + 6, a->owner_kind);
	bind_ref(st, at + 7, a->owner_user_id);
	bind_ref(st, at + 8, a->owner_partner_id);
	db_bind_text(st, at + 9, a->external_id);
	db_bind_i64(st, at + 10, a->updated_at);
}

enum err
store_account_insert(struct ctx *c, struct account *a, const char *name_key)
{
	struct dbstmt *st;
	char *domains;
	enum err rc;

	if (ctx_scope(c) && a->owner_partner_id != ctx_scope(c))
		return ERR_NOTFOUND;
	if (!(domains = domains_json(a)))
		return ERR_NOMEM;
	rc = db_prepare(c->db,
	                "INSERT INTO accounts(name, name_key, domain, domains, country, status,"
	                " owner_kind, owner_user_id, owner_partner_id, external_id, updated_at,"
	                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	                &st);
	if (!rc) {
		bind_fields(st, 1, a, name_key, domains);
		db_bind_i64(st, 12, a->created_at);
		rc = db_run(st, &a->id);
	}
	free(domains);
	return rc ? rc : write_domains(c, a);
}

enum err
store_account_update(struct ctx *c, const struct account *a, const char *name_key)
{
	struct dbstmt *st;
	char *domains;
	enum err rc;

	if (ctx_scope(c) && a->owner_partner_id != ctx_scope(c))
		return ERR_NOTFOUND;
	if (!(domains = domains_json(a)))
		return ERR_NOMEM;
	rc = db_prepare(c->db,
	                "UPDATE accounts SET name = ?, name_key = ?, domain = ?, domains = ?,"
	                " country = ?, status = ?, owner_kind = ?, owner_user_id = ?,"
	                " owner_partner_id = ?, external_id = ?, updated_at = ?"
	                " WHERE id = ? AND (? = 0 OR owner_partner_id = ?)",
	                &st);
	if (!rc) {
		bind_fields(st, 1, a, name_key, domains);
		db_bind_i64(st, 12, a->id);
		db_bind_i64(st, 13, ctx_scope(c));
		db_bind_i64(st, 14, ctx_scope(c));
		rc = db_run(st, NULL);
	}
	free(domains);
	return rc ? rc : write_domains(c, a);
}

enum err
store_account_list(struct ctx *c, const struct account_filter *f, struct account **items, size_t *n)
{
	struct dbstmt *st;
	struct account *out;
	enum err rc;
	int row;

	*items = NULL;
	*n = 0;
	if (!(out = arena_alloc(c->arena, sizeof *out * (size_t)(f->limit + 1))))
		return ERR_NOMEM;
	if ((rc = db_prepare(c->db,
	                     "SELECT " ACCOUNT_COLS " FROM accounts WHERE id > ?"
	                     " AND (? = 0 OR owner_partner_id = ?)"
	                     " AND (? = 0 OR owner_partner_id = ?)"
	                     " AND (? IS NULL OR name_key LIKE ? ESCAPE '\\')"
	                     " AND (? IS NULL OR id IN (SELECT account_id FROM account_domains"
	                     "      WHERE domain = ?))"
	                     " AND (? IS NULL OR country = ?)"
	                     " AND (? IS NULL OR status = ?)"
	                     " AND (? IS NULL OR owner_kind = ?)"
	                     " ORDER BY id LIMIT ?",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, f->after);
	db_bind_i64(st, 2, ctx_scope(c));
	db_bind_i64(st, 3, ctx_scope(c));
	db_bind_i64(st, 4, f->partner_id);
	db_bind_i64(st, 5, f->partner_id);
	db_bind_text(st, 6, f->q);
	db_bind_text(st, 7, f->q);
	db_bind_text(st, 8, f->domain);
	db_bind_text(st, 9, f->domain);
	db_bind_text(st, 10, f->country);
	db_bind_text(st, 11, f->country);
	db_bind_text(st, 12, f->status);
	db_bind_text(st, 13, f->status);
	db_bind_text(st, 14, f->owner_kind);
	db_bind_text(st, 15, f->owner_kind);
	db_bind_i64(st, 16, f->limit + 1);
	while (!(rc = db_step(st, &row)) && row)
		read_account(c, st, &out[(*n)++]);
	*items = out;
	return rc;
}

enum err
store_account_find_import(struct ctx *c, const char *external_id, const char *name_key,
                          const char *country, const char *domain, int64_t owner_partner_id,
                          int64_t *id)
{
	struct dbstmt *st;
	enum err rc;
	int row;

	*id = 0;
	if (external_id) {
		if ((rc = db_prepare(c->db,
		                     "SELECT id FROM accounts WHERE external_id = ?"
		                     " AND COALESCE(owner_partner_id, 0) = ? ORDER BY id LIMIT 1",
		                     &st)))
			return rc;
		db_bind_text(st, 1, external_id);
		db_bind_i64(st, 2, owner_partner_id);
	} else {
		if ((rc = db_prepare(c->db,
		                     "SELECT id FROM accounts WHERE name_key = ?"
		                     " AND COALESCE(country, '') = COALESCE(?, '')"
		                     " AND COALESCE(domain, '') = COALESCE(?, '')"
		                     " AND COALESCE(owner_partner_id, 0) = ? ORDER BY id LIMIT 1",
		                     &st)))
			return rc;
		db_bind_text(st, 1, name_key);
		db_bind_text(st, 2, country);
		db_bind_text(st, 3, domain);
		db_bind_i64(st, 4, owner_partner_id);
	}
	if ((rc = db_step(st, &row)))
		return rc;
	if (!row)
		return ERR_NOTFOUND;
	*id = db_col_i64(st, 0);
	return row_drain(st, row);
}

enum err
store_account_each(struct ctx *c, enum err (*fn)(void *arg, const struct account *a), void *arg)
{
	struct dbstmt *st;
	struct account a;
	struct arena scratch = { 0 };
	struct arena *saved = c->arena;
	enum err rc;
	int row;

	if ((rc = db_prepare(c->db, "SELECT " ACCOUNT_COLS " FROM accounts ORDER BY id", &st)))
		return rc;
	c->arena = &scratch;
	while (!(rc = db_step(st, &row)) && row) {
		read_account(c, st, &a);
		rc = fn(arg, &a);
		arena_release(&scratch);
		if (rc)
			break;
	}
	c->arena = saved;
	arena_release(&scratch);
	if (rc)
		db_reset(st);
	return rc;
}
