/* /api/v1/partners */
#include "api/api.h"
#include "base/iso.h"
#include "base/jin.h"
#include "domain/partner.h"
#include "domain/search.h"

#define Q_MAX 200

static enum err
parse(struct req *rq, json_t *root, int creating, struct partner_input *p)
{
	struct jin in;
	enum err rc;
	unsigned req = creating ? JIN_REQUIRED : 0;

	jin_init(&in, root, &rq->arena, &rq->ei);
	if ((rc = jin_str(&in, "name", req, PARTNER_NAME_MAX, &p->name, &p->has_name)) ||
	    (rc = jin_str(&in, "type", req, 32, &p->type, &p->has_type)) ||
	    (rc = jin_str(&in, "status", 0, 32, &p->status, &p->has_status)) ||
	    (rc = jin_str(&in, "domain", 0, 2048, &p->domain, &p->has_domain)) ||
	    (rc = jin_str(&in, "country", 0, 100, &p->country, &p->has_country)) ||
	    (rc = jin_str(&in, "region", 0, REGION_MAX, &p->region, &p->has_region)) ||
	    (rc = jin_i64(&in, "account_manager_id", 0, 1, INT64_MAX, &p->account_manager_id,
	                  &p->has_account_manager_id)) ||
	    (rc = jin_money(&in, "credit_line", 0, 0, &p->credit_line, &p->has_credit_line)) ||
	    (rc = jin_i64(&in, "designated_consultants", 0, 0, CONSULTANTS_MAX,
	                  &p->designated_consultants, &p->has_designated_consultants)))
		return rc;
	/* given as null: cleared (account manager) or back to the default */
	if (!creating && p->has_status && !p->status)
		return err_set(&rq->ei, ERR_INVALID, "status", "status cannot be empty");
	if (p->has_status && !p->status)
		p->has_status = 0;
	if (!p->has_account_manager_id && json_object_get(root, "account_manager_id"))
		p->has_account_manager_id = 1, p->account_manager_id = 0;
	if (!p->has_designated_consultants && json_object_get(root, "designated_consultants"))
		p->has_designated_consultants = 1, p->designated_consultants = 0;
	return jin_done(&in);
}

enum err
api_partner_list(struct req *rq, struct resp *rs)
{
	static const char *const allowed[] = { "status",  "type",   "tier",
		                               "country", "region", "account_manager_id",
		                               "q",       NULL };
	struct partner_filter f = { 0 };
	struct page pg;
	struct partner *items;
	const char *country;
	size_t n;
	json_t *arr;
	enum err rc;

	if ((rc = req_query_check(rq, allowed, 1)) || (rc = req_page(rq, &pg)) ||
	    (rc = req_query_enum(rq, "status", partner_statuses, &f.status)) ||
	    (rc = req_query_enum(rq, "type", partner_types, &f.type)) ||
	    (rc = req_query_i64(rq, "account_manager_id", 1, INT64_MAX, &f.account_manager_id)))
		return rc;
	f.tier = req_query(rq, "tier");
	f.region = req_query(rq, "region");
	if ((country = req_query(rq, "country")) && !(f.country = iso_country(country)))
		return err_set(&rq->ei, ERR_PARSE, "country", "country %.60s is not known",
		               country);
	f.q = req_query(rq, "q");
	if (f.q && utf8_chars(f.q) > Q_MAX)
		return err_set(&rq->ei, ERR_PARSE, "q", "q is longer than %d characters", Q_MAX);
	f.after = pg.cursor;
	f.limit = pg.limit;
	if ((rc = partner_list(&rq->ctx, &f, &items, &n)))
		return rc;
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, partner_json(&items[i]));
	return resp_json(rs, 200,
	                 list_json(arr, &pg, n > (size_t)pg.limit ? items[pg.limit - 1].id : 0));
}

enum err
api_partner_create(struct req *rq, struct resp *rs)
{
	struct partner_input in = { 0 };
	struct partner p;
	json_t *root;
	enum err rc;

	if ((rc = req_json(rq, 0, &root)))
		return rc;
	if (!(rc = parse(rq, root, 1, &in)) && !(rc = partner_create(&rq->ctx, &in, &p))) {
		rc = resp_json(rs, 201, partner_json(&p));
		resp_location(rq, rs, "/api/v1/partners/%lld", (long long)p.id);
	}
	json_decref(root);
	return rc;
}

enum err
api_partner_get(struct req *rq, struct resp *rs)
{
	struct partner p;
	int64_t id;
	enum err rc;

	if ((rc = req_query_check(rq, NULL, 0)) || (rc = req_path_id(rq, 0, &id)) ||
	    (rc = partner_get(&rq->ctx, id, &p)))
		return rc;
	return resp_json(rs, 200, partner_json(&p));
}

enum err
api_partner_update(struct req *rq, struct resp *rs)
{
	struct partner_input in = { 0 };
	struct partner p;
	int64_t id;
	json_t *root;
	enum err rc;

	if ((rc = req_path_id(rq, 0, &id)) || (rc = req_json(rq, 0, &root)))
		return rc;
	if (!(rc = parse(rq, root, 0, &in)) && !(rc = partner_update(&rq->ctx, id, &in, &p)))
		rc = resp_json(rs, 200, partner_json(&p));
	json_decref(root);
	return rc;
}
