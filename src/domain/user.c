#include "domain/user.h"

#include <sodium.h>
#include <string.h>

#include "base/jin.h"
#include "domain/audit.h"
#include "domain/auth.h"
#include "domain/role.h"
#include "store/partner.h"

static int
is_system(const struct ctx *c)
{
	return c->actor.role == ROLE_NONE && c->actor.user_id == 0;
}

/* May the actor manage users at all? Partner admins reach their own partner's
 * users through the store's scope. */
static enum err
may_manage(struct ctx *c)
{
	if (is_system(c) || c->actor.role == ROLE_ADMIN || c->actor.role == ROLE_PARTNER_ADMIN)
		return ERR_OK;
	return err_set(c->ei, ERR_FORBIDDEN, NULL, "only admins and partner admins manage users");
}

static enum err
check_password(struct ctx *c, const char *pw)
{
	size_t n = pw ? utf8_chars(pw) : 0;

	if (n < PASSWORD_MIN)
		return err_set(c->ei, ERR_INVALID, "password",
		               "password must have at least %d characters", PASSWORD_MIN);
	if (n > PASSWORD_MAX)
		return err_set(c->ei, ERR_INVALID, "password",
		               "password must have at most %d characters", PASSWORD_MAX);
	return ERR_OK;
}

static enum err
check_role(struct ctx *c, const char *name, enum role *r)
{
	*r = role_parse(name);
	if (*r == ROLE_NONE)
		return err_set(c->ei, ERR_INVALID, "role",
		               "role must be one of admin, channel_manager, sales_manager,"
		               " sales_rep, marketing, finance, partner_admin, partner_sales,"
		               " partner_marketing, partner_consultant");
	if (c->actor.role == ROLE_PARTNER_ADMIN && !role_is_partner(*r))
		return err_set(c->ei, ERR_FORBIDDEN, "role",
		               "a partner admin gives partner roles only");
	return ERR_OK;
}

static enum err
hash_into(struct ctx *c, const char *pw, const char **out)
{
	char *h = arena_alloc(c->arena, crypto_pwhash_STRBYTES);
	enum err rc;

	if (!h)
		return ERR_NOMEM;
	if ((rc = auth_hash_password(pw, h, crypto_pwhash_STRBYTES)))
		return rc;
	*out = h;
	return ERR_OK;
}

enum err
user_create(struct ctx *c, const struct user_input *in, struct user *out)
{
	char key[256];
	struct changes ch;
	enum role r;
	enum err rc;

	memset(out, 0, sizeof *out);
	if ((rc = may_manage(c)))
		return rc;
	if (!in->email)
		return err_set(c->ei, ERR_INVALID, "email", "email is required");
	if ((rc = auth_email_key(c, in->email, key, sizeof key)))
		return rc;
	if (!in->role)
		return err_set(c->ei, ERR_INVALID, "role", "role is required");
	if ((rc = check_role(c, in->role, &r)))
		return rc;
	if (in->name && utf8_chars(in->name) > USER_NAME_MAX)
		return err_set(c->ei, ERR_INVALID, "name", "name is longer than %d characters",
		               USER_NAME_MAX);
	out->partner_id = in->partner_id;
	if (ctx_scope(c)) {
		/* a partner admin's users belong to its partner */
		if (in->partner_id && in->partner_id != ctx_scope(c))
			return err_set(c->ei, ERR_NOTFOUND, "partner_id", "no such partner");
		out->partner_id = ctx_scope(c);
	}
	if (role_is_partner(r) && !out->partner_id)
		return err_set(c->ei, ERR_INVALID, "partner_id",
		               "a partner role requires partner_id");
	if (!role_is_partner(r) && out->partner_id)
		return err_set(c->ei, ERR_INVALID, "partner_id",
		               "a vendor role belongs to no partner; leave partner_id out");
	if (out->partner_id) {
		struct partner p;
		rc = store_partner_get(c, out->partner_id, &p);
		if (rc == ERR_NOTFOUND)
			return err_set(c->ei, ctx_scope(c) ? ERR_NOTFOUND : ERR_INVALID,
			               "partner_id", "no partner %lld", (long long)out->partner_id);
		if (rc)
			return rc;
	}
	if ((rc = check_password(c, in->password)))
		return rc;
	out->email = arena_strdup(c->arena, key);
	out->name = in->name;
	out->role = role_name(r);
	out->active = in->has_active ? in->active : 1;
	out->created_at = out->updated_at = c->now;
	if ((rc = hash_into(c, in->password, &out->password_hash)))
		return rc;
	rc = store_user_insert(c, out, key);
	if (rc == ERR_CONFLICT)
		return err_set(c->ei, ERR_CONFLICT, "email", "a user with e-mail %s exists", key);
	if (rc)
		return rc;
	changes_init(&ch);
	changes_str(&ch, "email", NULL, out->email);
	changes_str(&ch, "name", NULL, out->name);
	changes_str(&ch, "role", NULL, out->role);
	changes_i64(&ch, "partner_id", 0, 0, out->partner_id != 0, out->partner_id);
	changes_bool(&ch, "active", 0, out->active);
	changes_secret(&ch, "password");
	return audit_write(c, "create", "user", out->id, &ch);
}

/* Is user id the last active admin? */
static enum err
last_admin(struct ctx *c, int64_t id, int *last)
{
	struct user_filter f = { .role = "admin", .active = 1, .limit = 2 };
	struct user *items;
	size_t n;
	enum err rc;

	*last = 0;
	if ((rc = store_user_list(c, &f, &items, &n)))
		return rc;
	*last = n == 1 && items[0].id == id;
	return ERR_OK;
}

enum err
user_update(struct ctx *c, int64_t id, const struct user_input *in, struct user *out)
{
	struct user old;
	struct changes ch;
	enum role r;
	enum err rc;
	int ends_sessions = 0, last;

	if ((rc = store_user_get(c, id, &old))) /* scope: 404 outside the partner */
		return rc == ERR_NOTFOUND ? err_set(c->ei, rc, NULL, "no user %lld", (long long)id)
		                          : rc;
	if ((rc = may_manage(c)))
		return rc;
	if (c->actor.role == ROLE_PARTNER_ADMIN && !role_is_partner(role_parse(old.role)))
		return err_set(c->ei, ERR_FORBIDDEN, NULL,
		               "a partner admin manages partner users only");
	*out = old;
	if (in->has_name) {
		if (in->name && utf8_chars(in->name) > USER_NAME_MAX)
			return err_set(c->ei, ERR_INVALID, "name",
			               "name is longer than %d characters", USER_NAME_MAX);
		out->name = in->name;
	}
	if (in->has_role) {
		if (!in->role)
			return err_set(c->ei, ERR_INVALID, "role", "role cannot be empty");
		if ((rc = check_role(c, in->role, &r)))
			return rc;
		if (role_is_partner(r) != (old.partner_id != 0))
			return err_set(c->ei, ERR_INVALID, "role",
			               old.partner_id ? "a partner's user takes a partner role"
			                              : "a vendor user takes a vendor role");
		out->role = role_name(r);
	}
	if (in->has_active)
		out->active = in->active;
	if (!strcmp(old.role, "admin") && old.active &&
	    (!out->active || strcmp(out->role, "admin"))) {
		if ((rc = last_admin(c, id, &last)))
			return rc;
		if (last)
			return err_set(c->ei, ERR_CONFLICT, in->has_active ? "active" : "role",
			               "this is the last active admin");
	}
	if (in->has_password) {
		if ((rc = check_password(c, in->password)) ||
		    (rc = hash_into(c, in->password, &out->password_hash)))
			return rc;
		ends_sessions = 1;
	}
	if (old.active && !out->active)
		ends_sessions = 1;
	out->updated_at = c->now;
	if ((rc = store_user_update(c, out)))
		return rc;
	if (ends_sessions &&
	    (rc = store_token_revoke_user(c, id, id == c->actor.user_id ? c->actor.token_id : 0)))
		return rc;
	changes_init(&ch);
	changes_str(&ch, "name", old.name, out->name);
	changes_str(&ch, "role", old.role, out->role);
	changes_bool(&ch, "active", old.active, out->active);
	if (in->has_password)
		changes_secret(&ch, "password");
	return audit_write(c, "update", "user", id, &ch);
}

enum err
user_get(struct ctx *c, int64_t id, struct user *out)
{
	enum err rc;

	if (id != c->actor.user_id && (rc = may_manage(c)))
		return rc;
	rc = store_user_get(c, id, out);
	if (rc == ERR_NOTFOUND)
		return err_set(c->ei, rc, NULL, "no user %lld", (long long)id);
	return rc;
}

enum err
user_list(struct ctx *c, struct user_filter *f, struct user **items, size_t *n)
{
	enum err rc;

	if ((rc = may_manage(c)))
		return rc;
	if (ctx_scope(c) && f->partner_id && f->partner_id != ctx_scope(c))
		return err_set(c->ei, ERR_NOTFOUND, "partner_id", "no partner %lld",
		               (long long)f->partner_id);
	return store_user_list(c, f, items, n);
}
