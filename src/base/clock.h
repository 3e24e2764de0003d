/* Time for the whole program: one clock that tests can set, and calendar
 * arithmetic on UTC without the C library's global state. Times are Unix
 * seconds (int64); dates are days since 1970-01-01 (int32 range). */
#ifndef TANDEM_CLOCK_H
#define TANDEM_CLOCK_H

#include <stdint.h>

/* The current time in Unix seconds, shifted by the offset clock_shift set. */
int64_t clock_now(void);
/* Shifts the clock by secs from now on (tests; TANDEM_CLOCK_OFFSET at start). */
void clock_shift(int64_t secs);
/* Today's date (days since the epoch), UTC. */
int64_t clock_today(void);

/* Days since 1970-01-01 of the civil date y-m-d (proleptic Gregorian). */
int64_t date_from_ymd(int64_t y, unsigned m, unsigned d);
void date_to_ymd(int64_t days, int64_t *y, unsigned *m, unsigned *d);
/* Days in month m of year y. */
unsigned date_month_days(int64_t y, unsigned m);
/* The date `months` later, clamped to the end of the month (Jan 31 + 1 = Feb 28/29). */
int64_t date_add_months(int64_t days, int months);
/* Day of the week, 0 = Monday. */
unsigned date_weekday(int64_t days);

#define DATE_LEN 11 /* "YYYY-MM-DD" + NUL */
#define TIME_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" + NUL */

/* Writes "YYYY-MM-DD" into buf (DATE_LEN bytes). */
void date_format(int64_t days, char buf[DATE_LEN]);
/* Writes "YYYY-MM-DDTHH:MM:SSZ" into buf (TIME_LEN bytes). */
void time_format(int64_t t, char buf[TIME_LEN]);
/* Parses exactly "YYYY-MM-DD" with a real calendar date (years 1900-9999);
 * 0 on success, -1 otherwise. */
int date_parse(const char *s, int64_t *days);
/* Parses exactly "YYYY-MM-DDTHH:MM:SSZ"; 0 on success, -1 otherwise. */
int time_parse(const char *s, int64_t *t);

#endif
