/* A fresh SQLite database in a temporary directory for one unit test, with
 * the schema migrated and a context for the system actor. */
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
	char dir[64], path[96];
	struct db *db;
	struct dbconn *conn;
	struct arena arena;
	struct errinfo ei;
	struct ctx ctx;
};

static inline int
testdb_open(struct testdb *t)
{
	memset(t, 0, sizeof *t);
	snprintf(t->dir, sizeof t->dir, "/tmp/tandem-unit-XXXXXX");
	if (!mkdtemp(t->dir))
		return -1;
	snprintf(t->path, sizeof t->path, "%s/t.db", t->dir);
	if (db_open(t->path, &t->db, &t->ei) || db_connect(t->db, &t->conn, &t->ei) ||
	    migrate_run(t->conn, NULL, NULL, &t->ei))
		return -1;
	t->ctx.db = t->conn;
	t->ctx.arena = &t->arena;
	t->ctx.ei = &t->ei;
	t->ctx.now = clock_now();
	return db_begin(t->conn, 1) ? -1 : 0;
}

static inline void
testdb_close(struct testdb *t)
{
	char cmd[128];

	if (t->conn && db_in_tx(t->conn))
		db_commit(t->conn);
	db_disconnect(t->conn);
	db_free(t->db);
	arena_release(&t->arena);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", t->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", t->dir);
}

#endif
