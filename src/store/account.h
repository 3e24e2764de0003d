/* Accounts: the customer companies. Scope: a partner actor reaches only the
 * accounts its partner owns. */
#ifndef TANDEM_STORE_ACCOUNT_H
#define TANDEM_STORE_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "store/ctx.h"

#define ACCOUNT_DOMAINS_MAX 20

struct account {
	int64_t id;
	const char *name, *country, *status, *external_id;
	const char *domains[ACCOUNT_DOMAINS_MAX]; /* registrable domains; [0] is `domain` */
	int ndomains;
	const char *owner_kind;   /* direct | partner */
	int64_t owner_user_id;    /* 0: none */
	int64_t owner_partner_id; /* 0: direct */
	int64_t created_at, updated_at;
};

struct account_filter {
	const char *q; /* LIKE pattern on the name key */
	const char *domain, *country, *status, *owner_kind;
	int64_t partner_id;
	int64_t after;
	int limit;
};

enum err store_account_get(struct ctx *c, int64_t id, struct account *a);
enum err store_account_insert(struct ctx *c, struct account *a, const char *name_key);
enum err store_account_update(struct ctx *c, const struct account *a, const char *name_key);
enum err store_account_list(struct ctx *c, const struct account_filter *f, struct account **items,
                            size_t *n);
/* The account an import row updates: the one with this external id, else the
 * one with this name key, country and first domain (NULLs match NULLs).
 * Ignores the scope's partner but only within owner_partner_id (0: direct
 * and vendor-imported accounts). ERR_NOTFOUND when none. */
enum err store_account_find_import(struct ctx *c, const char *external_id, const char *name_key,
                                   const char *country, const char *domain,
                                   int64_t owner_partner_id, int64_t *id);
/* Calls fn for every account, in id order, outside any scope (for indexes).
 * Strings passed to fn live until fn returns. */
enum err store_account_each(struct ctx *c, enum err (*fn)(void *arg, const struct account *a),
                            void *arg);

#endif
