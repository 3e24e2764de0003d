/* /api/v1/deal-registrations and POST /api/v1/conflict-check */
#include <string.h>

#include "api/api.h"
#include "base/jin.h"
#include "domain/conflict.h"
#include "domain/registration.h"
#include "domain/search.h"

#define Q_MAX 200

static json_t *
ref(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

json_t *
registration_json(const struct ctx *c, const struct registration *r)
{
	json_t *j = json_object(), *stored, *products;

	stored = json_loads(r->conflicts ? r->conflicts : "[]", 0, NULL);
	products = json_loads(r->products ? r->products : "[]", 0, NULL);
	json_object_set_new(j, "id", json_integer(r->id));
	json_object_set_new(j, "partner_id", json_integer(r->partner_id));
	json_object_set_new(j, "status", json_string(r->status));
	json_object_set_new(j, "customer",
	                    json_pack("{sssoso}", "name", r->customer_name, "domain",
	                              json_str_or_null(r->customer_domain), "country",
	                              json_str_or_null(r->customer_country)));
	json_object_set_new(j, "contact",
	                    json_pack("{soso}", "name", json_str_or_null(r->contact_name), "email",
	                              json_str_or_null(r->contact_email)));
	json_object_set_new(j, "products", products ? products : json_array());
	json_object_set_new(j, "amount", json_money(&r->amount));
	json_object_set_new(j, "expected_close", json_date(r->expected_close));
	json_object_set_new(j, "notes", json_str_or_null(r->notes));
	json_object_set_new(j, "submitted_at", json_time(r->submitted_at));
	json_object_set_new(j, "submitted_by", ref(r->submitted_by));
	json_object_set_new(j, "decided_at",
	                    r->decided_at ? json_time(r->decided_at) : json_null());
	json_object_set_new(j, "decided_by", ref(r->decided_by));
	json_object_set_new(j, "reason", json_str_or_null(r->reason));
	json_object_set_new(j, "note", json_str_or_null(r->note));
	json_object_set_new(j, "protected_until",
	                    r->protected_until ? json_date(r->protected_until) : json_null());
	json_object_set_new(j, "extensions", json_integer(r->extensions));
	json_object_set_new(j, "escalated", json_boolean(r->escalated));
	json_object_set_new(j, "escalated_at",
	                    r->escalated_at ? json_time(r->escalated_at) : json_null());
	json_object_set_new(j, "opportunity_id", ref(r->opportunity_id));
	/* the winner is another partner's registration: a partner user learns
	 * that there is one, not which */
	json_object_set_new(j, "winner_id", ctx_scope(c) ? json_null() : ref(r->winner_id));
	json_object_set_new(j, "conflicts", conflict_view(c, stored ? stored : json_array()));
	json_object_set_new(j, "created_at", json_time(r->created_at));
	json_object_set_new(j, "updated_at", json_time(r->updated_at));
	json_decref(stored);
	return j;
}

/* customer {name, domain, country}, shared by submit and conflict-check */
static enum err
parse_customer(struct jin *in, int required, const char **name, const char **domain,
               const char **country)
{
	struct jin cust;
	enum err rc;

	if ((rc = jin_obj(in, "customer", JIN_REQUIRED, &cust)) ||
	    (rc = jin_str(&cust, "name", required ? JIN_REQUIRED : 0, CUSTOMER_NAME_MAX, name,
	                  NULL)) ||
	    (rc = jin_str(&cust, "domain", 0, 2048, domain, NULL)) ||
	    (rc = jin_str(&cust, "country", 0, 100, country, NULL)))
		return rc;
	return jin_done(&cust);
}

static enum err
parse(struct req *rq, json_t *root, struct registration_input *r)
{
	struct jin in, contact;
	json_t *products = json_object_get(root, "products");
	enum err rc;

	jin_init(&in, root, &rq->arena, &rq->ei);
	if ((rc = parse_customer(&in, 1, &r->customer_name, &r->customer_domain,
	                         &r->customer_country)) ||
	    (rc = jin_i64(&in, "partner_id", 0, 1, INT64_MAX, &r->partner_id, NULL)) ||
	    (rc = jin_money(&in, "amount", JIN_REQUIRED, 1, &r->amount, NULL)) ||
	    (rc = jin_date(&in, "expected_close", JIN_REQUIRED, &r->expected_close,
	                   &r->has_expected_close)) ||
	    (rc = jin_str(&in, "notes", JIN_MULTILINE, NOTES_MAX, &r->notes, NULL)) ||
	    (rc = jin_obj(&in, "contact", 0, &contact)) ||
	    (rc = jin_str(&contact, "name", 0, CONTACT_NAME_MAX, &r->contact_name, NULL)) ||
	    (rc = jin_str(&contact, "email", 0, 254, &r->contact_email, NULL)) ||
	    (rc = jin_done(&contact)))
		return rc;
	in.asked[in.nasked++] = "products";
	if (products && !json_is_null(products)) {
		size_t i;
		json_t *v;
		if (!json_is_array(products) || json_array_size(products) > PRODUCTS_MAX)
			return err_set(&rq->ei, ERR_INVALID, "products",
			               "products must be a list of at most %d names", PRODUCTS_MAX);
		json_array_foreach(products, i, v)
		{
			if (!json_is_string(v) || json_string_length(v) == 0 ||
			    utf8_chars(json_string_value(v)) > PRODUCT_NAME_MAX ||
			    strlen(json_string_value(v)) != json_string_length(v))
				return err_set(&rq->ei, ERR_INVALID, "products",
				               "each product is a name of 1 to %d characters",
				               PRODUCT_NAME_MAX);
			r->products[r->nproducts++] = json_string_value(v);
		}
	}
	return jin_done(&in);
}

enum err
api_registration_list(struct req *rq, struct resp *rs)
{
	static const char *const allowed[] = { "status", "partner_id", "escalated", "q", NULL };
	struct registration_filter f = { .escalated = -1 };
	struct registration *items;
	struct page pg;
	size_t n;
	json_t *arr;
	enum err rc;

	if ((rc = req_query_check(rq, allowed, 1)) || (rc = req_page(rq, &pg)) ||
	    (rc = req_query_enum(rq, "status", registration_statuses, &f.status)) ||
	    (rc = req_query_i64(rq, "partner_id", 1, INT64_MAX, &f.partner_id)) ||
	    (rc = req_query_bool(rq, "escalated", &f.escalated)))
		return rc;
	f.q = req_query(rq, "q");
	if (f.q && utf8_chars(f.q) > Q_MAX)
		return err_set(&rq->ei, ERR_PARSE, "q", "q is longer than %d characters", Q_MAX);
	f.q = search_pattern(&rq->ctx, f.q);
	f.after = pg.cursor;
	f.limit = pg.limit;
	if ((rc = registration_list(&rq->ctx, &f, &items, &n)))
		return rc;
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, registration_json(&rq->ctx, &items[i]));
	return resp_json(rs, 200,
	                 list_json(arr, &pg, n > (size_t)pg.limit ? items[pg.limit - 1].id : 0));
}

enum err
api_registration_create(struct req *rq, struct resp *rs)
{
	struct registration_input in = { 0 };
	struct registration r;
	json_t *root;
	enum err rc;

	if ((rc = req_json(rq, 0, &root)))
		return rc;
	if (!(rc = parse(rq, root, &in)) && !(rc = registration_submit(&rq->ctx, &in, &r))) {
		rc = resp_json(rs, 201, registration_json(&rq->ctx, &r));
		resp_location(rq, rs, "/api/v1/deal-registrations/%lld", (long long)r.id);
	}
	json_decref(root);
	return rc;
}

enum err
api_registration_get(struct req *rq, struct resp *rs)
{
	struct registration r;
	int64_t id;
	enum err rc;

	if ((rc = req_query_check(rq, NULL, 0)) || (rc = req_path_id(rq, 0, &id)) ||
	    (rc = registration_get(&rq->ctx, id, &r)))
		return rc;
	return resp_json(rs, 200, registration_json(&rq->ctx, &r));
}

/* The actions: each takes a small body (or none) and answers the record. */
enum action { APPROVE, REJECT, EXTEND, WITHDRAW };

static enum err
act(struct req *rq, struct resp *rs, enum action what)
{
	struct registration r;
	struct jin in;
	const char *text = NULL;
	int override = 0;
	int64_t id;
	json_t *root;
	enum err rc;

	if ((rc = req_query_check(rq, NULL, 0)) || (rc = req_path_id(rq, 0, &id)) ||
	    (rc = req_json(rq, 1, &root)))
		return rc;
	jin_init(&in, root, &rq->arena, &rq->ei);
	if (what == APPROVE)
		rc = jin_str(&in, "note", JIN_MULTILINE, REASON_MAX, &text, NULL);
	if (!rc && what == APPROVE)
		rc = jin_bool(&in, "override", 0, &override, NULL);
	if (!rc && what == REJECT)
		rc = jin_str(&in, "reason", JIN_REQUIRED | JIN_MULTILINE, REASON_MAX, &text, NULL);
	if (!rc)
		rc = jin_done(&in);
	if (!rc) {
		switch (what) {
		case APPROVE: rc = registration_approve(&rq->ctx, id, text, override, &r); break;
		case REJECT: rc = registration_reject(&rq->ctx, id, text, &r); break;
		case EXTEND: rc = registration_extend(&rq->ctx, id, &r); break;
		case WITHDRAW: rc = registration_withdraw(&rq->ctx, id, &r); break;
		}
	}
	json_decref(root);
	if (rc)
		return rc;
	return resp_json(rs, 200, registration_json(&rq->ctx, &r));
}

enum err
api_registration_approve(struct req *rq, struct resp *rs)
{
	return act(rq, rs, APPROVE);
}

enum err
api_registration_reject(struct req *rq, struct resp *rs)
{
	return act(rq, rs, REJECT);
}

enum err
api_registration_extend(struct req *rq, struct resp *rs)
{
	return act(rq, rs, EXTEND);
}

enum err
api_registration_withdraw(struct req *rq, struct resp *rs)
{
	return act(rq, rs, WITHDRAW);
}

enum err
api_conflict_check(struct req *rq, struct resp *rs)
{
	const char *name = NULL, *domain = NULL, *country = NULL;
	struct jin in;
	json_t *root, *found = NULL;
	enum err rc;

	if ((rc = req_query_check(rq, NULL, 0)) || (rc = req_json(rq, 0, &root)))
		return rc;
	jin_init(&in, root, &rq->arena, &rq->ei);
	if (!(rc = parse_customer(&in, 1, &name, &domain, &country)) && !(rc = jin_done(&in)))
		rc = registration_conflict_check(&rq->ctx, name, domain, country, &found);
	json_decref(root);
	if (rc)
		return rc;
	return resp_json(rs, 200, json_pack("{so}", "conflicts", found));
}
