#include "domain/audit.h"

#include <stdlib.h>
#include <string.h>

#include "domain/role.h"

void
changes_init(struct changes *ch)
{
	ch->obj = json_object();
}

void
changes_release(struct changes *ch)
{
	json_decref(ch->obj);
	ch->obj = NULL;
}

static void
put(struct changes *ch, const char *field, json_t *old, json_t *new)
{
	if (ch->obj && !json_equal(old, new))
		json_object_set_new(ch->obj, field, json_pack("[oo]", old, new));
	else {
		json_decref(old);
		json_decref(new);
	}
}

static json_t *
str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

void
changes_str(struct changes *ch, const char *field, const char *old, const char *new)
{
	put(ch, field, str_or_null(old), str_or_null(new));
}

void
changes_i64(struct changes *ch, const char *field, int has_old, int64_t old, int has_new,
            int64_t new)
{
	put(ch, field, has_old ? json_integer(old) : json_null(),
	    has_new ? json_integer(new) : json_null());
}

void
changes_bool(struct changes *ch, const char *field, int old, int new)
{
	put(ch, field, json_boolean(old), json_boolean(new));
}

static json_t *
money_json(const struct money *m)
{
	if (!m || !m->currency[0])
		return json_null();
	return json_pack("{sIss}", "amount", (json_int_t)m->amount, "currency", m->currency);
}

void
changes_money(struct changes *ch, const char *field, const struct money *old,
              const struct money *new)
{
	put(ch, field, money_json(old), money_json(new));
}

void
changes_secret(struct changes *ch, const char *field)
{
	if (ch->obj)
		json_object_set_new(ch->obj, field, json_pack("[ss]", "***", "***"));
}

int
changes_empty(const struct changes *ch)
{
	return !ch->obj || json_object_size(ch->obj) == 0;
}

enum err
audit_write(struct ctx *c, const char *action, const char *entity, int64_t entity_id,
            struct changes *ch)
{
	char *text;
	enum err rc;

	if (!ch->obj)
		return ERR_NOMEM;
	text = json_dumps(ch->obj, JSON_COMPACT | JSON_SORT_KEYS);
	changes_release(ch);
	if (!text)
		return ERR_NOMEM;
	rc = store_audit_add(c, action, entity, entity_id, text);
	free(text);
	return rc;
}

enum err
audit_list(struct ctx *c, const struct audit_filter *f, struct audit_event **items, size_t *n)
{
	if (c->actor.role != ROLE_ADMIN)
		return err_set(c->ei, ERR_FORBIDDEN, NULL, "only admins read the audit log");
	return store_audit_list(c, f, items, n);
}
