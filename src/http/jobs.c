#include "http/jobs.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "base/clock.h"
#include "base/log.h"
#include "domain/conflict.h"
#include "domain/order.h"
#include "domain/registration.h"
#include "store/db.h"
#include "store/misc.h"

#define POLL_MS 250           /* how often other processes' writes are picked up */
#define TIMER_SECS_DEFAULT 60 /* how often expiry and escalation run */

static pthread_t thread;
static atomic_int running;
static struct dbconn *conn;
static int64_t last_change;
static int timer_secs = TIMER_SECS_DEFAULT;
static int unavailable; /* the database stopped answering; logged once until it is back */

static void
catch_up(void)
{
	struct arena a = { 0 };
	struct errinfo ei = { 0 };
	struct ctx c = { .db = conn, .arena = &a, .ei = &ei, .now = clock_now() };
	enum err rc;

	if (!(rc = db_begin(conn, 0))) {
		rc = conflict_catch_up(&c, &last_change);
		if (rc)
			db_rollback(conn);
		else
			db_commit(conn);
	}
	if (rc == ERR_UNAVAILABLE) {
		/* a restart of a database server: said once, not four times a second */
		if (!unavailable)
			log_error("jobs: the database is unavailable: %s", db_errmsg(conn));
		unavailable = 1;
	} else if (rc) {
		log_error("jobs: catching up with the change sequence: %s", db_errmsg(conn));
	} else if (unavailable) {
		log_info("jobs: the database answers again");
		unavailable = 0;
	}
	arena_release(&a);
}

static void
run_timers(void)
{
	struct arena a = { 0 };
	struct errinfo ei = { 0 };
	struct ctx c = { .db = conn, .arena = &a, .ei = &ei, .now = clock_now() };
	int expired = 0, escalated = 0, tiers = 0;
	enum err rc;

	if (db_begin(conn, 1)) {
		log_error("jobs: the database is busy; timers wait for the next round");
		return;
	}
	rc = registration_run_timers(&c, &expired, &escalated);
	if (!rc)
		rc = tier_evaluate_all(&c, &tiers);
	if (rc) {
		db_rollback(conn);
		log_error("jobs: timers failed: %s: %s", err_code(rc),
		          ei.msg[0] ? ei.msg : db_errmsg(conn));
	} else if (db_commit(conn)) {
		log_error("jobs: timers could not commit: %s", db_errmsg(conn));
	} else {
		ctx_run_hooks(&c);
		if (expired || escalated || tiers)
			log_info("jobs: expired %d and escalated %d deal registrations; %d tier"
			         " changes",
			         expired, escalated, tiers);
	}
	arena_release(&a);
}

static void *
loop(void *arg)
{
	struct timespec pause = { 0, POLL_MS * 1000000L };
	int64_t next_timer = 0;

	(void)arg;
	while (atomic_load(&running)) {
		int64_t now = clock_now();
		catch_up();
		if (now >= next_timer) {
			run_timers();
			next_timer = now + timer_secs;
		}
		nanosleep(&pause, NULL);
	}
	return NULL;
}

enum err
jobs_start(struct db *db, struct errinfo *ei)
{
	struct arena a = { 0 };
	struct ctx c = { .arena = &a, .ei = ei, .now = clock_now() };
	const char *env = getenv("TANDEM_TIMER_SECONDS");
	enum err rc;

	if (env && *env) {
		long v = strtol(env, NULL, 10);
		if (v >= 1 && v <= 86400)
			timer_secs = (int)v;
	}
	if ((rc = db_connect(db, &conn, ei)))
		return rc;
	c.db = conn;
	/* the index and the position in the change sequence from one snapshot */
	if (!(rc = db_begin(conn, 0))) {
		if (!(rc = store_changes_last(&c, &last_change)))
			rc = conflict_index_open(&c);
		db_commit(conn);
	}
	arena_release(&a);
	if (rc) {
		err_set(ei, rc, NULL, "cannot build the conflict index: %s", db_errmsg(conn));
		db_disconnect(conn);
		conn = NULL;
		return rc;
	}
	log_info("conflict index: %zu records", conflict_index_size());
	atomic_store(&running, 1);
	if (pthread_create(&thread, NULL, loop, NULL)) {
		atomic_store(&running, 0);
		conflict_index_close();
		db_disconnect(conn);
		conn = NULL;
		return err_set(ei, ERR_INTERNAL, NULL, "cannot start the background thread");
	}
	return ERR_OK;
}

void
jobs_stop(void)
{
	if (atomic_exchange(&running, 0))
		pthread_join(thread, NULL);
	conflict_index_close();
	db_disconnect(conn);
	conn = NULL;
}
