#include "base/jin.h"

#include <string.h>

#include "base/clock.h"
#include "base/iso.h"

enum err
jin_parse(const char *body, size_t len, struct errinfo *ei, json_t **root)
{
	json_error_t je;
	json_t *j;

	*root = NULL;
	if (len == 0)
		return err_set(ei, ERR_PARSE, NULL, "request body is empty; send a JSON object");
	j = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!j)
		return err_set(ei, ERR_PARSE, NULL, "malformed JSON at line %d, column %d: %s",
		               je.line, je.column, je.text);
	if (!json_is_object(j)) {
		json_decref(j);
		return err_set(ei, ERR_PARSE, NULL, "the body must be a JSON object");
	}
	*root = j;
	return ERR_OK;
}

void
jin_init(struct jin *in, json_t *obj, struct arena *a, struct errinfo *ei)
{
	memset(in, 0, sizeof *in);
	in->obj = obj;
	in->prefix = "";
	in->arena = a;
	in->ei = ei;
}

static const char *
field(struct jin *in, const char *key)
{
	const char *f;

	if (!*in->prefix)
		return key;
	f = arena_printf(in->arena, "%s%s", in->prefix, key);
	return f ? f : key;
}

/* Marks key asked and returns its value: NULL when absent. */
static json_t *
take(struct jin *in, const char *key)
{
	if (in->nasked < JIN_MAX_KEYS)
		in->asked[in->nasked++] = key;
	return in->obj ? json_object_get(in->obj, key) : NULL;
}

static enum err
missing(struct jin *in, const char *key)
{
	return err_set(in->ei, ERR_INVALID, field(in, key), "%s%s is required", in->prefix, key);
}

size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int
utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int n = *p < 0x80             ? 0
		        : (*p & 0xE0) == 0xC0 ? 1
		        : (*p & 0xF0) == 0xE0 ? 2
		        : (*p & 0xF8) == 0xF0 ? 3
		                              : -1;
		unsigned long cp;

		if (n < 0 || *p == 0xC0 || *p == 0xC1 || *p > 0xF4)
			return 0;
		cp = *p & (0x7Fu >> n);
		for (int i = 1; i <= n; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i] & 0x3Fu);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		p += n + 1;
	}
	return 1;
}

/* Length of the well-formed UTF-8 character at p, or 0 when it is not one. */
static int
utf8_len(const unsigned char *p)
{
	char one[5] = { 0 };
	int n = *p < 0x80             ? 1
	        : (*p & 0xE0) == 0xC0 ? 2
	        : (*p & 0xF0) == 0xE0 ? 3
	        : (*p & 0xF8) == 0xF0 ? 4
	                              : 0;

	for (int i = 0; i < n; i++) {
		if (!p[i])
			return 0;
		one[i] = (char)p[i];
	}
	return n && utf8_valid(one) ? n : 0;
}

void
utf8_scrub(const char *s, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;

	if (!size)
		return;
	while (*p) {
		int n = utf8_len(p);
		if (!n) {
			if (o + 1 >= size)
				break;
			out[o++] = '?';
			p++;
			continue;
		}
		if (o + (size_t)n >= size)
			break;
		memcpy(out + o, p, (size_t)n);
		o += (size_t)n;
		p += n;
	}
	out[o] = '\0';
}

enum err
jin_str(struct jin *in, const char *key, unsigned flags, size_t max_chars, const char **out,
        int *set)
{
	json_t *v = take(in, key);
	const char *s;

	if (set)
		*set = v != NULL;
	if (!v || json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0)) {
		if (flags & JIN_REQUIRED)
			return missing(in, key);
		if (v)
			*out = NULL;
		return ERR_OK;
	}
	if (!json_is_string(v))
		return err_set(in->ei, ERR_INVALID, field(in, key), "%s%s must be a string",
		               in->prefix, key);
	s = json_string_value(v);
	if (strlen(s) != json_string_length(v))
		return err_set(in->ei, ERR_INVALID, field(in, key), "%s%s must not contain NUL",
		               in->prefix, key);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 &&
		     !((flags & JIN_MULTILINE) && (*p == '\n' || *p == '\t' || *p == '\r'))) ||
		    *p == 0x7f)
			return err_set(in->ei, ERR_INVALID, field(in, key),
			               "%s%s must not contain control characters", in->prefix, key);
	if (utf8_chars(s) > max_chars)
		return err_set(in->ei, ERR_INVALID, field(in, key),
		               "%s%s is longer than %zu characters", in->prefix, key, max_chars);
	*out = arena_strdup(in->arena, s);
	return *out ? ERR_OK : ERR_NOMEM;
}

enum err
jin_i64(struct jin *in, const char *key, unsigned flags, int64_t min, int64_t max, int64_t *out,
        int *set)
{
	json_t *v = take(in, key);
	json_int_t i;

	if (set)
		*set = v != NULL && !json_is_null(v);
	if (!v || json_is_null(v))
		return (flags & JIN_REQUIRED) ? missing(in, key) : ERR_OK;
	if (!json_is_integer(v))
		return err_set(in->ei, ERR_INVALID, field(in, key), "%s%s must be an integer",
		               in->prefix, key);
	i = json_integer_value(v);
	if (i < min || i > max)
		return err_set(in->ei, ERR_INVALID, field(in, key),
		               "%s%s must be between %lld and %lld", in->prefix, key,
		               (long long)min, (long long)max);
	*out = i;
	return ERR_OK;
}

enum err
jin_bool(struct jin *in, const char *key, unsigned flags, int *out, int *set)
{
	json_t *v = take(in, key);

	if (set)
		*set = v != NULL && !json_is_null(v);
	if (!v || json_is_null(v))
		return (flags & JIN_REQUIRED) ? missing(in, key) : ERR_OK;
	if (!json_is_boolean(v))
		return err_set(in->ei, ERR_INVALID, field(in, key), "%s%s must be true or false",
		               in->prefix, key);
	*out = json_is_true(v);
	return ERR_OK;
}

enum err
jin_obj(struct jin *in, const char *key, unsigned flags, struct jin *child)
{
	json_t *v = take(in, key);

	jin_init(child, NULL, in->arena, in->ei);
	child->prefix = arena_printf(in->arena, "%s%s.", in->prefix, key);
	if (!child->prefix)
		return ERR_NOMEM;
	if (!v || json_is_null(v))
		return (flags & JIN_REQUIRED) ? missing(in, key) : ERR_OK;
	if (!json_is_object(v))
		return err_set(in->ei, ERR_INVALID, field(in, key), "%s%s must be an object",
		               in->prefix, key);
	child->obj = v;
	return ERR_OK;
}

enum err
jin_money(struct jin *in, const char *key, unsigned flags, int64_t min, struct money *out, int *set)
{
	struct jin m;
	const char *cur = NULL;
	int64_t amount = 0;
	enum err rc;
	json_t *v = in->obj ? json_object_get(in->obj, key) : NULL;

	if (set)
		*set = v != NULL;
	if ((rc = jin_obj(in, key, flags, &m)))
		return rc;
	if (!m.obj) {
		if (v)
			memset(out, 0, sizeof *out);
		return ERR_OK;
	}
	if ((rc = jin_i64(&m, "amount", JIN_REQUIRED, min, MONEY_MAX, &amount, NULL)) ||
	    (rc = jin_str(&m, "currency", JIN_REQUIRED, 3, &cur, NULL)))
		return rc;
	if (strlen(cur) != 3 || iso_currency_minor(cur) < 0)
		return err_set(in->ei, ERR_INVALID, field(&m, "currency"),
		               "%s is not an ISO 4217 currency code (upper case, e.g. USD)",
		               field(&m, "currency"));
	if ((rc = jin_done(&m)))
		return rc;
	out->amount = amount;
	memcpy(out->currency, cur, 4);
	return ERR_OK;
}

enum err
jin_date(struct jin *in, const char *key, unsigned flags, int64_t *out, int *set)
{
	const char *s = NULL;
	enum err rc;
	int given = 0;

	if ((rc = jin_str(in, key, flags, 10, &s, &given)))
		return rc;
	if (set)
		*set = given;
	if (!s)
		return ERR_OK;
	if (date_parse(s, out))
		return err_set(in->ei, ERR_INVALID, field(in, key),
		               "%s%s must be a date YYYY-MM-DD", in->prefix, key);
	return ERR_OK;
}

enum err
jin_done(struct jin *in)
{
	const char *key;
	json_t *v;

	if (!in->obj)
		return ERR_OK;
	json_object_foreach(in->obj, key, v)
	{
		unsigned i;
		for (i = 0; i < in->nasked; i++)
			if (!strcmp(in->asked[i], key))
				break;
		if (i == in->nasked) {
			const char *f = field(in, key);
			f = arena_strdup(in->arena, f);
			return err_set(in->ei, ERR_INVALID, f ? f : "?", "unknown field %s",
			               f ? f : "?");
		}
	}
	return ERR_OK;
}
