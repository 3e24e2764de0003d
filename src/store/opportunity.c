#include "store/opportunity.h"

#include "store/db.h"
#include "store/row.h"

#define OPP_COLS                                                                                   \
	"id, name, account_id, partner_id, registration_id, owner_user_id, stage,"                 \
	" forecast_category, source, probability, amount, currency, expected_close,"               \
	" closed_on, checklist, customer_po_on, partner_order_on, created_at, updated_at"

static void
read_opp(struct ctx *c, struct dbstmt *st, struct opportunity *o)
{
	o->id = db_col_i64(st, 0);
	o->name = row_text(c, st, 1);
	o->account_id = db_col_i64(st, 2);
	o->partner_id = db_col_i64(st, 3);
	o->registration_id = db_col_i64(st, 4);
	o->owner_user_id = db_col_i64(st, 5);
	o->stage = row_text(c, st, 6);
	o->forecast_category = row_text(c, st, 7);
	o->source = row_text(c, st, 8);
	o->probability = db_col_i64(st, 9);
	row_money(st, 10, 11, &o->amount);
	o->expected_close = db_col_i64(st, 12);
	o->closed_on = db_col_i64(st, 13);
	o->checklist = row_text(c, st, 14);
	o->customer_po_on = db_col_i64(st, 15);
	o->partner_order_on = db_col_i64(st, 16);
	o->created_at = db_col_i64(st, 17);
	o->updated_at = db_col_i64(st, 18);
}

enum err
store_opportunity_get(struct ctx *c, int64_t id, struct opportunity *o)
{
	struct dbstmt *st;
	enum err rc;
	int row;

	if ((rc = db_prepare(c->db,
	                     "SELECT " OPP_COLS " FROM opportunities WHERE id = ?"
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
	read_opp(c, st, o);
	return row_drain(st, row);
}

static void
bind_fields(struct dbstmt *st, int at, const struct opportunity *o)
{
	db_bind_text(st, at + 0, o->name);
	db_bind_i64(st, at + 1, o->account_id);
	bind_ref(st, at + 2, o->partner_id);
	bind_ref(st, at + 3, o->registration_id);
	bind_ref(st, at + 4, o->owner_user_id);
	db_bind_text(st, at + 5, o->stage);
	db_bind_text(st, at + 6, o->forecast_category);
	db_bind_text(st, at + 7, o->source);
	db_bind_i64(st, at + 8, o->probability);
	db_bind_i64(st, at + 9, o->amount.amount);
	db_bind_text(st, at + 10, o->amount.currency);
	db_bind_i64(st, at + 11, o->expected_close);
	bind_ref(st, at + 12, o->closed_on);
	db_bind_text(st, at + 13, o->checklist ? o->checklist : "[]");
	bind_ref(st, at + 14, o->customer_po_on);
	bind_ref(st, at + 15, o->partner_order_on);
	db_bind_i64(st, at + 16, o->updated_at);
}

enum err
store_opportunity_insert(struct ctx *c, struct opportunity *o)
{
	struct dbstmt *st;
	enum err rc;

	if (ctx_scope(c) && o->partner_id != ctx_scope(c))
		return ERR_NOTFOUND;
	if ((rc = db_prepare(c->db,
	                     "INSERT INTO opportunities(name, account_id, partner_id,"
	                     " registration_id, owner_user_id, stage, forecast_category, source,"
	                     " probability, amount, currency, expected_close, closed_on, checklist,"
	                     " customer_po_on, partner_order_on, updated_at, created_at)"
	                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	                     " RETURNING id",
	                     &st)))
		return rc;
	bind_fields(st, 1, o);
	db_bind_i64(st, 18, o->created_at);
	return db_run(st, &o->id);
}

enum err
store_opportunity_update(struct ctx *c, const struct opportunity *o)
{
	struct dbstmt *st;
	enum err rc;

	if ((rc = db_prepare(c->db,
	                     "UPDATE opportunities SET name = ?, account_id = ?, partner_id = ?,"
	                     " registration_id = ?, owner_user_id = ?, stage = ?,"
	                     " forecast_category = ?, source = ?, probability = ?, amount = ?,"
	                     " currency = ?, expected_close = ?, closed_on = ?, checklist = ?,"
	                     " customer_po_on = ?, partner_order_on = ?, updated_at = ?"
	                     " WHERE id = ? AND (? = 0 OR partner_id = ?)",
	                     &st)))
		return rc;
	bind_fields(st, 1, o);
	db_bind_i64(st, 18, o->id);
	db_bind_i64(st, 19, ctx_scope(c));
	db_bind_i64(st, 20, ctx_scope(c));
	return db_run(st, NULL);
}

enum err
store_opportunity_list(struct ctx *c, const struct opportunity_filter *f,
                       struct opportunity **items, size_t *n)
{
	struct dbstmt *st;
	struct opportunity *out;
	enum err rc;
	int row;

	*items = NULL;
	*n = 0;
	if (!(out = arena_alloc(c->arena, sizeof *out * (size_t)(f->limit + 1))))
		return ERR_NOMEM;
	if ((rc = db_prepare(c->db,
	                     "SELECT " OPP_COLS " FROM opportunities WHERE id > ?"
	                     " AND (? = 0 OR partner_id = ?)"
	                     " AND (? = 0 OR partner_id = ?)"
	                     " AND (? = 0 OR account_id = ?)"
	                     " AND (? = 0 OR owner_user_id = ?)"
	                     " AND (? IS NULL OR stage = ?)"
	                     " AND (? IS NULL OR source = ?)"
	                     " AND (? IS NULL OR forecast_category = ?)"
	                     " AND (? = 0 OR closed_on IS NULL)"
	                     " ORDER BY id LIMIT ?",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, f->after);
	db_bind_i64(st, 2, ctx_scope(c));
	db_bind_i64(st, 3, ctx_scope(c));
	db_bind_i64(st, 4, f->partner_id);
	db_bind_i64(st, 5, f->partner_id);
	db_bind_i64(st, 6, f->account_id);
	db_bind_i64(st, 7, f->account_id);
	db_bind_i64(st, 8, f->owner_user_id);
	db_bind_i64(st, 9, f->owner_user_id);
	db_bind_text(st, 10, f->stage);
	db_bind_text(st, 11, f->stage);
	db_bind_text(st, 12, f->source);
	db_bind_text(st, 13, f->source);
	db_bind_text(st, 14, f->forecast_category);
	db_bind_text(st, 15, f->forecast_category);
	db_bind_i64(st, 16, f->open_only);
	db_bind_i64(st, 17, f->limit + 1);
	while (!(rc = db_step(st, &row)) && row)
		read_opp(c, st, &out[(*n)++]);
	*items = out;
	return rc;
}

enum err
store_opportunity_each_in(struct ctx *c, int64_t from, int64_t to,
                          enum err (*fn)(void *arg, const struct opportunity *o), void *arg)
{
	struct dbstmt *st;
	struct opportunity o;
	struct arena scratch = { 0 };
	struct arena *saved = c->arena;
	enum err rc;
	int row;

	if ((rc = db_prepare(c->db,
	                     "SELECT " OPP_COLS
	                     " FROM opportunities WHERE (? = 0 OR partner_id = ?)"
	                     " AND ((closed_on IS NULL AND expected_close BETWEEN ? AND ?)"
	                     "  OR (closed_on BETWEEN ? AND ?))"
	                     " ORDER BY id",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, ctx_scope(c));
	db_bind_i64(st, 2, ctx_scope(c));
	db_bind_i64(st, 3, from);
	db_bind_i64(st, 4, to);
	db_bind_i64(st, 5, from);
	db_bind_i64(st, 6, to);
	c->arena = &scratch;
	while (!(rc = db_step(st, &row)) && row) {
		read_opp(c, st, &o);
		rc = fn(arg, &o);
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

#define ORDER_COLS                                                                                 \
	"id, opportunity_id, partner_id, registration_id, owner_user_id, booked_at,"               \
	" currency, list_amount, discount_bps, net_amount, fee_bps, fee_amount, split_bps,"        \
	" split_amount, eligible, reasons"

static void
read_order(struct ctx *c, struct dbstmt *st, struct order *o)
{
	o->id = db_col_i64(st, 0);
	o->opportunity_id = db_col_i64(st, 1);
	o->partner_id = db_col_i64(st, 2);
	o->registration_id = db_col_i64(st, 3);
	o->owner_user_id = db_col_i64(st, 4);
	o->booked_at = db_col_i64(st, 5);
	row_money(st, 7, 6, &o->list);
	o->discount_bps = db_col_i64(st, 8);
	o->net_amount = db_col_i64(st, 9);
	o->fee_bps = db_col_i64(st, 10);
	o->fee_amount = db_col_i64(st, 11);
	o->split_bps = db_col_i64(st, 12);
	o->split_amount = db_col_i64(st, 13);
	o->eligible = (int)db_col_i64(st, 14);
	o->reasons = row_text(c, st, 15);
}

enum err
store_order_insert(struct ctx *c, struct order *o)
{
	struct dbstmt *st;
	enum err rc;

	if ((rc = db_prepare(c->db,
	                     "INSERT INTO orders(opportunity_id, partner_id, registration_id,"
	                     " owner_user_id, booked_at, currency, list_amount, discount_bps,"
	                     " net_amount, fee_bps, fee_amount, split_bps, split_amount, eligible,"
	                     " reasons) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	                     " RETURNING id",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, o->opportunity_id);
	bind_ref(st, 2, o->partner_id);
	bind_ref(st, 3, o->registration_id);
	bind_ref(st, 4, o->owner_user_id);
	db_bind_i64(st, 5, o->booked_at);
	db_bind_text(st, 6, o->list.currency);
	db_bind_i64(st, 7, o->list.amount);
	db_bind_i64(st, 8, o->discount_bps);
	db_bind_i64(st, 9, o->net_amount);
	db_bind_i64(st, 10, o->fee_bps);
	db_bind_i64(st, 11, o->fee_amount);
	db_bind_i64(st, 12, o->split_bps);
	db_bind_i64(st, 13, o->split_amount);
	db_bind_i64(st, 14, o->eligible);
	db_bind_text(st, 15, o->reasons ? o->reasons : "[]");
	return db_run(st, &o->id);
}

enum err
store_order_get(struct ctx *c, int64_t id, struct order *o)
{
	struct dbstmt *st;
	enum err rc;
	int row;

	if ((rc = db_prepare(c->db,
	                     "SELECT " ORDER_COLS " FROM orders WHERE id = ?"
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
	read_order(c, st, o);
	return row_drain(st, row);
}

enum err
store_order_list(struct ctx *c, const struct order_filter *f, struct order **items, size_t *n)
{
	struct dbstmt *st;
	struct order *out;
	enum err rc;
	int row;

	*items = NULL;
	*n = 0;
	if (!(out = arena_alloc(c->arena, sizeof *out * (size_t)(f->limit + 1))))
		return ERR_NOMEM;
	if ((rc = db_prepare(c->db,
	                     "SELECT " ORDER_COLS " FROM orders WHERE id > ?"
	                     " AND (? = 0 OR partner_id = ?) AND (? = 0 OR partner_id = ?)"
	                     " ORDER BY id LIMIT ?",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, f->after);
	db_bind_i64(st, 2, ctx_scope(c));
	db_bind_i64(st, 3, ctx_scope(c));
	db_bind_i64(st, 4, f->partner_id);
	db_bind_i64(st, 5, f->partner_id);
	db_bind_i64(st, 6, f->limit + 1);
	while (!(rc = db_step(st, &row)) && row)
		read_order(c, st, &out[(*n)++]);
	*items = out;
	return rc;
}

enum err
store_order_each(struct ctx *c, int64_t partner_id, int64_t from, int64_t to,
                 enum err (*fn)(void *arg, const struct order *o), void *arg)
{
	struct dbstmt *st;
	struct order o;
	struct arena scratch = { 0 };
	struct arena *saved = c->arena;
	enum err rc;
	int row;

	if ((rc = db_prepare(c->db,
	                     "SELECT " ORDER_COLS
	                     " FROM orders WHERE booked_at >= ? AND booked_at < ?"
	                     " AND (? = 0 OR partner_id = ?) AND (? = 0 OR partner_id = ?)"
	                     " ORDER BY id",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, from);
	db_bind_i64(st, 2, to);
	db_bind_i64(st, 3, ctx_scope(c));
	db_bind_i64(st, 4, ctx_scope(c));
	db_bind_i64(st, 5, partner_id);
	db_bind_i64(st, 6, partner_id);
	c->arena = &scratch;
	while (!(rc = db_step(st, &row)) && row) {
		read_order(c, st, &o);
		rc = fn(arg, &o);
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
