/* /api/v1/settings/{group} */
#include "api/api.h"
#include "domain/settings.h"

enum err
api_settings_get(struct req *rq, struct resp *rs)
{
	json_t *out;
	enum err rc;

	if ((rc = req_query_check(rq, NULL, 0)) ||
	    (rc = settings_get(&rq->ctx, req_path_str(rq, 0), &out)))
		return rc;
	return resp_json(rs, 200, out);
}

enum err
api_settings_put(struct req *rq, struct resp *rs)
{
	json_t *root, *out;
	enum err rc;

	if ((rc = req_query_check(rq, NULL, 0)) || (rc = req_json(rq, 0, &root)))
		return rc;
	rc = settings_put(&rq->ctx, req_path_str(rq, 0), root, &out);
	json_decref(root);
	if (rc)
		return rc;
	return resp_json(rs, 200, out);
}
