/* GET /healthz and GET /api/v1/openapi.json */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api/api.h"
#include "base/sb.h"
#include "domain/auth.h"
#include "domain/conflict.h"
#include "domain/role.h"
#include "http/metrics.h"
#include "store/registration.h"
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

/* The scrape token of TANDEM_METRICS_TOKEN, compared in constant time. */
static int
scrape_token_ok(const char *given)
{
	const char *want = getenv("TANDEM_METRICS_TOKEN");
	size_t n;

	if (!want || !*want || !given)
		return 0;
	n = strlen(want);
	return strlen(given) == n && sodium_memcmp(want, given, n) == 0;
}

enum err
api_metrics(struct req *rq, struct resp *rs)
{
	const char *h = rq->authorization, *token = NULL;
	const char *statuses[16];
	int64_t counts[16];
	int n = 0;
	struct sb sb;
	char *text;
	enum err rc;

	if ((rc = req_query_check(rq, NULL, 0)))
		return rc;
	if (h && !strncasecmp(h, "Bearer ", 7))
		for (token = h + 7; *token == ' '; token++)
			;
	if (!scrape_token_ok(token)) {
		if ((rc = auth_authenticate(&rq->ctx, token, NULL)))
			return rc;
		if (rq->ctx.actor.role != ROLE_ADMIN)
			return err_set(&rq->ei, ERR_FORBIDDEN, NULL, "metrics are for admins");
	}
	if ((rc = store_registration_counts(&rq->ctx, statuses, counts, 16, &n)))
		return rc;
	sb_init(&sb, 0);
	metrics_render(&sb);
	sb_printf(&sb,
	          "# HELP tandem_conflict_index_records Records in the conflict index.\n"
	          "# TYPE tandem_conflict_index_records gauge\n"
	          "tandem_conflict_index_records %zu\n",
	          conflict_index_size());
	sb_puts(&sb, "# HELP tandem_registrations Deal registrations by status.\n"
	             "# TYPE tandem_registrations gauge\n");
	for (int i = 0; i < n; i++)
		sb_printf(&sb, "tandem_registrations{status=\"%s\"} %lld\n", statuses[i],
		          (long long)counts[i]);
	if (!(text = sb_detach(&sb)))
		return ERR_NOMEM;
	rc = resp_text(rs, 200, "text/plain; version=0.0.4", text, strlen(text));
	free(text);
	return rc;
}
