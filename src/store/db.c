#include "store/db.h"

#include <stdlib.h>
#include <string.h>

#include "base/sb.h"
#include "store/db_impl.h"

#define CONN_OPS(c) (((const struct dbconn_head *)(const void *)(c))->ops)
#define STMT_OPS(s) (((const struct dbstmt_head *)(const void *)(s))->ops)

static int
is_postgres_url(const char *url)
{
	return !strncmp(url, "postgres://", 11) || !strncmp(url, "postgresql://", 13);
}

enum db_engine
db_engine_of(const char *url)
{
	return url && is_postgres_url(url) ? DB_POSTGRES : DB_SQLITE;
}

/* url with the password of its user part and of a password= parameter
 * replaced by ***, for messages. */
static char *
mask_password(const char *url)
{
	const char *auth = strstr(url, "://"), *end, *at, *colon, *p;
	struct sb sb;

	sb_init(&sb, 0);
	if (!auth || !is_postgres_url(url)) {
		sb_puts(&sb, url);
		return sb_detach(&sb);
	}
	auth += 3;
	end = auth + strcspn(auth, "/?");
	at = NULL;
	for (p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	colon = at ? memchr(auth, ':', (size_t)(at - auth)) : NULL;
	if (colon) {
		sb_append(&sb, url, (size_t)(colon + 1 - url));
		sb_puts(&sb, "***");
		url = at;
	}
	while ((p = strstr(url, "password="))) {
		sb_append(&sb, url, (size_t)(p + 9 - url));
		sb_puts(&sb, "***");
		url = p + 9 + strcspn(p + 9, "&");
	}
	sb_puts(&sb, url);
	return sb_detach(&sb);
}

enum err
db_open(const char *url, struct db **out, struct errinfo *ei)
{
	struct db *db;

	*out = NULL;
	if (!url || !*url)
		return err_set(ei, ERR_INVALID, "db", "no database given");
	if (strlen(url) > 4096)
		return err_set(ei, ERR_INVALID, "db", "database URL is too long");
	if (!(db = calloc(1, sizeof *db)) || !(db->url = strdup(url)) ||
	    !(db->display = mask_password(url))) {
		db_free(db);
		return ERR_NOMEM;
	}
	if (is_postgres_url(url)) {
		db->engine = DB_POSTGRES;
		db->ops = &db_postgres_ops;
	} else {
		db->engine = DB_SQLITE;
		db->ops = &db_sqlite_ops;
	}
	*out = db;
	return ERR_OK;
}

void
db_free(struct db *db)
{
	if (!db)
		return;
	free(db->url);
	free(db->display);
	free(db);
}

enum db_engine
db_engine(const struct db *db)
{
	return db->engine;
}

const char *
db_url(const struct db *db)
{
	return db->display;
}

enum err
db_connect(struct db *db, struct dbconn **out, struct errinfo *ei)
{
	return db->ops->connect(db, out, ei);
}

void
db_disconnect(struct dbconn *c)
{
	if (c)
		CONN_OPS(c)->disconnect(c);
}

enum err
db_ping(struct dbconn *c)
{
	return CONN_OPS(c)->ping(c);
}

enum err
db_begin(struct dbconn *c, int write)
{
	return CONN_OPS(c)->begin(c, write);
}

enum err
db_commit(struct dbconn *c)
{
	return CONN_OPS(c)->commit(c);
}

void
db_rollback(struct dbconn *c)
{
	CONN_OPS(c)->rollback(c);
}

int
db_in_tx(const struct dbconn *c)
{
	return CONN_OPS(c)->in_tx(c);
}

enum err
db_exec(struct dbconn *c, const char *sql)
{
	return CONN_OPS(c)->exec(c, sql);
}

enum err
db_prepare(struct dbconn *c, const char *sql, struct dbstmt **out)
{
	return CONN_OPS(c)->prepare(c, sql, out);
}

void
db_bind_i64(struct dbstmt *st, int i, int64_t v)
{
	STMT_OPS(st)->bind_i64(st, i, v);
}

void
db_bind_text(struct dbstmt *st, int i, const char *s)
{
	STMT_OPS(st)->bind_text(st, i, s);
}

void
db_bind_null(struct dbstmt *st, int i)
{
	STMT_OPS(st)->bind_null(st, i);
}

enum err
db_step(struct dbstmt *st, int *row)
{
	return STMT_OPS(st)->step(st, row);
}

void
db_reset(struct dbstmt *st)
{
	STMT_OPS(st)->reset(st);
}

int64_t
db_col_i64(struct dbstmt *st, int i)
{
	return STMT_OPS(st)->col_i64(st, i);
}

const char *
db_col_text(struct dbstmt *st, int i)
{
	return STMT_OPS(st)->col_text(st, i);
}

int
db_col_null(struct dbstmt *st, int i)
{
	return STMT_OPS(st)->col_null(st, i);
}

int
db_col_count(struct dbstmt *st)
{
	return STMT_OPS(st)->col_count(st);
}

const char *
db_col_name(struct dbstmt *st, int i)
{
	return STMT_OPS(st)->col_name(st, i);
}

enum db_type
db_col_type(struct dbstmt *st, int i)
{
	return STMT_OPS(st)->col_type(st, i);
}

enum err
db_backup(struct dbconn *c, const char *path, struct errinfo *ei)
{
	return CONN_OPS(c)->backup(c, path, ei);
}

enum err
db_run(struct dbstmt *st, int64_t *id)
{
	enum err rc;
	int row = 0;

	if ((rc = db_step(st, &row)))
		return rc;
	if (row && id)
		*id = db_col_i64(st, 0);
	while (row)
		if ((rc = db_step(st, &row)))
			return rc;
	return ERR_OK;
}

const char *
db_errmsg(struct dbconn *c)
{
	return CONN_OPS(c)->errmsg(c);
}

struct db *
db_of(struct dbconn *c)
{
	return CONN_OPS(c)->db_of(c);
}
