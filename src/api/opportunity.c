/* /api/v1/opportunities and POST /api/v1/deal-registrations/{id}/convert */
#include <stdio.h>
#include <string.h>

#include "api/api.h"
#include "base/jin.h"
#include "domain/opportunity.h"

static json_t *
ref(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

static json_t *
date_or_null(int64_t day)
{
	return day ? json_date(day) : json_null();
}

static json_t *
opportunity_json(struct req *rq, const struct opportunity *o)
{
	json_t *j = json_object(), *flags = json_array();
	json_t *checklist = json_loads(o->checklist ? o->checklist : "[]", 0, NULL);
	unsigned risks = 0;

	if (!opportunity_risks(&rq->ctx, o, &risks))
		for (int i = 0; risk_names[i]; i++)
			if (risks & (1u << i))
				json_array_append_new(flags, json_string(risk_names[i]));
	json_object_set_new(j, "id", json_integer(o->id));
	json_object_set_new(j, "name", json_string(o->name));
	json_object_set_new(j, "account_id", json_integer(o->account_id));
	json_object_set_new(j, "partner_id", ref(o->partner_id));
	json_object_set_new(j, "registration_id", ref(o->registration_id));
	json_object_set_new(j, "owner_user_id", ref(o->owner_user_id));
	json_object_set_new(j, "stage", json_string(o->stage));
	json_object_set_new(j, "probability", json_integer(o->probability));
	json_object_set_new(j, "forecast_category", json_string(o->forecast_category));
	json_object_set_new(j, "amount", json_money(&o->amount));
	json_object_set_new(j, "expected_close", json_date(o->expected_close));
	json_object_set_new(j, "closed_on", date_or_null(o->closed_on));
	json_object_set_new(j, "source", json_string(o->source));
	json_object_set_new(j, "checklist", checklist ? checklist : json_array());
	json_object_set_new(j, "risk_flags", flags);
	json_object_set_new(j, "customer_po_on", date_or_null(o->customer_po_on));
	json_object_set_new(j, "partner_order_on", date_or_null(o->partner_order_on));
	json_object_set_new(j, "created_at", json_time(o->created_at));
	json_object_set_new(j, "updated_at", json_time(o->updated_at));
	return j;
}

static enum err
parse(struct req *rq, json_t *root, int creating, struct opportunity_input *o)
{
	struct jin in;
	unsigned req = creating ? JIN_REQUIRED : 0;
	enum err rc;

	jin_init(&in, root, &rq->arena, &rq->ei);
	if ((rc = jin_str(&in, "name", req, OPPORTUNITY_NAME_MAX, &o->name, &o->has_name)) ||
	    (rc = jin_i64(&in, "account_id", req, 1, INT64_MAX, &o->account_id,
	                  &o->has_account_id)) ||
	    (rc = jin_money(&in, "amount", req, 1, &o->amount, &o->has_amount)) ||
	    (rc = jin_date(&in, "expected_close", req, &o->expected_close,
	                   &o->has_expected_close)) ||
	    (rc = jin_str(&in, "stage", 0, 50, &o->stage, &o->has_stage)) ||
	    (rc = jin_i64(&in, "partner_id", 0, 1, INT64_MAX, &o->partner_id,
	                  &o->has_partner_id)) ||
	    (rc = jin_str(&in, "source", 0, 20, &o->source, &o->has_source)) ||
	    (rc = jin_i64(&in, "owner_user_id", 0, 1, INT64_MAX, &o->owner_user_id,
	                  &o->has_owner_user_id)) ||
	    (rc = jin_i64(&in, "probability", 0, 0, 100, &o->probability, &o->has_probability)) ||
	    (rc = jin_str(&in, "forecast_category", 0, 20, &o->forecast_category,
	                  &o->has_forecast_category)) ||
	    (rc = jin_date(&in, "customer_po_on", 0, &o->customer_po_on, &o->has_customer_po_on)) ||
	    (rc = jin_date(&in, "partner_order_on", 0, &o->partner_order_on,
	                   &o->has_partner_order_on)))
		return rc;
	if (!creating && ((o->has_name && !o->name) || (o->has_amount && !o->amount.currency[0])))
		return err_set(&rq->ei, ERR_INVALID, o->has_name && !o->name ? "name" : "amount",
		               "this field cannot be cleared");
	/* null: clears a reference or a date; leaves a setting's default otherwise */
	if (json_is_null(json_object_get(root, "partner_id")))
		o->has_partner_id = 1, o->partner_id = 0;
	if (json_is_null(json_object_get(root, "owner_user_id")))
		o->has_owner_user_id = 1, o->owner_user_id = 0;
	if (o->has_customer_po_on && !json_is_string(json_object_get(root, "customer_po_on")))
		o->customer_po_on = 0;
	if (o->has_partner_order_on && !json_is_string(json_object_get(root, "partner_order_on")))
		o->partner_order_on = 0;
	if (o->has_stage && !o->stage)
		o->has_stage = 0;
	if (o->has_source && !o->source)
		o->has_source = 0;
	if (o->has_forecast_category && !o->forecast_category)
		o->has_forecast_category = 0;
	return jin_done(&in);
}

enum err
api_opportunity_list(struct req *rq, struct resp *rs)
{
	static const char *const allowed[] = { "stage",      "source",     "forecast_category",
		                               "partner_id", "account_id", "owner_user_id",
		                               "risk",       NULL };
	struct opportunity_filter f = { 0 };
	struct opportunity *items;
	const char *risk = NULL;
	unsigned riskbit = 0;
	struct page pg;
	size_t n;
	json_t *arr;
	enum err rc;

	if ((rc = req_query_check(rq, allowed, 1)) || (rc = req_page(rq, &pg)) ||
	    (rc = req_query_enum(rq, "source", opportunity_sources, &f.source)) ||
	    (rc = req_query_enum(rq, "forecast_category", forecast_categories,
	                         &f.forecast_category)) ||
	    (rc = req_query_enum(rq, "risk", risk_names, &risk)) ||
	    (rc = req_query_i64(rq, "partner_id", 1, INT64_MAX, &f.partner_id)) ||
	    (rc = req_query_i64(rq, "account_id", 1, INT64_MAX, &f.account_id)) ||
	    (rc = req_query_i64(rq, "owner_user_id", 1, INT64_MAX, &f.owner_user_id)))
		return rc;
	f.stage = req_query(rq, "stage");
	for (int i = 0; risk && risk_names[i]; i++)
		if (!strcmp(risk_names[i], risk))
			riskbit = 1u << i;
	f.after = pg.cursor;
	f.limit = pg.limit;
	if ((rc = opportunity_list(&rq->ctx, &f, riskbit, &items, &n)))
		return rc;
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, opportunity_json(rq, &items[i]));
	return resp_json(rs, 200,
	                 list_json(arr, &pg, n > (size_t)pg.limit ? items[pg.limit - 1].id : 0));
}

enum err
api_opportunity_create(struct req *rq, struct resp *rs)
{
	struct opportunity_input in = { 0 };
	struct opportunity o;
	json_t *root;
	enum err rc;

	if ((rc = req_json(rq, 0, &root)))
		return rc;
	if (!(rc = parse(rq, root, 1, &in)) && !(rc = opportunity_create(&rq->ctx, &in, &o))) {
		rc = resp_json(rs, 201, opportunity_json(rq, &o));
		resp_location(rq, rs, "/api/v1/opportunities/%lld", (long long)o.id);
	}
	json_decref(root);
	return rc;
}

enum err
api_opportunity_get(struct req *rq, struct resp *rs)
{
	struct opportunity o;
	int64_t id;
	enum err rc;

	if ((rc = req_query_check(rq, NULL, 0)) || (rc = req_path_id(rq, 0, &id)) ||
	    (rc = opportunity_get(&rq->ctx, id, &o)))
		return rc;
	return resp_json(rs, 200, opportunity_json(rq, &o));
}

enum err
api_opportunity_update(struct req *rq, struct resp *rs)
{
	struct opportunity_input in = { 0 };
	struct opportunity o;
	int64_t id;
	json_t *root;
	enum err rc;

	if ((rc = req_path_id(rq, 0, &id)) || (rc = req_json(rq, 0, &root)))
		return rc;
	if (!(rc = parse(rq, root, 0, &in)) && !(rc = opportunity_update(&rq->ctx, id, &in, &o)))
		rc = resp_json(rs, 200, opportunity_json(rq, &o));
	json_decref(root);
	return rc;
}

enum err
api_opportunity_checklist(struct req *rq, struct resp *rs)
{
	struct checklist_entry entries[CHECKLIST_MAX];
	struct opportunity o;
	json_t *root, *list, *v;
	size_t i, n = 0;
	int64_t id;
	enum err rc;

	if ((rc = req_path_id(rq, 0, &id)) || (rc = req_json(rq, 0, &root)))
		return rc;
	list = json_object_get(root, "checklist");
	if (json_object_size(root) != 1 || !json_is_array(list) ||
	    json_array_size(list) > CHECKLIST_MAX) {
		json_decref(root);
		return err_set(
		        &rq->ei, ERR_INVALID, "checklist",
		        "send {\"checklist\": [{item, owner_user_id, due, done}]} with at most"
		        " %d items",
		        CHECKLIST_MAX);
	}
	json_array_foreach(list, i, v)
	{
		struct jin in;
		struct checklist_entry *e = &entries[n++];
		char prefix[48];

		memset(e, 0, sizeof *e);
		if (!json_is_object(v)) {
			rc = err_set(&rq->ei, ERR_INVALID, "checklist", "each item is an object");
			break;
		}
		jin_init(&in, v, &rq->arena, &rq->ei);
		snprintf(prefix, sizeof prefix, "checklist[%zu].", i);
		in.prefix = arena_strdup(&rq->arena, prefix);
		if ((rc = jin_str(&in, "item", JIN_REQUIRED, 32, &e->item, NULL)) ||
		    (rc = jin_i64(&in, "owner_user_id", 0, 1, INT64_MAX, &e->owner_user_id,
		                  NULL)) ||
		    (rc = jin_date(&in, "due", 0, &e->due, NULL)) ||
		    (rc = jin_bool(&in, "done", 0, &e->done, NULL)) || (rc = jin_done(&in)))
			break;
	}
	if (!rc && !(rc = opportunity_set_checklist(&rq->ctx, id, entries, n, &o)))
		rc = resp_json(rs, 200, opportunity_json(rq, &o));
	json_decref(root);
	return rc;
}

enum err
api_registration_convert(struct req *rq, struct resp *rs)
{
	struct opportunity o;
	struct jin in;
	int64_t id;
	json_t *root;
	enum err rc;

	if ((rc = req_path_id(rq, 0, &id)) || (rc = req_json(rq, 1, &root)))
		return rc;
	jin_init(&in, root, &rq->arena, &rq->ei);
	if (!(rc = jin_done(&in)) && !(rc = registration_convert(&rq->ctx, id, &o))) {
		rc = resp_json(rs, 201, opportunity_json(rq, &o));
		resp_location(rq, rs, "/api/v1/opportunities/%lld", (long long)o.id);
	}
	json_decref(root);
	return rc;
}
