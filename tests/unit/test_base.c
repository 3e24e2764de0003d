/* Unit tests for base/: string builder, calendar, money rounding, strict JSON
 * input, countries and currencies, web domains. Tables, as in curl's units. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/clock.h"
#include "base/iso.h"
#include "base/jin.h"
#include "base/money.h"
#include "base/sb.h"
#include "base/webdomain.h"

static void
test_sb(void **state)
{
	struct sb sb;
	char *s;

	(void)state;
	sb_init(&sb, 8);
	sb_puts(&sb, "abc");
	sb_printf(&sb, "%d", 42);
	assert_string_equal(sb_str(&sb), "abc42");
	assert_int_equal(sb_err(&sb), ERR_OK);
	sb_puts(&sb, "toolong"); /* over the cap: sticky error */
	assert_int_equal(sb_err(&sb), ERR_TOOBIG);
	sb_puts(&sb, "x");
	assert_int_equal(sb_err(&sb), ERR_TOOBIG);
	assert_null(sb_detach(&sb));
	sb_init(&sb, 0);
	s = sb_detach(&sb);
	assert_string_equal(s, "");
	free(s);
}

static void
test_dates(void **state)
{
	static const struct {
		const char *date;
		int64_t days;
		unsigned weekday; /* 0 = Monday */
	} cases[] = {
		{ "1970-01-01", 0, 3 },  { "2000-02-29", 11016, 1 },  { "2026-11-23", 20780, 0 },
		{ "1969-12-31", -1, 2 }, { "2400-12-31", 157419, 6 }, { "1900-03-01", -25508, 3 },
	};
	char buf[DATE_LEN];
	int64_t d;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(date_parse(cases[i].date, &d), 0);
		assert_int_equal(d, cases[i].days);
		date_format(d, buf);
		assert_string_equal(buf, cases[i].date);
		assert_int_equal(date_weekday(d), cases[i].weekday);
	}
	static const char *const bad[] = { "2026-02-29",  "2026-13-01", "2026-1-01",  "26-01-01",
		                           "2026-01-01T", "",           "2026/01/01", "1899-12-31",
		                           "2026-00-10",  "2026-04-31" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(date_parse(bad[i], &d), -1);
}

static void
test_add_months(void **state)
{
	static const struct {
		const char *from;
		int months;
		const char *to;
	} cases[] = {
		{ "2026-01-31", 1, "2026-02-28" },  { "2024-01-31", 1, "2024-02-29" },
		{ "2026-11-23", 12, "2027-11-23" }, { "2026-03-31", -1, "2026-02-28" },
		{ "2026-12-15", 1, "2027-01-15" },  { "2026-01-15", -13, "2024-12-15" },
	};
	char buf[DATE_LEN];
	int64_t d;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(date_parse(cases[i].from, &d), 0);
		date_format(date_add_months(d, cases[i].months), buf);
		assert_string_equal(buf, cases[i].to);
	}
}

static void
test_times(void **state)
{
	char buf[TIME_LEN];
	int64_t t;

	(void)state;
	time_format(0, buf);
	assert_string_equal(buf, "1970-01-01T00:00:00Z");
	time_format(1795478399, buf);
	assert_string_equal(buf, "2026-11-23T23:59:59Z");
	assert_int_equal(time_parse("2026-11-23T23:59:59Z", &t), 0);
	assert_int_equal(t, 1795478399);
	assert_int_equal(time_parse("2026-11-23T24:00:00Z", &t), -1);
	assert_int_equal(time_parse("2026-11-23 23:59:59Z", &t), -1);
}

static void
test_money_rounding(void **state)
{
	/* amount x bps / 10000, half to even */
	static const struct {
		int64_t amount, bps, want;
	} cases[] = {
		{ 10000, 3500, 3500 },
		{ 1, 5000, 0 },
		{ 3, 5000, 2 },
		{ 5, 5000, 2 },
		{ 7, 5000, 4 },
		{ -5, 5000, -2 },
		{ -7, 5000, -4 },
		{ 12345, 1250, 1543 },
		{ 1, 15000, 2 },
		{ 999999, 1, 100 },
		{ 1000000000000000, 10000, 1000000000000000 },
		{ 2, 2500, 0 },
		{ 6, 2500, 2 },
		{ 10, 2500, 2 },
	};
	int64_t out;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(money_bps(cases[i].amount, cases[i].bps, &out), ERR_OK);
		assert_int_equal(out, cases[i].want);
	}
	assert_int_equal(money_muldiv(INT64_MAX, 2, 1, &out), ERR_INVALID);
	assert_int_equal(money_muldiv(1, 1, 0, &out), ERR_INVALID);
}

static void
test_countries(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "FR", "FR" },
		{ "fr", "FR" },
		{ "France", "FR" },
		{ "france", "FR" },
		{ "United States", "US" },
		{ "usa", "US" },
		{ "UK", "GB" },
		{ "United Kingdom", "GB" },
		{ "Germany", "DE" },
		{ " Japan ", "JP" },
		{ "DEU", "DE" },
		{ "The Netherlands", "NL" },
		{ "Korea, Republic of", "KR" },
		{ "South Korea", "KR" },
		{ "Viet Nam", "VN" },
		{ "Atlantis", NULL },
		{ "", NULL },
		{ "X", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = iso_country(cases[i].in);
		if (cases[i].want)
			assert_string_equal(got, cases[i].want);
		else
			assert_null(got);
	}
	assert_string_equal(iso_country_name("FR"), "France");
	assert_int_equal(iso_currency_minor("USD"), 2);
	assert_int_equal(iso_currency_minor("JPY"), 0);
	assert_int_equal(iso_currency_minor("KWD"), 3);
	assert_int_equal(iso_currency_minor("usd"), -1);
	assert_int_equal(iso_currency_minor("XXX"), -1);
	assert_int_equal(iso_currency_minor("ABC"), -1);
}

static void
test_webdomains(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "acme.com", "acme.com" },
		{ "www.acme.com", "acme.com" },
		{ "https://shop.acme.co.uk/x", "acme.co.uk" },
		{ "jane@acme.co.uk", "acme.co.uk" },
		{ "HTTP://WWW.ACME.COM:8080/a?b#c", "acme.com" },
		{ "acme.com.", "acme.com" },
		{ "foo.bar.example.com.au", "example.com.au" },
		{ "user:pw@host.acme.de/path", "acme.de" },
		{ "co.uk", NULL },
		{ "localhost", NULL },
		{ "192.168.1.1", NULL },
		{ "acme..com", NULL },
		{ "", NULL },
		{ "ac me.com", "ac" },
	};
	char out[WEBDOMAIN_MAX + 1];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int rc = webdomain_registrable(cases[i].in, out);
		if (!cases[i].want || !strcmp(cases[i].want, "ac")) {
			if (cases[i].want && rc == 0)
				fail_msg("%s: got %s", cases[i].in, out);
			assert_int_equal(rc, -1);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_string_equal(out, cases[i].want);
	}
}

static void
test_jin(void **state)
{
	static const struct {
		const char *body;
		enum err want;
		const char *field; /* the field named by the error */
	} cases[] = {
		{ "{\"name\":\"Acme\",\"n\":5}", ERR_OK, NULL },
		{ "{\"name\":\"Acme\"}", ERR_OK, NULL },
		{ "{\"n\":5}", ERR_INVALID, "name" },
		{ "{\"name\":\"\"}", ERR_INVALID, "name" },
		{ "{\"name\":\"Acme\",\"extra\":1}", ERR_INVALID, "extra" },
		{ "{\"name\":\"Acme\",\"n\":\"5\"}", ERR_INVALID, "n" },
		{ "{\"name\":\"Acme\",\"n\":5.5}", ERR_INVALID, "n" },
		{ "{\"name\":\"Acme\",\"n\":101}", ERR_INVALID, "n" },
		{ "{\"name\":\"A\\u0001\"}", ERR_INVALID, "name" },
		{ "{\"name\":\"Acme\",\"m\":{\"amount\":5,\"currency\":\"EUR\"}}", ERR_OK, NULL },
		{ "{\"name\":\"Acme\",\"m\":{\"amount\":5,\"currency\":\"eur\"}}", ERR_INVALID,
		  "m.currency" },
		{ "{\"name\":\"Acme\",\"m\":{\"amount\":-1,\"currency\":\"EUR\"}}", ERR_INVALID,
		  "m.amount" },
		{ "{\"name\":\"Acme\",\"m\":{\"amount\":1,\"currency\":\"EUR\",\"x\":1}}",
		  ERR_INVALID, "m.x" },
		{ "{\"name\":\"Acme\",\"d\":\"2026-02-30\"}", ERR_INVALID, "d" },
		{ "{\"name\":\"Acme\",\"name\":\"B\"}", ERR_PARSE, NULL },
		{ "[1]", ERR_PARSE, NULL },
		{ "{\"name\":", ERR_PARSE, NULL },
		{ "", ERR_PARSE, NULL },
		{ "{\"name\":\"abcdefghijk\"}", ERR_INVALID, "name" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct errinfo ei = { 0 };
		struct arena a = { 0 };
		struct jin in;
		struct money m = { 0 };
		const char *name = NULL;
		int64_t n = 0, d = 0;
		json_t *root = NULL;
		enum err rc = jin_parse(cases[i].body, strlen(cases[i].body), &ei, &root);

		if (!rc) {
			jin_init(&in, root, &a, &ei);
			if (!(rc = jin_str(&in, "name", JIN_REQUIRED, 10, &name, NULL)) &&
			    !(rc = jin_i64(&in, "n", 0, 0, 100, &n, NULL)) &&
			    !(rc = jin_money(&in, "m", 0, 0, &m, NULL)) &&
			    !(rc = jin_date(&in, "d", 0, &d, NULL)))
				rc = jin_done(&in);
		}
		if (rc != cases[i].want)
			fail_msg("case %zu (%s): got %d want %d", i, cases[i].body, rc,
			         cases[i].want);
		if (cases[i].field)
			assert_string_equal(ei.field, cases[i].field);
		json_decref(root);
		arena_release(&a);
	}
}

static void
test_utf8_valid(void **state)
{
	static const struct {
		const char *s;
		int valid;
	} cases[] = {
		{ "", 1 },
		{ "plain ASCII", 1 },
		{ "Caf\xc3\xa9 M\xc3\xbcller \xe2\x82\xac \xf0\x9f\x98\x80", 1 },
		{ "Caf\xe9 Latin-1", 0 },  /* a lone lead byte */
		{ "\xc3", 0 },             /* cut short */
		{ "\xc0\xaf", 0 },         /* overlong '/' */
		{ "\xe0\x80\xaf", 0 },     /* overlong, three bytes */
		{ "\xed\xa0\x80", 0 },     /* a surrogate */
		{ "\xf4\x90\x80\x80", 0 }, /* past U+10FFFF */
		{ "\x80 continuation first", 0 },
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (utf8_valid(cases[i].s) != cases[i].valid)
			fail_msg("case %zu: utf8_valid is %d", i, !cases[i].valid);
}

static void
test_deep_json(void **state)
{
	/* 100,000 nested arrays: a parse error, not a crash */
	size_t n = 100000;
	char *body = malloc(2 * n + 1);
	struct errinfo ei = { 0 };
	json_t *root = NULL;

	(void)state;
	memset(body, '[', n);
	memset(body + n, ']', n);
	body[2 * n] = '\0';
	assert_int_equal(jin_parse(body, 2 * n, &ei, &root), ERR_PARSE);
	assert_null(root);
	free(body);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sb),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_add_months),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_money_rounding),
		cmocka_unit_test(test_countries),
		cmocka_unit_test(test_webdomains),
		cmocka_unit_test(test_jin),
		cmocka_unit_test(test_deep_json),
		cmocka_unit_test(test_utf8_valid),
	};

	return cmocka_run_group_tests_name("base", tests, NULL, NULL);
}
