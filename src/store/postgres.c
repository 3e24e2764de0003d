/* The PostgreSQL backend (libpq). One connection per thread; the SQL of the
 * store, written with `?`, is numbered $1..$n here; statements are prepared
 * on the server once per connection and per signature of parameter types and
 * cached like sqlite.c's; a result arrives whole and db_step walks it.
 *
 * Transactions have SQLite's semantics: a write transaction takes one
 * advisory lock of the database at BEGIN (so writers queue as behind SQLite's
 * BEGIN IMMEDIATE, and a read-modify-write such as an approval cannot lose
 * an update), a read transaction is one REPEATABLE READ READ ONLY snapshot.
 * Because writers never overlap, ids are handed out in commit order, which
 * the change sequence (`changes`, polled by other processes) relies on.
 *
 * Round trips are what a request costs here, so BEGIN (and the lock) travel
 * with the transaction's first statement in one pipeline, and a read-only
 * transaction's COMMIT (like any ROLLBACK) is sent without waiting for its
 * answer, which is collected before the connection's next command: a
 * two-query read costs two round trips, not four.
 *
 * A broken connection (the server restarted) answers ERR_UNAVAILABLE and is
 * reset on its next use; a transaction whose BEGIN meets a broken connection
 * resets it and tries once more, since nothing has happened in it yet. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sb.h"
#include "store/db_impl.h"

#define STMT_BUCKETS 256     /* hash buckets of the per-connection statement cache */
#define CONNECT_TIMEOUT "10" /* seconds; a connect_timeout in the URL wins */
#define I64_TEXT 24          /* an int64 in decimal with its sign and NUL */
/* Run on every new or reset connection: the lock wait of SQLite's
 * busy_timeout, string literals as the store writes them ('\' is one
 * backslash), and no NOTICEs ("already exists, skipping") on stderr. */
#define SESSION_SETUP                                                                              \
	"SET lock_timeout = '5s'; SET standard_conforming_strings = on;"                           \
	" SET client_min_messages = warning"
/* The key of the write lock, "Tandem" in ASCII. Advisory locks belong to one
 * database: programs in other databases of the cluster do not wait. */
#define WRITE_LOCK_KEY "92777440634221"
#define WRITE_LOCK "SELECT pg_advisory_xact_lock(" WRITE_LOCK_KEY ")"
#define BEGIN_WRITE "BEGIN"
#define BEGIN_READ "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"

/* Parameter types (pg_type OIDs); values always travel as text. */
#define OID_UNKNOWN 0 /* a null whose type the server infers from its use */
#define OID_BOOL 16
#define OID_INT8 20
#define OID_INT2 21
#define OID_INT4 23
#define OID_TEXT 25

struct pg_param {
	Oid type;
	char *text; /* NULL for null, else buf */
	char *buf;
	size_t cap;
};

/* One statement on the server: the text with one signature of parameter
 * types (db_bind_null leaves a type to the server, so `x = ?` prepares once
 * for an integer and once for a null). */
struct pg_prepared {
	struct pg_prepared *next;
	int ready;      /* prepared on the server ... */
	unsigned epoch; /* ... in this epoch of the connection */
	char name[16];
	Oid types[]; /* nparams */
};

struct dbstmt {
	struct dbstmt_head head;
	struct pg_conn *conn;
	char *sql;  /* as the store wrote it: the cache key */
	char *text; /* with $1..$n */
	uint64_t hash;
	int nparams;
	enum err bind_err; /* out of memory while binding */
	struct pg_param *params;
	const char **values; /* nparams, filled for each execution */
	Oid *types;
	struct pg_prepared *prepared;
	PGresult *res; /* the rows of the current execution, NULL when idle */
	int cursor, nrows;
	struct dbstmt *next; /* in its bucket */
};

struct pg_conn {
	struct dbconn_head head;
	struct db *db;
	PGconn *pg;
	int tx;          /* in a transaction (its BEGIN may not be sent yet) */
	int tx_write;    /* it holds, or will hold, the write lock */
	int begun;       /* its BEGIN went out */
	int unread;      /* commands sent without waiting whose answers are still to read */
	enum err tx_err; /* the first failure inside the transaction */
	unsigned epoch;  /* +1 on each reset: statements are prepared again */
	unsigned names;  /* the next server-side statement name */
	char err[512];
	/* Never evicted, as in sqlite.c: the SQL texts are a finite set, and an
	 * eviction could free a statement a caller is still stepping. */
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

/* Keeps msg (one line, no trailing newline) as the connection's last error. */
static void
note(struct pg_conn *pc, const char *msg)
{
	size_t n;

	snprintf(pc->err, sizeof pc->err, "%s", msg && *msg ? msg : "unknown error");
	n = strlen(pc->err);
	while (n && (pc->err[n - 1] == '\n' || pc->err[n - 1] == ' '))
		pc->err[--n] = '\0';
	for (char *p = pc->err; *p; p++)
		if (*p == '\n')
			*p = ' ';
}

/* Maps a failed result (or none) to an enum err and records it; inside a
 * transaction the first failure is kept: the server has aborted the
 * transaction and only a rollback ends it. */
static enum err
failure(struct pg_conn *pc, const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *msg = res ? PQresultErrorMessage(res) : NULL;
	enum err rc;

	note(pc, msg && *msg ? msg : PQerrorMessage(pc->pg));
	if (PQstatus(pc->pg) != CONNECTION_OK)
		rc = ERR_UNAVAILABLE;
	else if (!state)
		rc = res ? ERR_DB : ERR_NOMEM;
	else if (!strncmp(state, "23", 2)) /* integrity constraint violation */
		rc = ERR_CONFLICT;
	else if (!strcmp(state, "40001") || !strcmp(state, "40P01") || /* serialization, deadlock */
	         !strncmp(state, "08", 2) ||                           /* connection exception */
	         !strncmp(state, "53", 2) || /* insufficient resources: too many connections */
	         !strncmp(state, "57", 2) || /* shutting down, cancelled, cannot connect now */
	         !strcmp(state, "55P03"))    /* lock_timeout */
		rc = ERR_UNAVAILABLE;
	else if (!strcmp(state, "25P02") && pc->tx_err) /* "current transaction is aborted" */
		rc = pc->tx_err;
	else
		rc = ERR_DB;
	if (pc->tx && !pc->tx_err)
		pc->tx_err = rc;
	return rc;
}

static void
ignore_notice(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

static void
session_setup(struct pg_conn *pc)
{
	PQclear(PQexec(pc->pg, SESSION_SETUP)); /* best effort: an engine may lack a setting */
}

/* A connection found broken is reset here, on its next use (outside a
 * transaction: a transaction in flight is lost with its connection). */
static enum err
revive(struct pg_conn *pc)
{
	if (PQstatus(pc->pg) == CONNECTION_OK)
		return ERR_OK;
	pc->unread = 0;
	PQreset(pc->pg);
	if (PQstatus(pc->pg) != CONNECTION_OK) {
		note(pc, PQerrorMessage(pc->pg));
		return ERR_UNAVAILABLE;
	}
	pc->epoch++;
	session_setup(pc);
	return ERR_OK;
}

/* Reads and drops the answers of commands sent without waiting (a read-only
 * COMMIT, a ROLLBACK): libpq takes no new command before. */
static void
drain(struct pg_conn *pc)
{
	PGresult *r;

	for (; pc->unread > 0; pc->unread--)
		while ((r = PQgetResult(pc->pg)))
			PQclear(r);
}

/* Sends sql without waiting for its answer. */
static void
send_only(struct pg_conn *pc, const char *sql)
{
	drain(pc);
	if (PQstatus(pc->pg) == CONNECTION_OK && PQsendQuery(pc->pg, sql))
		pc->unread++;
}

static void
result_clear(struct dbstmt *st)
{
	PQclear(st->res);
	st->res = NULL;
	st->cursor = st->nrows = 0;
}

static void
stmt_free(struct dbstmt *st)
{
	if (!st)
		return;
	result_clear(st);
	for (int i = 0; i < st->nparams; i++)
		free(st->params[i].buf);
	for (struct pg_prepared *p = st->prepared, *next; p; p = next) {
		next = p->next;
		free(p);
	}
	free(st->params);
	free(st->values);
	free(st->types);
	free(st->text);
	free(st->sql);
	free(st);
}

static void
pg_disconnect(struct dbconn *c)
{
	struct pg_conn *pc = (struct pg_conn *)c;

	for (int i = 0; i < STMT_BUCKETS; i++)
		for (struct dbstmt *s = pc->cache[i], *next; s; s = next) {
			next = s->next;
			stmt_free(s);
		}
	PQfinish(pc->pg); /* a transaction still open is rolled back by the server */
	free(pc);
}

static enum err
pg_connect(struct db *db, struct dbconn **out, struct errinfo *ei)
{
	/* The URL comes last so that what it says overrides these defaults. */
	static const char *const keys[] = { "connect_timeout", "application_name",
		                            "client_encoding", "dbname", NULL };
	const char *values[] = { CONNECT_TIMEOUT, "tandem", "UTF8", db->url, NULL };
	struct pg_conn *pc;

	*out = NULL;
	if (!(pc = calloc(1, sizeof *pc)))
		return ERR_NOMEM;
	pc->head.ops = &db_postgres_ops;
	pc->db = db;
	pc->pg = PQconnectdbParams(keys, values, 1);
	if (!pc->pg || PQstatus(pc->pg) != CONNECTION_OK) {
		note(pc, pc->pg ? PQerrorMessage(pc->pg) : "out of memory");
		err_set(ei, ERR_UNAVAILABLE, "db", "cannot connect to %s: %s", db_url(db), pc->err);
		PQfinish(pc->pg);
		free(pc);
		return ERR_UNAVAILABLE;
	}
	PQsetNoticeProcessor(pc->pg, ignore_notice, NULL);
	session_setup(pc);
	*out = (struct dbconn *)pc;
	return ERR_OK;
}

/* Runs sql (no parameters, possibly several statements) and maps the result. */
static enum err
simple(struct pg_conn *pc, const char *sql)
{
	PGresult *res;
	ExecStatusType s;
	enum err rc = ERR_OK;

	drain(pc);
	res = PQexec(pc->pg, sql);
	s = PQresultStatus(res);
	if (!res || (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK && s != PGRES_EMPTY_QUERY))
		rc = failure(pc, res);
	PQclear(res);
	return rc;
}

static enum err
pg_ping(struct dbconn *c)
{
	struct pg_conn *pc = (struct pg_conn *)c;
	enum err rc = ERR_UNAVAILABLE;

	if (pc->tx)
		return pc->tx_err;
	for (int attempt = 0; attempt < 2; attempt++) {
		if ((rc = revive(pc)))
			return rc;
		if (!(rc = simple(pc, "SELECT 1")) || PQstatus(pc->pg) == CONNECTION_OK)
			return rc;
	}
	return rc;
}

/* Nothing goes to the server yet: BEGIN travels with the first statement. */
static enum err
pg_begin(struct dbconn *c, int write)
{
	struct pg_conn *pc = (struct pg_conn *)c;
	enum err rc;

	if (pc->tx)
		return ERR_INTERNAL;
	if ((rc = revive(pc)))
		return rc;
	pc->tx = 1;
	pc->tx_write = write;
	pc->begun = 0;
	pc->tx_err = ERR_OK;
	return ERR_OK;
}

/* Sends the transaction's BEGIN on its own, for a command that cannot travel
 * in a pipeline with it (db_exec). */
static enum err
begin_now(struct pg_conn *pc)
{
	enum err rc = ERR_UNAVAILABLE;

	for (int attempt = 0; attempt < 2; attempt++) {
		rc = simple(pc, pc->tx_write ? BEGIN_WRITE "; " WRITE_LOCK : BEGIN_READ);
		if (PQtransactionStatus(pc->pg) != PQTRANS_IDLE)
			pc->begun = 1;
		if (!rc || PQstatus(pc->pg) == CONNECTION_OK)
			return rc;
		/* the connection broke before anything happened: reset, once more */
		pc->tx_err = ERR_OK;
		if ((rc = revive(pc)))
			break;
	}
	return pc->tx_err = rc;
}

static void
pg_rollback(struct dbconn *c)
{
	struct pg_conn *pc = (struct pg_conn *)c;

	if (!pc->tx)
		return;
	pc->tx = 0;
	pc->tx_err = ERR_OK;
	if (pc->begun)
		send_only(pc, "ROLLBACK");
	pc->begun = 0;
}

static enum err
pg_commit(struct dbconn *c)
{
	struct pg_conn *pc = (struct pg_conn *)c;
	PGresult *res;
	enum err rc;

	if (!pc->tx)
		return ERR_OK;
	if ((rc = pc->tx_err)) {
		/* A statement failed: the server has aborted the transaction. */
		pg_rollback(c);
		return rc;
	}
	pc->tx = 0;
	if (!pc->begun)
		return ERR_OK; /* it ran no statement */
	pc->begun = 0;
	if (!pc->tx_write) {
		/* what it read was read: the answer need not be waited for */
		send_only(pc, "COMMIT");
		return ERR_OK;
	}
	drain(pc);
	res = PQexec(pc->pg, "COMMIT");
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		rc = failure(pc, res);
	} else if (!strcmp(PQcmdStatus(res), "ROLLBACK")) {
		note(pc, "the transaction had failed and was rolled back");
		rc = ERR_DB;
	}
	PQclear(res);
	if (rc && PQtransactionStatus(pc->pg) != PQTRANS_IDLE)
		send_only(pc, "ROLLBACK");
	return rc;
}

static int
pg_in_tx(const struct dbconn *c)
{
	return ((const struct pg_conn *)c)->tx;
}

static enum err
pg_exec(struct dbconn *c, const char *sql)
{
	struct pg_conn *pc = (struct pg_conn *)c;
	enum err rc;

	if (pc->tx && pc->tx_err)
		return pc->tx_err;
	if (!pc->tx && (rc = revive(pc)))
		return rc;
	if (pc->tx && !pc->begun && (rc = begin_now(pc)))
		return rc;
	return simple(pc, sql);
}

/* The store's SQL with each `?` outside quotes and comments numbered $1..$n;
 * *n gets the count. NULL out of memory. */
static char *
number_placeholders(const char *sql, int *n)
{
	struct sb sb;
	char quote = 0;

	*n = 0;
	sb_init(&sb, 0);
	for (const char *p = sql; *p; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
			sb_putc(&sb, *p);
		} else if (*p == '\'' || *p == '"') {
			quote = *p;
			sb_putc(&sb, *p);
		} else if (p[0] == '-' && p[1] == '-') {
			size_t len = strcspn(p, "\n"); /* the newline is copied as usual */
			sb_append(&sb, p, len);
			p += len - 1;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			size_t len = end ? (size_t)(end + 2 - p) : strlen(p);
			sb_append(&sb, p, len);
			p += len - 1;
		} else if (*p == '?') {
			sb_printf(&sb, "$%d", ++*n);
		} else {
			sb_putc(&sb, *p);
		}
	}
	return sb_detach(&sb);
}

static void
bindings_clear(struct dbstmt *st)
{
	st->bind_err = ERR_OK;
	for (int i = 0; i < st->nparams; i++) {
		st->params[i].type = OID_UNKNOWN;
		st->params[i].text = NULL;
	}
}

static enum err
pg_prepare(struct dbconn *c, const char *sql, struct dbstmt **out)
{
	struct pg_conn *pc = (struct pg_conn *)c;
	uint64_t h = fnv1a(sql);
	unsigned slot = (unsigned)(h % STMT_BUCKETS);
	struct dbstmt *st;
	size_t n;

	*out = NULL;
	for (st = pc->cache[slot]; st; st = st->next)
		if (st->hash == h && !strcmp(st->sql, sql)) {
			result_clear(st);
			bindings_clear(st);
			*out = st;
			return ERR_OK;
		}
	if (!(st = calloc(1, sizeof *st)))
		return ERR_NOMEM;
	st->head.ops = &db_postgres_ops;
	st->conn = pc;
	st->hash = h;
	if (!(st->sql = strdup(sql)) || !(st->text = number_placeholders(sql, &st->nparams))) {
		stmt_free(st);
		return ERR_NOMEM;
	}
	n = st->nparams ? (size_t)st->nparams : 1;
	if (!(st->params = calloc(n, sizeof *st->params)) ||
	    !(st->values = calloc(n, sizeof *st->values)) ||
	    !(st->types = calloc(n, sizeof *st->types))) {
		stmt_free(st);
		return ERR_NOMEM;
	}
	st->next = pc->cache[slot];
	pc->cache[slot] = st;
	*out = st;
	return ERR_OK;
}

/* The parameter i (from 1) with room for len bytes, or NULL (out of range,
 * which is ignored as SQLite ignores it, or out of memory). */
static struct pg_param *
param(struct dbstmt *st, int i, size_t len)
{
	struct pg_param *p;

	if (i < 1 || i > st->nparams)
		return NULL;
	p = &st->params[i - 1];
	if (p->cap < len + 1) {
		size_t cap = len + 1 < I64_TEXT ? I64_TEXT : len + 1;
		char *buf = realloc(p->buf, cap);
		if (!buf) {
			st->bind_err = ERR_NOMEM;
			p->text = NULL;
			return NULL;
		}
		p->buf = buf;
		p->cap = cap;
	}
	return p;
}

static void
pg_bind_i64(struct dbstmt *st, int i, int64_t v)
{
	struct pg_param *p = param(st, i, I64_TEXT);

	if (!p)
		return;
	snprintf(p->buf, p->cap, "%lld", (long long)v);
	p->text = p->buf;
	p->type = OID_INT8;
}

static void
pg_bind_text(struct dbstmt *st, int i, const char *s)
{
	size_t len = s ? strlen(s) : 0;
	struct pg_param *p = param(st, i, len);

	if (!p)
		return;
	/* a typed null, so that `? IS NULL` knows what ? is */
	p->type = OID_TEXT;
	p->text = NULL;
	if (s) {
		memcpy(p->buf, s, len + 1);
		p->text = p->buf;
	}
}

static void
pg_bind_null(struct dbstmt *st, int i)
{
	struct pg_param *p = param(st, i, 0);

	if (!p)
		return;
	p->type = OID_UNKNOWN;
	p->text = NULL;
}

/* The server-side statement for the bound types (made, not yet prepared,
 * when there is none). NULL out of memory. */
static struct pg_prepared *
variant(struct dbstmt *st)
{
	size_t tsize = sizeof(Oid) * (size_t)st->nparams;
	struct pg_prepared *p;

	for (p = st->prepared; p; p = p->next)
		if (!tsize || !memcmp(p->types, st->types, tsize))
			return p;
	if (!(p = calloc(1, sizeof *p + tsize)))
		return NULL;
	if (tsize)
		memcpy(p->types, st->types, tsize);
	snprintf(p->name, sizeof p->name, "t%u", st->conn->names++);
	p->next = st->prepared;
	st->prepared = p;
	return p;
}

enum step_kind { K_BEGIN, K_LOCK, K_PREPARE, K_EXECUTE };

/* Sends what must precede the statement (the transaction's BEGIN and write
 * lock, the statement's preparation) and the statement itself in one
 * pipeline, one round trip; *res gets the statement's result. */
static enum err
pipeline(struct pg_conn *pc, struct dbstmt *st, struct pg_prepared *p, PGresult **res)
{
	PGconn *pg = pc->pg;
	enum step_kind kinds[4];
	enum err rc = ERR_OK;
	PGresult *r;
	int n = 0, sent;

	*res = NULL;
	drain(pc);
	if (!PQenterPipelineMode(pg))
		return failure(pc, NULL);
	sent = 1;
	if (pc->tx && !pc->begun) {
		sent &= PQsendQueryParams(pg, pc->tx_write ? BEGIN_WRITE : BEGIN_READ, 0, NULL,
		                          NULL, NULL, NULL, 0);
		kinds[n++] = K_BEGIN;
		if (pc->tx_write) {
			sent &= PQsendQueryParams(pg, WRITE_LOCK, 0, NULL, NULL, NULL, NULL, 0);
			kinds[n++] = K_LOCK;
		}
	}
	if (!p->ready || p->epoch != pc->epoch) {
		sent &= PQsendPrepare(pg, p->name, st->text, st->nparams, p->types);
		kinds[n++] = K_PREPARE;
	}
	sent &= PQsendQueryPrepared(pg, p->name, st->nparams, st->values, NULL, NULL, 0);
	kinds[n++] = K_EXECUTE;
	sent &= PQpipelineSync(pg);
	if (!sent) {
		/* nothing sensible can be read back: start the connection afresh */
		rc = failure(pc, NULL);
		PQreset(pg);
		pc->epoch++;
		pc->unread = 0;
		session_setup(pc);
		return rc ? rc : ERR_UNAVAILABLE;
	}
	for (int i = 0; i < n; i++) {
		ExecStatusType s;

		r = PQgetResult(pg);
		while (r && (s = PQresultStatus(r)) != PGRES_PIPELINE_SYNC) {
			PGresult *next = PQgetResult(pg); /* NULL ends this command's results */
			if (next) {
				PQclear(r);
				r = next;
				continue;
			}
			break;
		}
		if (!r) {
			if (!rc)
				rc = failure(pc, NULL);
			break;
		}
		s = PQresultStatus(r);
		if (s == PGRES_PIPELINE_SYNC) { /* the connection lost the rest */
			PQclear(r);
			r = NULL;
			if (!rc)
				rc = failure(pc, NULL);
			break;
		}
		if (s == PGRES_PIPELINE_ABORTED) { /* an earlier command failed */
			PQclear(r);
			continue;
		}
		if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
			if (kinds[i] != K_BEGIN)
				pc->begun = pc->tx; /* BEGIN ran: a rollback must end it */
			if (!rc)
				rc = failure(pc, r);
			PQclear(r);
			continue;
		}
		if (kinds[i] == K_BEGIN)
			pc->begun = 1;
		else if (kinds[i] == K_PREPARE)
			p->ready = 1, p->epoch = pc->epoch;
		if (kinds[i] == K_EXECUTE)
			*res = r;
		else
			PQclear(r);
	}
	/* the synchronisation point ends the pipeline */
	while (PQstatus(pg) == CONNECTION_OK && (r = PQgetResult(pg))) {
		ExecStatusType s = PQresultStatus(r);
		PQclear(r);
		if (s == PGRES_PIPELINE_SYNC)
			break;
	}
	if (!PQexitPipelineMode(pg) && PQstatus(pg) == CONNECTION_OK && !rc)
		rc = failure(pc, NULL);
	if (rc) {
		PQclear(*res);
		*res = NULL;
	}
	return rc;
}

static enum err
execute(struct dbstmt *st)
{
	struct pg_conn *pc = st->conn;
	struct pg_prepared *p;
	PGresult *res = NULL;
	ExecStatusType s;
	enum err rc;

	if (st->bind_err)
		return st->bind_err;
	if (pc->tx && pc->tx_err)
		return pc->tx_err;
	if (!pc->tx && (rc = revive(pc)))
		return rc;
	for (int i = 0; i < st->nparams; i++) {
		st->values[i] = st->params[i].text;
		st->types[i] = st->params[i].type;
	}
	if (!(p = variant(st)))
		return ERR_NOMEM;
	for (int attempt = 0;; attempt++) {
		if ((pc->tx && !pc->begun) || !p->ready || p->epoch != pc->epoch) {
			rc = pipeline(pc, st, p, &res);
		} else {
			drain(pc);
			res = PQexecPrepared(pc->pg, p->name, st->nparams, st->values, NULL, NULL,
			                     0);
			s = PQresultStatus(res);
			rc = s == PGRES_TUPLES_OK || s == PGRES_COMMAND_OK ? ERR_OK
			                                                   : failure(pc, res);
			if (rc) {
				PQclear(res);
				res = NULL;
			}
		}
		if (!rc)
			break;
		/* A transaction whose BEGIN met a broken connection has done
		 * nothing yet: reset the connection and try once more. */
		if (attempt || !pc->tx || pc->begun || PQstatus(pc->pg) == CONNECTION_OK)
			return rc;
		pc->tx_err = ERR_OK;
		if ((rc = revive(pc)))
			return pc->tx_err = rc;
	}
	st->res = res;
	st->nrows = PQntuples(res);
	st->cursor = -1;
	return ERR_OK;
}

/* The first step runs the statement and keeps its rows; the last one frees
 * them. A step after the end runs the statement again, as SQLite's does. */
static enum err
pg_step(struct dbstmt *st, int *row)
{
	enum err rc;

	*row = 0;
	if (!st->res && (rc = execute(st)))
		return rc;
	if (++st->cursor < st->nrows) {
		*row = 1;
		return ERR_OK;
	}
	result_clear(st);
	return ERR_OK;
}

static void
pg_reset(struct dbstmt *st)
{
	result_clear(st);
}

static int
has_value(struct dbstmt *st, int i)
{
	return st->res && st->cursor >= 0 && st->cursor < st->nrows && i >= 0 &&
	       i < PQnfields(st->res) && !PQgetisnull(st->res, st->cursor, i);
}

static int64_t
pg_col_i64(struct dbstmt *st, int i)
{
	const char *v;

	if (!has_value(st, i))
		return 0;
	v = PQgetvalue(st->res, st->cursor, i);
	if (PQftype(st->res, i) == OID_BOOL)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static const char *
pg_col_text(struct dbstmt *st, int i)
{
	return has_value(st, i) ? PQgetvalue(st->res, st->cursor, i) : NULL;
}

static int
pg_col_null(struct dbstmt *st, int i)
{
	return !has_value(st, i);
}

static int
pg_col_count(struct dbstmt *st)
{
	return st->res ? PQnfields(st->res) : 0;
}

static const char *
pg_col_name(struct dbstmt *st, int i)
{
	return st->res ? PQfname(st->res, i) : NULL;
}

static enum db_type
pg_col_type(struct dbstmt *st, int i)
{
	if (!has_value(st, i))
		return DB_TNULL;
	switch (PQftype(st->res, i)) {
	case OID_INT2:
	case OID_INT4:
	case OID_INT8: return DB_TINT;
	default: return DB_TTEXT;
	}
}

static enum err
pg_backup(struct dbconn *c, const char *path, struct errinfo *ei)
{
	(void)c;
	(void)path;
	return err_set(ei, ERR_INVALID, "db",
	               "tandem backup copies a SQLite database; for PostgreSQL use pg_dump");
}

static const char *
pg_errmsg(struct dbconn *c)
{
	struct pg_conn *pc = (struct pg_conn *)c;

	return pc->err[0] ? pc->err : "no error";
}

static struct db *
pg_db_of(struct dbconn *c)
{
	return ((struct pg_conn *)c)->db;
}

const struct db_engine_ops db_postgres_ops = {
	.connect = pg_connect,
	.disconnect = pg_disconnect,
	.ping = pg_ping,
	.begin = pg_begin,
	.commit = pg_commit,
	.rollback = pg_rollback,
	.in_tx = pg_in_tx,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.bind_i64 = pg_bind_i64,
	.bind_text = pg_bind_text,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.reset = pg_reset,
	.col_i64 = pg_col_i64,
	.col_text = pg_col_text,
	.col_null = pg_col_null,
	.col_count = pg_col_count,
	.col_name = pg_col_name,
	.col_type = pg_col_type,
	.backup = pg_backup,
	.errmsg = pg_errmsg,
	.db_of = pg_db_of,
};
