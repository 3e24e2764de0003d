/* The one storage interface. A backend per engine implements struct
 * db_engine_ops: sqlite.c (a file) and postgres.c (libpq). SQL is written
 * once in a common dialect: `?` placeholders (numbered $1..$n for PostgreSQL
 * by the backend), BIGINT columns, integers 0/1 for booleans, RETURNING for
 * ids. Migration text may use {{pk}} for an auto-numbered primary key.
 *
 * A struct db is the process-wide handle; a struct dbconn is one connection,
 * used by one thread at a time; statements are prepared once per connection
 * and cached by their text.
 *
 * Both engines give the same transaction semantics: one writer at a time
 * (SQLite's BEGIN IMMEDIATE; on PostgreSQL a transaction-scoped advisory
 * lock), and a read transaction sees one snapshot. A statement that fails
 * inside a transaction fails the whole transaction on PostgreSQL: callers
 * roll back after a database error (db_commit refuses to commit it). */
#ifndef TANDEM_DB_H
#define TANDEM_DB_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

struct db;
struct dbconn;
struct dbstmt;

enum db_engine { DB_SQLITE, DB_POSTGRES };
/* What a column of the current row holds (db_col_type). */
enum db_type { DB_TNULL, DB_TINT, DB_TTEXT };

/* Chooses the engine from url (a file path, or postgres:// / postgresql://,
 * a libpq connection URI). Opens nothing yet. ERR_INVALID with a message in
 * ei for a bad URL. */
enum err db_open(const char *url, struct db **out, struct errinfo *ei);
void db_free(struct db *db);
enum db_engine db_engine(const struct db *db);
/* The URL for messages and logs: a password in it is masked. */
const char *db_url(const struct db *db);
/* The engine named by url, without opening anything. */
enum db_engine db_engine_of(const char *url);

/* Opens a connection: ERR_UNAVAILABLE with a message when the database
 * cannot be reached or opened. A PostgreSQL connection that breaks (the
 * server restarted) answers ERR_UNAVAILABLE once and reconnects on its next
 * use. */
enum err db_connect(struct db *db, struct dbconn **out, struct errinfo *ei);
void db_disconnect(struct dbconn *c);
/* ERR_OK when the connection still answers. */
enum err db_ping(struct dbconn *c);

/* Transactions: write=1 takes the database's single write lock at once
 * (BEGIN IMMEDIATE; PostgreSQL: BEGIN and pg_advisory_xact_lock), write=0
 * reads one snapshot (PostgreSQL: REPEATABLE READ READ ONLY). Waiting for
 * the lock longer than 5 s answers ERR_UNAVAILABLE. */
enum err db_begin(struct dbconn *c, int write);
enum err db_commit(struct dbconn *c);
void db_rollback(struct dbconn *c);
int db_in_tx(const struct dbconn *c);

/* Runs one or more statements without parameters (migrations). */
enum err db_exec(struct dbconn *c, const char *sql);

/* Returns the cached statement for sql, reset and with no bindings. The
 * statement belongs to the connection; it stays valid until the next
 * db_prepare of the same text. ERR_DB on a bad statement. */
enum err db_prepare(struct dbconn *c, const char *sql, struct dbstmt **out);
/* Parameters are numbered from 1; text is copied when needed. */
void db_bind_i64(struct dbstmt *st, int i, int64_t v);
void db_bind_text(struct dbstmt *st, int i, const char *s); /* NULL binds null */
void db_bind_null(struct dbstmt *st, int i);
/* Advances: *row is 1 when a row is ready, 0 when done. ERR_CONFLICT for a
 * unique or foreign-key violation, ERR_UNAVAILABLE when the database is busy or
 * gone, ERR_DB otherwise. */
enum err db_step(struct dbstmt *st, int *row);
/* Columns are numbered from 0. Text is valid until the next step. */
int64_t db_col_i64(struct dbstmt *st, int i);
const char *db_col_text(struct dbstmt *st, int i); /* NULL for null */
int db_col_null(struct dbstmt *st, int i);
/* The shape of a result, for copying tables whose columns the caller does
 * not know: the number of columns, a column's name (valid while the
 * statement is), and what column i of the current row holds. */
int db_col_count(struct dbstmt *st);
const char *db_col_name(struct dbstmt *st, int i);
enum db_type db_col_type(struct dbstmt *st, int i);
/* Ends a statement early (releasing what it holds) before its last row. */
void db_reset(struct dbstmt *st);
/* Runs a statement expected to return no rows, or one row whose first
 * column is an integer (RETURNING id): *id gets it when id is not NULL. */
enum err db_run(struct dbstmt *st, int64_t *id);

/* Copies the live database into a new file at path, consistent while other
 * connections write (SQLite's online backup). ERR_INVALID on PostgreSQL
 * (use pg_dump), ERR_UNAVAILABLE when path cannot be written. */
enum err db_backup(struct dbconn *c, const char *path, struct errinfo *ei);

/* The engine's last error message, for logs. */
const char *db_errmsg(struct dbconn *c);
struct db *db_of(struct dbconn *c);

#endif
