#include "domain/forecast.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/money.h"
#include "domain/order.h"
#include "domain/role.h"
#include "domain/settings.h"
#include "store/opportunity.h"
#include "store/partner.h"

#define FORECAST_ROWS_MAX 4096
#define PARTNER_CACHE 512

struct acc {
	struct ctx *c;
	enum forecast_group g;
	const struct pipeline *pl;
	struct forecast_row *rows;
	size_t n;
	struct arena *keep; /* the rows' strings */
	struct {
		int64_t id;
		const char *name, *type;
	} partners[PARTNER_CACHE];
	size_t npartners;
	enum err err;
};

static void
quarter_of(int64_t day, char out[8])
{
	statement_period_of(day, 1, out);
}

/* The name and type of a partner, read once per forecast. */
static enum err
partner_of(struct acc *a, int64_t id, const char **name, const char **type)
{
	struct partner p;
	struct arena *saved = a->c->arena;
	struct actor who = a->c->actor;
	enum err rc;

	for (size_t i = 0; i < a->npartners; i++)
		if (a->partners[i].id == id) {
			*name = a->partners[i].name;
			*type = a->partners[i].type;
			return ERR_OK;
		}
	a->c->arena = a->keep;
	a->c->actor.partner_id = 0;
	rc = store_partner_get(a->c, id, &p);
	a->c->arena = saved;
	a->c->actor = who;
	if (rc)
		return rc;
	*name = p.name;
	*type = p.type;
	if (a->npartners < PARTNER_CACHE) {
		a->partners[a->npartners].id = id;
		a->partners[a->npartners].name = p.name;
		a->partners[a->npartners].type = p.type;
		a->npartners++;
	}
	return ERR_OK;
}

static enum err
add(void *arg, const struct opportunity *o)
{
	struct acc *a = arg;
	const struct stage *st = pipeline_stage(a->pl, o->stage);
	const char *key = NULL, *label = NULL, *pname = NULL, *ptype = NULL;
	char q[8];
	struct forecast_row *r = NULL;
	enum err rc;

	if (o->closed_on && (!st || strcmp(st->kind, "won")))
		return ERR_OK; /* lost */
	if (o->partner_id && (rc = partner_of(a, o->partner_id, &pname, &ptype)))
		return rc;
	switch (a->g) {
	case GROUP_PARTNER: label = o->partner_id ? pname : "Direct"; break;
	case GROUP_TYPE:
		key = o->partner_id ? ptype : "direct";
		label = key;
		break;
	case GROUP_QUARTER:
		quarter_of(o->closed_on ? o->closed_on : o->expected_close, q);
		key = q;
		label = q;
		break;
	}
	for (size_t i = 0; i < a->n; i++) {
		struct forecast_row *x = &a->rows[i];
		if (strcmp(x->currency, o->amount.currency))
			continue;
		if (a->g == GROUP_PARTNER ? x->partner_id == o->partner_id : !strcmp(x->key, key)) {
			r = x;
			break;
		}
	}
	if (!r) {
		if (a->n == FORECAST_ROWS_MAX)
			return ERR_TOOBIG;
		r = &a->rows[a->n++];
		memset(r, 0, sizeof *r);
		r->partner_id = o->partner_id;
		r->key = key ? arena_strdup(a->keep, key) : NULL;
		r->label = arena_strdup(a->keep, label);
		memcpy(r->currency, o->amount.currency, 4);
	}
	if (o->closed_on) {
		r->closed_won += o->amount.amount;
		return ERR_OK;
	}
	if (!strcmp(o->forecast_category, "pipeline"))
		r->pipeline += o->amount.amount;
	else if (!strcmp(o->forecast_category, "best_case"))
		r->best_case += o->amount.amount;
	else if (!strcmp(o->forecast_category, "commit"))
		r->commit += o->amount.amount;
	if (strcmp(o->forecast_category, "omitted")) {
		int64_t w;
		if ((rc = money_muldiv(o->amount.amount, o->probability, 100, &w)))
			return rc;
		r->weighted += w;
	}
	return ERR_OK;
}

static int
cmp_rows(const void *x, const void *y)
{
	const struct forecast_row *a = x, *b = y;
	int k;

	if (a->key && b->key && (k = strcmp(a->key, b->key)))
		return k;
	if (!a->key && a->partner_id != b->partner_id)
		return a->partner_id < b->partner_id ? -1 : 1;
	return strcmp(a->currency, b->currency);
}

enum err
forecast(struct ctx *c, enum forecast_group g, const char *period, const char **period_out,
         struct forecast_row **rows, size_t *n)
{
	struct pipeline pl;
	struct acc *a;
	int64_t from, to;
	int q;
	char cur[8];
	enum err rc;

	if (!period) {
		quarter_of(c->now / 86400, cur);
		period = arena_strdup(c->arena, cur);
	}
	if (period_parse(period, &from, &to, &q) || !q)
		return err_set(c->ei, ERR_PARSE, "period", "period is a quarter such as 2026-Q4");
	*period_out = period;
	if ((rc = settings_pipeline(c, &pl)))
		return rc;
	if (!(a = calloc(1, sizeof *a)))
		return ERR_NOMEM;
	a->c = c;
	a->g = g;
	a->pl = &pl;
	a->keep = c->arena;
	a->rows = arena_alloc(c->arena, sizeof *a->rows * FORECAST_ROWS_MAX);
	if (!a->rows) {
		free(a);
		return ERR_NOMEM;
	}
	rc = store_opportunity_each_in(c, from, to, add, a);
	if (!rc) {
		qsort(a->rows, a->n, sizeof *a->rows, cmp_rows);
		*rows = a->rows;
		*n = a->n;
	}
	free(a);
	return rc == ERR_TOOBIG ? err_set(c->ei, ERR_TOOBIG, NULL, "too many forecast rows") : rc;
}

struct credit_acc {
	struct ctx *c;
	const struct money_settings *ms;
	struct credit_row *rows;
	size_t n, cap;
};

static enum err
credit(void *arg, const struct order *o)
{
	struct credit_acc *a = arg;
	struct credit_row *r = NULL;
	int64_t basis = a->ms->comp_gross ? o->list.amount : o->net_amount;

	if (!o->owner_user_id)
		return ERR_OK;
	for (size_t i = 0; i < a->n; i++)
		if (a->rows[i].user_id == o->owner_user_id &&
		    !strcmp(a->rows[i].currency, o->list.currency))
			r = &a->rows[i];
	if (!r) {
		if (a->n == a->cap)
			return ERR_TOOBIG;
		r = &a->rows[a->n++];
		memset(r, 0, sizeof *r);
		r->user_id = o->owner_user_id;
		memcpy(r->currency, o->list.currency, 4);
	}
	if (o->partner_id) {
		r->partner += basis;
		if (a->ms->quota_credit_partner_deals)
			r->credited += basis;
	} else {
		r->direct += basis;
		r->credited += basis;
	}
	return ERR_OK;
}

enum err
quota_credit(struct ctx *c, const char *period, struct credit_row **rows, size_t *n)
{
	struct money_settings ms;
	struct credit_acc a = { .c = c, .ms = &ms, .cap = FORECAST_ROWS_MAX };
	int64_t from, to;
	int q;
	char cur[8];
	enum err rc;

	if (!role_in(c->actor.role, ROLES_VENDOR))
		return err_set(c->ei, ERR_FORBIDDEN, NULL,
		               "the quota-credit report is for vendor users");
	if (!period) {
		quarter_of(c->now / 86400, cur);
		period = cur;
	}
	if (period_parse(period, &from, &to, &q))
		return err_set(c->ei, ERR_PARSE, "period",
		               "period is a quarter (2026-Q4) or a month (2026-11)");
	if ((rc = settings_money(c, &ms)))
		return rc;
	if (!(a.rows = arena_alloc(c->arena, sizeof *a.rows * a.cap)))
		return ERR_NOMEM;
	if ((rc = store_order_each(c, 0, from * 86400, (to + 1) * 86400, credit, &a)))
		return rc == ERR_TOOBIG ? err_set(c->ei, rc, NULL, "too many report rows") : rc;
	*rows = a.rows;
	*n = a.n;
	return ERR_OK;
}
