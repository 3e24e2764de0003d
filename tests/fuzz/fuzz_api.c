/* Every route's real handler, without the network: the request is matched
 * by the real route table, authenticated with a real token of one of the
 * demo users, and handled inside one transaction on a SQLite copy of the
 * demo program, which is then rolled back, so every input starts from the
 * same database. This reaches the handlers' own JSON parsers (static in the
 * api files), the domain's validation and the store's SQL with arbitrary
 * values.
 *
 * Checked: no crash or sanitizer finding, no 5xx (ERR_DB, ERR_INTERNAL,
 * ERR_NOMEM are server faults on any input), every error in the error
 * shape, every 2xx JSON body parses.
 *
 * Input: one byte choosing the actor, a request line as fuzz_request reads
 * it (fuzz.h), then the body. Left out: POST /sessions and /healthz (a
 * password hash per try, the server's connection; fuzz_json covers the
 * former's body). The first run sets up the database (a few seconds). */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <unistd.h>

#include "api/api.h"
#include "base/clock.h"
#include "domain/auth.h"
#include "domain/conflict.h"
#include "domain/demo.h"
#include "domain/role.h"
#include "store/db.h"
#include "store/migrate.h"

static const char *const actors[] = {
	"admin@tandem.example",
	"channel@tandem.example",
	"salesmanager@tandem.example",
	"finance@tandem.example",
	"admin@northwind-systems.example",
	"sales@northwind-systems.example",
	"sales@bluefin-analytics.example",
	"consultant@atlas-implementation.example",
};
#define NACTORS (sizeof actors / sizeof actors[0])

static struct db *db;
static struct dbconn *conn;
static char *tokens[NACTORS];
static char dir[64];
static int verbose;  /* FUZZ_VERBOSE=1: a line per request on stderr */
static int64_t now0; /* every request happens at the time the run started */

static void
fail_setup(const char *what, const struct errinfo *ei)
{
	fprintf(stderr, "fuzz_api setup: %s: %s\n", what, ei ? ei->msg : "");
	exit(1);
}

static void
remove_db(const char *d)
{
	static const char *const sfx[] = { "", "-wal", "-shm", "-journal" };
	char path[300];

	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		snprintf(path, sizeof path, "%s/t.db%s", d, sfx[i]);
		unlink(path);
	}
	rmdir(d);
}

/* A run that crashed (libFuzzer leaves without atexit) left its directory:
 * removes those of processes that are gone. */
static void
remove_stale(void)
{
	DIR *dp = opendir("/tmp");
	struct dirent *e;
	char d[300];
	long pid;

	if (!dp)
		return;
	while ((e = readdir(dp)))
		if (sscanf(e->d_name, "tandem-fuzz-%ld-", &pid) == 1 && pid > 0 &&
		    kill((pid_t)pid, 0) && errno == ESRCH) {
			snprintf(d, sizeof d, "/tmp/%s", e->d_name);
			remove_db(d);
		}
	closedir(dp);
}

static void
cleanup(void)
{
	for (size_t i = 0; i < NACTORS; i++)
		free(tokens[i]);
	conflict_index_close();
	db_disconnect(conn);
	db_free(db);
	remove_db(dir);
}

static void load_setup(void);
int LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct arena a = { 0 };
	struct errinfo ei = { 0 };
	struct ctx c = { 0 };
	char path[96];
	int already = 0;

	(void)argc;
	(void)argv;
	verbose = getenv("FUZZ_VERBOSE") != NULL;
	remove_stale();
	snprintf(dir, sizeof dir, "/tmp/tandem-fuzz-%ld-XXXXXX", (long)getpid());
	if (auth_init() || !mkdtemp(dir))
		fail_setup("auth_init or mkdtemp", NULL);
	snprintf(path, sizeof path, "%s/t.db", dir);
	if (db_open(path, &db, &ei) || db_connect(db, &conn, &ei) ||
	    migrate_run(conn, NULL, NULL, &ei))
		fail_setup("database", &ei);
	c.db = conn;
	c.arena = &a;
	c.ei = &ei;
	c.now = now0 = clock_now();
	if (db_begin(conn, 1) || demo_load(&c, &already) || db_commit(conn))
		fail_setup("demo", &ei);
	if (db_begin(conn, 1))
		fail_setup("begin", &ei);
	for (size_t i = 0; i < NACTORS; i++) {
		struct user u;
		const char *tok = NULL;
		int64_t exp;
		if (store_user_by_email(&c, actors[i], &u) ||
		    auth_token_create(&c, u.id, "api", 90, &tok, &exp) ||
		    !(tokens[i] = strdup(tok)))
			fail_setup(actors[i], &ei);
	}
	if (db_commit(conn) || db_begin(conn, 0) || conflict_index_open(&c) || db_commit(conn))
		fail_setup("conflict index", &ei);
	arena_release(&a);
	load_setup();
	atexit(cleanup);
	return 0;
}

static void
check_answer(struct req *rq, struct resp *rs, enum err rc)
{
	if (rc) {
		FUZZ_CHECK(router_status(rc) < 500,
		           "%s %s answered %d %s: %.200s (field %s; database: %.200s)", rq->method,
		           rq->path, router_status(rc), err_code(rc), rq->ei.msg,
		           rq->ei.field ? rq->ei.field : "-", db_errmsg(conn));
		fuzz_check_error(rc, &rq->ei, rq->path);
		return;
	}
	FUZZ_CHECK(rs->status >= 200 && rs->status < 300, "%s %s: OK with status %d", rq->method,
	           rq->path, rs->status);
	if (rs->body && rs->content_type && !strncmp(rs->content_type, "application/json", 16)) {
		json_error_t je;
		json_t *j = json_loadb(rs->body, rs->body_len, 0, &je);
		FUZZ_CHECK(j, "%s %s: the %d body is not JSON: %s", rq->method, rq->path,
		           rs->status, je.text);
		json_decref(j);
	}
}

/* Runs one request as the actor (NACTORS: a token that is not one) in a
 * write transaction: committed (setup) or rolled back (fuzzing). Returns
 * the error, with the response in *rs. */
static enum err
run(struct req *rq, struct resp *rs, unsigned who, const struct route *r, int commit)
{
	enum err rc;

	rq->route = r;
	rq->ctx.arena = &rq->arena;
	rq->ctx.ei = &rq->ei;
	rq->ctx.now = now0;
	rq->ctx.db = conn;
	/* router_dispatch without its connection */
	if ((rc = db_begin(conn, 1)))
		fail_setup("begin", &rq->ei);
	if (!(r->flags & ROUTE_PUBLIC)) {
		rc = auth_authenticate(&rq->ctx, who < NACTORS ? tokens[who] : "tdm_nonsense",
		                       NULL);
		if (!rc && !role_in(rq->ctx.actor.role, r->roles))
			rc = err_set(&rq->ei, ERR_FORBIDDEN, NULL, "your role may not do this");
	}
	if (!rc)
		rc = r->handler(rq, rs);
	if (verbose)
		fprintf(stderr, "%s %s -> %d %s\n", rq->method, rq->path,
		        rc ? router_status(rc) : rs->status, rc ? rq->ei.msg : "");
	if (commit && !rc) {
		if (db_commit(conn))
			fail_setup("commit", &rq->ei);
		ctx_run_hooks(&rq->ctx);
	} else {
		db_rollback(conn);
		rq->ctx.after_commit = NULL; /* rolled back: the index stays as it was */
	}
	FUZZ_CHECK(!db_in_tx(conn), "still in a transaction");
	return rc;
}

/* Records for the routes that need them (the demo has partners, users and
 * agreements only): accounts, registrations (one approved and converted),
 * opportunities, one won (an order and a statement). */
static const struct {
	unsigned who;
	const char *method, *path, *body;
} setup[] = {
	{ 0, "POST", "/api/v1/accounts",
	  "{\"name\":\"Acme Corporation\",\"domain\":\"acme.example\",\"country\":\"FR\","
	  "\"owner\":{\"kind\":\"direct\"}}" },
	{ 0, "POST", "/api/v1/accounts",
	  "{\"name\":\"Globex\",\"domain\":\"globex.example\",\"owner\":{\"kind\":\"partner\","
	  "\"partner_id\":1}}" },
	{ 5, "POST", "/api/v1/deal-registrations",
	  "{\"customer\":{\"name\":\"Initech\",\"domain\":\"initech.example\"},\"amount\":"
	  "{\"amount\":500000,\"currency\":\"USD\"},\"expected_close\":\"2031-03-31\"}" },
	{ 6, "POST", "/api/v1/deal-registrations",
	  "{\"customer\":{\"name\":\"Initech Inc.\",\"country\":\"US\"},\"amount\":"
	  "{\"amount\":7,\"currency\":\"EUR\"},\"expected_close\":\"2031-03-31\"}" },
	{ 5, "POST", "/api/v1/deal-registrations",
	  "{\"customer\":{\"name\":\"Umbrella\"},\"amount\":"
	  "{\"amount\":9,\"currency\":\"USD\"},\"expected_close\":\"2031-03-31\"}" },
	{ 0, "POST", "/api/v1/deal-registrations/1/approve", "{\"note\":\"ok\"}" },
	{ 0, "POST", "/api/v1/deal-registrations/1/convert", "{}" },
	{ 0, "PATCH", "/api/v1/opportunities/1", "{\"stage\":\"closed_won\"}" },
	{ 2, "POST", "/api/v1/opportunities",
	  "{\"name\":\"Acme renewal\",\"account_id\":1,\"amount\":{\"amount\":100,"
	  "\"currency\":\"USD\"},\"expected_close\":\"2031-01-01\"}" },
};

static void
load_setup(void)
{
	for (size_t i = 0; i < sizeof setup / sizeof setup[0]; i++) {
		struct req rq;
		struct resp rs = { 0 };
		const struct route *r;
		int known;

		memset(&rq, 0, sizeof rq);
		rq.method = setup[i].method;
		rq.path = setup[i].path;
		rq.body = setup[i].body;
		rq.body_len = strlen(setup[i].body);
		r = router_match(&rq, rq.method, rq.path, &known, NULL, 0);
		if (!r || run(&rq, &rs, setup[i].who, r, 1))
			fail_setup(setup[i].path, &rq.ei);
		resp_free(&rs);
		arena_release(&rq.arena);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	unsigned who = fuzz_u8(&in) % (NACTORS + 1);
	struct req rq;
	struct resp rs = { 0 };
	const struct route *r;
	char allow[64];
	int known;
	enum err rc;

	memset(&rq, 0, sizeof rq);
	fuzz_request(&rq, &in);
	r = router_match(&rq, rq.method, rq.path, &known, allow, sizeof allow);
	if (r && r->handler != api_session_create && r->handler != api_healthz &&
	    in.n <= (r->body_max ? r->body_max : BODY_MAX_DEFAULT)) {
		/* the body as server.c hands it over: NUL-terminated, NULL when none */
		rq.body = in.n ? arena_strndup(&rq.arena, (const char *)in.p, in.n) : NULL;
		rq.body_len = in.n;
		rc = run(&rq, &rs, who, r, 0);
		check_answer(&rq, &rs, rc);
		resp_free(&rs);
	}
	arena_release(&rq.arena);
	return 0;
}
