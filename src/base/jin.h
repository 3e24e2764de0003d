/* Strict reading of a JSON request object into typed values. Every reader
 * names the key it takes; jin_done() then rejects any key nobody asked for,
 * so unknown fields answer 422 with their name. A bad value sets the errinfo
 * (field named, with the prefix of nested objects) and returns ERR_INVALID.
 * An optional string given as "" is the same as null. */
#ifndef TANDEM_JIN_H
#define TANDEM_JIN_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/money.h"

#define JIN_MAX_KEYS 48

enum {
	JIN_REQUIRED = 1 << 0,  /* absent, null or "" is an error */
	JIN_MULTILINE = 1 << 1, /* strings may hold newlines and tabs */
};

struct jin {
	json_t *obj;
	const char *prefix; /* "" or "credit_line." */
	struct arena *arena;
	struct errinfo *ei;
	const char *asked[JIN_MAX_KEYS];
	unsigned nasked;
};

/* Parses body (len bytes) as a JSON object into *root (json_decref it).
 * Malformed JSON, duplicate keys or a non-object answer ERR_PARSE. */
enum err jin_parse(const char *body, size_t len, struct errinfo *ei, json_t **root);
void jin_init(struct jin *in, json_t *obj, struct arena *a, struct errinfo *ei);

/* Each reader: *set (may be NULL) tells whether the key was given at all
 * (null counts as given: a PATCH clears the field). On absence the output
 * is left as it was, so callers preset defaults. */
enum err jin_str(struct jin *in, const char *key, unsigned flags, size_t max_chars,
                 const char **out, int *set);
enum err jin_i64(struct jin *in, const char *key, unsigned flags, int64_t min, int64_t max,
                 int64_t *out, int *set);
enum err jin_bool(struct jin *in, const char *key, unsigned flags, int *out, int *set);
/* A Money object {amount, currency}; null clears it (currency ""). */
enum err jin_money(struct jin *in, const char *key, unsigned flags, int64_t min, struct money *out,
                   int *set);
/* A date "YYYY-MM-DD" as days since the epoch. */
enum err jin_date(struct jin *in, const char *key, unsigned flags, int64_t *out, int *set);
/* Opens the nested object at key (absent: child->obj is NULL, no error). */
enum err jin_obj(struct jin *in, const char *key, unsigned flags, struct jin *child);
/* ERR_INVALID naming the first key that no reader asked for. */
enum err jin_done(struct jin *in);

/* Number of Unicode code points in valid UTF-8 s. */
size_t utf8_chars(const char *s);
/* 1 when s is well-formed UTF-8 (no overlong forms, surrogates or code
 * points past U+10FFFF), else 0. */
int utf8_valid(const char *s);
/* Copies s into out (size bytes), replacing every byte that is not part of
 * well-formed UTF-8 with '?' and never cutting a character in two. */
void utf8_scrub(const char *s, char *out, size_t size);

#endif
