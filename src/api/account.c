/* /api/v1/accounts */
#include <string.h>

#include "api/api.h"
#include "base/iso.h"
#include "base/jin.h"
#include "domain/account.h"
#include "domain/conflict.h"
#include "domain/partner.h"

#define Q_MAX 200
#define DOMAIN_FIELD_MAX 2048

json_t *
account_json(const struct account *a)
{
	json_t *j = json_object(), *domains = json_array();

	for (int i = 0; i < a->ndomains; i++)
		json_array_append_new(domains, json_string(a->domains[i]));
	json_object_set_new(j, "id", json_integer(a->id));
	json_object_set_new(j, "name", json_string(a->name));
	json_object_set_new(j, "domain", a->ndomains ? json_string(a->domains[0]) : json_null());
	json_object_set_new(j, "domains", domains);
	json_object_set_new(j, "country", json_str_or_null(a->country));
	json_object_set_new(j, "status", json_string(a->status));
	json_object_set_new(
	        j, "owner",
	        json_pack("{sssoso}", "kind", a->owner_kind, "user_id",
	                  a->owner_user_id ? json_integer(a->owner_user_id) : json_null(),
	                  "partner_id",
	                  a->owner_partner_id ? json_integer(a->owner_partner_id) : json_null()));
	json_object_set_new(j, "external_id", json_str_or_null(a->external_id));
	json_object_set_new(j, "created_at", json_time(a->created_at));
	json_object_set_new(j, "updated_at", json_time(a->updated_at));
	return j;
}

static enum err
parse(struct req *rq, json_t *root, int creating, struct account_input *a)
{
	struct jin in, owner;
	json_t *domains = json_object_get(root, "domains");
	const char *domain = NULL;
	int has_domain = 0;
	enum err rc;

	jin_init(&in, root, &rq->arena, &rq->ei);
	if ((rc = jin_str(&in, "name", creating ? JIN_REQUIRED : 0, 200, &a->name, &a->has_name)) ||
	    (rc = jin_str(&in, "domain", 0, DOMAIN_FIELD_MAX, &domain, &has_domain)) ||
	    (rc = jin_str(&in, "country", 0, 100, &a->country, &a->has_country)) ||
	    (rc = jin_str(&in, "status", 0, 32, &a->status, &a->has_status)) ||
	    (rc = jin_str(&in, "external_id", 0, EXTERNAL_ID_MAX, &a->external_id,
	                  &a->has_external_id)) ||
	    (rc = jin_obj(&in, "owner", 0, &owner)))
		return rc;
	in.asked[in.nasked++] = "domains";
	if (!creating && a->has_name && !a->name)
		return err_set(&rq->ei, ERR_INVALID, "name", "name cannot be empty");
	if (a->has_status && !a->status)
		a->has_status = 0;
	if (domains && !json_is_null(domains)) {
		size_t i;
		json_t *v;
		if (!json_is_array(domains) || json_array_size(domains) > ACCOUNT_DOMAINS_MAX)
			return err_set(&rq->ei, ERR_INVALID, "domains",
			               "domains must be a list of at most %d domains",
			               ACCOUNT_DOMAINS_MAX);
		json_array_foreach(domains, i, v)
		{
			if (!json_is_string(v) || json_string_length(v) == 0 ||
			    json_string_length(v) > DOMAIN_FIELD_MAX)
				return err_set(&rq->ei, ERR_INVALID, "domains",
				               "each domain must be a non-empty string");
			a->domains[a->ndomains++] = json_string_value(v);
		}
		a->has_domains = 1;
	} else if (domains) {
		a->has_domains = 1; /* null clears them */
	}
	if (has_domain) {
		/* `domain` is the first of the domains */
		if (domain) {
			if (a->ndomains == ACCOUNT_DOMAINS_MAX)
				a->ndomains--;
			memmove(&a->domains[1], &a->domains[0],
			        sizeof a->domains[0] * (size_t)a->ndomains);
			a->domains[0] = domain;
			a->ndomains++;
		}
		a->has_domains = 1;
	}
	if (owner.obj) {
		a->has_owner = 1;
		if ((rc = jin_str(&owner, "kind", JIN_REQUIRED, 16, &a->owner_kind, NULL)) ||
		    (rc = jin_i64(&owner, "user_id", 0, 1, INT64_MAX, &a->owner_user_id, NULL)) ||
		    (rc = jin_i64(&owner, "partner_id", 0, 1, INT64_MAX, &a->owner_partner_id,
		                  NULL)) ||
		    (rc = jin_done(&owner)))
			return rc;
	}
	return jin_done(&in);
}

enum err
api_account_list(struct req *rq, struct resp *rs)
{
	static const char *const allowed[] = { "q",          "domain",     "country", "status",
		                               "owner_kind", "partner_id", NULL };
	struct account_filter f = { 0 };
	struct page pg;
	struct account *items;
	const char *country, *domain;
	size_t n;
	json_t *arr;
	enum err rc;

	if ((rc = req_query_check(rq, allowed, 1)) || (rc = req_page(rq, &pg)) ||
	    (rc = req_query_enum(rq, "status", account_statuses, &f.status)) ||
	    (rc = req_query_enum(rq, "owner_kind", account_owner_kinds, &f.owner_kind)) ||
	    (rc = req_query_i64(rq, "partner_id", 1, INT64_MAX, &f.partner_id)))
		return rc;
	if ((country = req_query(rq, "country")) && !(f.country = iso_country(country)))
		return err_set(&rq->ei, ERR_PARSE, "country", "country %.60s is not known",
		               country);
	if ((domain = req_query(rq, "domain"))) {
		char key[300];
		if (conflict_domain_key(domain, key, sizeof key))
			return err_set(&rq->ei, ERR_PARSE, "domain",
			               "domain %.60s is not a web domain", domain);
		f.domain = arena_strdup(&rq->arena, key);
	}
	f.q = req_query(rq, "q");
	if (f.q && utf8_chars(f.q) > Q_MAX)
		return err_set(&rq->ei, ERR_PARSE, "q", "q is longer than %d characters", Q_MAX);
	f.after = pg.cursor;
	f.limit = pg.limit;
	if ((rc = account_list(&rq->ctx, &f, &items, &n)))
		return rc;
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, account_json(&items[i]));
	return resp_json(rs, 200,
	                 list_json(arr, &pg, n > (size_t)pg.limit ? items[pg.limit - 1].id : 0));
}

enum err
api_account_create(struct req *rq, struct resp *rs)
{
	struct account_input in = { 0 };
	struct account a;
	json_t *root;
	enum err rc;

	if ((rc = req_json(rq, 0, &root)))
		return rc;
	if (!(rc = parse(rq, root, 1, &in)) && !(rc = account_create(&rq->ctx, &in, &a))) {
		rc = resp_json(rs, 201, account_json(&a));
		resp_location(rq, rs, "/api/v1/accounts/%lld", (long long)a.id);
	}
	json_decref(root);
	return rc;
}

enum err
api_account_get(struct req *rq, struct resp *rs)
{
	struct account a;
	int64_t id;
	enum err rc;

	if ((rc = req_query_check(rq, NULL, 0)) || (rc = req_path_id(rq, 0, &id)) ||
	    (rc = account_get(&rq->ctx, id, &a)))
		return rc;
	return resp_json(rs, 200, account_json(&a));
}

enum err
api_account_update(struct req *rq, struct resp *rs)
{
	struct account_input in = { 0 };
	struct account a;
	int64_t id;
	json_t *root;
	enum err rc;

	if ((rc = req_path_id(rq, 0, &id)) || (rc = req_json(rq, 0, &root)))
		return rc;
	if (!(rc = parse(rq, root, 0, &in)) && !(rc = account_update(&rq->ctx, id, &in, &a)))
		rc = resp_json(rs, 200, account_json(&a));
	json_decref(root);
	return rc;
}
