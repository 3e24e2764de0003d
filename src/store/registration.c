#include "store/registration.h"

#include "store/db.h"
#include "store/row.h"

#define REG_COLS                                                                                   \
	"id, partner_id, status, customer_name, customer_domain, customer_country,"                \
	" contact_name, contact_email, products, amount, currency, expected_close, notes,"         \
	" submitted_at, submitted_by, decided_at, decided_by, reason, note, protected_until,"      \
	" extensions, escalated, escalated_at, opportunity_id, winner_id, conflicts,"              \
	" created_at, updated_at"

static void
read_reg(struct ctx *c, struct dbstmt *st, struct registration *r)
{
	r->id = db_col_i64(st, 0);
	r->partner_id = db_col_i64(st, 1);
	r->status = row_text(c, st, 2);
	r->customer_name = row_text(c, st, 3);
	r->customer_domain = row_text(c, st, 4);
	r->customer_country = row_text(c, st, 5);
	r->contact_name = row_text(c, st, 6);
	r->contact_email = row_text(c, st, 7);
	r->products = row_text(c, st, 8);
	row_money(st, 9, 10, &r->amount);
	r->expected_close = db_col_i64(st, 11);
	r->notes = row_text(c, st, 12);
	r->submitted_at = db_col_i64(st, 13);
	r->submitted_by = db_col_i64(st, 14);
	r->decided_at = db_col_i64(st, 15);
	r->decided_by = db_col_i64(st, 16);
	r->reason = row_text(c, st, 17);
	r->note = row_text(c, st, 18);
	r->protected_until = db_col_i64(st, 19);
	r->extensions = db_col_i64(st, 20);
	r->escalated = (int)db_col_i64(st, 21);
	r->escalated_at = db_col_i64(st, 22);
	r->opportunity_id = db_col_i64(st, 23);
	r->winner_id = db_col_i64(st, 24);
	r->conflicts = row_text(c, st, 25);
	r->created_at = db_col_i64(st, 26);
	r->updated_at = db_col_i64(st, 27);
}

enum err
store_registration_get(struct ctx *c, int64_t id, struct registration *r)
{
	struct dbstmt *st;
	enum err rc;
	int row;

	if ((rc = db_prepare(c->db,
	                     "SELECT " REG_COLS " FROM deal_registrations WHERE id = ?"
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
	read_reg(c, st, r);
	return row_drain(st, row);
}

/* The mutable columns, bound from `at`. */
static void
bind_mutable(struct dbstmt *st, int at, const struct registration *r)
{
	db_bind_text(st, at + 0, r->status);
	bind_ref(st, at + 1, r->decided_at);
	bind_ref(st, at + 2, r->decided_by);
	db_bind_text(st, at + 3, r->reason);
	db_bind_text(st, at + 4, r->note);
	bind_ref(st, at + 5, r->protected_until);
	db_bind_i64(st, at + 6, r->extensions);
	db_bind_i64(st, at + 7, r->escalated);
	bind_ref(st, at + 8, r->escalated_at);
	bind_ref(st, at + 9, r->opportunity_id);
	bind_ref(st, at + 10, r->winner_id);
	db_bind_text(st, at + 11, r->conflicts ? r->conflicts : "[]");
	db_bind_i64(st, at + 12, r->updated_at);
}

enum err
store_registration_insert(struct ctx *c, struct registration *r)
{
	struct dbstmt *st;
	enum err rc;

	if (ctx_scope(c) && r->partner_id != ctx_scope(c))
		return ERR_NOTFOUND;
	if ((rc = db_prepare(
	             c->db,
	             "INSERT INTO deal_registrations(status, decided_at, decided_by, reason,"
	             " note, protected_until, extensions, escalated, escalated_at,"
	             " opportunity_id, winner_id, conflicts, updated_at, partner_id,"
	             " customer_name, customer_domain, customer_country, contact_name,"
	             " contact_email, products, amount, currency, expected_close, notes,"
	             " submitted_at, submitted_by, created_at) VALUES (?, ?, ?, ?, ?, ?,"
	             " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	             " RETURNING id",
	             &st)))
		return rc;
	bind_mutable(st, 1, r);
	db_bind_i64(st, 14, r->partner_id);
	db_bind_text(st, 15, r->customer_name);
	db_bind_text(st, 16, r->customer_domain);
	db_bind_text(st, 17, r->customer_country);
	db_bind_text(st, 18, r->contact_name);
	db_bind_text(st, 19, r->contact_email);
	db_bind_text(st, 20, r->products ? r->products : "[]");
	db_bind_i64(st, 21, r->amount.amount);
	db_bind_text(st, 22, r->amount.currency);
	db_bind_i64(st, 23, r->expected_close);
	db_bind_text(st, 24, r->notes);
	db_bind_i64(st, 25, r->submitted_at);
	bind_ref(st, 26, r->submitted_by);
	db_bind_i64(st, 27, r->created_at);
	return db_run(st, &r->id);
}

enum err
store_registration_update(struct ctx *c, const struct registration *r)
{
	struct dbstmt *st;
	enum err rc;

	if ((rc = db_prepare(c->db,
	                     "UPDATE deal_registrations SET status = ?, decided_at = ?,"
	                     " decided_by = ?, reason = ?, note = ?, protected_until = ?,"
	                     " extensions = ?, escalated = ?, escalated_at = ?, opportunity_id = ?,"
	                     " winner_id = ?, conflicts = ?, updated_at = ?"
	                     " WHERE id = ? AND (? = 0 OR partner_id = ?)",
	                     &st)))
		return rc;
	bind_mutable(st, 1, r);
	db_bind_i64(st, 14, r->id);
	db_bind_i64(st, 15, ctx_scope(c));
	db_bind_i64(st, 16, ctx_scope(c));
	return db_run(st, NULL);
}

enum err
store_registration_list(struct ctx *c, const struct registration_filter *f,
                        struct registration **items, size_t *n)
{
	struct dbstmt *st;
	struct registration *out;
	enum err rc;
	int row;

	*items = NULL;
	*n = 0;
	if (!(out = arena_alloc(c->arena, sizeof *out * (size_t)(f->limit + 1))))
		return ERR_NOMEM;
	if ((rc = db_prepare(c->db,
	                     "SELECT " REG_COLS " FROM deal_registrations WHERE id > ?"
	                     " AND (? = 0 OR partner_id = ?)"
	                     " AND (? = 0 OR partner_id = ?)"
	                     " AND (? IS NULL OR status = ?)"
	                     " AND (? < 0 OR escalated = ?)"
	                     " AND (? IS NULL OR LOWER(customer_name) LIKE ? ESCAPE '\\')"
	                     " ORDER BY id LIMIT ?",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, f->after);
	db_bind_i64(st, 2, ctx_scope(c));
	db_bind_i64(st, 3, ctx_scope(c));
	db_bind_i64(st, 4, f->partner_id);
	db_bind_i64(st, 5, f->partner_id);
	db_bind_text(st, 6, f->status);
	db_bind_text(st, 7, f->status);
	db_bind_i64(st, 8, f->escalated);
	db_bind_i64(st, 9, f->escalated);
	db_bind_text(st, 10, f->q);
	db_bind_text(st, 11, f->q);
	db_bind_i64(st, 12, f->limit + 1);
	while (!(rc = db_step(st, &row)) && row)
		read_reg(c, st, &out[(*n)++]);
	*items = out;
	return rc;
}

enum err
store_registration_each_open(struct ctx *c, enum err (*fn)(void *arg, const struct registration *r),
                             void *arg)
{
	struct dbstmt *st;
	struct registration r;
	struct arena scratch = { 0 };
	struct arena *saved = c->arena;
	enum err rc;
	int row;

	if ((rc = db_prepare(c->db,
	                     "SELECT " REG_COLS " FROM deal_registrations"
	                     " WHERE status IN ('submitted', 'approved') ORDER BY id",
	                     &st)))
		return rc;
	c->arena = &scratch;
	while (!(rc = db_step(st, &row)) && row) {
		read_reg(c, st, &r);
		rc = fn(arg, &r);
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

/* Collects the first column of st's rows into an arena array of at most max. */
static enum err
collect_ids(struct ctx *c, struct dbstmt *st, int max, int64_t **ids, size_t *n)
{
	enum err rc;
	int row;

	*n = 0;
	if (!(*ids = arena_alloc(c->arena, sizeof **ids * (size_t)max)))
		return ERR_NOMEM;
	while (!(rc = db_step(st, &row)) && row)
		(*ids)[(*n)++] = db_col_i64(st, 0);
	return rc;
}

enum err
store_registration_due(struct ctx *c, int64_t today, int64_t cutoff, int max, int64_t **expire,
                       size_t *nexpire, int64_t **escalate, size_t *nescalate)
{
	struct dbstmt *st;
	enum err rc;

	if ((rc = db_prepare(c->db,
	                     "SELECT id FROM deal_registrations WHERE status = 'approved'"
	                     " AND protected_until < ? AND opportunity_id IS NULL"
	                     " ORDER BY id LIMIT ?",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, today);
	db_bind_i64(st, 2, max);
	if ((rc = collect_ids(c, st, max, expire, nexpire)))
		return rc;
	if ((rc = db_prepare(c->db,
	                     "SELECT id FROM deal_registrations WHERE status = 'submitted'"
	                     " AND escalated = 0 AND submitted_at < ? ORDER BY id LIMIT ?",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, cutoff);
	db_bind_i64(st, 2, max);
	return collect_ids(c, st, max, escalate, nescalate);
}

enum err
store_registration_counts(struct ctx *c, const char **statuses, int64_t *counts, int max, int *n)
{
	struct dbstmt *st;
	enum err rc;
	int row;

	*n = 0;
	if ((rc = db_prepare(c->db,
	                     "SELECT status, COUNT(*) FROM deal_registrations GROUP BY status"
	                     " ORDER BY status",
	                     &st)))
		return rc;
	while (!(rc = db_step(st, &row)) && row) {
		if (*n == max)
			continue;
		statuses[*n] = row_text(c, st, 0);
		counts[(*n)++] = db_col_i64(st, 1);
	}
	return rc;
}
