/* One error enum for the whole program: 0 is success. Each value maps to one
 * row of the status table of spec/API.md; only http/ turns it into a status. */
#ifndef TANDEM_ERR_H
#define TANDEM_ERR_H

enum err {
	ERR_OK = 0,
	ERR_NOMEM,       /* 500 internal */
	ERR_PARSE,       /* 400 bad_request */
	ERR_INVALID,     /* 422 validation_failed */
	ERR_NOTFOUND,    /* 404 not_found */
	ERR_CONFLICT,    /* 409 conflict */
	ERR_UNAUTH,      /* 401 unauthorized */
	ERR_FORBIDDEN,   /* 403 forbidden */
	ERR_TOOBIG,      /* 413 payload_too_large */
	ERR_MEDIA,       /* 415 unsupported_media_type */
	ERR_RATE,        /* 429 rate_limited */
	ERR_UNAVAILABLE, /* 503 unavailable */
	ERR_DB,          /* 500 internal: the database failed in an unexpected way */
	ERR_INTERNAL,    /* 500 internal */
	ERR_METHOD,      /* 405: the path exists, the method does not */
	ERR__COUNT
};

/* The API code of an error ("not_found"); never NULL. */
const char *err_code(enum err e);

/* Longest message an error detail keeps. */
#define ERR_MSG_MAX 200

/* What went wrong, for the caller: the error, the offending field (a static
 * string or one that outlives the request), and a human message. */
struct errinfo {
	enum err err;
	const char *field;
	char msg[ERR_MSG_MAX];
};

/* Records e with field and a printf-style message in ei; returns e, so that
 * `return err_set(ei, ERR_INVALID, "amount", "must be positive");` reads well. */
enum err err_set(struct errinfo *ei, enum err e, const char *field, const char *fmt, ...)
        __attribute__((format(printf, 4, 5)));

#endif
