/* Users, their tokens and failed logins. Scope: a partner actor reaches only
 * its own partner's users (and itself). */
#ifndef TANDEM_STORE_USER_H
#define TANDEM_STORE_USER_H

#include <stddef.h>
#include <stdint.h>

#include "store/ctx.h"

struct user {
	int64_t id;
	const char *email, *name, *role;
	int64_t partner_id; /* 0: a vendor user */
	const char *password_hash;
	int active;
	int64_t created_at, updated_at;
};

struct user_filter {
	const char *role, *q;
	int64_t partner_id; /* 0: any */
	int active;         /* -1: any */
	int64_t after;      /* cursor: ids greater than this */
	int limit;
};

/* Lookups fill *u with strings from the ctx arena; ERR_NOTFOUND when there is
 * no such user or the actor's scope excludes it. */
enum err store_user_get(struct ctx *c, int64_t id, struct user *u);
/* By e-mail key (lower case), ignoring the actor's scope: for sign-in. */
enum err store_user_by_email(struct ctx *c, const char *email_key, struct user *u);
/* Inserts u (email_key given separately) and sets u->id; ERR_CONFLICT when
 * the e-mail is taken. */
enum err store_user_insert(struct ctx *c, struct user *u, const char *email_key);
/* Writes name, role, active and password_hash of u (in scope). */
enum err store_user_update(struct ctx *c, const struct user *u);
/* Up to f->limit + 1 users in id order into an arena array. */
enum err store_user_list(struct ctx *c, const struct user_filter *f, struct user **items,
                         size_t *n);
/* The id of the first active admin, or 0. */
enum err store_user_first_admin(struct ctx *c, int64_t *id);

struct token_info {
	int64_t token_id, expires_at;
	struct user user;
	const char *partner_status; /* NULL for vendor users */
};

enum err store_token_insert(struct ctx *c, int64_t user_id, const char *hash, const char *kind,
                            int64_t expires_at, int64_t *id);
/* The live (unrevoked, unexpired at c->now) token with this hash. */
enum err store_token_find(struct ctx *c, const char *hash, struct token_info *ti);
enum err store_token_revoke(struct ctx *c, int64_t token_id);
/* Revokes every live token of the user except keep_id (0: all). */
enum err store_token_revoke_user(struct ctx *c, int64_t user_id, int64_t keep_id);

/* Failed logins for an e-mail key since `since`: their count, and the time of
 * the oldest of the newest `window_max` (for Retry-After). */
enum err store_login_failures(struct ctx *c, const char *email_key, int64_t since, int window_max,
                              int *count, int64_t *oldest);
enum err store_login_failure_add(struct ctx *c, const char *email_key);
/* Forgets failures older than `before`. */
enum err store_login_failures_prune(struct ctx *c, int64_t before);

#endif
