/* /api/v1/partners/{id}/agreements */
#include "api/api.h"
#include "base/jin.h"
#include "domain/agreement.h"
#include "domain/partner.h"

static json_t *
bps(int64_t v)
{
	return v == BPS_NONE ? json_null() : json_integer(v);
}

json_t *
agreement_json(const struct agreement *a, int64_t today)
{
	int64_t end;
	const char *status = agreement_status(a, today, &end);
	json_t *j = json_object();

	if (!j)
		return NULL;
	json_object_set_new(j, "id", json_integer(a->id));
	json_object_set_new(j, "partner_id", json_integer(a->partner_id));
	json_object_set_new(j, "type", json_string(a->type));
	json_object_set_new(j, "discount_bps", bps(a->discount_bps));
	json_object_set_new(j, "fee_bps", bps(a->fee_bps));
	json_object_set_new(j, "split_bps", bps(a->split_bps));
	json_object_set_new(j, "services_discount_bps", bps(a->services_discount_bps));
	json_object_set_new(j, "referral_window_days",
	                    a->referral_window_days ? json_integer(a->referral_window_days)
	                                            : json_null());
	json_object_set_new(j, "revenue_commitment", json_money(&a->revenue_commitment));
	json_object_set_new(j, "start_date", json_date(a->start_date));
	json_object_set_new(j, "end_date", json_date(end));
	json_object_set_new(j, "term_months", json_integer(a->term_months));
	json_object_set_new(j, "auto_renew", json_boolean(a->auto_renew));
	json_object_set_new(j, "notice_days", json_integer(a->notice_days));
	json_object_set_new(j, "exclusive", json_boolean(a->exclusive));
	json_object_set_new(j, "status", json_string(status));
	json_object_set_new(j, "created_at", json_time(a->created_at));
	json_object_set_new(j, "updated_at", json_time(a->updated_at));
	return j;
}

static enum err
parse(struct req *rq, json_t *root, struct agreement_input *a)
{
	struct jin in;
	enum err rc;

	jin_init(&in, root, &rq->arena, &rq->ei);
	if ((rc = jin_str(&in, "type", 0, 32, &a->type, &a->has_type)) ||
	    (rc = jin_i64(&in, "discount_bps", 0, 0, BPS_MAX, &a->discount_bps,
	                  &a->has_discount_bps)) ||
	    (rc = jin_i64(&in, "fee_bps", 0, 0, BPS_MAX, &a->fee_bps, &a->has_fee_bps)) ||
	    (rc = jin_i64(&in, "split_bps", 0, 0, BPS_MAX, &a->split_bps, &a->has_split_bps)) ||
	    (rc = jin_i64(&in, "services_discount_bps", 0, 0, BPS_MAX, &a->services_discount_bps,
	                  &a->has_services_discount_bps)) ||
	    (rc = jin_i64(&in, "referral_window_days", 0, 1, 3650, &a->referral_window_days,
	                  &a->has_referral_window_days)) ||
	    (rc = jin_money(&in, "revenue_commitment", 0, 0, &a->revenue_commitment,
	                    &a->has_revenue_commitment)) ||
	    (rc = jin_date(&in, "start_date", 0, &a->start_date, &a->has_start_date)) ||
	    (rc = jin_date(&in, "end_date", 0, &a->end_date, &a->has_end_date)) ||
	    (rc = jin_i64(&in, "term_months", 0, 1, 120, &a->term_months, &a->has_term_months)) ||
	    (rc = jin_bool(&in, "auto_renew", 0, &a->auto_renew, &a->has_auto_renew)) ||
	    (rc = jin_i64(&in, "notice_days", 0, 0, 365, &a->notice_days, &a->has_notice_days)) ||
	    (rc = jin_bool(&in, "exclusive", 0, &a->exclusive, &a->has_exclusive)))
		return rc;
	/* null for a date or the type means "the default": treat as absent */
	if (a->has_type && !a->type)
		a->has_type = 0;
	if (a->has_start_date && !json_is_string(json_object_get(root, "start_date")))
		a->has_start_date = 0;
	if (a->has_end_date && !json_is_string(json_object_get(root, "end_date")))
		a->has_end_date = 0;
		/* null for a term clears it */
#define CLEAR(f, none)                                                                             \
	if (!a->has_##f && json_is_null(json_object_get(root, #f)))                                \
		a->has_##f = 1, a->f = none;
	CLEAR(discount_bps, BPS_NONE)
	CLEAR(fee_bps, BPS_NONE)
	CLEAR(split_bps, BPS_NONE)
	CLEAR(services_discount_bps, BPS_NONE)
	CLEAR(referral_window_days, 0)
#undef CLEAR
	return jin_done(&in);
}

enum err
api_agreement_list(struct req *rq, struct resp *rs)
{
	static const char *const allowed[] = { "status", "type", NULL };
	struct agreement_filter f = { 0 };
	struct page pg;
	struct agreement *items;
	size_t n;
	json_t *arr;
	enum err rc;

	if ((rc = req_query_check(rq, allowed, 1)) || (rc = req_page(rq, &pg)) ||
	    (rc = req_path_id(rq, 0, &f.partner_id)) ||
	    (rc = req_query_enum(rq, "status", agreement_statuses, &f.status)) ||
	    (rc = req_query_enum(rq, "type", partner_types, &f.type)))
		return rc;
	f.after = pg.cursor;
	f.limit = pg.limit;
	if ((rc = agreement_list(&rq->ctx, &f, &items, &n)))
		return rc;
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, agreement_json(&items[i], f.today));
	return resp_json(rs, 200,
	                 list_json(arr, &pg, n > (size_t)pg.limit ? items[pg.limit - 1].id : 0));
}

enum err
api_agreement_create(struct req *rq, struct resp *rs)
{
	struct agreement_input in = { 0 };
	struct agreement a;
	int64_t pid;
	json_t *root;
	enum err rc;

	if ((rc = req_path_id(rq, 0, &pid)) || (rc = req_json(rq, 1, &root)))
		return rc;
	if (!(rc = parse(rq, root, &in)) && !(rc = agreement_create(&rq->ctx, pid, &in, &a))) {
		rc = resp_json(rs, 201, agreement_json(&a, rq->ctx.now / 86400));
		resp_location(rq, rs, "/api/v1/partners/%lld/agreements/%lld", (long long)pid,
		              (long long)a.id);
	}
	json_decref(root);
	return rc;
}

enum err
api_agreement_get(struct req *rq, struct resp *rs)
{
	struct agreement a;
	int64_t pid, id;
	enum err rc;

	if ((rc = req_query_check(rq, NULL, 0)) || (rc = req_path_id(rq, 0, &pid)) ||
	    (rc = req_path_id(rq, 1, &id)) || (rc = agreement_get(&rq->ctx, pid, id, &a)))
		return rc;
	return resp_json(rs, 200, agreement_json(&a, rq->ctx.now / 86400));
}

enum err
api_agreement_update(struct req *rq, struct resp *rs)
{
	struct agreement_input in = { 0 };
	struct agreement a;
	int64_t pid, id;
	json_t *root;
	enum err rc;

	if ((rc = req_path_id(rq, 0, &pid)) || (rc = req_path_id(rq, 1, &id)) ||
	    (rc = req_json(rq, 0, &root)))
		return rc;
	if (!(rc = parse(rq, root, &in)) && !(rc = agreement_update(&rq->ctx, pid, id, &in, &a)))
		rc = resp_json(rs, 200, agreement_json(&a, rq->ctx.now / 86400));
	json_decref(root);
	return rc;
}

enum err
api_agreement_terminate(struct req *rq, struct resp *rs)
{
	struct agreement a;
	struct jin in;
	int64_t pid, id;
	json_t *root;
	enum err rc;

	if ((rc = req_path_id(rq, 0, &pid)) || (rc = req_path_id(rq, 1, &id)) ||
	    (rc = req_json(rq, 1, &root)))
		return rc;
	jin_init(&in, root, &rq->arena, &rq->ei);
	if (!(rc = jin_done(&in)) && !(rc = agreement_terminate(&rq->ctx, pid, id, &a)))
		rc = resp_json(rs, 200, agreement_json(&a, rq->ctx.now / 86400));
	json_decref(root);
	return rc;
}
