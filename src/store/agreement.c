#include "store/agreement.h"

#include "store/db.h"
#include "store/row.h"

#define AGREEMENT_COLS                                                                             \
	"id, partner_id, type, discount_bps, fee_bps, split_bps,"                                  \
	" services_discount_bps, referral_window_days, commit_amount,"                             \
	" commit_currency, start_date, end_date, term_months, auto_renew,"                         \
	" notice_days, exclusive, terminated_on, created_at, updated_at"

static int64_t
bps_col(struct dbstmt *st, int i)
{
	return db_col_null(st, i) ? BPS_NONE : db_col_i64(st, i);
}

static void
bind_bps(struct dbstmt *st, int i, int64_t v)
{
	if (v == BPS_NONE)
		db_bind_null(st, i);
	else
		db_bind_i64(st, i, v);
}

static void
read_agreement(struct ctx *c, struct dbstmt *st, struct agreement *a)
{
	a->id = db_col_i64(st, 0);
	a->partner_id = db_col_i64(st, 1);
	a->type = row_text(c, st, 2);
	a->discount_bps = bps_col(st, 3);
	a->fee_bps = bps_col(st, 4);
	a->split_bps = bps_col(st, 5);
	a->services_discount_bps = bps_col(st, 6);
	a->referral_window_days = db_col_i64(st, 7);
	row_money(st, 8, 9, &a->revenue_commitment);
	a->start_date = db_col_i64(st, 10);
	a->end_date = db_col_i64(st, 11);
	a->term_months = db_col_i64(st, 12);
	a->auto_renew = (int)db_col_i64(st, 13);
	a->notice_days = db_col_i64(st, 14);
	a->exclusive = (int)db_col_i64(st, 15);
	a->terminated_on = db_col_i64(st, 16);
	a->created_at = db_col_i64(st, 17);
	a->updated_at = db_col_i64(st, 18);
}

enum err
store_agreement_get(struct ctx *c, int64_t partner_id, int64_t id, struct agreement *a)
{
	struct dbstmt *st;
	enum err rc;
	int row;

	if ((rc = db_prepare(c->db,
	                     "SELECT " AGREEMENT_COLS " FROM agreements WHERE id = ?"
	                     " AND partner_id = ? AND (? = 0 OR partner_id = ?)",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, id);
	db_bind_i64(st, 2, partner_id);
	db_bind_i64(st, 3, ctx_scope(c));
	db_bind_i64(st, 4, ctx_scope(c));
	if ((rc = db_step(st, &row)))
		return rc;
	if (!row)
		return ERR_NOTFOUND;
	read_agreement(c, st, a);
	return row_drain(st, row);
}

static void
bind_fields(struct dbstmt *st, int at, const struct agreement *a)
{
	db_bind_text(st, at + 0, a->type);
	bind_bps(st, at + 1, a->discount_bps);
	bind_bps(st, at + 2, a->fee_bps);
	bind_bps(st, at + 3, a->split_bps);
	bind_bps(st, at + 4, a->services_discount_bps);
	bind_ref(st, at + 5, a->referral_window_days);
	bind_money(st, at + 6, at + 7, &a->revenue_commitment);
	db_bind_i64(st, at + 8, a->start_date);
	db_bind_i64(st, at + 9, a->end_date);
	db_bind_i64(st, at + 10, a->term_months);
	db_bind_i64(st, at + 11, a->auto_renew);
	db_bind_i64(st, at + 12, a->notice_days);
	db_bind_i64(st, at + 13, a->exclusive);
	bind_ref(st, at + 14, a->terminated_on);
	db_bind_i64(st, at + 15, a->updated_at);
}

enum err
store_agreement_insert(struct ctx *c, struct agreement *a)
{
	struct dbstmt *st;
	enum err rc;

	if (ctx_scope(c))
		return ERR_FORBIDDEN;
	if ((rc = db_prepare(c->db,
	                     "INSERT INTO agreements(type, discount_bps, fee_bps, split_bps,"
	                     " services_discount_bps, referral_window_days, commit_amount,"
	                     " commit_currency, start_date, end_date, term_months, auto_renew,"
	                     " notice_days, exclusive, terminated_on, updated_at, partner_id,"
	                     " created_at)"
	                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	                     " RETURNING id",
	                     &st)))
		return rc;
	bind_fields(st, 1, a);
	db_bind_i64(st, 17, a->partner_id);
	db_bind_i64(st, 18, a->created_at);
	return db_run(st, &a->id);
}

enum err
store_agreement_update(struct ctx *c, const struct agreement *a)
{
	struct dbstmt *st;
	enum err rc;

	if (ctx_scope(c))
		return ERR_FORBIDDEN;
	if ((rc = db_prepare(
	             c->db,
	             "UPDATE agreements SET type = ?, discount_bps = ?, fee_bps = ?,"
	             " split_bps = ?, services_discount_bps = ?, referral_window_days = ?,"
	             " commit_amount = ?, commit_currency = ?, start_date = ?, end_date = ?,"
	             " term_months = ?, auto_renew = ?, notice_days = ?, exclusive = ?,"
	             " terminated_on = ?, updated_at = ? WHERE id = ? AND partner_id = ?",
	             &st)))
		return rc;
	bind_fields(st, 1, a);
	db_bind_i64(st, 17, a->id);
	db_bind_i64(st, 18, a->partner_id);
	return db_run(st, NULL);
}

enum err
store_agreement_list(struct ctx *c, const struct agreement_filter *f, struct agreement **items,
                     size_t *n)
{
	struct dbstmt *st;
	struct agreement *out;
	enum err rc;
	int row;
	const char *s = f->status;

	*items = NULL;
	*n = 0;
	if (!(out = arena_alloc(c->arena, sizeof *out * (size_t)(f->limit + 1))))
		return ERR_NOMEM;
	/* The status is derived from the dates; the filter restates the rule of
	 * domain/agreement.c in SQL so that pagination stays in the database. */
	if ((rc = db_prepare(c->db,
	                     "SELECT " AGREEMENT_COLS
	                     " FROM agreements WHERE id > ? AND partner_id = ?"
	                     " AND (? = 0 OR partner_id = ?)"
	                     " AND (? IS NULL OR type = ?)"
	                     " AND (? IS NULL"
	                     "  OR (? = 'terminated' AND terminated_on IS NOT NULL)"
	                     "  OR (? = 'scheduled' AND terminated_on IS NULL AND start_date > ?)"
	                     "  OR (? = 'active' AND terminated_on IS NULL AND start_date <= ?"
	                     "      AND (end_date >= ? OR auto_renew = 1))"
	                     "  OR (? = 'expired' AND terminated_on IS NULL AND end_date < ?"
	                     "      AND auto_renew = 0))"
	                     " ORDER BY id LIMIT ?",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, f->after);
	db_bind_i64(st, 2, f->partner_id);
	db_bind_i64(st, 3, ctx_scope(c));
	db_bind_i64(st, 4, ctx_scope(c));
	db_bind_text(st, 5, f->type);
	db_bind_text(st, 6, f->type);
	db_bind_text(st, 7, s);
	db_bind_text(st, 8, s);
	db_bind_text(st, 9, s);
	db_bind_i64(st, 10, f->today);
	db_bind_text(st, 11, s);
	db_bind_i64(st, 12, f->today);
	db_bind_i64(st, 13, f->today);
	db_bind_text(st, 14, s);
	db_bind_i64(st, 15, f->today);
	db_bind_i64(st, 16, f->limit + 1);
	while (!(rc = db_step(st, &row)) && row)
		read_agreement(c, st, &out[(*n)++]);
	*items = out;
	return rc;
}
