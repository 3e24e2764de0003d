#include "store/statement.h"

#include <string.h>

#include "store/db.h"
#include "store/row.h"

#define STATEMENT_COLS                                                                             \
	"id, partner_id, period, status, approved_at, paid_at, created_at, updated_at"

static void
read_statement(struct ctx *c, struct dbstmt *st, struct statement *s)
{
	s->id = db_col_i64(st, 0);
	s->partner_id = db_col_i64(st, 1);
	s->period = row_text(c, st, 2);
	s->status = row_text(c, st, 3);
	s->approved_at = db_col_i64(st, 4);
	s->paid_at = db_col_i64(st, 5);
	s->created_at = db_col_i64(st, 6);
	s->updated_at = db_col_i64(st, 7);
	s->lines = NULL;
	s->nlines = 0;
}

enum err
store_statement_for(struct ctx *c, int64_t partner_id, const char *period, int64_t *id,
                    const char **status)
{
	struct dbstmt *st;
	enum err rc;
	int row;

	if ((rc = db_prepare(
	             c->db, "SELECT id, status FROM statements WHERE partner_id = ? AND period = ?",
	             &st)))
		return rc;
	db_bind_i64(st, 1, partner_id);
	db_bind_text(st, 2, period);
	if ((rc = db_step(st, &row)))
		return rc;
	if (row) {
		*id = db_col_i64(st, 0);
		*status = row_text(c, st, 1);
		return row_drain(st, row);
	}
	if ((rc = db_prepare(c->db,
	                     "INSERT INTO statements(partner_id, period, status, created_at,"
	                     " updated_at) VALUES (?, ?, 'draft', ?, ?) RETURNING id",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, partner_id);
	db_bind_text(st, 2, period);
	db_bind_i64(st, 3, c->now);
	db_bind_i64(st, 4, c->now);
	*status = "draft";
	return db_run(st, id);
}

enum err
store_statement_add_line(struct ctx *c, int64_t statement_id, const struct statement_line *l)
{
	struct dbstmt *st;
	enum err rc;

	if ((rc = db_prepare(c->db,
	                     "INSERT INTO statement_lines(statement_id, order_id, kind, currency,"
	                     " basis, bps, amount) VALUES (?, ?, ?, ?, ?, ?, ?)",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, statement_id);
	db_bind_i64(st, 2, l->order_id);
	db_bind_text(st, 3, l->kind);
	db_bind_text(st, 4, l->basis.currency);
	db_bind_i64(st, 5, l->basis.amount);
	db_bind_i64(st, 6, l->bps);
	db_bind_i64(st, 7, l->amount);
	if ((rc = db_run(st, NULL)))
		return rc;
	if ((rc = db_prepare(c->db, "UPDATE statements SET updated_at = ? WHERE id = ?", &st)))
		return rc;
	db_bind_i64(st, 1, c->now);
	db_bind_i64(st, 2, statement_id);
	return db_run(st, NULL);
}

enum err
store_statement_get(struct ctx *c, int64_t id, struct statement *s)
{
	struct dbstmt *st;
	enum err rc;
	int row;

	if ((rc = db_prepare(c->db,
	                     "SELECT " STATEMENT_COLS " FROM statements WHERE id = ?"
	                     " AND (? = 0 OR partner_id = ?)",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, id);
	db_bind_i64(st, 2, ctx_scope(c));
	db_bind_i64(st, 3, ctx_scope(c));
	if ((rc = db_step(st, &row)))
		return rc;
	if (!row)
		return ERR_NOTFOUND;
	read_statement(c, st, s);
	return row_drain(st, row);
}

enum err
store_statement_lines(struct ctx *c, struct statement *s)
{
	struct dbstmt *st;
	enum err rc;
	int row;
	size_t cap = 16;

	s->nlines = 0;
	if (!(s->lines = arena_alloc(c->arena, sizeof *s->lines * cap)))
		return ERR_NOMEM;
	if ((rc = db_prepare(
	             c->db,
	             "SELECT order_id, kind, currency, basis, bps, amount FROM statement_lines"
	             " WHERE statement_id = ? ORDER BY id",
	             &st)))
		return rc;
	db_bind_i64(st, 1, s->id);
	while (!(rc = db_step(st, &row)) && row) {
		struct statement_line *l;
		if (s->nlines == cap) {
			struct statement_line *bigger =
			        arena_alloc(c->arena, sizeof *bigger * cap * 2);
			if (!bigger) {
				db_reset(st);
				return ERR_NOMEM;
			}
			memcpy(bigger, s->lines, sizeof *bigger * cap);
			s->lines = bigger;
			cap *= 2;
		}
		l = &s->lines[s->nlines++];
		l->order_id = db_col_i64(st, 0);
		l->kind = row_text(c, st, 1);
		row_money(st, 3, 2, &l->basis);
		l->bps = db_col_i64(st, 4);
		l->amount = db_col_i64(st, 5);
	}
	return rc;
}

enum err
store_statement_list(struct ctx *c, const struct statement_filter *f, struct statement **items,
                     size_t *n)
{
	struct dbstmt *st;
	struct statement *out;
	enum err rc;
	int row;

	*items = NULL;
	*n = 0;
	if (!(out = arena_alloc(c->arena, sizeof *out * (size_t)(f->limit + 1))))
		return ERR_NOMEM;
	if ((rc = db_prepare(c->db,
	                     "SELECT " STATEMENT_COLS " FROM statements WHERE id > ?"
	                     " AND (? = 0 OR partner_id = ?) AND (? = 0 OR partner_id = ?)"
	                     " AND (? IS NULL OR period IN (?, ?, ?, ?))"
	                     " ORDER BY id LIMIT ?",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, f->after);
	db_bind_i64(st, 2, ctx_scope(c));
	db_bind_i64(st, 3, ctx_scope(c));
	db_bind_i64(st, 4, f->partner_id);
	db_bind_i64(st, 5, f->partner_id);
	db_bind_text(st, 6, f->periods[0]);
	for (int i = 0; i < 4; i++)
		db_bind_text(st, 7 + i, f->periods[0] ? f->periods[i] : NULL);
	db_bind_i64(st, 11, f->limit + 1);
	while (!(rc = db_step(st, &row)) && row)
		read_statement(c, st, &out[(*n)++]);
	*items = out;
	return rc;
}

enum err
store_statement_update(struct ctx *c, const struct statement *s)
{
	struct dbstmt *st;
	enum err rc;

	if (ctx_scope(c))
		return ERR_FORBIDDEN;
	if ((rc = db_prepare(c->db,
	                     "UPDATE statements SET status = ?, approved_at = ?, paid_at = ?,"
	                     " updated_at = ? WHERE id = ?",
	                     &st)))
		return rc;
	db_bind_text(st, 1, s->status);
	bind_ref(st, 2, s->approved_at);
	bind_ref(st, 3, s->paid_at);
	db_bind_i64(st, 4, s->updated_at);
	db_bind_i64(st, 5, s->id);
	return db_run(st, NULL);
}

enum err
store_tier_history(struct ctx *c, int64_t partner_id, int max, struct tier_period **items,
                   size_t *n)
{
	struct dbstmt *st;
	enum err rc;
	int row;

	*n = 0;
	if (!(*items = arena_alloc(c->arena, sizeof **items * (size_t)max)))
		return ERR_NOMEM;
	if ((rc = db_prepare(c->db,
	                     "SELECT tier, from_day, to_day FROM tier_history WHERE partner_id = ?"
	                     " AND (? = 0 OR partner_id = ?) ORDER BY id DESC LIMIT ?",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, partner_id);
	db_bind_i64(st, 2, ctx_scope(c));
	db_bind_i64(st, 3, ctx_scope(c));
	db_bind_i64(st, 4, max);
	while (!(rc = db_step(st, &row)) && row) {
		struct tier_period *t = &(*items)[(*n)++];
		t->tier = row_text(c, st, 0);
		t->from = db_col_i64(st, 1);
		t->to = db_col_i64(st, 2);
	}
	/* oldest first */
	for (size_t i = 0; i < *n / 2; i++) {
		struct tier_period tmp = (*items)[i];
		(*items)[i] = (*items)[*n - 1 - i];
		(*items)[*n - 1 - i] = tmp;
	}
	return rc;
}

enum err
store_tier_change(struct ctx *c, int64_t partner_id, const char *tier, int64_t day)
{
	struct dbstmt *st;
	enum err rc;

	if ((rc = db_prepare(
	             c->db,
	             "UPDATE tier_history SET to_day = ? WHERE partner_id = ? AND to_day IS NULL",
	             &st)))
		return rc;
	db_bind_i64(st, 1, day);
	db_bind_i64(st, 2, partner_id);
	if ((rc = db_run(st, NULL)))
		return rc;
	if ((rc = db_prepare(
	             c->db, "INSERT INTO tier_history(partner_id, tier, from_day) VALUES (?, ?, ?)",
	             &st)))
		return rc;
	db_bind_i64(st, 1, partner_id);
	db_bind_text(st, 2, tier);
	db_bind_i64(st, 3, day);
	if ((rc = db_run(st, NULL)))
		return rc;
	if ((rc = db_prepare(c->db, "UPDATE partners SET tier = ?, updated_at = ? WHERE id = ?",
	                     &st)))
		return rc;
	db_bind_text(st, 1, tier);
	db_bind_i64(st, 2, c->now);
	db_bind_i64(st, 3, partner_id);
	return db_run(st, NULL);
}
