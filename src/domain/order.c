#include "domain/order.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/money.h"
#include "domain/agreement.h"
#include "domain/audit.h"
#include "domain/role.h"
#include "domain/settings.h"
#include "store/agreement.h"
#include "store/partner.h"
#include "store/registration.h"

#define TIER_HISTORY_MAX 50
#define TRAILING_DAYS 365

void
statement_period_of(int64_t day, int quarter, char out[8])
{
	char date[DATE_LEN];
	int64_t y;
	unsigned m, d;

	/* "YYYY-MM" is the first seven characters of the date */
	date_format(day, date);
	memcpy(out, date, 7);
	out[7] = '\0';
	if (quarter) {
		date_to_ymd(day, &y, &m, &d);
		out[5] = 'Q';
		out[6] = (char)('1' + (m - 1) / 3);
	}
}

int
period_parse(const char *s, int64_t *from, int64_t *to, int *is_quarter)
{
	unsigned y = 0, m;

	if (!s || strlen(s) != 7 || s[4] != '-')
		return -1;
	for (int i = 0; i < 4; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		y = y * 10 + (unsigned)(s[i] - '0');
	}
	if (y < 1970 || y > 2999)
		return -1;
	if (s[5] == 'Q' && s[6] >= '1' && s[6] <= '4') {
		m = (unsigned)(s[6] - '1') * 3 + 1;
		*from = date_from_ymd(y, m, 1);
		*to = date_add_months(*from, 3) - 1;
		*is_quarter = 1;
		return 0;
	}
	if (s[5] < '0' || s[5] > '1' || s[6] < '0' || s[6] > '9')
		return -1;
	m = (unsigned)(s[5] - '0') * 10 + (unsigned)(s[6] - '0');
	if (m < 1 || m > 12)
		return -1;
	*from = date_from_ymd(y, m, 1);
	*to = date_add_months(*from, 1) - 1;
	*is_quarter = 0;
	return 0;
}

/* The partner's newest active agreement (*found 0 when none). */
static enum err
active_agreement(struct ctx *c, int64_t partner_id, struct agreement *out, int *found)
{
	struct agreement_filter f = {
		.partner_id = partner_id, .status = "active", .today = c->now / 86400, .limit = 500
	};
	struct agreement *items;
	size_t n;
	enum err rc;

	*found = 0;
	if ((rc = store_agreement_list(c, &f, &items, &n)))
		return rc;
	if (n) {
		*out = items[n > 500 ? 499 : n - 1]; /* the highest id */
		*found = 1;
	}
	return ERR_OK;
}

static enum err
add_reason(json_t *reasons, const char *r)
{
	return json_array_append_new(reasons, json_string(r)) ? ERR_NOMEM : ERR_OK;
}

/* A payout line into the partner's draft statement of the booking period;
 * when that statement is approved already, the next period's. */
static enum err
payout_line(struct ctx *c, const struct order *o, const char *kind, int64_t bps, int64_t amount)
{
	struct money_settings ms;
	struct statement_line l = { .order_id = o->id, .kind = kind, .bps = bps, .amount = amount };
	int64_t day = o->booked_at / 86400, id;
	const char *status;
	char period[8];
	enum err rc;

	if ((rc = settings_money(c, &ms)))
		return rc;
	l.basis.amount = o->net_amount;
	memcpy(l.basis.currency, o->list.currency, 4);
	for (int i = 0; i < 24; i++) {
		statement_period_of(day, ms.statement_quarter, period);
		if ((rc = store_statement_for(c, o->partner_id, period, &id, &status)))
			return rc;
		if (!strcmp(status, "draft"))
			return store_statement_add_line(c, id, &l);
		day = date_add_months(day, ms.statement_quarter ? 3 : 1);
	}
	return err_set(c->ei, ERR_CONFLICT, NULL, "no open statement for the payout");
}

enum err
order_book(struct ctx *c, const struct opportunity *opp, struct order *o)
{
	json_t *reasons = json_array();
	struct actor saved = c->actor;
	struct changes ch;
	char *text;
	enum err rc = ERR_OK;

	memset(o, 0, sizeof *o);
	o->opportunity_id = opp->id;
	o->partner_id = opp->partner_id;
	o->registration_id = opp->registration_id;
	o->owner_user_id = opp->owner_user_id;
	o->booked_at = c->now;
	o->list = opp->amount;
	o->net_amount = opp->amount.amount;
	o->eligible = 1;
	/* the economics are the program's, whoever closes the deal */
	c->actor.partner_id = 0;
	if (opp->partner_id) {
		struct registration r;
		int approved = 0;

		if (opp->registration_id) {
			rc = store_registration_get(c, opp->registration_id, &r);
			if (rc && rc != ERR_NOTFOUND)
				goto out;
			approved =
			        !rc && (!strcmp(r.status, "approved") || !strcmp(r.status, "won"));
			rc = ERR_OK;
		}
		if (!approved) {
			o->eligible = 0;
			add_reason(reasons, "no_approved_registration");
		} else {
			struct agreement a;
			struct tiers tiers;
			struct partner p;
			int found;

			if ((rc = active_agreement(c, opp->partner_id, &a, &found)) ||
			    (rc = settings_tiers(c, &tiers)) ||
			    (rc = store_partner_get(c, opp->partner_id, &p)))
				goto out;
			if (!found) {
				add_reason(reasons, "no_active_agreement");
			} else {
				int64_t discount = 0;
				if (a.discount_bps != BPS_NONE) {
					o->discount_bps = a.discount_bps;
					for (int i = 0; i < tiers.n; i++)
						if (!strcmp(tiers.items[i].name, p.tier))
							o->discount_bps +=
							        tiers.items[i].uplift_bps;
					if (o->discount_bps > BPS_MAX)
						o->discount_bps = BPS_MAX;
				}
				if ((rc = money_bps(o->list.amount, o->discount_bps, &discount)))
					goto out;
				o->net_amount = o->list.amount - discount;
				if (a.fee_bps != BPS_NONE) {
					int64_t approved_day = r.decided_at / 86400;
					if (c->now / 86400 <=
					    approved_day + a.referral_window_days) {
						o->fee_bps = a.fee_bps;
						if ((rc = money_bps(o->net_amount, o->fee_bps,
						                    &o->fee_amount)))
							goto out;
					} else {
						add_reason(reasons, "referral_window_passed");
					}
				}
				if (a.split_bps != BPS_NONE) {
					o->split_bps = a.split_bps;
					if ((rc = money_bps(o->net_amount, o->split_bps,
					                    &o->split_amount)))
						goto out;
				}
			}
		}
	}
	if (!(text = json_dumps(reasons, JSON_COMPACT))) {
		rc = ERR_NOMEM;
		goto out;
	}
	o->reasons = arena_strdup(c->arena, text);
	free(text);
	if ((rc = store_order_insert(c, o)))
		goto out;
	if (o->fee_amount > 0 && (rc = payout_line(c, o, "fee", o->fee_bps, o->fee_amount)))
		goto out;
	if (o->split_amount > 0 && (rc = payout_line(c, o, "split", o->split_bps, o->split_amount)))
		goto out;
	changes_init(&ch);
	changes_i64(&ch, "opportunity_id", 0, 0, 1, o->opportunity_id);
	changes_money(&ch, "list_amount", NULL, &o->list);
	changes_i64(&ch, "net_amount", 0, 0, 1, o->net_amount);
	changes_bool(&ch, "eligible", 0, o->eligible);
	if ((rc = audit_write(c, "book", "order", o->id, &ch)))
		goto out;
	if (o->partner_id) {
		struct tier_status ts;
		rc = tier_evaluate(c, o->partner_id, &ts);
	}
out:
	c->actor = saved;
	json_decref(reasons);
	return rc;
}

enum err
order_get(struct ctx *c, int64_t id, struct order *out)
{
	enum err rc = store_order_get(c, id, out);

	if (rc == ERR_NOTFOUND)
		return err_set(c->ei, rc, NULL, "no order %lld", (long long)id);
	return rc;
}

enum err
order_list(struct ctx *c, struct order_filter *f, struct order **items, size_t *n)
{
	if (ctx_scope(c) && f->partner_id && f->partner_id != ctx_scope(c))
		return err_set(c->ei, ERR_NOTFOUND, "partner_id", "no partner %lld",
		               (long long)f->partner_id);
	return store_order_list(c, f, items, n);
}

/* --- statements ---------------------------------------------------------- */

enum err
statement_get(struct ctx *c, int64_t id, struct statement *out)
{
	enum err rc = store_statement_get(c, id, out);

	if (rc == ERR_NOTFOUND)
		return err_set(c->ei, rc, NULL, "no statement %lld", (long long)id);
	return rc ? rc : store_statement_lines(c, out);
}

enum err
statement_list(struct ctx *c, struct statement_filter *f, const char *period,
               struct statement **items, size_t *n)
{
	enum err rc;

	if (ctx_scope(c) && f->partner_id && f->partner_id != ctx_scope(c))
		return err_set(c->ei, ERR_NOTFOUND, "partner_id", "no partner %lld",
		               (long long)f->partner_id);
	f->periods[0] = NULL;
	if (period) {
		int64_t from, to;
		int q;
		if (period_parse(period, &from, &to, &q))
			return err_set(c->ei, ERR_PARSE, "period",
			               "period is a month (2026-11) or a quarter (2026-Q4)");
		f->periods[0] = period;
		if (q) {
			/* a quarter holds its quarterly statement and its three months' */
			for (int i = 0; i < 3; i++) {
				char *m = arena_alloc(c->arena, 8);
				if (!m)
					return ERR_NOMEM;
				statement_period_of(date_add_months(from, i), 0, m);
				f->periods[1 + i] = m;
			}
		} else {
			f->periods[1] = f->periods[2] = f->periods[3] = period;
		}
	}
	if ((rc = store_statement_list(c, f, items, n)))
		return rc;
	for (size_t i = 0; i < *n; i++)
		if ((rc = store_statement_lines(c, &(*items)[i])))
			return rc;
	return ERR_OK;
}

static enum err
statement_move(struct ctx *c, int64_t id, const char *from, const char *to, struct statement *out)
{
	struct statement old;
	struct changes ch;
	enum err rc;

	if ((rc = statement_get(c, id, &old)))
		return rc;
	if (c->actor.role != ROLE_ADMIN && c->actor.role != ROLE_FINANCE)
		return err_set(c->ei, ERR_FORBIDDEN, NULL,
		               "only finance and admins decide payouts");
	if (strcmp(old.status, from))
		return err_set(c->ei, ERR_CONFLICT, NULL, "the statement is %s, not %s", old.status,
		               from);
	*out = old;
	out->status = to;
	out->updated_at = c->now;
	if (!strcmp(to, "approved"))
		out->approved_at = c->now;
	else
		out->paid_at = c->now;
	if ((rc = store_statement_update(c, out)))
		return rc;
	changes_init(&ch);
	changes_str(&ch, "status", old.status, to);
	return audit_write(c, !strcmp(to, "approved") ? "approve" : "pay", "statement", id, &ch);
}

enum err
statement_approve(struct ctx *c, int64_t id, struct statement *out)
{
	return statement_move(c, id, "draft", "approved", out);
}

enum err
statement_pay(struct ctx *c, int64_t id, struct statement *out)
{
	return statement_move(c, id, "approved", "paid", out);
}

/* --- tiers --------------------------------------------------------------- */

struct bookings {
	struct tier_status *ts;
	const struct money_settings *ms;
};

static enum err
add_booking(void *arg, const struct order *o)
{
	struct bookings *b = arg;
	struct tier_status *ts = b->ts;
	int i;

	if (!o->eligible)
		return ERR_OK;
	for (i = 0; i < ts->nbookings; i++)
		if (!strcmp(ts->bookings[i].currency, o->list.currency))
			break;
	if (i == ts->nbookings) {
		if (i == 8)
			return ERR_OK;
		memcpy(ts->bookings[i].currency, o->list.currency, 4);
		ts->bookings[i].amount = 0;
		ts->nbookings++;
	}
	ts->bookings[i].amount += o->net_amount;
	return ERR_OK;
}

/* Converts an amount to the program currency (-1 when there is no rate). */
static int
to_program(const struct money_settings *ms, const struct money *m, int64_t *out)
{
	if (!strcmp(m->currency, ms->currency)) {
		*out = m->amount;
		return 0;
	}
	for (int i = 0; i < ms->nrates; i++)
		if (!strcmp(ms->rates[i].currency, m->currency))
			return money_muldiv(m->amount, ms->rates[i].micros, 1000000, out) ? -1 : 0;
	return -1;
}

enum err
tier_evaluate(struct ctx *c, int64_t partner_id, struct tier_status *out)
{
	struct money_settings ms;
	struct tiers tiers;
	struct partner p;
	struct bookings b = { out, &ms };
	int64_t today = c->now / 86400, from = (today - TRAILING_DAYS + 1) * 86400;
	int at = 0;
	enum err rc;

	memset(out, 0, sizeof *out);
	rc = store_partner_get(c, partner_id, &p);
	if (rc == ERR_NOTFOUND)
		return err_set(c->ei, rc, NULL, "no partner %lld", (long long)partner_id);
	if (rc || (rc = settings_money(c, &ms)) || (rc = settings_tiers(c, &tiers)) ||
	    (rc = store_order_each(c, partner_id, from, c->now + 1, add_booking, &b)))
		return rc;
	memcpy(out->currency, ms.currency, 4);
	for (int i = 0; i < out->nbookings; i++) {
		int64_t v;
		if (!to_program(&ms, &out->bookings[i], &v))
			out->total += v;
	}
	for (int i = 0; i < tiers.n; i++) {
		int64_t threshold;
		if (to_program(&ms, &tiers.items[i].threshold, &threshold))
			threshold = tiers.items[i].threshold.amount;
		if (out->total >= threshold)
			at = i;
	}
	out->tier = arena_strdup(c->arena, tiers.items[at].name);
	if (at + 1 < tiers.n) {
		int64_t threshold;
		if (to_program(&ms, &tiers.items[at + 1].threshold, &threshold))
			threshold = tiers.items[at + 1].threshold.amount;
		out->next_name = arena_strdup(c->arena, tiers.items[at + 1].name);
		out->next_threshold = threshold;
		out->missing = threshold - out->total;
	}
	if (strcmp(p.tier, out->tier)) {
		struct changes ch;
		struct actor saved = c->actor;
		c->actor.partner_id = 0;
		rc = store_tier_change(c, partner_id, out->tier, today);
		if (!rc) {
			changes_init(&ch);
			changes_str(&ch, "tier", p.tier, out->tier);
			rc = audit_write(c, "tier", "partner", partner_id, &ch);
		}
		c->actor = saved;
		if (rc)
			return rc;
	}
	return store_tier_history(c, partner_id, TIER_HISTORY_MAX, &out->history, &out->nhistory);
}

enum err
tier_evaluate_all(struct ctx *c, int *changed)
{
	struct partner_filter f = { .limit = 200 };
	struct partner *items;
	size_t n;
	enum err rc;

	*changed = 0;
	for (;;) {
		if ((rc = store_partner_list(c, &f, &items, &n)))
			return rc;
		for (size_t i = 0; i < n && i < 200; i++) {
			struct tier_status ts;
			if ((rc = tier_evaluate(c, items[i].id, &ts)))
				return rc;
			*changed += strcmp(ts.tier, items[i].tier) != 0;
		}
		if (n <= 200)
			return ERR_OK;
		f.after = items[199].id;
	}
}
