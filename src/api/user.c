/* /api/v1/users */
#include "api/api.h"
#include "base/jin.h"
#include "domain/auth.h"
#include "domain/role.h"
#include "domain/search.h"
#include "domain/user.h"

#define EMAIL_FIELD_MAX 254
#define Q_MAX 200

static const char *const role_names[] = {
	"admin",   "channel_manager", "sales_manager", "sales_rep",         "marketing",
	"finance", "partner_admin",   "partner_sales", "partner_marketing", "partner_consultant",
	NULL
};

/* Reads a user body; `creating` asks for the create-only fields. */
static enum err
parse(struct req *rq, json_t *root, int creating, struct user_input *u)
{
	struct jin in;
	enum err rc;

	jin_init(&in, root, &rq->arena, &rq->ei);
	if (creating) {
		if ((rc = jin_str(&in, "email", JIN_REQUIRED, EMAIL_FIELD_MAX, &u->email, NULL)) ||
		    (rc = jin_i64(&in, "partner_id", 0, 1, INT64_MAX, &u->partner_id,
		                  &u->has_partner_id)))
			return rc;
	}
	if ((rc = jin_str(&in, "name", 0, 1000, &u->name, &u->has_name)) ||
	    (rc = jin_str(&in, "role", creating ? JIN_REQUIRED : 0, 64, &u->role, &u->has_role)) ||
	    (!creating && (rc = jin_bool(&in, "active", 0, &u->active, &u->has_active))) ||
	    (rc = jin_str(&in, "password", creating ? JIN_REQUIRED : 0, PASSWORD_MAX * 4,
	                  &u->password, &u->has_password)))
		return rc;
	if (!creating && u->has_password && !u->password)
		return err_set(&rq->ei, ERR_INVALID, "password", "password cannot be empty");
	return jin_done(&in);
}

enum err
api_user_list(struct req *rq, struct resp *rs)
{
	static const char *const allowed[] = { "role", "partner_id", "active", "q", NULL };
	struct user_filter f = { .active = -1 };
	struct page pg;
	struct user *items;
	size_t n;
	json_t *arr;
	enum err rc;

	if ((rc = req_query_check(rq, allowed, 1)) || (rc = req_page(rq, &pg)) ||
	    (rc = req_query_enum(rq, "role", role_names, &f.role)) ||
	    (rc = req_query_i64(rq, "partner_id", 1, INT64_MAX, &f.partner_id)) ||
	    (rc = req_query_bool(rq, "active", &f.active)))
		return rc;
	f.q = req_query(rq, "q");
	if (f.q && utf8_chars(f.q) > Q_MAX)
		return err_set(&rq->ei, ERR_PARSE, "q", "q is longer than %d characters", Q_MAX);
	f.q = search_pattern(&rq->ctx, f.q);
	f.after = pg.cursor;
	f.limit = pg.limit;
	if ((rc = user_list(&rq->ctx, &f, &items, &n)))
		return rc;
	arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, user_json(&items[i]));
	return resp_json(rs, 200,
	                 list_json(arr, &pg, n > (size_t)pg.limit ? items[pg.limit - 1].id : 0));
}

enum err
api_user_create(struct req *rq, struct resp *rs)
{
	struct user_input in = { 0 };
	struct user u;
	json_t *root;
	enum err rc;

	if ((rc = req_json(rq, 0, &root)))
		return rc;
	if (!(rc = parse(rq, root, 1, &in)) && !(rc = user_create(&rq->ctx, &in, &u))) {
		rc = resp_json(rs, 201, user_json(&u));
		resp_location(rq, rs, "/api/v1/users/%lld", (long long)u.id);
	}
	json_decref(root);
	return rc;
}

enum err
api_user_get(struct req *rq, struct resp *rs)
{
	struct user u;
	int64_t id;
	enum err rc;

	if ((rc = req_query_check(rq, NULL, 0)) || (rc = req_path_id(rq, 0, &id)) ||
	    (rc = user_get(&rq->ctx, id, &u)))
		return rc;
	return resp_json(rs, 200, user_json(&u));
}

enum err
api_user_update(struct req *rq, struct resp *rs)
{
	struct user_input in = { 0 };
	struct user u;
	int64_t id;
	json_t *root;
	enum err rc;

	if ((rc = req_path_id(rq, 0, &id)) || (rc = req_json(rq, 0, &root)))
		return rc;
	if (!(rc = parse(rq, root, 0, &in)) && !(rc = user_update(&rq->ctx, id, &in, &u)))
		rc = resp_json(rs, 200, user_json(&u));
	json_decref(root);
	return rc;
}
