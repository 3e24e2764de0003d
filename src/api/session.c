/* POST /api/v1/sessions, DELETE /api/v1/sessions/current, GET /api/v1/me */
#include <stdio.h>

#include "api/api.h"
#include "base/jin.h"
#include "domain/auth.h"
#include "domain/user.h"

#define EMAIL_FIELD_MAX 254

enum err
api_session_create(struct req *rq, struct resp *rs)
{
	struct jin in;
	struct login login;
	const char *email = NULL, *password = NULL;
	json_t *root;
	enum err rc;

	if ((rc = req_json(rq, 0, &root)))
		return rc;
	jin_init(&in, root, &rq->arena, &rq->ei);
	if ((rc = jin_str(&in, "email", JIN_REQUIRED, EMAIL_FIELD_MAX, &email, NULL)) ||
	    (rc = jin_str(&in, "password", JIN_REQUIRED, PASSWORD_MAX, &password, NULL)) ||
	    (rc = jin_done(&in)))
		goto out;
	rc = auth_login(&rq->ctx, email, password, &login);
	if (rc == ERR_RATE) {
		char *secs = arena_printf(&rq->arena, "%lld", (long long)login.retry_after);
		resp_header(rs, "Retry-After", secs ? secs : "900");
	}
	if (rc)
		goto out;
	rc = resp_json(rs, 201,
	               json_pack("{sssoso}", "token", login.token, "expires_at",
	                         json_time(login.expires_at), "user", user_json(&login.user)));
	if (!rc)
		resp_location(rq, rs, "/api/v1/sessions/current");
out:
	json_decref(root);
	return rc;
}

enum err
api_session_delete(struct req *rq, struct resp *rs)
{
	enum err rc;

	if ((rc = req_query_check(rq, NULL, 0)) || (rc = auth_logout(&rq->ctx)))
		return rc;
	rs->status = 204;
	return ERR_OK;
}

enum err
api_me(struct req *rq, struct resp *rs)
{
	struct user u;
	enum err rc;

	if ((rc = req_query_check(rq, NULL, 0)) ||
	    (rc = user_get(&rq->ctx, rq->ctx.actor.user_id, &u)))
		return rc;
	return resp_json(rs, 200, user_json(&u));
}
