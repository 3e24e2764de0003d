/* Money and dates: base/money.c's half-even muldiv against an exact
 * reference, and base/clock.c's parsers with their round trips (a date or
 * time that parses formats back to the same text) and the calendar
 * arithmetic on the days of the documented range.
 *
 * Input: 8 bytes each for a, num, den, then text for the parsers. */
#include "fuzz.h"

#include <inttypes.h>

#include "base/clock.h"
#include "base/money.h"

__extension__ typedef __int128 i128;

static void
check_muldiv(int64_t a, int64_t num, int64_t den)
{
	int64_t q = 0;
	enum err rc = money_muldiv(a, num, den, &q);
	i128 p = (i128)a * num, diff, twice;

	if (den <= 0) {
		FUZZ_CHECK(rc == ERR_INVALID, "den %" PRId64 " accepted", den);
		return;
	}
	if (rc) {
		/* refused: the exact quotient is out of range */
		i128 t = p / den;
		FUZZ_CHECK(rc == ERR_INVALID && (t >= INT64_MAX || t <= INT64_MIN),
		           "%" PRId64 "*%" PRId64 "/%" PRId64 " refused", a, num, den);
		return;
	}
	/* |q*den - p| <= den/2, and on a tie q is even */
	diff = (i128)q * den - p;
	twice = diff < 0 ? -2 * diff : 2 * diff;
	FUZZ_CHECK(twice <= den, "%" PRId64 "*%" PRId64 "/%" PRId64 " = %" PRId64 " is off", a, num,
	           den, q);
	if (twice == den)
		FUZZ_CHECK(q % 2 == 0,
		           "%" PRId64 "*%" PRId64 "/%" PRId64 " = %" PRId64 " is not half to even",
		           a, num, den, q);
	if (num == den)
		FUZZ_CHECK(q == a, "a*n/n = %" PRId64 " for %" PRId64, q, a);
	{
		int64_t b = 0;
		/* at most 100% of the amount, either sign */
		if (!money_bps(a, num % (BPS_MAX + 1), &b))
			FUZZ_CHECK((b < 0 ? -(i128)b : b) <= (a < 0 ? -(i128)a : a),
			           "bps %" PRId64 " of %" PRId64 " = %" PRId64, num % (BPS_MAX + 1),
			           a, b);
	}
}

static void
check_dates(int64_t raw, int months)
{
	/* days of years 1900..9999 and around: int32 as clock.h says */
	int64_t days = (int64_t)(int32_t)raw % 3000000, y, back;
	unsigned m, d, w;
	char buf[DATE_LEN], tbuf[TIME_LEN];
	int64_t t;

	date_to_ymd(days, &y, &m, &d);
	FUZZ_CHECK(m >= 1 && m <= 12 && d >= 1 && d <= date_month_days(y, m),
	           "%" PRId64 " -> %" PRId64 "-%u-%u", days, y, m, d);
	back = date_from_ymd(y, m, d);
	FUZZ_CHECK(back == days, "%" PRId64 " -> %" PRId64 "-%u-%u -> %" PRId64, days, y, m, d,
	           back);
	w = date_weekday(days);
	FUZZ_CHECK(w < 7 && date_weekday(days + 1) == (w + 1) % 7, "weekday %u", w);
	back = date_add_months(days, months % 24000);
	{
		int64_t y2;
		unsigned m2, d2;
		date_to_ymd(back, &y2, &m2, &d2);
		FUZZ_CHECK((y2 * 12 + m2 - 1) - (y * 12 + m - 1) == months % 24000 &&
		                   (d2 == d || (d2 < d && d2 == date_month_days(y2, m2))),
		           "%" PRId64 "-%u-%u + %d months = %" PRId64 "-%u-%u", y, m, d,
		           months % 24000, y2, m2, d2);
	}
	if (y >= 1900 && y <= 9999) {
		date_format(days, buf);
		FUZZ_CHECK(!date_parse(buf, &back) && back == days, "%s does not parse back", buf);
		t = days * 86400 + (raw >> 32) % 86400;
		if (t < days * 86400)
			t += 86400;
		time_format(t, tbuf);
		FUZZ_CHECK(!time_parse(tbuf, &back) && back == t, "%s does not parse back", tbuf);
	}
}

static void
check_parse(const char *s)
{
	int64_t v = 0;
	char buf[TIME_LEN];

	if (!date_parse(s, &v)) {
		date_format(v, buf);
		FUZZ_CHECK(!strcmp(buf, s), "date %s formats back as %s", s, buf);
	}
	if (!time_parse(s, &v)) {
		time_format(v, buf);
		FUZZ_CHECK(!strcmp(buf, s), "time %s formats back as %s", s, buf);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	int64_t a = (int64_t)fuzz_u64(&in), num = (int64_t)fuzz_u64(&in),
	        den = (int64_t)fuzz_u64(&in);
	char *s;

	check_muldiv(a, num, den);
	check_muldiv(a % (MONEY_MAX + 1), num % (BPS_MAX + 1), den % 100000 ? den % 100000 : 1);
	check_dates(a, (int)(num % 100000));
	s = fuzz_field(&in, '\n', NULL);
	check_parse(s);
	free(s);
	/* every window of 10 and 20 bytes of the rest */
	for (size_t i = 0; i + 10 <= in.n && i < 64; i++) {
		char w[21];
		memcpy(w, in.p + i, 10);
		w[10] = '\0';
		check_parse(w);
		if (i + 20 <= in.n) {
			memcpy(w, in.p + i, 20);
			w[20] = '\0';
			check_parse(w);
		}
	}
	return 0;
}
