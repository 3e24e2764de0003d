#include "base/err.h"

#include <stdarg.h>
#include <stdio.h>

static const char *const codes[ERR__COUNT] = {
	[ERR_OK] = "ok",
	[ERR_NOMEM] = "internal",
	[ERR_PARSE] = "bad_request",
	[ERR_INVALID] = "validation_failed",
	[ERR_NOTFOUND] = "not_found",
	[ERR_CONFLICT] = "conflict",
	[ERR_UNAUTH] = "unauthorized",
	[ERR_FORBIDDEN] = "forbidden",
	[ERR_TOOBIG] = "payload_too_large",
	[ERR_MEDIA] = "unsupported_media_type",
	[ERR_RATE] = "rate_limited",
	[ERR_UNAVAILABLE] = "unavailable",
	[ERR_DB] = "internal",
	[ERR_INTERNAL] = "internal",
	[ERR_METHOD] = "bad_request",
};

const char *
err_code(enum err e)
{
	if ((unsigned)e >= ERR__COUNT)
		return "internal";
	return codes[e];
}

enum err
err_set(struct errinfo *ei, enum err e, const char *field, const char *fmt, ...)
{
	va_list ap;

	if (!ei)
		return e;
	ei->err = e;
	ei->field = field;
	va_start(ap, fmt);
	vsnprintf(ei->msg, sizeof ei->msg, fmt, ap);
	va_end(ap);
	return e;
}
