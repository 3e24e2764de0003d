/* A request as handlers see it, and the response they fill. Handlers parse
 * input, call the domain with rq->ctx, and render; they never see SQL or
 * libmicrohttpd. */
#ifndef TANDEM_REQ_H
#define TANDEM_REQ_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "store/ctx.h"

#define REQ_MAX_PARAMS 4 /* {placeholders} in a route pattern */
#define REQ_MAX_QUERY 24 /* query parameters in one request */
#define LIST_LIMIT_DEFAULT 50
#define LIST_LIMIT_MAX 500

struct route;

struct kv {
	const char *key, *value;
};

struct req {
	const char *method, *path;
	const char *body; /* NUL-terminated, body_len bytes; NULL when none */
	size_t body_len;
	const struct route *route;
	const char *params[REQ_MAX_PARAMS]; /* path placeholders, in order */
	int nparams;
	struct kv query[REQ_MAX_QUERY];
	int nquery;
	int query_overflow; /* more parameters than REQ_MAX_QUERY, or a repeated one */
	const char *authorization;
	struct arena arena;
	struct errinfo ei;
	struct ctx ctx;
};

struct header {
	const char *name, *value;
};

#define RESP_MAX_HEADERS 4

struct resp {
	int status;
	char *body; /* malloc'd, or NULL */
	size_t body_len;
	const char *content_type;
	struct header headers[RESP_MAX_HEADERS];
	int nheaders;
};

/* Path placeholder i as a positive id; ERR_NOTFOUND when it is not one. */
enum err req_path_id(struct req *rq, int i, int64_t *out);
const char *req_path_str(struct req *rq, int i);

/* Parses the JSON body into *root (json_decref it): ERR_PARSE when missing
 * or malformed. An empty body gives an empty object when allow_empty. */
enum err req_json(struct req *rq, int allow_empty, json_t **root);

/* Rejects (ERR_PARSE, 400) any query parameter not in allowed (NULL-ended)
 * nor limit/cursor when `list`. */
enum err req_query_check(struct req *rq, const char *const *allowed, int list);
/* The value of a query parameter, or NULL; "" counts as absent. */
const char *req_query(struct req *rq, const char *key);
/* A query parameter as an integer in [min, max]; ERR_PARSE otherwise. */
enum err req_query_i64(struct req *rq, const char *key, int64_t min, int64_t max, int64_t *out);
/* A query parameter that must be one of a NULL-terminated list. */
enum err req_query_enum(struct req *rq, const char *key, const char *const *values,
                        const char **out);
enum err req_query_bool(struct req *rq, const char *key, int *out);

/* ?limit= and ?cursor= of a list. */
struct page {
	int limit;
	int64_t cursor; /* 0: from the start */
};
enum err req_page(struct req *rq, struct page *pg);
/* {"items": items, "next_cursor": ...}: items holds up to limit+1 entries;
 * the extra one, if there, is dropped and makes the cursor from last_id. */
json_t *list_json(json_t *items, const struct page *pg, int64_t last_id);
/* An opaque cursor for an id, and back. */
const char *cursor_encode(struct arena *a, int64_t id);
int cursor_decode(const char *s, int64_t *id);

/* Sets a JSON body (steals j). */
enum err resp_json(struct resp *rs, int status, json_t *j);
/* Sets a body that already is text. */
enum err resp_text(struct resp *rs, int status, const char *type, const char *body, size_t len);
void resp_header(struct resp *rs, const char *name, const char *value);
void resp_free(struct resp *rs);

#endif
