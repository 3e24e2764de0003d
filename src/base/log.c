#include "base/log.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#include "base/clock.h"

static atomic_int quiet;

void
log_quiet(int on)
{
	atomic_store(&quiet, on);
}

static void
emit(const char *level, const char *fmt, va_list ap)
{
	char line[2048], when[TIME_LEN];
	int n, m;

	time_format(clock_now(), when);
	n = snprintf(line, sizeof line, "%s %s ", when, level);
	if (n < 0)
		return;
	m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
	if (m < 0)
		return;
	n += m;
	if ((size_t)n > sizeof line - 2)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	if (atomic_load(&quiet))
		return;
	va_start(ap, fmt);
	emit("info", fmt, ap);
	va_end(ap);
}

void
log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emit("error", fmt, ap);
	va_end(ap);
}
