/* Unit tests for domain/ on a real SQLite database: agreement status and
 * defaults, settings validation, sign-in and its rate limit, the partner
 * scope of the store, roles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <jansson.h>
#include <string.h>

#include "domain/agreement.h"
#include "domain/auth.h"
#include "domain/partner.h"
#include "domain/role.h"
#include "domain/settings.h"
#include "domain/user.h"
#include "store/user.h"
#include "testdb.h"

static int64_t
day(const char *s)
{
	int64_t d = 0;

	assert_int_equal(date_parse(s, &d), 0);
	return d;
}

static void
test_agreement_status(void **state)
{
	static const struct {
		const char *start, *end, *today;
		int term, auto_renew, terminated;
		const char *want, *want_end;
	} cases[] = {
		{ "2026-01-01", "2027-01-01", "2026-06-01", 12, 1, 0, "active", "2027-01-01" },
		{ "2026-01-01", "2027-01-01", "2025-12-31", 12, 1, 0, "scheduled", "2027-01-01" },
		{ "2024-01-01", "2025-01-01", "2026-06-01", 12, 0, 0, "expired", "2025-01-01" },
		{ "2024-01-01", "2025-01-01", "2026-06-01", 12, 1, 0, "active", "2027-01-01" },
		{ "2024-01-01", "2025-01-01", "2025-01-01", 12, 0, 0, "active", "2025-01-01" },
		{ "2024-01-01", "2025-01-01", "2025-01-02", 12, 0, 0, "expired", "2025-01-01" },
		{ "2024-01-31", "2024-02-29", "2024-03-15", 1, 1, 0, "active", "2024-03-29" },
		{ "2026-01-01", "2027-01-01", "2026-06-01", 12, 1, 1, "terminated", "2027-01-01" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct agreement a = { .start_date = day(cases[i].start),
			               .end_date = day(cases[i].end),
			               .term_months = cases[i].term,
			               .auto_renew = cases[i].auto_renew,
			               .terminated_on =
			                       cases[i].terminated ? day(cases[i].today) : 0 };
		int64_t end;
		char buf[DATE_LEN];
		const char *got = agreement_status(&a, day(cases[i].today), &end);

		if (strcmp(got, cases[i].want))
			fail_msg("case %zu: %s, want %s", i, got, cases[i].want);
		date_format(end, buf);
		assert_string_equal(buf, cases[i].want_end);
	}
}

static void
test_agreement_defaults(void **state)
{
	static const struct {
		const char *type;
		int64_t discount, fee, split, services, window, commitment;
	} cases[] = {
		{ "reseller", 3500, BPS_NONE, BPS_NONE, BPS_NONE, 0, 0 },
		{ "oem", 5000, BPS_NONE, BPS_NONE, BPS_NONE, 0, 100000000 },
		{ "referral", BPS_NONE, 1250, BPS_NONE, BPS_NONE, 180, 0 },
		{ "affiliate", BPS_NONE, BPS_NONE, 3000, BPS_NONE, 0, 0 },
		{ "implementation", BPS_NONE, BPS_NONE, BPS_NONE, 2000, 0, 0 },
	};
	struct testdb t;

	(void)state;
	assert_int_equal(testdb_open(&t), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct partner_input pin = {
			.name = "Acme", .type = cases[i].type, .has_name = 1, .has_type = 1
		};
		struct agreement_input ain = { 0 };
		struct partner p;
		struct agreement a;

		assert_int_equal(partner_create(&t.ctx, &pin, &p), ERR_OK);
		assert_string_equal(p.status, "prospect");
		assert_string_equal(p.tier, "registered");
		assert_int_equal(agreement_create(&t.ctx, p.id, &ain, &a), ERR_OK);
		assert_string_equal(a.type, cases[i].type);
		assert_int_equal(a.discount_bps, cases[i].discount);
		assert_int_equal(a.fee_bps, cases[i].fee);
		assert_int_equal(a.split_bps, cases[i].split);
		assert_int_equal(a.services_discount_bps, cases[i].services);
		assert_int_equal(a.referral_window_days, cases[i].window);
		assert_int_equal(a.revenue_commitment.amount, cases[i].commitment);
		assert_int_equal(a.term_months, 12);
		assert_int_equal(a.notice_days, 90);
		assert_true(a.auto_renew);
		assert_false(a.exclusive);
		assert_int_equal(a.end_date, date_add_months(a.start_date, 12));
	}
	testdb_close(&t);
}

static void
test_settings_validation(void **state)
{
	static const char *agreements_ok =
	        "{\"types\":{\"reseller\":{\"discount_bps\":3000},\"oem\":{\"discount_bps\":5000},"
	        "\"referral\":{\"fee_bps\":1000,\"referral_window_days\":90},\"affiliate\":"
	        "{\"split_bps\":2500},\"implementation\":{\"services_discount_bps\":1500}},"
	        "\"oem_revenue_commitment\":{\"amount\":5,\"currency\":\"EUR\"},\"term_months\":24,"
	        "\"notice_days\":60}";
	static const struct {
		const char *group, *body;
		enum err want;
		const char *field;
	} cases[] = {
		{ "agreements", NULL, ERR_OK, NULL },
		{ "agreements", "{}", ERR_INVALID, "types" },
		{ "agreements", "{\"types\":{}}", ERR_INVALID, "types.reseller" },
		{ "tiers",
		  "{\"tiers\":[{\"name\":\"a\",\"threshold\":{\"amount\":0,\"currency\":"
		  "\"USD\"},\"uplift_bps\":0}]}",
		  ERR_OK, NULL },
		{ "tiers", "{\"tiers\":[]}", ERR_INVALID, "tiers" },
		{ "tiers",
		  "{\"tiers\":[{\"name\":\"a\",\"threshold\":{\"amount\":5,\"currency\":"
		  "\"USD\"},\"uplift_bps\":0}]}",
		  ERR_INVALID, "tiers[0].threshold" },
		{ "tiers",
		  "{\"tiers\":[{\"name\":\"a\",\"threshold\":{\"amount\":0,\"currency\":"
		  "\"USD\"},\"uplift_bps\":0},{\"name\":\"b\",\"threshold\":{\"amount\":0,"
		  "\"currency\":\"USD\"},\"uplift_bps\":10}]}",
		  ERR_INVALID, "tiers[1].threshold" },
		{ "tiers",
		  "{\"tiers\":[{\"name\":\"a\",\"threshold\":{\"amount\":0,\"currency\":"
		  "\"USD\"},\"uplift_bps\":0},{\"name\":\"a\",\"threshold\":{\"amount\":9,"
		  "\"currency\":\"USD\"},\"uplift_bps\":10}]}",
		  ERR_INVALID, "tiers[1].name" },
		{ "tiers",
		  "{\"tiers\":[{\"name\":\"a\",\"threshold\":{\"amount\":0,\"currency\":"
		  "\"USD\"},\"uplift_bps\":10001}]}",
		  ERR_INVALID, "tiers[0].uplift_bps" },
		{ "nope", "{}", ERR_NOTFOUND, NULL },
	};
	struct testdb t;

	(void)state;
	assert_int_equal(testdb_open(&t), 0);
	t.ctx.actor.role = ROLE_ADMIN;
	t.ctx.actor.user_id = 1;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *body = cases[i].body ? cases[i].body : agreements_ok;
		json_t *in = json_loads(body, 0, NULL), *out = NULL;
		enum err rc;

		assert_non_null(in);
		memset(&t.ei, 0, sizeof t.ei);
		rc = settings_put(&t.ctx, cases[i].group, in, &out);
		if (rc != cases[i].want)
			fail_msg("case %zu: got %d want %d (%s)", i, rc, cases[i].want, t.ei.msg);
		if (cases[i].field)
			assert_string_equal(t.ei.field, cases[i].field);
		json_decref(in);
		json_decref(out);
	}
	/* the stored agreements settings are the new defaults */
	{
		struct agreement_defaults d;
		assert_int_equal(settings_agreements(&t.ctx, &d), ERR_OK);
		assert_int_equal(d.reseller_discount_bps, 3000);
		assert_int_equal(d.term_months, 24);
		assert_string_equal(d.oem_commitment.currency, "EUR");
	}
	/* vendor roles read, partner roles do not */
	{
		json_t *out = NULL;
		t.ctx.actor.role = ROLE_FINANCE;
		assert_int_equal(settings_get(&t.ctx, "tiers", &out), ERR_OK);
		json_decref(out);
		t.ctx.actor.role = ROLE_PARTNER_ADMIN;
		assert_int_equal(settings_get(&t.ctx, "tiers", &out), ERR_FORBIDDEN);
	}
	testdb_close(&t);
}

static void
test_email_keys(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "Jane@Acme.COM", "jane@acme.com" },
		{ " a@b.co ", "a@b.co" },
		{ "a@b", NULL },
		{ "@b.com", NULL },
		{ "a@@b.com", NULL },
		{ "a b@c.com", NULL },
		{ "a@b.com.", NULL },
		{ "", NULL },
		{ "a@.com", NULL },
	};
	struct testdb t;

	(void)state;
	assert_int_equal(testdb_open(&t), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char key[300];
		enum err rc = auth_email_key(&t.ctx, cases[i].in, key, sizeof key);
		if (cases[i].want) {
			assert_int_equal(rc, ERR_OK);
			assert_string_equal(key, cases[i].want);
		} else {
			assert_int_equal(rc, ERR_INVALID);
			assert_string_equal(t.ei.field, "email");
		}
	}
	testdb_close(&t);
}

static void
test_login_rate_limit(void **state)
{
	struct testdb t;
	struct user_input in = { .email = "Ann@Example.com",
		                 .role = "admin",
		                 .password = "correct horse battery" };
	struct user u;
	struct login l;
	int64_t start;

	(void)state;
	assert_int_equal(testdb_open(&t), 0);
	assert_int_equal(auth_init(), 0);
	assert_int_equal(user_create(&t.ctx, &in, &u), ERR_OK);
	assert_int_equal(auth_login(&t.ctx, "ann@example.com", "correct horse battery", &l),
	                 ERR_OK);
	assert_non_null(l.token);
	start = t.ctx.now;
	for (int i = 0; i < LOGIN_MAX_FAILURES; i++)
		assert_int_equal(auth_login(&t.ctx, "ANN@example.com", "wrong password!", &l),
		                 ERR_UNAUTH);
	/* the right password too, until the window passes */
	assert_int_equal(auth_login(&t.ctx, "ann@example.com", "correct horse battery", &l),
	                 ERR_RATE);
	assert_true(l.retry_after > 0 && l.retry_after <= LOGIN_WINDOW_SECS);
	/* another e-mail is not affected */
	assert_int_equal(auth_login(&t.ctx, "bob@example.com", "whatever at all", &l), ERR_UNAUTH);
	t.ctx.now = start + LOGIN_WINDOW_SECS - 1;
	assert_int_equal(auth_login(&t.ctx, "ann@example.com", "correct horse battery", &l),
	                 ERR_RATE);
	t.ctx.now = start + LOGIN_WINDOW_SECS + 1;
	assert_int_equal(auth_login(&t.ctx, "ann@example.com", "correct horse battery", &l),
	                 ERR_OK);
	/* the token authenticates; revoked, it does not */
	{
		struct ctx c = t.ctx;
		memset(&c.actor, 0, sizeof c.actor);
		assert_int_equal(auth_authenticate(&c, l.token, NULL), ERR_OK);
		assert_int_equal(c.actor.role, ROLE_ADMIN);
		assert_int_equal(auth_logout(&c), ERR_OK);
		assert_int_equal(auth_authenticate(&c, l.token, NULL), ERR_UNAUTH);
		assert_int_equal(auth_authenticate(&c, "tdm_forged", NULL), ERR_UNAUTH);
	}
	testdb_close(&t);
}

static void
test_store_scope(void **state)
{
	struct testdb t;
	struct partner_input pin = {
		.name = "A", .type = "reseller", .has_name = 1, .has_type = 1
	};
	struct partner a, b, got;
	struct partner_filter f = { .limit = 10 };
	struct partner *items;
	size_t n;

	(void)state;
	assert_int_equal(testdb_open(&t), 0);
	assert_int_equal(partner_create(&t.ctx, &pin, &a), ERR_OK);
	pin.name = "B";
	assert_int_equal(partner_create(&t.ctx, &pin, &b), ERR_OK);
	/* a partner actor reaches its own partner only, whatever the caller asks */
	t.ctx.actor =
	        (struct actor){ .user_id = 9, .role = ROLE_PARTNER_ADMIN, .partner_id = a.id };
	assert_int_equal(store_partner_get(&t.ctx, a.id, &got), ERR_OK);
	assert_int_equal(store_partner_get(&t.ctx, b.id, &got), ERR_NOTFOUND);
	assert_int_equal(store_partner_list(&t.ctx, &f, &items, &n), ERR_OK);
	assert_int_equal(n, 1);
	assert_int_equal(items[0].id, a.id);
	assert_int_equal(store_partner_insert(&t.ctx, &got, "x"), ERR_FORBIDDEN);
	/* writes to another partner's row change nothing */
	got = b;
	got.name = "changed";
	assert_int_equal(store_partner_update(&t.ctx, &got, "changed"), ERR_OK);
	t.ctx.actor = (struct actor){ 0 };
	assert_int_equal(store_partner_get(&t.ctx, b.id, &got), ERR_OK);
	assert_string_equal(got.name, "B");
	testdb_close(&t);
}

static void
test_roles(void **state)
{
	(void)state;
	for (int r = 1; r < ROLE__COUNT; r++)
		assert_int_equal(role_parse(role_name((enum role)r)), r);
	assert_int_equal(role_parse("root"), ROLE_NONE);
	assert_int_equal(role_parse(NULL), ROLE_NONE);
	assert_true(role_is_partner(ROLE_PARTNER_SALES));
	assert_false(role_is_partner(ROLE_SALES_REP));
	assert_false(role_in(ROLE_NONE, ROLES_ALL));
}

static void
test_migrate_idempotent(void **state)
{
	struct testdb t;
	int from = -1, to = -1;

	(void)state;
	assert_int_equal(testdb_open(&t), 0);
	assert_int_equal(db_commit(t.conn), ERR_OK);
	assert_int_equal(migrate_run(t.conn, &from, &to, &t.ei), ERR_OK);
	assert_int_equal(from, migrate_latest());
	assert_int_equal(to, migrate_latest());
	testdb_close(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_agreement_status),
		cmocka_unit_test(test_agreement_defaults),
		cmocka_unit_test(test_settings_validation),
		cmocka_unit_test(test_email_keys),
		cmocka_unit_test(test_login_rate_limit),
		cmocka_unit_test(test_store_scope),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_migrate_idempotent),
	};

	return cmocka_run_group_tests_name("domain", tests, NULL, NULL);
}
