#include "domain/partner.h"

#include <string.h>

#include "base/iso.h"
#include "base/jin.h"
#include "base/webdomain.h"
#include "domain/audit.h"
#include "domain/role.h"
#include "domain/search.h"
#include "domain/settings.h"
#include "store/statement.h"
#include "store/user.h"

const char *const partner_types[] = { "oem",       "reseller",       "referral",
	                              "affiliate", "implementation", NULL };
const char *const partner_statuses[] = { "prospect", "recruiting", "onboarding", "active",
	                                 "inactive", "terminated", NULL };

int
name_index(const char *const *list, const char *s)
{
	for (int i = 0; s && list[i]; i++)
		if (!strcmp(list[i], s))
			return i;
	return -1;
}

static enum err
may_write(struct ctx *c)
{
	if (c->actor.role == ROLE_ADMIN || c->actor.role == ROLE_CHANNEL_MANAGER ||
	    (c->actor.role == ROLE_NONE && c->actor.user_id == 0))
		return ERR_OK;
	return err_set(c->ei, ERR_FORBIDDEN, NULL,
	               "only admins and channel managers create or change partners");
}

/* Checks and normalises every given field of in onto p. */
static enum err
apply(struct ctx *c, const struct partner_input *in, struct partner *p)
{
	char dom[WEBDOMAIN_MAX + 1];
	const char *code;
	enum err rc;

	if (in->has_name) {
		if (!in->name)
			return err_set(c->ei, ERR_INVALID, "name", "name is required");
		if (utf8_chars(in->name) > PARTNER_NAME_MAX)
			return err_set(c->ei, ERR_INVALID, "name",
			               "name is longer than %d characters", PARTNER_NAME_MAX);
		p->name = in->name;
	}
	if (in->has_type) {
		if (!in->type)
			return err_set(c->ei, ERR_INVALID, "type", "type is required");
		if (name_index(partner_types, in->type) < 0)
			return err_set(c->ei, ERR_INVALID, "type",
			               "type must be one of oem, reseller, referral, affiliate,"
			               " implementation");
		p->type = in->type;
	}
	if (in->has_status && in->status) {
		if (name_index(partner_statuses, in->status) < 0)
			return err_set(c->ei, ERR_INVALID, "status",
			               "status must be one of prospect, recruiting, onboarding,"
			               " active, inactive, terminated");
		p->status = in->status;
	} else if (in->has_status) {
		return err_set(c->ei, ERR_INVALID, "status", "status cannot be empty");
	}
	if (in->has_domain) {
		p->domain = NULL;
		if (in->domain) {
			if (webdomain_registrable(in->domain, dom))
				return err_set(
				        c->ei, ERR_INVALID, "domain",
				        "domain must be a web domain, URL or e-mail address");
			p->domain = arena_strdup(c->arena, dom);
		}
	}
	if (in->has_country) {
		p->country = NULL;
		if (in->country) {
			if (!(code = iso_country(in->country)))
				return err_set(c->ei, ERR_INVALID, "country",
				               "country must be an ISO 3166 code or an English"
				               " country name");
			p->country = code;
		}
	}
	if (in->has_region) {
		if (in->region && utf8_chars(in->region) > REGION_MAX)
			return err_set(c->ei, ERR_INVALID, "region",
			               "region is longer than %d characters", REGION_MAX);
		p->region = in->region;
	}
	if (in->has_account_manager_id) {
		p->account_manager_id = in->account_manager_id;
		if (in->account_manager_id) {
			struct user u;
			rc = store_user_get(c, in->account_manager_id, &u);
			if (rc == ERR_NOTFOUND || (!rc && (u.partner_id || !u.active)))
				return err_set(c->ei, ERR_INVALID, "account_manager_id",
				               "account_manager_id must be an active vendor user");
			if (rc)
				return rc;
		}
	}
	if (in->has_credit_line)
		p->credit_line = in->credit_line;
	if (in->has_designated_consultants)
		p->designated_consultants = in->designated_consultants;
	return ERR_OK;
}

static void
diff(struct changes *ch, const struct partner *a, const struct partner *b)
{
	changes_str(ch, "name", a ? a->name : NULL, b->name);
	changes_str(ch, "type", a ? a->type : NULL, b->type);
	changes_str(ch, "status", a ? a->status : NULL, b->status);
	changes_str(ch, "tier", a ? a->tier : NULL, b->tier);
	changes_str(ch, "domain", a ? a->domain : NULL, b->domain);
	changes_str(ch, "country", a ? a->country : NULL, b->country);
	changes_str(ch, "region", a ? a->region : NULL, b->region);
	changes_i64(ch, "account_manager_id", a && a->account_manager_id,
	            a ? a->account_manager_id : 0, b->account_manager_id != 0,
	            b->account_manager_id);
	changes_money(ch, "credit_line", a ? &a->credit_line : NULL, &b->credit_line);
	changes_i64(ch, "designated_consultants", a != NULL, a ? a->designated_consultants : 0, 1,
	            b->designated_consultants);
}

enum err
partner_create(struct ctx *c, const struct partner_input *in, struct partner *out)
{
	struct tiers tiers;
	struct changes ch;
	enum err rc;

	memset(out, 0, sizeof *out);
	if ((rc = may_write(c)))
		return rc;
	if (!in->name)
		return err_set(c->ei, ERR_INVALID, "name", "name is required");
	if (!in->type)
		return err_set(c->ei, ERR_INVALID, "type", "type is required");
	out->status = "prospect";
	if ((rc = apply(c, in, out)) || (rc = settings_tiers(c, &tiers)))
		return rc;
	out->tier = arena_strdup(c->arena, tiers.items[0].name);
	out->created_at = out->updated_at = c->now;
	if ((rc = store_partner_insert(c, out, search_key(c, out->name))) ||
	    (rc = store_tier_change(c, out->id, out->tier, c->now / 86400)))
		return rc;
	changes_init(&ch);
	diff(&ch, NULL, out);
	return audit_write(c, "create", "partner", out->id, &ch);
}

enum err
partner_get(struct ctx *c, int64_t id, struct partner *out)
{
	enum err rc = store_partner_get(c, id, out);

	if (rc == ERR_NOTFOUND)
		return err_set(c->ei, rc, NULL, "no partner %lld", (long long)id);
	return rc;
}

enum err
partner_update(struct ctx *c, int64_t id, const struct partner_input *in, struct partner *out)
{
	struct partner old;
	struct changes ch;
	enum err rc;

	if ((rc = partner_get(c, id, &old)) || (rc = may_write(c)))
		return rc;
	*out = old;
	if ((rc = apply(c, in, out)))
		return rc;
	out->updated_at = c->now;
	changes_init(&ch);
	diff(&ch, &old, out);
	if (changes_empty(&ch)) {
		changes_release(&ch);
		*out = old;
		return ERR_OK;
	}
	if ((rc = store_partner_update(c, out, search_key(c, out->name)))) {
		changes_release(&ch);
		return rc;
	}
	return audit_write(c, "update", "partner", id, &ch);
}

enum err
partner_list(struct ctx *c, struct partner_filter *f, struct partner **items, size_t *n)
{
	f->q = search_pattern(c, f->q);
	return store_partner_list(c, f, items, n);
}
