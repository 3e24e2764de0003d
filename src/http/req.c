#include "http/req.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "base/jin.h"

static int
parse_pos_i64(const char *s, int64_t *out)
{
	int64_t v = 0;

	if (!s || !*s || *s == '0' || strlen(s) > 18)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s - '0');
	}
	*out = v;
	return 0;
}

enum err
req_path_id(struct req *rq, int i, int64_t *out)
{
	if (i >= rq->nparams || parse_pos_i64(rq->params[i], out))
		return err_set(&rq->ei, ERR_NOTFOUND, NULL, "no such record");
	return ERR_OK;
}

const char *
req_path_str(struct req *rq, int i)
{
	return i < rq->nparams ? rq->params[i] : NULL;
}

enum err
req_json(struct req *rq, int allow_empty, json_t **root)
{
	const char *p = rq->body;
	size_t n = rq->body_len;

	while (n && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')) {
		p++;
		n--;
	}
	if (n == 0 && allow_empty) {
		*root = json_object();
		return *root ? ERR_OK : ERR_NOMEM;
	}
	return jin_parse(rq->body ? rq->body : "", rq->body_len, &rq->ei, root);
}

static int
in_list(const char *const *list, const char *s)
{
	for (; list && *list; list++)
		if (!strcmp(*list, s))
			return 1;
	return 0;
}

enum err
req_query_check(struct req *rq, const char *const *allowed, int list)
{
	if (rq->query_overflow)
		return err_set(&rq->ei, ERR_PARSE, NULL, "too many or repeated query parameters");
	for (int i = 0; i < rq->nquery; i++) {
		const char *k = rq->query[i].key, *v = rq->query[i].value;
		/* both engines answer alike: SQLite would compare the bytes, PostgreSQL
		 * refuses a parameter that is not UTF-8 */
		if (!utf8_valid(k) || (v && !utf8_valid(v)))
			return err_set(&rq->ei, ERR_PARSE, NULL, "a query parameter is not UTF-8");
		if (in_list(allowed, k) || (list && (!strcmp(k, "limit") || !strcmp(k, "cursor"))))
			continue;
		return err_set(&rq->ei, ERR_PARSE, arena_strdup(&rq->arena, k),
		               "unknown query parameter %.60s", k);
	}
	return ERR_OK;
}

const char *
req_query(struct req *rq, const char *key)
{
	for (int i = 0; i < rq->nquery; i++)
		if (!strcmp(rq->query[i].key, key))
			return rq->query[i].value && *rq->query[i].value ? rq->query[i].value
			                                                 : NULL;
	return NULL;
}

enum err
req_query_i64(struct req *rq, const char *key, int64_t min, int64_t max, int64_t *out)
{
	const char *s = req_query(rq, key);
	int64_t v = 0;
	int neg = 0;

	if (!s)
		return ERR_OK;
	if (*s == '-') {
		neg = 1;
		s++;
	}
	if (!*s || strlen(s) > 18)
		goto bad;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			goto bad;
		v = v * 10 + (*p - '0');
	}
	if (neg)
		v = -v;
	if (v < min || v > max)
		goto bad;
	*out = v;
	return ERR_OK;
bad:
	return err_set(&rq->ei, ERR_PARSE, key, "%s must be an integer between %lld and %lld", key,
	               (long long)min, (long long)max);
}

enum err
req_query_enum(struct req *rq, const char *key, const char *const *values, const char **out)
{
	const char *s = req_query(rq, key);

	if (!s)
		return ERR_OK;
	if (!in_list(values, s))
		return err_set(&rq->ei, ERR_PARSE, key, "%s has no value %.60s", key, s);
	*out = s;
	return ERR_OK;
}

enum err
req_query_bool(struct req *rq, const char *key, int *out)
{
	const char *s = req_query(rq, key);

	if (!s)
		return ERR_OK;
	if (!strcmp(s, "true"))
		*out = 1;
	else if (!strcmp(s, "false"))
		*out = 0;
	else
		return err_set(&rq->ei, ERR_PARSE, key, "%s must be true or false", key);
	return ERR_OK;
}

/* Cursors are "c" and the id in base64url: opaque, [A-Za-z0-9_-] only. */
const char *
cursor_encode(struct arena *a, int64_t id)
{
	unsigned char raw[8];
	char b64[sodium_base64_ENCODED_LEN(8, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

	for (int i = 0; i < 8; i++)
		raw[i] = (unsigned char)((uint64_t)id >> (56 - 8 * i));
	sodium_bin2base64(b64, sizeof b64, raw, sizeof raw,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return arena_printf(a, "c%s", b64);
}

int
cursor_decode(const char *s, int64_t *id)
{
	unsigned char raw[8];
	size_t len = 0;
	uint64_t v = 0;

	if (!s || s[0] != 'c' || strlen(s) != 12)
		return -1;
	if (sodium_base642bin(raw, sizeof raw, s + 1, strlen(s + 1), NULL, &len, NULL,
	                      sodium_base64_VARIANT_URLSAFE_NO_PADDING) ||
	    len != 8)
		return -1;
	for (int i = 0; i < 8; i++)
		v = v << 8 | raw[i];
	if (v == 0 || v > INT64_MAX)
		return -1;
	*id = (int64_t)v;
	return 0;
}

enum err
req_page(struct req *rq, struct page *pg)
{
	int64_t limit = LIST_LIMIT_DEFAULT;
	const char *cur = req_query(rq, "cursor");
	enum err rc;

	pg->cursor = 0;
	if ((rc = req_query_i64(rq, "limit", 1, LIST_LIMIT_MAX, &limit)))
		return rc;
	pg->limit = (int)limit;
	if (cur && cursor_decode(cur, &pg->cursor))
		return err_set(&rq->ei, ERR_PARSE, "cursor", "cursor is not one this server gave");
	return ERR_OK;
}

json_t *
list_json(json_t *items, const struct page *pg, int64_t last_id)
{
	json_t *next = json_null();
	struct arena a = { 0 };

	if (json_array_size(items) > (size_t)pg->limit) {
		json_array_remove(items, (size_t)pg->limit);
		json_decref(next);
		next = json_string(cursor_encode(&a, last_id));
		arena_release(&a);
	}
	return json_pack("{soso}", "items", items, "next_cursor", next);
}

enum err
resp_json(struct resp *rs, int status, json_t *j)
{
	char *text;

	if (!j)
		return ERR_NOMEM;
	text = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(6));
	json_decref(j);
	if (!text)
		return ERR_NOMEM;
	free(rs->body);
	rs->body = text;
	rs->body_len = strlen(text);
	rs->status = status;
	rs->content_type = "application/json";
	return ERR_OK;
}

enum err
resp_text(struct resp *rs, int status, const char *type, const char *body, size_t len)
{
	char *copy = malloc(len + 1);

	if (!copy)
		return ERR_NOMEM;
	memcpy(copy, body, len);
	copy[len] = '\0';
	free(rs->body);
	rs->body = copy;
	rs->body_len = len;
	rs->status = status;
	rs->content_type = type;
	return ERR_OK;
}

void
resp_header(struct resp *rs, const char *name, const char *value)
{
	if (rs->nheaders < RESP_MAX_HEADERS)
		rs->headers[rs->nheaders++] = (struct header){ name, value };
}

void
resp_free(struct resp *rs)
{
	free(rs->body);
	rs->body = NULL;
}
