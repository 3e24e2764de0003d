/* GET /api/v1/audit-events */
#include "api/api.h"
#include "domain/audit.h"

static const char *const entities[] = { "user",    "partner",      "agreement", "settings",
	                                "account", "registration", NULL };

enum err
api_audit_list(struct req *rq, struct resp *rs)
{
	static const char *const allowed[] = { "entity", "entity_id", "actor_id", "action", NULL };
	struct audit_filter f = { 0 };
	struct audit_event *items;
	struct page pg;
	size_t n;
	json_t *arr;
	enum err rc;

	if ((rc = req_query_check(rq, allowed, 1)) || (rc = req_page(rq, &pg)) ||
	    (rc = req_query_enum(rq, "entity", entities, &f.entity)) ||
	    (rc = req_query_i64(rq, "entity_id", 1, INT64_MAX, &f.entity_id)) ||
	    (rc = req_query_i64(rq, "actor_id", 1, INT64_MAX, &f.actor_id)))
		return rc;
	f.action = req_query(rq, "action");
	f.before = pg.cursor;
	f.limit = pg.limit;
	if ((rc = audit_list(&rq->ctx, &f, &items, &n)))
		return rc;
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		const struct audit_event *e = &items[i];
		json_t *changes = json_loads(e->changes ? e->changes : "{}", 0, NULL);
		json_array_append_new(
		        arr,
		        json_pack("{sIsosososssoso}", "id", (json_int_t)e->id, "at",
		                  json_time(e->at), "actor_id",
		                  e->actor_id ? json_integer(e->actor_id) : json_null(), "action",
		                  json_string(e->action), "entity", e->entity, "entity_id",
		                  e->entity_id ? json_integer(e->entity_id) : json_null(),
		                  "changes", changes ? changes : json_object()));
	}
	return resp_json(rs, 200,
	                 list_json(arr, &pg, n > (size_t)pg.limit ? items[pg.limit - 1].id : 0));
}
