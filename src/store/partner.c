#include "store/partner.h"

#include "store/db.h"
#include "store/row.h"

#define PARTNER_COLS                                                                               \
	"id, name, type, status, tier, domain, country, region,"                                   \
	" account_manager_id, credit_amount, credit_currency,"                                     \
	" designated_consultants, created_at, updated_at"

static void
read_partner(struct ctx *c, struct dbstmt *st, struct partner *p)
{
	p->id = db_col_i64(st, 0);
	p->name = row_text(c, st, 1);
	p->type = row_text(c, st, 2);
	p->status = row_text(c, st, 3);
	p->tier = row_text(c, st, 4);
	p->domain = row_text(c, st, 5);
	p->country = row_text(c, st, 6);
	p->region = row_text(c, st, 7);
	p->account_manager_id = db_col_i64(st, 8);
	row_money(st, 9, 10, &p->credit_line);
	p->designated_consultants = db_col_i64(st, 11);
	p->created_at = db_col_i64(st, 12);
	p->updated_at = db_col_i64(st, 13);
}

enum err
store_partner_get(struct ctx *c, int64_t id, struct partner *p)
{
	struct dbstmt *st;
	enum err rc;
	int row;

	if ((rc = db_prepare(c->db,
	                     "SELECT " PARTNER_COLS " FROM partners WHERE id = ?"
	                     " AND (? = 0 OR id = ?)",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, id);
	db_bind_i64(st, 2, ctx_scope(c));
	db_bind_i64(st, 3, ctx_scope(c));
	if ((rc = db_step(st, &row)))
		return rc;
	if (!row)
		return ERR_NOTFOUND;
	read_partner(c, st, p);
	return row_drain(st, row);
}

/* The columns both insert and update write, bound from index `at`. */
static void
bind_fields(struct dbstmt *st, int at, const struct partner *p, const char *name_key)
{
	db_bind_text(st, at + 0, p->name);
	db_bind_text(st, at + 1, name_key);
	db_bind_text(st, at + 2, p->type);
	db_bind_text(st, at + 3, p->status);
	db_bind_text(st, at + 4, p->tier);
	db_bind_text(st, at + 5, p->domain);
	db_bind_text(st, at + 6, p->country);
	db_bind_text(st, at + 7, p->region);
	bind_ref(st, at + 8, p->account_manager_id);
	bind_money(st, at + 9, at + 10, &p->credit_line);
	db_bind_i64(st, at + 11, p->designated_consultants);
	db_bind_i64(st, at + 12, p->updated_at);
}

enum err
store_partner_insert(struct ctx *c, struct partner *p, const char *name_key)
{
	struct dbstmt *st;
	enum err rc;

	if (ctx_scope(c))
		return ERR_FORBIDDEN;
	if ((rc = db_prepare(c->db,
	                     "INSERT INTO partners(name, name_key, type, status, tier, domain,"
	                     " country, region, account_manager_id, credit_amount, credit_currency,"
	                     " designated_consultants, updated_at, created_at)"
	                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	                     &st)))
		return rc;
	bind_fields(st, 1, p, name_key);
	db_bind_i64(st, 14, p->created_at);
	return db_run(st, &p->id);
}

enum err
store_partner_update(struct ctx *c, const struct partner *p, const char *name_key)
{
	struct dbstmt *st;
	enum err rc;

	if ((rc = db_prepare(
	             c->db,
	             "UPDATE partners SET name = ?, name_key = ?, type = ?, status = ?,"
	             " tier = ?, domain = ?, country = ?, region = ?, account_manager_id = ?,"
	             " credit_amount = ?, credit_currency = ?, designated_consultants = ?,"
	             " updated_at = ? WHERE id = ? AND (? = 0 OR id = ?)",
	             &st)))
		return rc;
	bind_fields(st, 1, p, name_key);
	db_bind_i64(st, 14, p->id);
	db_bind_i64(st, 15, ctx_scope(c));
	db_bind_i64(st, 16, ctx_scope(c));
	return db_run(st, NULL);
}

enum err
store_partner_list(struct ctx *c, const struct partner_filter *f, struct partner **items, size_t *n)
{
	struct dbstmt *st;
	struct partner *out;
	enum err rc;
	int row;

	*items = NULL;
	*n = 0;
	if (!(out = arena_alloc(c->arena, sizeof *out * (size_t)(f->limit + 1))))
		return ERR_NOMEM;
	if ((rc = db_prepare(c->db,
	                     "SELECT " PARTNER_COLS " FROM partners WHERE id > ?"
	                     " AND (? = 0 OR id = ?)"
	                     " AND (? IS NULL OR status = ?)"
	                     " AND (? IS NULL OR type = ?)"
	                     " AND (? IS NULL OR tier = ?)"
	                     " AND (? IS NULL OR country = ?)"
	                     " AND (? IS NULL OR region = ?)"
	                     " AND (? = 0 OR account_manager_id = ?)"
	                     " AND (? IS NULL OR name_key LIKE ? ESCAPE '\\')"
	                     " ORDER BY id LIMIT ?",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, f->after);
	db_bind_i64(st, 2, ctx_scope(c));
	db_bind_i64(st, 3, ctx_scope(c));
	db_bind_text(st, 4, f->status);
	db_bind_text(st, 5, f->status);
	db_bind_text(st, 6, f->type);
	db_bind_text(st, 7, f->type);
	db_bind_text(st, 8, f->tier);
	db_bind_text(st, 9, f->tier);
	db_bind_text(st, 10, f->country);
	db_bind_text(st, 11, f->country);
	db_bind_text(st, 12, f->region);
	db_bind_text(st, 13, f->region);
	db_bind_i64(st, 14, f->account_manager_id);
	db_bind_i64(st, 15, f->account_manager_id);
	db_bind_text(st, 16, f->q);
	db_bind_text(st, 17, f->q);
	db_bind_i64(st, 18, f->limit + 1);
	while (!(rc = db_step(st, &row)) && row)
		read_partner(c, st, &out[(*n)++]);
	*items = out;
	return rc;
}
