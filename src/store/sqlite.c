/* The SQLite backend: WAL, one connection per thread, busy_timeout,
 * BEGIN IMMEDIATE for writes, statements cached per connection. */
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db_impl.h"

#define SQLITE_BUSY_MS 5000
#define BACKUP_RETRY_MS 50
#define STMT_BUCKETS 256 /* hash buckets of the per-connection statement cache */

struct dbstmt {
	struct dbstmt_head head;
	struct sqlite_conn *conn;
	sqlite3_stmt *st;
	char *sql;
	uint64_t hash;
	struct dbstmt *next; /* in its bucket */
};

struct sqlite_conn {
	struct dbconn_head head;
	struct db *db;
	sqlite3 *h;
	int tx;
	/* Statements are never evicted: the program's SQL texts are a finite set
	 * (filters bind NULL rather than change the text), and an eviction could
	 * free a statement a caller is still stepping. */
	struct dbstmt *cache[STMT_BUCKETS];
};

static uint64_t
fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

static enum err
map(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_OK:
	case SQLITE_ROW:
	case SQLITE_DONE: return ERR_OK;
	case SQLITE_CONSTRAINT: return ERR_CONFLICT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_READONLY: return ERR_UNAVAILABLE;
	case SQLITE_NOMEM: return ERR_NOMEM;
	default: return ERR_DB;
	}
}

static void
stmt_free(struct dbstmt *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->st);
	free(s->sql);
	free(s);
}

static void
sq_disconnect(struct dbconn *c)
{
	struct sqlite_conn *sc = (struct sqlite_conn *)c;

	for (int i = 0; i < STMT_BUCKETS; i++)
		for (struct dbstmt *s = sc->cache[i], *next; s; s = next) {
			next = s->next;
			stmt_free(s);
		}
	if (sc->tx)
		sqlite3_exec(sc->h, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close_v2(sc->h);
	free(sc);
}

static enum err
sq_exec(struct dbconn *c, const char *sql)
{
	struct sqlite_conn *sc = (struct sqlite_conn *)c;

	return map(sqlite3_exec(sc->h, sql, NULL, NULL, NULL));
}

static pthread_once_t config_once = PTHREAD_ONCE_INIT;

/* Before SQLite initialises: connections are used by one thread at a time,
 * and memory statistics would take a process-wide mutex on every malloc. */
static void
configure(void)
{
	sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

static enum err
sq_connect(struct db *db, struct dbconn **out, struct errinfo *ei)
{
	static const char *const pragmas =
	        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;";
	struct sqlite_conn *sc;
	int rc;

	*out = NULL;
	pthread_once(&config_once, configure);
	if (!(sc = calloc(1, sizeof *sc)))
		return ERR_NOMEM;
	sc->head.ops = &db_sqlite_ops;
	sc->db = db;
	rc = sqlite3_open_v2(db->url, &sc->h,
	                     SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
	                     NULL);
	if (rc != SQLITE_OK) {
		err_set(ei, ERR_UNAVAILABLE, "db", "cannot open %s: %s", db->url,
		        sc->h ? sqlite3_errmsg(sc->h) : "out of memory");
		sqlite3_close_v2(sc->h);
		free(sc);
		return ERR_UNAVAILABLE;
	}
	sqlite3_busy_timeout(sc->h, SQLITE_BUSY_MS);
	sqlite3_extended_result_codes(sc->h, 1);
	if ((rc = sqlite3_exec(sc->h, pragmas, NULL, NULL, NULL)) != SQLITE_OK) {
		err_set(ei, ERR_UNAVAILABLE, "db", "cannot use %s: %s", db->url,
		        sqlite3_errmsg(sc->h));
		sqlite3_close_v2(sc->h);
		free(sc);
		return ERR_UNAVAILABLE;
	}
	*out = (struct dbconn *)sc;
	return ERR_OK;
}

static enum err sq_prepare(struct dbconn *c, const char *sql, struct dbstmt **out);

/* Runs a statement without parameters through the statement cache: the
 * transaction statements run on every request, and sqlite3_exec would
 * compile them each time. */
static enum err
sq_run_cached(struct dbconn *c, const char *sql)
{
	struct dbstmt *st;
	enum err rc;
	int r;

	if ((rc = sq_prepare(c, sql, &st)))
		return rc;
	r = sqlite3_step(st->st);
	sqlite3_reset(st->st);
	return r == SQLITE_DONE || r == SQLITE_ROW ? ERR_OK : map(r);
}

static enum err
sq_ping(struct dbconn *c)
{
	struct sqlite_conn *sc = (struct sqlite_conn *)c;

	return map(sqlite3_exec(sc->h, "SELECT 1 FROM sqlite_schema LIMIT 1", NULL, NULL, NULL));
}

static enum err
sq_begin(struct dbconn *c, int write)
{
	struct sqlite_conn *sc = (struct sqlite_conn *)c;
	enum err rc;

	if (sc->tx)
		return ERR_INTERNAL;
	if ((rc = sq_run_cached(c, write ? "BEGIN IMMEDIATE" : "BEGIN")))
		return rc;
	sc->tx = 1;
	return ERR_OK;
}

static enum err
sq_commit(struct dbconn *c)
{
	struct sqlite_conn *sc = (struct sqlite_conn *)c;
	enum err rc;

	if (!sc->tx)
		return ERR_OK;
	if ((rc = sq_run_cached(c, "COMMIT"))) {
		sq_run_cached(c, "ROLLBACK");
		sc->tx = 0;
		return rc;
	}
	sc->tx = 0;
	return ERR_OK;
}

static void
sq_rollback(struct dbconn *c)
{
	struct sqlite_conn *sc = (struct sqlite_conn *)c;

	if (sc->tx)
		sq_run_cached(c, "ROLLBACK");
	sc->tx = 0;
}

static int
sq_in_tx(const struct dbconn *c)
{
	return ((const struct sqlite_conn *)c)->tx;
}

static enum err
sq_prepare(struct dbconn *c, const char *sql, struct dbstmt **out)
{
	struct sqlite_conn *sc = (struct sqlite_conn *)c;
	uint64_t h = fnv1a(sql);
	unsigned slot = (unsigned)(h % STMT_BUCKETS);
	struct dbstmt *s;
	int rc;

	*out = NULL;
	for (s = sc->cache[slot]; s; s = s->next)
		if (s->hash == h && !strcmp(s->sql, sql)) {
			sqlite3_reset(s->st);
			sqlite3_clear_bindings(s->st);
			*out = s;
			return ERR_OK;
		}
	if (!(s = calloc(1, sizeof *s)) || !(s->sql = strdup(sql))) {
		free(s);
		return ERR_NOMEM;
	}
	s->head.ops = &db_sqlite_ops;
	s->conn = sc;
	s->hash = h;
	rc = sqlite3_prepare_v3(sc->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL);
	if (rc != SQLITE_OK) {
		stmt_free(s);
		return map(rc) == ERR_UNAVAILABLE ? ERR_UNAVAILABLE : ERR_DB;
	}
	s->next = sc->cache[slot];
	sc->cache[slot] = s;
	*out = s;
	return ERR_OK;
}

static void
sq_bind_i64(struct dbstmt *st, int i, int64_t v)
{
	sqlite3_bind_int64(st->st, i, v);
}

static void
sq_bind_text(struct dbstmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st->st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st->st, i);
}

static void
sq_bind_null(struct dbstmt *st, int i)
{
	sqlite3_bind_null(st->st, i);
}

static enum err
sq_step(struct dbstmt *st, int *row)
{
	int rc = sqlite3_step(st->st);

	*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return ERR_OK;
	sqlite3_reset(st->st);
	return map(rc);
}

static void
sq_reset(struct dbstmt *st)
{
	sqlite3_reset(st->st);
}

static int64_t
sq_col_i64(struct dbstmt *st, int i)
{
	return sqlite3_column_int64(st->st, i);
}

static const char *
sq_col_text(struct dbstmt *st, int i)
{
	return (const char *)sqlite3_column_text(st->st, i);
}

static int
sq_col_null(struct dbstmt *st, int i)
{
	return sqlite3_column_type(st->st, i) == SQLITE_NULL;
}

static int
sq_col_count(struct dbstmt *st)
{
	return sqlite3_column_count(st->st);
}

static const char *
sq_col_name(struct dbstmt *st, int i)
{
	return sqlite3_column_name(st->st, i);
}

static enum db_type
sq_col_type(struct dbstmt *st, int i)
{
	switch (sqlite3_column_type(st->st, i)) {
	case SQLITE_NULL: return DB_TNULL;
	case SQLITE_INTEGER: return DB_TINT;
	default: return DB_TTEXT;
	}
}

/* The online backup: every page in one step, under one read transaction, so
 * the copy is one consistent snapshot while other connections (and other
 * processes) keep writing to the WAL. The copy goes to a temporary name
 * first and is renamed into place once complete. */
static enum err
sq_backup(struct dbconn *c, const char *path, struct errinfo *ei)
{
	struct sqlite_conn *sc = (struct sqlite_conn *)c;
	sqlite3 *dst = NULL;
	sqlite3_backup *b;
	char tmp[4200];
	enum err e;
	int rc;

	if (snprintf(tmp, sizeof tmp, "%s.partial", path) >= (int)sizeof tmp)
		return err_set(ei, ERR_INVALID, "file", "the file name is too long");
	unlink(tmp);
	rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		e = err_set(ei, ERR_UNAVAILABLE, "file", "cannot create %s: %s", tmp,
		            dst ? sqlite3_errmsg(dst) : "out of memory");
		goto fail;
	}
	if (!(b = sqlite3_backup_init(dst, "main", sc->h, "main"))) {
		e = err_set(ei, ERR_UNAVAILABLE, NULL, "cannot start the backup: %s",
		            sqlite3_errmsg(dst));
		goto fail;
	}
	for (int waited = 0;; waited += BACKUP_RETRY_MS) {
		rc = sqlite3_backup_step(b, -1);
		if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || waited >= SQLITE_BUSY_MS)
			break;
		sqlite3_sleep(BACKUP_RETRY_MS);
	}
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		e = err_set(ei, map(rc) == ERR_UNAVAILABLE ? ERR_UNAVAILABLE : ERR_DB, NULL,
		            "the backup failed: %s", sqlite3_errstr(rc));
		goto fail;
	}
	/* closing checkpoints the copy's WAL into the file and removes it */
	rc = sqlite3_close(dst);
	dst = NULL;
	if (rc != SQLITE_OK) {
		e = err_set(ei, ERR_UNAVAILABLE, "file", "cannot finish %s: %s", tmp,
		            sqlite3_errstr(rc));
		goto fail;
	}
	if (rename(tmp, path)) {
		e = err_set(ei, ERR_UNAVAILABLE, "file", "cannot rename %s to %s: %s", tmp, path,
		            strerror(errno));
		goto fail;
	}
	return ERR_OK;
fail:
	sqlite3_close_v2(dst);
	unlink(tmp);
	return e;
}

static const char *
sq_errmsg(struct dbconn *c)
{
	return sqlite3_errmsg(((struct sqlite_conn *)c)->h);
}

static struct db *
sq_db_of(struct dbconn *c)
{
	return ((struct sqlite_conn *)c)->db;
}

const struct db_engine_ops db_sqlite_ops = {
	.connect = sq_connect,
	.disconnect = sq_disconnect,
	.ping = sq_ping,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.in_tx = sq_in_tx,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.bind_i64 = sq_bind_i64,
	.bind_text = sq_bind_text,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.reset = sq_reset,
	.col_i64 = sq_col_i64,
	.col_text = sq_col_text,
	.col_null = sq_col_null,
	.col_count = sq_col_count,
	.col_name = sq_col_name,
	.col_type = sq_col_type,
	.backup = sq_backup,
	.errmsg = sq_errmsg,
	.db_of = sq_db_of,
};
