#include "domain/account.h"

#include <string.h>

#include "base/iso.h"
#include "base/jin.h"
#include "domain/audit.h"
#include "domain/conflict.h"
#include "domain/partner.h"
#include "domain/role.h"
#include "domain/search.h"
#include "store/partner.h"
#include "store/user.h"

const char *const account_statuses[] = { "prospect", "customer", NULL };
const char *const account_owner_kinds[] = { "direct", "partner", NULL };

static int
is_system(const struct ctx *c)
{
	return c->actor.role == ROLE_NONE && c->actor.user_id == 0;
}

static enum err
may_write(struct ctx *c)
{
	if (is_system(c) || role_is_partner(c->actor.role) ||
	    (role_in(c->actor.role, ROLES_VENDOR) && c->actor.role != ROLE_FINANCE))
		return ERR_OK;
	return err_set(c->ei, ERR_FORBIDDEN, NULL, "finance does not create or change accounts");
}

/* Checks and normalises the given fields of in onto a. */
static enum err
apply(struct ctx *c, const struct account_input *in, struct account *a)
{
	enum err rc;

	if (in->has_name) {
		if (!in->name)
			return err_set(c->ei, ERR_INVALID, "name", "name is required");
		if (utf8_chars(in->name) > ACCOUNT_NAME_MAX)
			return err_set(c->ei, ERR_INVALID, "name",
			               "name is longer than %d characters", ACCOUNT_NAME_MAX);
		a->name = in->name;
	}
	if (in->has_domains) {
		a->ndomains = 0;
		for (int i = 0; i < in->ndomains; i++) {
			char key[256];
			int dup = 0;
			if (conflict_domain_key(in->domains[i], key, sizeof key))
				return err_set(
				        c->ei, ERR_INVALID, i ? "domains" : "domain",
				        "%.100s is not a company's web domain (a host, URL or"
				        " e-mail address; free-mail domains do not count)",
				        in->domains[i]);
			for (int k = 0; k < a->ndomains; k++)
				dup |= !strcmp(a->domains[k], key);
			if (!dup)
				a->domains[a->ndomains++] = arena_strdup(c->arena, key);
		}
	}
	if (in->has_country) {
		a->country = NULL;
		if (in->country && !(a->country = iso_country(in->country)))
			return err_set(
			        c->ei, ERR_INVALID, "country",
			        "country must be an ISO 3166 code or an English country name");
	}
	if (in->has_status) {
		if (name_index(account_statuses, in->status) < 0)
			return err_set(c->ei, ERR_INVALID, "status",
			               "status must be prospect or customer");
		a->status = in->status;
	}
	if (in->has_external_id) {
		if (in->external_id && utf8_chars(in->external_id) > EXTERNAL_ID_MAX)
			return err_set(c->ei, ERR_INVALID, "external_id",
			               "external_id is longer than %d characters", EXTERNAL_ID_MAX);
		a->external_id = in->external_id;
	}
	if (in->has_owner) {
		if (ctx_scope(c)) {
			/* a partner's accounts stay its own */
			if ((in->owner_kind && strcmp(in->owner_kind, "partner")) ||
			    (in->owner_partner_id && in->owner_partner_id != ctx_scope(c)))
				return err_set(c->ei, ERR_FORBIDDEN, "owner",
				               "a partner user's accounts belong to its partner");
			return ERR_OK;
		}
		if (name_index(account_owner_kinds, in->owner_kind) < 0)
			return err_set(c->ei, ERR_INVALID, "owner.kind",
			               "owner.kind must be direct or partner");
		a->owner_kind = in->owner_kind;
		a->owner_partner_id = 0;
		a->owner_user_id = in->owner_user_id;
		if (!strcmp(in->owner_kind, "partner")) {
			struct partner p;
			if (!in->owner_partner_id)
				return err_set(c->ei, ERR_INVALID, "owner.partner_id",
				               "a partner-owned account names owner.partner_id");
			rc = store_partner_get(c, in->owner_partner_id, &p);
			if (rc == ERR_NOTFOUND)
				return err_set(c->ei, ERR_INVALID, "owner.partner_id",
				               "no partner %lld", (long long)in->owner_partner_id);
			if (rc)
				return rc;
			a->owner_partner_id = in->owner_partner_id;
		} else if (in->owner_partner_id) {
			return err_set(c->ei, ERR_INVALID, "owner.partner_id",
			               "a direct account has no owner.partner_id");
		}
		if (in->owner_user_id) {
			struct user u;
			rc = store_user_get(c, in->owner_user_id, &u);
			if (rc == ERR_NOTFOUND ||
			    (!rc && (!u.active || (u.partner_id != a->owner_partner_id))))
				return err_set(c->ei, ERR_INVALID, "owner.user_id",
				               "owner.user_id must be an active user of the owner");
			if (rc)
				return rc;
		}
	}
	return ERR_OK;
}

static void
diff(struct changes *ch, const struct account *a, const struct account *b)
{
	changes_str(ch, "name", a ? a->name : NULL, b->name);
	changes_str(ch, "domain", a && a->ndomains ? a->domains[0] : NULL,
	            b->ndomains ? b->domains[0] : NULL);
	if (ch->obj) {
		json_t *old = json_array(), *new = json_array();
		for (int i = 0; a && i < a->ndomains; i++)
			json_array_append_new(old, json_string(a->domains[i]));
		for (int i = 0; i < b->ndomains; i++)
			json_array_append_new(new, json_string(b->domains[i]));
		if (!json_equal(old, new))
			json_object_set_new(ch->obj, "domains", json_pack("[oo]", old, new));
		else {
			json_decref(old);
			json_decref(new);
		}
	}
	changes_str(ch, "country", a ? a->country : NULL, b->country);
	changes_str(ch, "status", a ? a->status : NULL, b->status);
	changes_str(ch, "owner_kind", a ? a->owner_kind : NULL, b->owner_kind);
	changes_i64(ch, "owner_partner_id", a && a->owner_partner_id, a ? a->owner_partner_id : 0,
	            b->owner_partner_id != 0, b->owner_partner_id);
	changes_i64(ch, "owner_user_id", a && a->owner_user_id, a ? a->owner_user_id : 0,
	            b->owner_user_id != 0, b->owner_user_id);
	changes_str(ch, "external_id", a ? a->external_id : NULL, b->external_id);
}

enum err
account_create(struct ctx *c, const struct account_input *in, struct account *out)
{
	struct changes ch;
	enum err rc;

	memset(out, 0, sizeof *out);
	if ((rc = may_write(c)))
		return rc;
	if (!in->name)
		return err_set(c->ei, ERR_INVALID, "name", "name is required");
	out->status = "prospect";
	out->owner_kind = "direct";
	if (ctx_scope(c)) {
		out->owner_kind = "partner";
		out->owner_partner_id = ctx_scope(c);
		out->owner_user_id = c->actor.user_id;
	}
	if ((rc = apply(c, in, out)))
		return rc;
	out->created_at = out->updated_at = c->now;
	if ((rc = store_account_insert(c, out, search_key(c, out->name))))
		return rc;
	changes_init(&ch);
	diff(&ch, NULL, out);
	if ((rc = audit_write(c, "create", "account", out->id, &ch)))
		return rc;
	return conflict_note_account(c, out);
}

enum err
account_get(struct ctx *c, int64_t id, struct account *out)
{
	enum err rc = store_account_get(c, id, out);

	if (rc == ERR_NOTFOUND)
		return err_set(c->ei, rc, NULL, "no account %lld", (long long)id);
	return rc;
}

enum err
account_update(struct ctx *c, int64_t id, const struct account_input *in, struct account *out)
{
	struct account old;
	struct changes ch;
	enum err rc;

	if ((rc = account_get(c, id, &old)) || (rc = may_write(c)))
		return rc;
	*out = old;
	if ((rc = apply(c, in, out)))
		return rc;
	changes_init(&ch);
	diff(&ch, &old, out);
	if (changes_empty(&ch)) {
		changes_release(&ch);
		*out = old;
		return ERR_OK;
	}
	out->updated_at = c->now;
	if ((rc = store_account_update(c, out, search_key(c, out->name)))) {
		changes_release(&ch);
		return rc;
	}
	if ((rc = audit_write(c, "update", "account", id, &ch)))
		return rc;
	return conflict_note_account(c, out);
}

enum err
account_list(struct ctx *c, struct account_filter *f, struct account **items, size_t *n)
{
	if (ctx_scope(c) && f->partner_id && f->partner_id != ctx_scope(c))
		return err_set(c->ei, ERR_NOTFOUND, "partner_id", "no partner %lld",
		               (long long)f->partner_id);
	f->q = search_pattern(c, f->q);
	return store_account_list(c, f, items, n);
}

enum err
account_upsert(struct ctx *c, const struct account_input *in, struct account *out, int *created)
{
	struct account probe = { 0 };
	int64_t id = 0;
	enum err rc;

	*created = 0;
	if (!in->name)
		return err_set(c->ei, ERR_INVALID, "name", "name is required");
	/* normalise the keys the way a create would, to find the same account */
	if ((rc = apply(c,
	                &(struct account_input){ .name = in->name,
	                                         .has_name = 1,
	                                         .country = in->country,
	                                         .has_country = in->has_country,
	                                         .ndomains = in->ndomains ? 1 : 0,
	                                         .has_domains = in->has_domains,
	                                         .domains = { in->domains[0] } },
	                &probe)))
		return rc;
	rc = store_account_find_import(c, in->external_id, search_key(c, in->name), probe.country,
	                               probe.ndomains ? probe.domains[0] : NULL,
	                               in->owner_partner_id, &id);
	if (rc == ERR_NOTFOUND) {
		*created = 1;
		return account_create(c, in, out);
	}
	if (rc)
		return rc;
	return account_update(c, id, in, out);
}
