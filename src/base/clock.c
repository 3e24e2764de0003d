#include "base/clock.h"

#include <stdatomic.h>
#include <string.h>
#include <time.h>

static _Atomic int64_t offset;

int64_t
clock_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec + atomic_load(&offset);
}

void
clock_shift(int64_t secs)
{
	atomic_fetch_add(&offset, secs);
}

static int64_t
floor_div(int64_t a, int64_t b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

int64_t
clock_today(void)
{
	return floor_div(clock_now(), 86400);
}

/* Howard Hinnant's days_from_civil and civil_from_days algorithms. */
int64_t
date_from_ymd(int64_t y, unsigned m, unsigned d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = floor_div(y, 400);
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
date_to_ymd(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = floor_div(z, 146097);
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	*m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

unsigned
date_month_days(int64_t y, unsigned m)
{
	static const unsigned days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12)
		return 0;
	return days[m - 1] + (m == 2 && leap);
}

int64_t
date_add_months(int64_t days, int months)
{
	int64_t y, total;
	unsigned m, d, last;

	date_to_ymd(days, &y, &m, &d);
	total = y * 12 + (m - 1) + months;
	y = floor_div(total, 12);
	m = (unsigned)(total - y * 12) + 1;
	last = date_month_days(y, m);
	return date_from_ymd(y, m, d > last ? last : d);
}

unsigned
date_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (3 with Monday = 0). */
	int64_t w = (days + 3) % 7;

	return (unsigned)(w < 0 ? w + 7 : w);
}

/* Writes v as n decimal digits (v taken modulo 10^n). */
static void
put_digits(char *p, int n, int64_t v)
{
	if (v < 0)
		v = -v;
	for (int i = n - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

void
date_format(int64_t days, char buf[DATE_LEN])
{
	int64_t y;
	unsigned m, d;

	date_to_ymd(days, &y, &m, &d);
	put_digits(buf, 4, y);
	buf[4] = '-';
	put_digits(buf + 5, 2, m);
	buf[7] = '-';
	put_digits(buf + 8, 2, d);
	buf[10] = '\0';
}

void
time_format(int64_t t, char buf[TIME_LEN])
{
	int64_t days = floor_div(t, 86400), secs = t - days * 86400;

	date_format(days, buf);
	buf[10] = 'T';
	put_digits(buf + 11, 2, secs / 3600);
	buf[13] = ':';
	put_digits(buf + 14, 2, secs / 60 % 60);
	buf[16] = ':';
	put_digits(buf + 17, 2, secs % 60);
	buf[19] = 'Z';
	buf[20] = '\0';
}

static int
digits(const char *s, int n, unsigned *out)
{
	unsigned v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return 0;
}

int
date_parse(const char *s, int64_t *days)
{
	unsigned y, m, d;

	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-' || digits(s, 4, &y) ||
	    digits(s + 5, 2, &m) || digits(s + 8, 2, &d))
		return -1;
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > date_month_days(y, m))
		return -1;
	*days = date_from_ymd(y, m, d);
	return 0;
}

int
time_parse(const char *s, int64_t *t)
{
	unsigned hh, mm, ss;
	int64_t days;
	char date[DATE_LEN];

	if (!s || strlen(s) != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
		return -1;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (date_parse(date, &days) || digits(s + 11, 2, &hh) || digits(s + 14, 2, &mm) ||
	    digits(s + 17, 2, &ss) || hh > 23 || mm > 59 || ss > 59)
		return -1;
	*t = days * 86400 + hh * 3600 + mm * 60 + ss;
	return 0;
}
