/* Orders, statements (and their CSV), the forecast, the quota-credit report
 * and a partner's tier. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "base/csv.h"
#include "base/jin.h"
#include "base/sb.h"
#include "domain/forecast.h"
#include "domain/order.h"

static json_t *
money_of(int64_t amount, const char *currency)
{
	return json_pack("{sIss}", "amount", (json_int_t)amount, "currency", currency);
}

static json_t *
order_json(const struct order *o)
{
	json_t *j = json_object(), *reasons = json_loads(o->reasons ? o->reasons : "[]", 0, NULL);

	json_object_set_new(j, "id", json_integer(o->id));
	json_object_set_new(j, "opportunity_id", json_integer(o->opportunity_id));
	json_object_set_new(j, "partner_id",
	                    o->partner_id ? json_integer(o->partner_id) : json_null());
	json_object_set_new(j, "registration_id",
	                    o->registration_id ? json_integer(o->registration_id) : json_null());
	json_object_set_new(j, "booked_at", json_time(o->booked_at));
	json_object_set_new(j, "list_amount", json_money(&o->list));
	json_object_set_new(j, "discount_bps", json_integer(o->discount_bps));
	json_object_set_new(j, "net_amount", money_of(o->net_amount, o->list.currency));
	json_object_set_new(j, "fee_bps", json_integer(o->fee_bps));
	json_object_set_new(j, "fee_amount", money_of(o->fee_amount, o->list.currency));
	json_object_set_new(j, "split_bps", json_integer(o->split_bps));
	json_object_set_new(j, "split_amount", money_of(o->split_amount, o->list.currency));
	json_object_set_new(j, "eligible", json_boolean(o->eligible));
	json_object_set_new(j, "reasons", reasons ? reasons : json_array());
	return j;
}

enum err
api_order_list(struct req *rq, struct resp *rs)
{
	static const char *const allowed[] = { "partner_id", NULL };
	struct order_filter f = { 0 };
	struct order *items;
	struct page pg;
	size_t n;
	json_t *arr;
	enum err rc;

	if ((rc = req_query_check(rq, allowed, 1)) || (rc = req_page(rq, &pg)) ||
	    (rc = req_query_i64(rq, "partner_id", 1, INT64_MAX, &f.partner_id)))
		return rc;
	f.after = pg.cursor;
	f.limit = pg.limit;
	if ((rc = order_list(&rq->ctx, &f, &items, &n)))
		return rc;
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, order_json(&items[i]));
	return resp_json(rs, 200,
	                 list_json(arr, &pg, n > (size_t)pg.limit ? items[pg.limit - 1].id : 0));
}

enum err
api_order_get(struct req *rq, struct resp *rs)
{
	struct order o;
	int64_t id;
	enum err rc;

	if ((rc = req_query_check(rq, NULL, 0)) || (rc = req_path_id(rq, 0, &id)) ||
	    (rc = order_get(&rq->ctx, id, &o)))
		return rc;
	return resp_json(rs, 200, order_json(&o));
}

/* Totals per currency of a statement's lines. */
static json_t *
totals_json(const struct statement *s)
{
	json_t *totals = json_array();
	char cur[16][4];
	int64_t sum[16];
	int k = 0;

	for (size_t i = 0; i < s->nlines; i++) {
		int j;
		for (j = 0; j < k; j++)
			if (!strcmp(cur[j], s->lines[i].basis.currency))
				break;
		if (j == k) {
			if (k == 16)
				continue;
			memcpy(cur[k], s->lines[i].basis.currency, 4);
			sum[k++] = 0;
		}
		sum[j] += s->lines[i].amount;
	}
	for (int j = 0; j < k; j++)
		json_array_append_new(totals, money_of(sum[j], cur[j]));
	return totals;
}

static json_t *
statement_json(const struct statement *s)
{
	json_t *lines = json_array();

	for (size_t i = 0; i < s->nlines; i++) {
		const struct statement_line *l = &s->lines[i];
		json_array_append_new(lines,
		                      json_pack("{sIsssosIso}", "order_id", (json_int_t)l->order_id,
		                                "kind", l->kind, "basis", json_money(&l->basis),
		                                "bps", (json_int_t)l->bps, "amount",
		                                money_of(l->amount, l->basis.currency)));
	}
	return json_pack("{sIsIssssso so soso}", "id", (json_int_t)s->id, "partner_id",
	                 (json_int_t)s->partner_id, "period", s->period, "status", s->status,
	                 "totals", totals_json(s), "lines", lines, "approved_at",
	                 s->approved_at ? json_time(s->approved_at) : json_null(), "paid_at",
	                 s->paid_at ? json_time(s->paid_at) : json_null());
}

enum err
api_statement_list(struct req *rq, struct resp *rs)
{
	static const char *const allowed[] = { "partner_id", "period", NULL };
	struct statement_filter f = { 0 };
	struct statement *items;
	struct page pg;
	size_t n;
	json_t *arr;
	enum err rc;

	if ((rc = req_query_check(rq, allowed, 1)) || (rc = req_page(rq, &pg)) ||
	    (rc = req_query_i64(rq, "partner_id", 1, INT64_MAX, &f.partner_id)))
		return rc;
	f.after = pg.cursor;
	f.limit = pg.limit;
	if ((rc = statement_list(&rq->ctx, &f, req_query(rq, "period"), &items, &n)))
		return rc;
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, statement_json(&items[i]));
	return resp_json(rs, 200,
	                 list_json(arr, &pg, n > (size_t)pg.limit ? items[pg.limit - 1].id : 0));
}

enum err
api_statement_get(struct req *rq, struct resp *rs)
{
	struct statement s;
	const char *raw = req_path_str(rq, 0);
	size_t len = raw ? strlen(raw) : 0;
	int csv = len > 4 && !strcmp(raw + len - 4, ".csv");
	int64_t id;
	enum err rc;

	if (csv)
		rq->params[0] = arena_strndup(&rq->arena, raw, len - 4);
	if ((rc = req_query_check(rq, NULL, 0)) || (rc = req_path_id(rq, 0, &id)) ||
	    (rc = statement_get(&rq->ctx, id, &s)))
		return rc;
	if (csv) {
		struct sb sb;
		char *text;
		sb_init(&sb, 0);
		sb_puts(&sb,
		        "statement_id,partner_id,period,status,order_id,kind,currency,basis,bps,"
		        "amount\r\n");
		for (size_t i = 0; i < s.nlines; i++) {
			const struct statement_line *l = &s.lines[i];
			sb_printf(&sb, "%lld,%lld,", (long long)s.id, (long long)s.partner_id);
			csv_field(&sb, s.period);
			sb_putc(&sb, ',');
			csv_field(&sb, s.status);
			sb_printf(&sb, ",%lld,", (long long)l->order_id);
			csv_field(&sb, l->kind);
			sb_printf(&sb, ",%s,%lld,%lld,%lld\r\n", l->basis.currency,
			          (long long)l->basis.amount, (long long)l->bps,
			          (long long)l->amount);
		}
		if (!(text = sb_detach(&sb)))
			return ERR_NOMEM;
		rc = resp_text(rs, 200, "text/csv; charset=utf-8", text, strlen(text));
		free(text);
		return rc;
	}
	return resp_json(rs, 200, statement_json(&s));
}

static enum err
statement_action(struct req *rq, struct resp *rs, int pay)
{
	struct statement s;
	struct jin in;
	int64_t id;
	json_t *root;
	enum err rc;

	if ((rc = req_path_id(rq, 0, &id)) || (rc = req_json(rq, 1, &root)))
		return rc;
	jin_init(&in, root, &rq->arena, &rq->ei);
	rc = jin_done(&in);
	json_decref(root);
	if (rc ||
	    (rc = pay ? statement_pay(&rq->ctx, id, &s) : statement_approve(&rq->ctx, id, &s)) ||
	    (rc = store_statement_lines(&rq->ctx, &s)))
		return rc;
	return resp_json(rs, 200, statement_json(&s));
}

enum err
api_statement_approve(struct req *rq, struct resp *rs)
{
	return statement_action(rq, rs, 0);
}

enum err
api_statement_pay(struct req *rq, struct resp *rs)
{
	return statement_action(rq, rs, 1);
}

enum err
api_forecast(struct req *rq, struct resp *rs)
{
	static const char *const allowed[] = { "group_by", "period", NULL };
	static const char *const groups[] = { "partner", "type", "quarter", NULL };
	const char *group = "partner", *period;
	struct forecast_row *rows;
	enum forecast_group g;
	size_t n;
	json_t *arr;
	enum err rc;

	if ((rc = req_query_check(rq, allowed, 0)) ||
	    (rc = req_query_enum(rq, "group_by", groups, &group)))
		return rc;
	g = !strcmp(group, "partner") ? GROUP_PARTNER
	    : !strcmp(group, "type")  ? GROUP_TYPE
	                              : GROUP_QUARTER;
	if ((rc = forecast(&rq->ctx, g, req_query(rq, "period"), &period, &rows, &n)))
		return rc;
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct forecast_row *r = &rows[i];
		json_t *key = g == GROUP_PARTNER
		                      ? (r->partner_id ? json_integer(r->partner_id) : json_null())
		                      : json_string(r->key);
		json_array_append_new(
		        arr, json_pack("{sosssssIsIsIsIsI}", "key", key, "label", r->label,
		                       "currency", r->currency, "pipeline", (json_int_t)r->pipeline,
		                       "best_case", (json_int_t)r->best_case, "commit",
		                       (json_int_t)r->commit, "weighted", (json_int_t)r->weighted,
		                       "closed_won", (json_int_t)r->closed_won));
	}
	return resp_json(rs, 200, json_pack("{ssso}", "period", period, "rows", arr));
}

enum err
api_quota_credit(struct req *rq, struct resp *rs)
{
	static const char *const allowed[] = { "period", NULL };
	struct credit_row *rows;
	size_t n;
	json_t *arr;
	enum err rc;

	if ((rc = req_query_check(rq, allowed, 0)) ||
	    (rc = quota_credit(&rq->ctx, req_query(rq, "period"), &rows, &n)))
		return rc;
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{sIsssIsIsI}", "user_id",
		                                     (json_int_t)rows[i].user_id, "currency",
		                                     rows[i].currency, "direct",
		                                     (json_int_t)rows[i].direct, "partner",
		                                     (json_int_t)rows[i].partner, "credited",
		                                     (json_int_t)rows[i].credited));
	return resp_json(rs, 200, json_pack("{so}", "rows", arr));
}

enum err
api_partner_tier(struct req *rq, struct resp *rs)
{
	struct tier_status ts;
	json_t *bookings = json_array(), *history = json_array(), *next = json_null();
	int64_t id;
	enum err rc;

	if ((rc = req_query_check(rq, NULL, 0)) || (rc = req_path_id(rq, 0, &id)) ||
	    (rc = tier_evaluate(&rq->ctx, id, &ts))) {
		json_decref(bookings);
		json_decref(history);
		return rc;
	}
	for (int i = 0; i < ts.nbookings; i++)
		json_array_append_new(bookings, json_money(&ts.bookings[i]));
	for (size_t i = 0; i < ts.nhistory; i++)
		json_array_append_new(
		        history,
		        json_pack("{sssoso}", "tier", ts.history[i].tier, "from",
		                  json_date(ts.history[i].from), "to",
		                  ts.history[i].to ? json_date(ts.history[i].to) : json_null()));
	if (ts.next_name)
		next = json_pack("{sssoso}", "name", ts.next_name, "threshold",
		                 money_of(ts.next_threshold, ts.currency), "missing",
		                 money_of(ts.missing, ts.currency));
	return resp_json(rs, 200,
	                 json_pack("{sssosososo}", "tier", ts.tier, "bookings", bookings, "total",
	                           money_of(ts.total, ts.currency), "next", next, "history",
	                           history));
}
