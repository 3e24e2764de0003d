/* The HTTP request layer without the network: router_match on an arbitrary
 * method and path against the real route table, the query helpers of
 * http/req.c over arbitrary keys and values, cursors, and the rendering of
 * every error they raise (a 4xx in the error shape, never a 5xx).
 *
 * Input: a request line as fuzz_request reads it (fuzz.h), then bytes for
 * the integer bounds. */
#include "fuzz.h"

#include <inttypes.h>

/* The allowed lists of the list routes (the api files), and enums. */
static const char *const allowed_partners[] = { "status",  "type",   "tier",
	                                        "country", "region", "account_manager_id",
	                                        "q",       NULL };
static const char *const allowed_regs[] = { "status", "partner_id", "escalated", "q", NULL };
static const char *const allowed_audit[] = { "entity", "entity_id", "actor_id", "action", NULL };
static const char *const statuses[] = { "prospect", "onboarding", "active",
	                                "inactive", "terminated", NULL };

static void
check_match(struct req *rq, const struct route *r, const char *method, const char *path, int known,
            const char *allow)
{
	char rebuilt[4096];
	size_t used = 0;
	int n = 0;

	if (!r) {
		FUZZ_CHECK(rq->nparams == 0, "no route but %d params", rq->nparams);
		FUZZ_CHECK(!known || allow[0], "405 for %s without Allow", path);
		return;
	}
	FUZZ_CHECK(!strcmp(r->method, method), "%s %s matched a %s route", method, path, r->method);
	/* the pattern with the captured params put back is the path */
	for (const char *p = r->pattern; *p;) {
		if (*p == '{') {
			const char *v;
			FUZZ_CHECK(n < rq->nparams, "%s: fewer params than placeholders",
			           r->pattern);
			v = rq->params[n++];
			FUZZ_CHECK(*v && !strchr(v, '/'), "param %d of %s is %s", n, path, v);
			used += (size_t)snprintf(rebuilt + used, sizeof rebuilt - used, "%s", v);
			p = strchr(p, '}') + 1;
		} else {
			if (used < sizeof rebuilt - 1)
				rebuilt[used++] = *p;
			p++;
		}
		if (used >= sizeof rebuilt)
			return; /* too long to compare */
	}
	rebuilt[used] = '\0';
	FUZZ_CHECK(n == rq->nparams, "%s: %d params for %d placeholders", path, rq->nparams, n);
	FUZZ_CHECK(!strcmp(rebuilt, path), "pattern %s rebuilt as %s from %s", r->pattern, rebuilt,
	           path);
}

static void
check_params(struct req *rq)
{
	for (int i = 0; i < rq->nparams; i++) {
		int64_t id = 0;
		enum err rc = req_path_id(rq, i, &id);
		if (rc) {
			fuzz_check_error(rc, &rq->ei, "req_path_id");
			continue;
		}
		char buf[32];
		snprintf(buf, sizeof buf, "%" PRId64, id);
		FUZZ_CHECK(id > 0 && !strcmp(buf, req_path_str(rq, i)), "path id %s read as %s",
		           req_path_str(rq, i), buf);
	}
	FUZZ_CHECK(req_path_str(rq, rq->nparams) == NULL, "a param past the last");
}

static void
check_cursor(struct req *rq, const char *s)
{
	int64_t id = 0, back = 0;
	const char *enc;

	if (cursor_decode(s, &id))
		return;
	FUZZ_CHECK(id > 0, "cursor %s decoded to %" PRId64, s, id);
	enc = cursor_encode(&rq->arena, id);
	FUZZ_CHECK(enc && !cursor_decode(enc, &back) && back == id,
	           "cursor of %" PRId64 " (%s) does not decode back", id, enc ? enc : "NULL");
	for (const char *p = enc; *p; p++)
		FUZZ_CHECK((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		                   (*p >= '0' && *p <= '9') || *p == '-' || *p == '_',
		           "cursor %s has a character outside [A-Za-z0-9_-]", enc);
}

static void
check_query(struct req *rq, struct fuzz_in *in)
{
	static const char *const *const lists[] = { NULL, allowed_partners, allowed_regs,
		                                    allowed_audit };
	enum err rc;

	for (size_t i = 0; i < sizeof lists / sizeof lists[0]; i++)
		for (int list = 0; list < 2; list++)
			if ((rc = req_query_check(rq, lists[i], list)))
				fuzz_check_error(rc, &rq->ei, "req_query_check");
	for (int i = 0; i < rq->nquery; i++) {
		const char *k = rq->query[i].key, *v = req_query(rq, k), *e = NULL;
		int64_t min = (int64_t)fuzz_u64(in), max = (int64_t)fuzz_u64(in), x = 0;
		int b = -1;

		FUZZ_CHECK(v == NULL || *v, "req_query gave an empty value for %s", k);
		if (min > max) {
			int64_t t = min;
			min = max;
			max = t;
		}
		if ((rc = req_query_i64(rq, k, min, max, &x)))
			fuzz_check_error(rc, &rq->ei, "req_query_i64");
		else if (v)
			FUZZ_CHECK(x >= min && x <= max,
			           "%s=%s read as %" PRId64 " outside [%" PRId64 ", %" PRId64 "]",
			           k, v, x, min, max);
		if ((rc = req_query_i64(rq, k, 1, INT64_MAX, &x)))
			fuzz_check_error(rc, &rq->ei, "req_query_i64");
		if ((rc = req_query_enum(rq, k, statuses, &e)))
			fuzz_check_error(rc, &rq->ei, "req_query_enum");
		if ((rc = req_query_bool(rq, k, &b)))
			fuzz_check_error(rc, &rq->ei, "req_query_bool");
		if (v)
			check_cursor(rq, v);
	}
	{
		struct page pg;
		if ((rc = req_page(rq, &pg)))
			fuzz_check_error(rc, &rq->ei, "req_page");
		else
			FUZZ_CHECK(pg.limit >= 1 && pg.limit <= LIST_LIMIT_MAX && pg.cursor >= 0,
			           "page limit %d cursor %" PRId64, pg.limit, pg.cursor);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct req rq;
	const struct route *r;
	char allow[64];
	int known = 0;
	enum err e;

	memset(&rq, 0, sizeof rq);
	fuzz_request(&rq, &in);
	r = router_match(&rq, rq.method, rq.path, &known, allow, sizeof allow);
	check_match(&rq, r, rq.method, rq.path, known, allow);
	if (!r) {
		/* the early errors of server.c's begin(), worded as it words them */
		e = known ? ERR_METHOD : ERR_NOTFOUND;
		err_set(&rq.ei, e, NULL,
		        known ? "method %s not allowed here" : "no route for %s %.200s", rq.method,
		        known ? "" : rq.path);
		if (known)
			snprintf(rq.ei.msg, sizeof rq.ei.msg, "method %s not allowed; use %s",
			         rq.method, allow);
		fuzz_check_error(e, &rq.ei, "router_match");
	} else {
		check_params(&rq);
	}
	check_query(&rq, &in);
	arena_release(&rq.arena);
	return 0;
}
