/* What the libFuzzer targets share: a checked assertion that aborts (so that
 * libFuzzer keeps the input as a crash), a reader that takes typed values off
 * the front of the input, and the check that an error renders as the error
 * shape of spec/API.md with a 4xx status. Every target is deterministic and
 * frees what it allocates for one input. */
#ifndef TANDEM_FUZZ_H
#define TANDEM_FUZZ_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/req.h"
#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...)                                                                      \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz check failed at %s:%d: %s: ", __FILE__, __LINE__,    \
			        #cond);                                                            \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* The input as it is consumed: bytes and integers from the front. */
struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

static inline unsigned
fuzz_u8(struct fuzz_in *in)
{
	unsigned v = 0;

	if (in->n) {
		v = in->p[0];
		in->p++;
		in->n--;
	}
	return v;
}

static inline uint64_t
fuzz_u64(struct fuzz_in *in)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | fuzz_u8(in);
	return v;
}

/* The next field up to a separator byte (or the end), as a new
 * NUL-terminated string (free it); *len gets its length. */
static inline char *
fuzz_field(struct fuzz_in *in, uint8_t sep, size_t *len)
{
	const uint8_t *e = memchr(in->p, sep, in->n);
	size_t n = e ? (size_t)(e - in->p) : in->n;
	char *s = malloc(n + 1);

	if (!s)
		abort();
	if (n)
		memcpy(s, in->p, n);
	s[n] = '\0';
	in->p += n + (e ? 1 : 0);
	in->n -= n + (e ? 1 : 0);
	if (len)
		*len = n;
	return s;
}

/* Is s (n bytes) valid UTF-8 (no overlongs, no surrogates)? */
static inline int
fuzz_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;

	while (p < end) {
		unsigned c = *p, k;
		uint32_t cp;
		if (c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			k = 1, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			k = 2, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			k = 3, cp = c & 0x07;
		else
			return 0;
		if ((size_t)(end - p) <= k)
			return 0;
		for (unsigned i = 1; i <= k; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i] & 0x3F);
		}
		if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		p += k + 1;
	}
	return 1;
}

/* Renders e with ei as the router does and checks the answer: the status of
 * the error table (never 5xx for a client's mistake) and exactly
 * {"error": {"code", "message", "field"}}. */
static inline void
fuzz_check_error(enum err e, const struct errinfo *ei, const char *what)
{
	struct resp rs = { 0 };
	json_error_t je;
	json_t *j, *o;
	int want = router_status(e);
	static int skip_bad_utf8 = -1;

	/* FUZZ_SKIP_BAD_UTF8=1 leaves out errors whose message or field is not
	 * UTF-8 (jansson refuses them and the router answers 500): to fuzz on
	 * past that known fault. Off by default. */
	if (skip_bad_utf8 < 0)
		skip_bad_utf8 = getenv("FUZZ_SKIP_BAD_UTF8") != NULL;
	if (skip_bad_utf8 && ei &&
	    (!fuzz_utf8_valid(ei->msg, strlen(ei->msg)) ||
	     (ei->field && !fuzz_utf8_valid(ei->field, strlen(ei->field)))))
		return;
	router_error(&rs, e, ei);
	FUZZ_CHECK(rs.status == want,
	           "%s: error %d (%s) rendered as status %d, not %d; message %.200s field %.80s",
	           what, (int)e, err_code(e), rs.status, want, ei ? ei->msg : "-",
	           ei && ei->field ? ei->field : "-");
	j = json_loadb(rs.body, rs.body_len, JSON_REJECT_DUPLICATES, &je);
	FUZZ_CHECK(j && json_is_object(j) && json_object_size(j) == 1, "%s: error body %.200s",
	           what, rs.body);
	o = json_object_get(j, "error");
	FUZZ_CHECK(json_is_object(o) && json_object_size(o) == 3 &&
	                   json_is_string(json_object_get(o, "code")) &&
	                   json_is_string(json_object_get(o, "message")) &&
	                   json_string_length(json_object_get(o, "message")) > 0 &&
	                   (json_is_string(json_object_get(o, "field")) ||
	                    json_is_null(json_object_get(o, "field"))),
	           "%s: error shape %.200s", what, rs.body);
	json_decref(j);
	resp_free(&rs);
}

static inline int
fuzz_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* libmicrohttpd's unescaping of a query key or value: '+' is a space, %XX a
 * byte (a %00 ends the C string, as it does in the server). */
static inline char *
fuzz_unescape(struct arena *a, const char *s, size_t n)
{
	char *out = arena_alloc(a, n + 1), *o = out;

	if (!out)
		abort();
	for (size_t i = 0; i < n; i++) {
		int h, l;
		if (s[i] == '+') {
			*o++ = ' ';
		} else if (s[i] == '%' && i + 2 < n &&
		           (h = fuzz_hexval((unsigned char)s[i + 1])) >= 0 &&
		           (l = fuzz_hexval((unsigned char)s[i + 2])) >= 0) {
			*o++ = (char)(h << 4 | l);
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

/* server.c's collect_query: at most REQ_MAX_QUERY, a repeat overflows. */
static inline void
fuzz_parse_query(struct req *rq, const char *q)
{
	while (*q) {
		size_t n = strcspn(q, "&"), kn;
		const char *eq = memchr(q, '=', n);
		const char *key, *value;

		kn = eq ? (size_t)(eq - q) : n;
		key = fuzz_unescape(&rq->arena, q, kn);
		value = eq ? fuzz_unescape(&rq->arena, eq + 1, n - kn - 1) : "";
		if (n) {
			for (int i = 0; i < rq->nquery; i++)
				if (!strcmp(rq->query[i].key, key))
					rq->query_overflow = 1;
			if (rq->nquery >= REQ_MAX_QUERY)
				rq->query_overflow = 1;
			else
				rq->query[rq->nquery++] = (struct kv){ key, value };
		}
		q += n;
		if (*q == '&')
			q++;
	}
}

/* A request from the input: one byte choosing the method (224 and up: a
 * method of the input's own, up to a blank), then "PATH?QUERY" up to a
 * newline; the query split and decoded as libmicrohttpd does. Everything
 * comes from rq->arena. */
static inline void
fuzz_request(struct req *rq, struct fuzz_in *in)
{
	static const char *const methods[] = { "GET",    "POST", "PUT",     "PATCH",
		                               "DELETE", "HEAD", "OPTIONS", "TRACE" };
	unsigned m = fuzz_u8(in);
	char *method, *line, *q;

	method = m < 224 ? strdup(methods[m % 8]) : fuzz_field(in, ' ', NULL);
	line = fuzz_field(in, '\n', NULL);
	if (!method)
		abort();
	q = strchr(line, '?');
	if (q)
		*q++ = '\0';
	rq->method = arena_strdup(&rq->arena, method);
	rq->path = arena_strdup(&rq->arena, line);
	fuzz_parse_query(rq, q ? q : "");
	free(method);
	free(line);
	if (!rq->method || !rq->path)
		abort();
}

#endif
