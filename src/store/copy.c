#include "store/copy.h"

#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/sb.h"
#include "store/db.h"
#include "store/migrate.h"

#define COPY_TABLES_MAX 128
/* Parameters per INSERT (rows of a batch times columns): well under SQLite's
 * 32766 and PostgreSQL's 65535, and a few hundred rows per round trip. */
#define COPY_PARAMS_MAX 4000

struct cell {
	enum db_type type;
	int64_t i;
	const char *s; /* in the batch's arena */
};

/* Rows read from the source and not yet written to the target. */
struct batch {
	struct dbconn *to;
	const char *table;
	char **cols; /* in arena */
	int ncols, rows, max_rows, has_id;
	struct cell *cells; /* max_rows * ncols */
	struct arena arena; /* column names, for the whole table */
	struct arena text;  /* text values, per batch */
};

/* Appends "name" quoted as an identifier (the names come from our schema). */
static void
quoted(struct sb *sb, const char *name)
{
	sb_putc(sb, '"');
	sb_puts(sb, name);
	sb_putc(sb, '"');
}

static enum err
flush(struct batch *b)
{
	struct dbstmt *st;
	struct sb sql;
	enum err rc;
	int k = 1;

	sb_init(&sql, 0);
	sb_puts(&sql, "INSERT INTO ");
	quoted(&sql, b->table);
	sb_puts(&sql, " (");
	for (int i = 0; i < b->ncols; i++) {
		if (i)
			sb_puts(&sql, ", ");
		quoted(&sql, b->cols[i]);
	}
	sb_puts(&sql, ") VALUES ");
	for (int r = 0; r < b->rows; r++) {
		sb_puts(&sql, r ? ", (" : "(");
		for (int i = 0; i < b->ncols; i++)
			sb_puts(&sql, i ? ", ?" : "?");
		sb_putc(&sql, ')');
	}
	if ((rc = sb_err(&sql)) || (rc = db_prepare(b->to, sb_str(&sql), &st))) {
		sb_release(&sql);
		return rc;
	}
	sb_release(&sql);
	for (int r = 0; r < b->rows; r++)
		for (int i = 0; i < b->ncols; i++, k++) {
			const struct cell *c = &b->cells[r * b->ncols + i];
			switch (c->type) {
			case DB_TINT: db_bind_i64(st, k, c->i); break;
			case DB_TTEXT: db_bind_text(st, k, c->s); break;
			default: db_bind_null(st, k); break;
			}
		}
	rc = db_run(st, NULL);
	arena_release(&b->text);
	b->rows = 0;
	return rc;
}

/* Learns the columns from the first row of st. */
static enum err
batch_start(struct batch *b, struct dbstmt *st)
{
	b->ncols = db_col_count(st);
	if (b->ncols < 1)
		return ERR_DB;
	b->max_rows = COPY_PARAMS_MAX / b->ncols > 0 ? COPY_PARAMS_MAX / b->ncols : 1;
	if (!(b->cols = arena_alloc(&b->arena, sizeof *b->cols * (size_t)b->ncols)) ||
	    !(b->cells = calloc((size_t)b->max_rows * (size_t)b->ncols, sizeof *b->cells)))
		return ERR_NOMEM;
	for (int i = 0; i < b->ncols; i++) {
		const char *name = db_col_name(st, i);
		if (!name || strchr(name, '"'))
			return ERR_DB;
		if (!(b->cols[i] = arena_strdup(&b->arena, name)))
			return ERR_NOMEM;
		b->has_id |= !strcmp(name, "id");
	}
	return ERR_OK;
}

/* Copies one table; *failed gets the connection of a failure. */
static enum err
copy_table(struct dbconn *from, struct dbconn *to, const char *table, int64_t *rows,
           struct dbconn **failed)
{
	struct batch b = { .to = to, .table = table };
	struct dbstmt *st;
	struct sb sql;
	enum err rc;
	int row;

	*rows = 0;
	*failed = from;
	sb_init(&sql, 0);
	sb_puts(&sql, "SELECT * FROM ");
	quoted(&sql, table);
	if ((rc = sb_err(&sql)) || (rc = db_prepare(from, sb_str(&sql), &st))) {
		sb_release(&sql);
		return rc;
	}
	sb_release(&sql);
	while (!(rc = db_step(st, &row)) && row) {
		if (!b.ncols && (rc = batch_start(&b, st)))
			break;
		for (int i = 0; i < b.ncols; i++) {
			struct cell *c = &b.cells[b.rows * b.ncols + i];
			c->type = db_col_type(st, i);
			if (c->type == DB_TINT)
				c->i = db_col_i64(st, i);
			else if (c->type == DB_TTEXT &&
			         !(c->s = arena_strdup(&b.text, db_col_text(st, i)))) {
				rc = ERR_NOMEM;
				break;
			}
		}
		if (rc)
			break;
		b.rows++;
		(*rows)++;
		if (b.rows == b.max_rows && (rc = flush(&b))) {
			*failed = to;
			break;
		}
	}
	if (!rc && b.rows && (rc = flush(&b)))
		*failed = to;
	if (rc)
		db_reset(st);
	/* the identity column continues after the copied ids */
	if (!rc && *rows && b.has_id && db_engine(db_of(to)) == DB_POSTGRES) {
		*failed = to;
		sb_init(&sql, 0);
		sb_puts(&sql, "SELECT setval(pg_get_serial_sequence(?, 'id'), MAX(id)) FROM ");
		quoted(&sql, table);
		sb_puts(&sql, " HAVING MAX(id) IS NOT NULL");
		if (!(rc = sb_err(&sql)) && !(rc = db_prepare(to, sb_str(&sql), &st))) {
			sb_reset(&sql);
			quoted(&sql, table);
			db_bind_text(st, 1, sb_str(&sql));
			rc = sb_err(&sql) ? sb_err(&sql) : db_run(st, NULL);
		}
		sb_release(&sql);
	}
	free(b.cells);
	arena_release(&b.text);
	arena_release(&b.arena);
	return rc;
}

/* ERR_CONFLICT when table has a row. */
static enum err
check_empty(struct dbconn *to, const char *table)
{
	struct dbstmt *st;
	struct sb sql;
	enum err rc;
	int row = 0;

	sb_init(&sql, 0);
	sb_puts(&sql, "SELECT 1 FROM ");
	quoted(&sql, table);
	sb_puts(&sql, " LIMIT 1");
	if (!(rc = sb_err(&sql)) && !(rc = db_prepare(to, sb_str(&sql), &st)) &&
	    !(rc = db_step(st, &row)) && row) {
		db_reset(st);
		rc = ERR_CONFLICT;
	}
	sb_release(&sql);
	return rc;
}

enum err
store_copy(struct dbconn *from, struct dbconn *to,
           void (*done)(void *arg, const char *table, int64_t rows), void *arg, struct errinfo *ei)
{
	char tables[COPY_TABLES_MAX][MIGRATE_NAME_MAX];
	size_t n = migrate_tables(tables, COPY_TABLES_MAX);
	struct dbconn *failed;
	int64_t rows;
	enum err rc;

	if ((rc = db_begin(to, 1)))
		return err_set(ei, rc, NULL, "cannot write to the target: %s", db_errmsg(to));
	if ((rc = db_begin(from, 0))) {
		db_rollback(to);
		return err_set(ei, rc, NULL, "cannot read the source: %s", db_errmsg(from));
	}
	for (size_t i = 0; i < n; i++)
		if ((rc = check_empty(to, tables[i]))) {
			if (rc == ERR_CONFLICT)
				err_set(ei, rc, NULL,
				        "the target already holds data (table %s): copy needs a "
				        "new,"
				        " empty database",
				        tables[i]);
			else
				err_set(ei, rc, NULL, "cannot read the target: %s", db_errmsg(to));
			goto fail;
		}
	for (size_t i = 0; i < n; i++) {
		if ((rc = copy_table(from, to, tables[i], &rows, &failed))) {
			err_set(ei, rc, NULL, "copying %s: %s", tables[i],
			        rc == ERR_NOMEM ? "out of memory" : db_errmsg(failed));
			goto fail;
		}
		if (done)
			done(arg, tables[i], rows);
	}
	db_rollback(from); /* it only read */
	if ((rc = db_commit(to)))
		return err_set(ei, rc, NULL, "cannot commit the copy: %s", db_errmsg(to));
	return ERR_OK;
fail:
	db_rollback(from);
	db_rollback(to);
	return rc;
}
