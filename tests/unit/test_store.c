/* Unit tests of the storage interface (store/db.h), the same on SQLite and on
 * PostgreSQL (TANDEM_TEST_PG): placeholders, typed nulls, constraint errors,
 * one snapshot per read transaction, the shape of results, the table order of
 * the migrations, and `tandem copy`'s store_copy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "store/copy.h"
#include "testdb.h"

/* The single integer of a one-row query run on c. */
static int64_t
one_i64(struct dbconn *c, const char *sql)
{
	struct dbstmt *st;
	int64_t v;
	int row = 0;

	assert_int_equal(db_prepare(c, sql, &st), ERR_OK);
	assert_int_equal(db_step(st, &row), ERR_OK);
	assert_int_equal(row, 1);
	v = db_col_i64(st, 0);
	assert_int_equal(db_step(st, &row), ERR_OK);
	assert_int_equal(row, 0);
	return v;
}

static void
test_placeholders_and_types(void **state)
{
	struct testdb t;
	struct dbstmt *st;
	int row = 0;

	(void)state;
	assert_int_equal(testdb_open(&t), 0);
	/* a ? inside a literal is text, the others are parameters in order */
	assert_int_equal(db_prepare(t.conn,
	                            "SELECT '?''s', ?, ? IS NULL, ?, CAST(? AS BIGINT) + 1"
	                            " /* ? */",
	                            &st),
	                 ERR_OK);
	db_bind_text(st, 1, "a \"quoted\" value");
	db_bind_text(st, 2, NULL); /* a typed null: `? IS NULL` compiles on PostgreSQL */
	db_bind_i64(st, 3, INT64_C(-9007199254740993));
	db_bind_i64(st, 4, 41);
	db_bind_i64(st, 9, 1); /* out of range: ignored */
	assert_int_equal(db_step(st, &row), ERR_OK);
	assert_int_equal(row, 1);
	assert_string_equal(db_col_text(st, 0), "?'s");
	assert_string_equal(db_col_text(st, 1), "a \"quoted\" value");
	assert_int_equal(db_col_i64(st, 2), 1);
	assert_true(db_col_i64(st, 3) == INT64_C(-9007199254740993));
	assert_int_equal(db_col_i64(st, 4), 42);
	assert_int_equal(db_col_count(st), 5);
	assert_int_equal(db_col_type(st, 1), DB_TTEXT);
	assert_int_equal(db_col_type(st, 3), DB_TINT);
	assert_int_equal(db_step(st, &row), ERR_OK);
	assert_int_equal(row, 0);
	/* the same text again: reset, no bindings (null) */
	assert_int_equal(db_prepare(t.conn,
	                            "SELECT '?''s', ?, ? IS NULL, ?, CAST(? AS BIGINT) + 1"
	                            " /* ? */",
	                            &st),
	                 ERR_OK);
	db_bind_text(st, 2, "x");
	db_bind_i64(st, 4, 1);
	assert_int_equal(db_step(st, &row), ERR_OK);
	assert_int_equal(row, 1);
	assert_null(db_col_text(st, 1));
	assert_true(db_col_null(st, 1));
	assert_int_equal(db_col_type(st, 1), DB_TNULL);
	assert_int_equal(db_col_i64(st, 2), 0);
	db_reset(st);
	testdb_close(&t);
}

static void
test_constraint_is_conflict(void **state)
{
	struct testdb t;
	struct dbstmt *st;
	static const char *const insert =
	        "INSERT INTO settings(grp, value, updated_at) VALUES (?, ?, ?)";
	int64_t n;

	(void)state;
	assert_int_equal(testdb_open(&t), 0);
	assert_int_equal(db_prepare(t.conn, insert, &st), ERR_OK);
	db_bind_text(st, 1, "unit");
	db_bind_text(st, 2, "{}");
	db_bind_i64(st, 3, 1);
	assert_int_equal(db_run(st, NULL), ERR_OK);
	assert_int_equal(db_commit(t.conn), ERR_OK);
	/* a unique violation, then the transaction is rolled back */
	assert_int_equal(db_begin(t.conn, 1), ERR_OK);
	assert_int_equal(db_prepare(t.conn, insert, &st), ERR_OK);
	db_bind_text(st, 1, "unit");
	db_bind_text(st, 2, "{}");
	db_bind_i64(st, 3, 2);
	assert_int_equal(db_run(st, NULL), ERR_CONFLICT);
	db_rollback(t.conn);
	/* a foreign key that points nowhere */
	assert_int_equal(db_begin(t.conn, 1), ERR_OK);
	assert_int_equal(db_prepare(t.conn,
	                            "INSERT INTO agreements(partner_id, type, start_date, end_date,"
	                            " term_months, auto_renew, notice_days, exclusive, created_at,"
	                            " updated_at) VALUES (?, 'oem', 0, 0, 12, 0, 0, 0, 0, 0)",
	                            &st),
	                 ERR_OK);
	db_bind_i64(st, 1, 987654);
	assert_int_equal(db_run(st, NULL), ERR_CONFLICT);
	db_rollback(t.conn);
	/* the connection is usable after both */
	assert_int_equal(db_begin(t.conn, 0), ERR_OK);
	n = one_i64(t.conn, "SELECT COUNT(*) FROM settings WHERE grp = 'unit'");
	assert_int_equal(n, 1);
	assert_int_equal(db_commit(t.conn), ERR_OK);
	testdb_close(&t);
}

/* A read transaction sees one snapshot while another connection writes; a
 * write transaction sees what was committed before it began. */
static void
test_read_snapshot(void **state)
{
	struct testdb t;
	struct dbconn *other;
	struct dbstmt *st;
	static const char *const count = "SELECT COUNT(*) FROM login_failures";

	(void)state;
	assert_int_equal(testdb_open(&t), 0);
	assert_int_equal(db_commit(t.conn), ERR_OK);
	assert_int_equal(db_connect(t.db, &other, &t.ei), ERR_OK);
	assert_int_equal(db_begin(t.conn, 0), ERR_OK);
	assert_int_equal(one_i64(t.conn, count), 0);
	assert_int_equal(db_begin(other, 1), ERR_OK);
	assert_int_equal(
	        db_prepare(other, "INSERT INTO login_failures(email_key, at) VALUES (?, ?)", &st),
	        ERR_OK);
	db_bind_text(st, 1, "x@example.com");
	db_bind_i64(st, 2, 1);
	assert_int_equal(db_run(st, NULL), ERR_OK);
	assert_int_equal(db_commit(other), ERR_OK);
	assert_int_equal(one_i64(t.conn, count), 0); /* still the first snapshot */
	assert_int_equal(db_commit(t.conn), ERR_OK);
	assert_int_equal(db_begin(t.conn, 1), ERR_OK);
	assert_int_equal(one_i64(t.conn, count), 1);
	assert_int_equal(db_commit(t.conn), ERR_OK);
	db_disconnect(other);
	testdb_close(&t);
}

static void
test_migration_tables_in_order(void **state)
{
	char names[64][MIGRATE_NAME_MAX];
	size_t n = migrate_tables(names, 64);
	int partners = -1, users = -1, tokens = -1;

	(void)state;
	assert_true(n >= 10);
	for (size_t i = 0; i < n; i++) {
		assert_string_not_equal(names[i], "schema_version");
		if (!strcmp(names[i], "partners"))
			partners = (int)i;
		else if (!strcmp(names[i], "users"))
			users = (int)i;
		else if (!strcmp(names[i], "tokens"))
			tokens = (int)i;
	}
	assert_true(partners >= 0 && partners < users && users < tokens);
}

static void
add_partner(struct dbconn *c, const char *name)
{
	struct dbstmt *st;

	assert_int_equal(db_prepare(c,
	                            "INSERT INTO partners(name, name_key, type, status, tier,"
	                            " created_at, updated_at) VALUES (?, ?, 'oem', 'active',"
	                            " 'registered', 0, 0) RETURNING id",
	                            &st),
	                 ERR_OK);
	db_bind_text(st, 1, name);
	db_bind_text(st, 2, name);
	assert_int_equal(db_run(st, NULL), ERR_OK);
}

/* store_copy into a database of the same engine: rows and ids kept, new ids
 * after the copied ones, and a second copy refused. */
static void
test_copy(void **state)
{
	struct testdb a, b;

	(void)state;
	assert_int_equal(testdb_open(&a), 0);
	for (int i = 0; i < 700; i++) /* more than one batch */
		add_partner(a.conn, i % 2 ? "Odd \"quoted\" name" : "Even name");
	assert_int_equal(db_commit(a.conn), ERR_OK);
	assert_int_equal(db_begin(a.conn, 1), ERR_OK);
	assert_int_equal(db_exec(a.conn, "DELETE FROM partners WHERE id = 3"), ERR_OK);
	assert_int_equal(db_commit(a.conn), ERR_OK);
	assert_int_equal(testdb_open(&b), 0);
	assert_int_equal(db_commit(b.conn), ERR_OK);
	assert_int_equal(store_copy(a.conn, b.conn, NULL, NULL, &b.ei), ERR_OK);
	assert_int_equal(db_begin(b.conn, 1), ERR_OK);
	assert_int_equal(one_i64(b.conn, "SELECT COUNT(*) FROM partners"), 699);
	assert_int_equal(one_i64(b.conn, "SELECT MAX(id) FROM partners"), 700);
	assert_int_equal(one_i64(b.conn, "SELECT COUNT(*) FROM partners WHERE id = 3"), 0);
	assert_int_equal(
	        one_i64(b.conn, "SELECT COUNT(*) FROM partners WHERE name = 'Odd \"quoted\" name'"),
	        350);
	add_partner(b.conn, "After the copy");
	assert_int_equal(one_i64(b.conn, "SELECT id FROM partners WHERE name = 'After the copy'"),
	                 701);
	assert_int_equal(db_commit(b.conn), ERR_OK);
	assert_int_equal(store_copy(a.conn, b.conn, NULL, NULL, &b.ei), ERR_CONFLICT);
	assert_non_null(strstr(b.ei.msg, "empty"));
	testdb_close(&b);
	testdb_close(&a);
}

static void
test_url_password_masked(void **state)
{
	struct db *db;
	struct errinfo ei = { 0 };

	(void)state;
	assert_int_equal(db_open("postgresql://tandem:s3cret@db.example:5432/prm?sslmode=require"
	                         "&password=other",
	                         &db, &ei),
	                 ERR_OK);
	assert_int_equal(db_engine(db), DB_POSTGRES);
	assert_string_equal(db_url(db),
	                    "postgresql://tandem:***@db.example:5432/prm?sslmode=require"
	                    "&password=***");
	db_free(db);
	assert_int_equal(db_open("/var/lib/tandem/prm.db", &db, &ei), ERR_OK);
	assert_int_equal(db_engine(db), DB_SQLITE);
	assert_string_equal(db_url(db), "/var/lib/tandem/prm.db");
	db_free(db);
	assert_int_equal(db_engine_of("postgres://h/d"), DB_POSTGRES);
	assert_int_equal(db_engine_of("postgresql.db"), DB_SQLITE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeholders_and_types),
		cmocka_unit_test(test_constraint_is_conflict),
		cmocka_unit_test(test_read_snapshot),
		cmocka_unit_test(test_migration_tables_in_order),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_url_password_masked),
	};

	return cmocka_run_group_tests_name(testdb_pg() ? "store (postgresql)" : "store (sqlite)",
	                                   tests, NULL, NULL);
}
