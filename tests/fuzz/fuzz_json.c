/* Strict JSON input (base/jin.c) over arbitrary bytes: jin_parse, then the
 * readers run with the field list of one resource's request body, chosen by
 * the first byte. The handlers' parse functions are static and reach the
 * database right after parsing, so their field lists are replicated here
 * from the files of src/api (fuzz_api drives the real handlers on a database).
 *
 * Checked: no crash or sanitizer finding; what a reader accepts holds its
 * promise (a string without NUL or control characters, at most max
 * characters, valid UTF-8; an integer in range; a date that formats back to
 * itself; money with an ISO currency); a parsed document dumps and parses
 * back equal; every error renders as a 4xx in the error shape. */
#include "fuzz.h"

#include <inttypes.h>

#include "base/clock.h"
#include "base/iso.h"
#include "base/jin.h"

enum kind {
	END,     /* end of a schema or of a nested object */
	STR,     /* jin_str; a = max characters */
	I64,     /* jin_i64; a..b */
	BOOL,    /* jin_bool */
	MONEY,   /* jin_money; a = minimum amount */
	DATE,    /* jin_date */
	OBJ,     /* jin_obj: the fields up to the matching END are its own */
	STRLIST, /* a list of strings read by hand (products, domains); a = max items */
};

struct field {
	enum kind kind;
	const char *key;
	unsigned flags;
	int64_t a, b;
};

#define R JIN_REQUIRED
#define ML JIN_MULTILINE
#define ID(k, f)                                                                                   \
	{                                                                                          \
		I64, k, f, 1, INT64_MAX                                                            \
	}

static const struct field partner[] = {
	{ STR, "name", R, 200, 0 },
	{ STR, "type", R, 32, 0 },
	{ STR, "status", 0, 32, 0 },
	{ STR, "domain", 0, 2048, 0 },
	{ STR, "country", 0, 100, 0 },
	{ STR, "region", 0, 100, 0 },
	ID("account_manager_id", 0),
	{ MONEY, "credit_line", 0, 0, 0 },
	{ I64, "designated_consultants", 0, 0, 10000 },
	{ END, NULL, 0, 0, 0 },
};

static const struct field agreement[] = {
	{ STR, "type", 0, 32, 0 },
	{ I64, "discount_bps", 0, 0, 10000 },
	{ I64, "fee_bps", 0, 0, 10000 },
	{ I64, "split_bps", 0, 0, 10000 },
	{ I64, "services_discount_bps", 0, 0, 10000 },
	{ I64, "referral_window_days", 0, 1, 3650 },
	{ MONEY, "revenue_commitment", 0, 0, 0 },
	{ DATE, "start_date", 0, 0, 0 },
	{ DATE, "end_date", 0, 0, 0 },
	{ I64, "term_months", 0, 1, 120 },
	{ BOOL, "auto_renew", 0, 0, 0 },
	{ I64, "notice_days", 0, 0, 365 },
	{ BOOL, "exclusive", 0, 0, 0 },
	{ END, NULL, 0, 0, 0 },
};

static const struct field user[] = {
	{ STR, "email", R, 254, 0 }, ID("partner_id", 0),         { STR, "name", 0, 1000, 0 },
	{ STR, "role", R, 64, 0 },   { BOOL, "active", 0, 0, 0 }, { STR, "password", R, 1024, 0 },
	{ END, NULL, 0, 0, 0 },
};

static const struct field account[] = {
	{ STR, "name", R, 200, 0 },
	{ STR, "domain", 0, 2048, 0 },
	{ STRLIST, "domains", 0, 20, 2048 },
	{ STR, "country", 0, 100, 0 },
	{ STR, "status", 0, 32, 0 },
	{ STR, "external_id", 0, 100, 0 },
	{ OBJ, "owner", 0, 0, 0 },
	{ STR, "kind", R, 16, 0 },
	ID("user_id", 0),
	ID("partner_id", 0),
	{ END, NULL, 0, 0, 0 },
	{ END, NULL, 0, 0, 0 },
};

static const struct field registration[] = {
	{ OBJ, "customer", R, 0, 0 },  { STR, "name", R, 200, 0 },
	{ STR, "domain", 0, 2048, 0 }, { STR, "country", 0, 100, 0 },
	{ END, NULL, 0, 0, 0 },        ID("partner_id", 0),
	{ MONEY, "amount", R, 1, 0 },  { DATE, "expected_close", R, 0, 0 },
	{ STR, "notes", ML, 5000, 0 }, { OBJ, "contact", 0, 0, 0 },
	{ STR, "name", 0, 200, 0 },    { STR, "email", 0, 254, 0 },
	{ END, NULL, 0, 0, 0 },        { STRLIST, "products", 0, 50, 200 },
	{ END, NULL, 0, 0, 0 },
};

static const struct field opportunity[] = {
	{ STR, "name", R, 200, 0 },
	ID("account_id", R),
	{ MONEY, "amount", R, 1, 0 },
	{ DATE, "expected_close", R, 0, 0 },
	{ STR, "stage", 0, 50, 0 },
	ID("partner_id", 0),
	{ STR, "source", 0, 20, 0 },
	ID("owner_user_id", 0),
	{ I64, "probability", 0, 0, 100 },
	{ STR, "forecast_category", 0, 20, 0 },
	{ DATE, "customer_po_on", 0, 0, 0 },
	{ DATE, "partner_order_on", 0, 0, 0 },
	{ END, NULL, 0, 0, 0 },
};

static const struct field session[] = {
	{ STR, "email", R, 254, 0 },
	{ STR, "password", R, 256, 0 },
	{ END, NULL, 0, 0, 0 },
};

static const struct field decision[] = {
	{ STR, "note", ML, 2000, 0 },
	{ BOOL, "override", 0, 0, 0 },
	{ STR, "reason", R | ML, 2000, 0 },
	{ END, NULL, 0, 0, 0 },
};

static const struct field checklist_item[] = {
	{ STR, "item", R, 32, 0 }, ID("owner_user_id", 0), { DATE, "due", 0, 0, 0 },
	{ BOOL, "done", 0, 0, 0 }, { END, NULL, 0, 0, 0 },
};

static const struct field tier[] = {
	{ STR, "name", R, 50, 0 },
	{ MONEY, "threshold", R, 0, 0 },
	{ I64, "uplift_bps", R, 0, 10000 },
	{ END, NULL, 0, 0, 0 },
};

static const struct field engagement[] = {
	{ I64, "protection_days", R, 1, 3650 },
	{ I64, "extension_days", R, 1, 3650 },
	{ I64, "max_extensions", R, 0, 100 },
	{ I64, "escalation_business_days", R, 1, 365 },
	ID("escalation_user_id", 0),
	{ STR, "time_zone", R, 64, 0 },
	{ BOOL, "first_registration_wins", R, 0, 0 },
	{ STR, "direct_conflict", R, 16, 0 },
	{ STR, "partner_accounts", R, 16, 0 },
	{ STRLIST, "business_days", 0, 7, 3 },
	{ END, NULL, 0, 0, 0 },
};

static const struct {
	const struct field *fields;
	const char *list; /* a list of objects under this key, each read with fields */
} schemas[] = {
	{ partner, NULL }, { agreement, NULL },    { user, NULL },
	{ account, NULL }, { registration, NULL }, { opportunity, NULL },
	{ session, NULL }, { decision, NULL },     { checklist_item, "checklist" },
	{ tier, "tiers" }, { engagement, NULL },
};

static struct errinfo ei;

static void
check_str(const char *key, const char *s, int64_t max, unsigned flags)
{
	size_t n;

	if (!s)
		return;
	n = strlen(s);
	FUZZ_CHECK(n > 0, "%s: an empty string came back", key);
	FUZZ_CHECK(fuzz_utf8_valid(s, n), "%s: not UTF-8", key);
	FUZZ_CHECK(utf8_chars(s) <= (size_t)max, "%s: %zu characters, max %" PRId64, key,
	           utf8_chars(s), max);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		FUZZ_CHECK(*p >= 0x20 && *p != 0x7f ? 1
		                                    : ((flags & JIN_MULTILINE) &&
		                                       (*p == '\n' || *p == '\t' || *p == '\r')),
		           "%s: control character 0x%02x accepted", key, *p);
}

/* Reads the fields from *f on in, up to their END; returns the error. */
static enum err
read_fields(struct jin *in, const struct field **f, unsigned req_mask)
{
	enum err rc = ERR_OK;

	for (; (*f)->kind != END; (*f)++) {
		const struct field *x = *f;
		unsigned flags = x->flags & ~(JIN_REQUIRED & ~req_mask);
		int set = -1;

		switch (x->kind) {
		case STR: {
			const char *s = NULL;
			if ((rc = jin_str(in, x->key, flags, (size_t)x->a, &s, &set)))
				return rc;
			check_str(x->key, s, x->a, flags);
			FUZZ_CHECK(!(flags & JIN_REQUIRED) || s, "%s: required but NULL", x->key);
			break;
		}
		case I64: {
			int64_t v = INT64_MIN;
			if ((rc = jin_i64(in, x->key, flags, x->a, x->b, &v, &set)))
				return rc;
			FUZZ_CHECK(!set || (v >= x->a && v <= x->b), "%s: %" PRId64 " accepted",
			           x->key, v);
			break;
		}
		case BOOL: {
			int v = -1;
			if ((rc = jin_bool(in, x->key, flags, &v, &set)))
				return rc;
			FUZZ_CHECK(!set || v == 0 || v == 1, "%s: bool %d", x->key, v);
			break;
		}
		case MONEY: {
			struct money m = { -1, "" };
			if ((rc = jin_money(in, x->key, flags, x->a, &m, &set)))
				return rc;
			if (m.currency[0]) {
				FUZZ_CHECK(m.amount >= x->a && m.amount <= MONEY_MAX,
				           "%s: amount %" PRId64, x->key, m.amount);
				FUZZ_CHECK(strlen(m.currency) == 3 &&
				                   iso_currency_minor(m.currency) >= 0,
				           "%s: currency %s", x->key, m.currency);
			}
			break;
		}
		case DATE: {
			int64_t d = INT64_MIN;
			char buf[DATE_LEN];
			json_t *v = in->obj ? json_object_get(in->obj, x->key) : NULL;
			if ((rc = jin_date(in, x->key, flags, &d, &set)))
				return rc;
			if (d != INT64_MIN) {
				date_format(d, buf);
				FUZZ_CHECK(json_is_string(v) && !strcmp(buf, json_string_value(v)),
				           "%s: date read as %s", x->key, buf);
			}
			break;
		}
		case OBJ: {
			struct jin child;
			(*f)++;
			if ((rc = jin_obj(in, x->key, flags, &child)))
				return rc;
			if (!child.obj) {
				while ((*f)->kind != END)
					(*f)++;
				break;
			}
			if ((rc = read_fields(&child, f, req_mask)) || (rc = jin_done(&child)))
				return rc;
			break;
		}
		case STRLIST: {
			json_t *list = in->obj ? json_object_get(in->obj, x->key) : NULL, *v;
			size_t i;
			if (in->nasked < JIN_MAX_KEYS)
				in->asked[in->nasked++] = x->key;
			if (!list || json_is_null(list))
				break;
			if (!json_is_array(list) || json_array_size(list) > (size_t)x->a)
				return err_set(in->ei, ERR_INVALID, x->key, "a list of at most %d",
				               (int)x->a);
			json_array_foreach(list, i, v)
			{
				if (!json_is_string(v) || json_string_length(v) == 0 ||
				    strlen(json_string_value(v)) != json_string_length(v) ||
				    utf8_chars(json_string_value(v)) > (size_t)x->b)
					return err_set(in->ei, ERR_INVALID, x->key, "bad item");
			}
			break;
		}
		case END: break;
		}
	}
	return rc;
}

static enum err
read_schema(json_t *root, struct arena *a, unsigned which, unsigned req_mask)
{
	const struct field *f = schemas[which].fields;
	const char *list_key = schemas[which].list;
	struct jin in;
	enum err rc;

	if (!list_key) {
		jin_init(&in, root, a, &ei);
		if ((rc = read_fields(&in, &f, req_mask)))
			return rc;
		return jin_done(&in);
	} else {
		json_t *list = json_object_get(root, list_key), *v;
		size_t i;
		if (!json_is_array(list))
			return err_set(&ei, ERR_INVALID, list_key, "a list");
		json_array_foreach(list, i, v)
		{
			if (!json_is_object(v))
				return err_set(&ei, ERR_INVALID, list_key, "objects");
			jin_init(&in, v, a, &ei);
			in.prefix = arena_printf(a, "%s[%zu].", list_key, i);
			f = schemas[which].fields;
			if ((rc = read_fields(&in, &f, req_mask)) || (rc = jin_done(&in)))
				return rc;
		}
	}
	return ERR_OK;
}

static void
check_roundtrip(json_t *root)
{
	char *text = json_dumps(root, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
	json_error_t je;
	json_t *back;

	if (!text)
		return; /* a document deeper than jansson writes */
	back = json_loads(text, JSON_REJECT_DUPLICATES, &je);
	FUZZ_CHECK(back && json_equal(root, back), "dump of a parsed document reads back as %s: %s",
	           back ? "another value" : "an error", back ? "" : je.text);
	json_decref(back);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	unsigned sel = fuzz_u8(&in);
	unsigned which = sel % (sizeof schemas / sizeof schemas[0]);
	unsigned req_mask = (sel & 0x80) ? JIN_REQUIRED : 0; /* create or update */
	struct arena a = { 0 };
	json_t *root = NULL;
	char *body = malloc(in.n + 1);
	enum err rc;

	if (!body)
		abort();
	memcpy(body, in.p, in.n);
	body[in.n] = '\0';
	memset(&ei, 0, sizeof ei);
	rc = jin_parse(body, in.n, &ei, &root);
	if (rc) {
		FUZZ_CHECK(rc == ERR_PARSE && !root, "jin_parse gave %d", (int)rc);
		fuzz_check_error(rc, &ei, "jin_parse");
	} else {
		FUZZ_CHECK(json_is_object(root), "jin_parse gave a non-object");
		check_roundtrip(root);
		rc = read_schema(root, &a, which, req_mask);
		if (rc) {
			FUZZ_CHECK(rc == ERR_INVALID || rc == ERR_NOMEM, "reader gave %d", (int)rc);
			if (rc == ERR_INVALID)
				fuzz_check_error(rc, &ei, "jin readers");
		}
	}
	json_decref(root);
	arena_release(&a);
	free(body);
	return 0;
}
