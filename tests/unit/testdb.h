/* A fresh database for one unit test, with the schema migrated, a write
 * transaction open and a context for the system actor: a SQLite file in a
 * temporary directory, or, when TANDEM_TEST_PG names a PostgreSQL server
 * (postgresql://user@host:port/postgres), a new database created there and
 * dropped again by testdb_close. */
#ifndef TANDEM_TESTDB_H
#define TANDEM_TESTDB_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "store/ctx.h"
#include "store/db.h"
#include "store/migrate.h"

struct testdb {
	char dir[64], path[4200];
	char pg_name[64]; /* the PostgreSQL database, "" on SQLite */
	struct db *db;
	struct dbconn *conn;
	struct arena arena;
	struct errinfo ei;
	struct ctx ctx;
};

/* The server URL of TANDEM_TEST_PG, or NULL to test on SQLite. */
static inline const char *
testdb_pg(void)
{
	const char *pg = getenv("TANDEM_TEST_PG");

	return pg && *pg ? pg : NULL;
}

/* url with its database name replaced by name. */
static inline int
testdb_pg_url(const char *url, const char *name, char *out, size_t size)
{
	const char *auth = strstr(url, "://"), *path, *query;
	int n;

	if (!auth)
		return -1;
	path = auth + 3 + strcspn(auth + 3, "/?");
	query = path + strcspn(path, "?");
	n = snprintf(out, size, "%.*s/%s%s", (int)(path - url), url, name, query);
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/* Runs one statement on the server's maintenance database. */
static inline int
testdb_pg_admin(const char *sql)
{
	struct db *db = NULL;
	struct dbconn *c = NULL;
	struct errinfo ei = { 0 };
	int rc = -1;

	if (!db_open(testdb_pg(), &db, &ei) && !db_connect(db, &c, &ei))
		rc = db_exec(c, sql) ? -1 : 0;
	if (rc)
		fprintf(stderr, "testdb: %s: %s\n", sql, c ? db_errmsg(c) : ei.msg);
	db_disconnect(c);
	db_free(db);
	return rc;
}

static inline int
testdb_open(struct testdb *t)
{
	static int seq;
	char sql[128];

	memset(t, 0, sizeof *t);
	if (testdb_pg()) {
		snprintf(t->pg_name, sizeof t->pg_name, "tandem_unit_%ld_%d", (long)getpid(),
		         ++seq);
		snprintf(sql, sizeof sql, "CREATE DATABASE %s", t->pg_name);
		if (testdb_pg_admin(sql) ||
		    testdb_pg_url(testdb_pg(), t->pg_name, t->path, sizeof t->path))
			return -1;
	} else {
		snprintf(t->dir, sizeof t->dir, "/tmp/tandem-unit-XXXXXX");
		if (!mkdtemp(t->dir))
			return -1;
		snprintf(t->path, sizeof t->path, "%s/t.db", t->dir);
	}
	if (db_open(t->path, &t->db, &t->ei) || db_connect(t->db, &t->conn, &t->ei) ||
	    migrate_run(t->conn, NULL, NULL, &t->ei)) {
		fprintf(stderr, "testdb: %s\n", t->ei.msg);
		return -1;
	}
	t->ctx.db = t->conn;
	t->ctx.arena = &t->arena;
	t->ctx.ei = &t->ei;
	t->ctx.now = clock_now();
	return db_begin(t->conn, 1) ? -1 : 0;
}

static inline void
testdb_close(struct testdb *t)
{
	char cmd[160];

	if (t->conn && db_in_tx(t->conn))
		db_commit(t->conn);
	db_disconnect(t->conn);
	db_free(t->db);
	arena_release(&t->arena);
	if (t->pg_name[0]) {
		snprintf(cmd, sizeof cmd, "DROP DATABASE IF EXISTS %s WITH (FORCE)", t->pg_name);
		testdb_pg_admin(cmd);
		return;
	}
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", t->dir);
}

#endif
