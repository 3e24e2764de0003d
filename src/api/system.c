/* GET /healthz and GET /api/v1/openapi.json */
#include "api/api.h"
#include "base/embed.h"
#include "http/router.h"
#include "store/db.h"

enum err
api_healthz(struct req *rq, struct resp *rs)
{
	struct dbconn *c;
	enum err rc;

	if ((rc = req_query_check(rq, NULL, 0)))
		return rc;
	if (!(c = router_conn(&rq->ei)) || db_ping(c))
		return err_set(&rq->ei, ERR_UNAVAILABLE, NULL, "the database cannot be reached");
	return resp_json(rs, 200, json_pack("{ss}", "status", "ok"));
}

enum err
api_openapi(struct req *rq, struct resp *rs)
{
	const struct embedded_file *f = embed_find("api/openapi.json");

	(void)rq;
	if (!f)
		return ERR_INTERNAL;
	return resp_text(rs, 200, "application/json", f->data, f->len);
}
