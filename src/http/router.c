#include "http/router.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "base/clock.h"
#include "base/jin.h"
#include "base/log.h"
#include "domain/auth.h"
#include "domain/role.h"
#include "http/metrics.h"
#include "http/server.h"
#include "store/db.h"

static const int statuses[ERR__COUNT] = {
	[ERR_OK] = 200,       [ERR_NOMEM] = 500,    [ERR_PARSE] = 400,  [ERR_INVALID] = 422,
	[ERR_NOTFOUND] = 404, [ERR_CONFLICT] = 409, [ERR_UNAUTH] = 401, [ERR_FORBIDDEN] = 403,
	[ERR_TOOBIG] = 413,   [ERR_MEDIA] = 415,    [ERR_RATE] = 429,   [ERR_UNAVAILABLE] = 503,
	[ERR_DB] = 500,       [ERR_INTERNAL] = 500, [ERR_METHOD] = 405,
};

int
router_status(enum err e)
{
	return (unsigned)e < ERR__COUNT ? statuses[e] : 500;
}

static const char *
default_message(enum err e)
{
	switch (e) {
	case ERR_PARSE: return "bad request";
	case ERR_INVALID: return "invalid value";
	case ERR_NOTFOUND: return "not found";
	case ERR_CONFLICT: return "the record's state does not allow this";
	case ERR_UNAUTH: return "a valid bearer token is required";
	case ERR_FORBIDDEN: return "your role may not do this";
	case ERR_TOOBIG: return "the request body is too large";
	case ERR_MEDIA: return "send JSON with Content-Type: application/json";
	case ERR_RATE: return "too many attempts; retry later";
	case ERR_UNAVAILABLE: return "the database is unavailable; retry later";
	case ERR_METHOD: return "method not allowed";
	default: return "internal error";
	}
}

/* The answer when even the error cannot be rendered. */
#define OUT_OF_MEMORY                                                                              \
	"{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\",\"field\":null}}"

void
router_error(struct resp *rs, enum err e, const struct errinfo *ei)
{
	const char *msg = ei && ei->err == e && ei->msg[0] ? ei->msg : default_message(e);
	const char *field = ei && ei->err == e ? ei->field : NULL;
	char clean_msg[ERR_MSG_MAX], clean_field[ERR_MSG_MAX];
	int status = router_status(e);

	/* 5xx never echo engine details to the client */
	if (status >= 500)
		msg = default_message(e), field = NULL;
	/* messages and field names may quote what the client sent: keep them
	 * valid UTF-8, or JSON could not carry them */
	utf8_scrub(msg, clean_msg, sizeof clean_msg);
	msg = clean_msg;
	if (field) {
		utf8_scrub(field, clean_field, sizeof clean_field);
		field = clean_field;
	}
	if (resp_json(rs, status,
	              json_pack("{s:{s:s,s:s,s:o}}", "error", "code", err_code(e), "message", msg,
	                        "field", field ? json_string(field) : json_null())))
		resp_text(rs, 500, "application/json", OUT_OF_MEMORY, sizeof OUT_OF_MEMORY - 1);
}

/* Does one segment of a pattern match one of a path? Captures {x}. */
static const struct route *
match_one(const struct route *r, struct req *rq, const char *path)
{
	const char *p = r->pattern, *s = path;
	int n = 0;

	while (*p && *s) {
		if (*p == '{') {
			const char *pe = strchr(p, '}'), *se = strchr(s, '/');
			size_t len;
			if (!pe)
				return NULL;
			len = se ? (size_t)(se - s) : strlen(s);
			if (len == 0 || n >= REQ_MAX_PARAMS)
				return NULL;
			rq->params[n++] = arena_strndup(&rq->arena, s, len);
			p = pe + 1;
			s += len;
			continue;
		}
		if (*p != *s)
			return NULL;
		p++;
		s++;
	}
	if (*p || *s)
		return NULL;
	rq->nparams = n;
	return r;
}

const struct route *
router_match(struct req *rq, const char *method, const char *path, int *path_known, char *allow,
             size_t allow_size)
{
	size_t used = 0;

	*path_known = 0;
	if (allow_size)
		allow[0] = '\0';
	for (size_t i = 0; i < routes_len; i++) {
		const struct route *r = &routes[i];
		if (!match_one(r, rq, path))
			continue;
		if (!strcmp(r->method, method))
			return r;
		*path_known = 1;
		if (used < allow_size) {
			int k = snprintf(allow + used, allow_size - used, "%s%s", used ? ", " : "",
			                 r->method);
			if (k > 0)
				used += (size_t)k;
		}
	}
	rq->nparams = 0;
	return NULL;
}

/* Per-thread database connections, registered so the server can close them. */
static _Thread_local struct dbconn *thread_conn;

struct dbconn *
router_conn(struct errinfo *ei)
{
	struct dbconn *c;

	if (thread_conn)
		return thread_conn;
	if (db_connect(server_db(), &c, ei))
		return NULL;
	if (server_register_conn(c)) {
		db_disconnect(c);
		err_set(ei, ERR_UNAVAILABLE, NULL, "too many database connections");
		return NULL;
	}
	thread_conn = c;
	return c;
}

static const char *
bearer(const char *h)
{
	if (!h || strncasecmp(h, "Bearer ", 7))
		return NULL;
	h += 7;
	while (*h == ' ')
		h++;
	return h;
}

void
router_dispatch(struct req *rq, struct resp *rs)
{
	const struct route *r = rq->route;
	struct dbconn *db = NULL;
	struct timespec t0, t1;
	enum err rc;
	int write = (strcmp(rq->method, "GET") != 0 && !(r->flags & ROUTE_READ)) ||
	            (r->flags & ROUTE_WRITE);

	rq->ctx.arena = &rq->arena;
	rq->ctx.ei = &rq->ei;
	rq->ctx.now = clock_now();
	if (r->flags & ROUTE_NODB) {
		rc = r->handler(rq, rs);
		goto out;
	}
	if (!(db = router_conn(&rq->ei))) {
		rc = ERR_UNAVAILABLE;
		goto out;
	}
	rq->ctx.db = db;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if ((rc = db_begin(db, write)))
		goto out;
	if (!(r->flags & ROUTE_PUBLIC)) {
		if ((rc = auth_authenticate(&rq->ctx, bearer(rq->authorization), NULL)))
			goto end;
		if (!role_in(rq->ctx.actor.role, r->roles)) {
			rc = err_set(&rq->ei, ERR_FORBIDDEN, NULL, "your role may not do this");
			goto end;
		}
	}
	rc = r->handler(rq, rs);
end:
	if (rc == ERR_OK || rq->ctx.commit_on_error) {
		enum err crc = db_commit(db);
		if (crc && !rc)
			rc = crc;
		if (!crc)
			ctx_run_hooks(&rq->ctx);
	} else {
		db_rollback(db);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	metrics_db_time((int64_t)(t1.tv_sec - t0.tv_sec) * 1000000 +
	                (t1.tv_nsec - t0.tv_nsec) / 1000);
out:
	if (rc) {
		if (router_status(rc) >= 500)
			log_error("%s %s: %s: %s", rq->method, rq->path, err_code(rc),
			          db ? db_errmsg(db) : rq->ei.msg);
		router_error(rs, rc, &rq->ei);
		if (rc == ERR_UNAUTH)
			resp_header(rs, "WWW-Authenticate", "Bearer");
	}
}
