/* Helpers shared by the resource files of store/. */
#ifndef TANDEM_STORE_ROW_H
#define TANDEM_STORE_ROW_H

#include "base/arena.h"
#include "base/money.h"
#include "store/ctx.h"
#include "store/db.h"

/* Column i as an arena string (NULL for null). */
static inline const char *
row_text(struct ctx *c, struct dbstmt *st, int i)
{
	return arena_strdup(c->arena, db_col_text(st, i));
}

/* Money from an amount and a currency column; absent when the currency is null. */
static inline void
row_money(struct dbstmt *st, int amount_col, int currency_col, struct money *m)
{
	const char *cur = db_col_text(st, currency_col);

	m->amount = db_col_i64(st, amount_col);
	m->currency[0] = '\0';
	if (cur && cur[0] && cur[1] && cur[2] && !cur[3]) {
		m->currency[0] = cur[0];
		m->currency[1] = cur[1];
		m->currency[2] = cur[2];
		m->currency[3] = '\0';
	}
}

static inline void
bind_money(struct dbstmt *st, int amount_i, int currency_i, const struct money *m)
{
	if (m->currency[0]) {
		db_bind_i64(st, amount_i, m->amount);
		db_bind_text(st, currency_i, m->currency);
	} else {
		db_bind_null(st, amount_i);
		db_bind_null(st, currency_i);
	}
}

/* Binds v, or null when v is 0 (optional references). */
static inline void
bind_ref(struct dbstmt *st, int i, int64_t v)
{
	if (v)
		db_bind_i64(st, i, v);
	else
		db_bind_null(st, i);
}

/* Steps st to its end (after the row that was wanted). */
static inline enum err
row_drain(struct dbstmt *st, int row)
{
	enum err rc = ERR_OK;

	while (row && !(rc = db_step(st, &row)))
		;
	return rc;
}

#endif
