/* Accounts (customer companies): vendor roles but finance create and change
 * them; partner users create and see their own partner's accounts only. */
#ifndef TANDEM_DOMAIN_ACCOUNT_H
#define TANDEM_DOMAIN_ACCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "store/account.h"
#include "store/ctx.h"

#define ACCOUNT_NAME_MAX 200
#define EXTERNAL_ID_MAX 100

struct account_input {
	const char *name, *country, *status, *external_id;
	const char *domains[ACCOUNT_DOMAINS_MAX]; /* hosts, URLs or e-mail addresses */
	int ndomains;
	const char *owner_kind;
	int64_t owner_user_id, owner_partner_id;
	int has_name, has_country, has_status, has_external_id, has_domains, has_owner;
};

extern const char *const account_statuses[];    /* NULL-terminated */
extern const char *const account_owner_kinds[]; /* NULL-terminated */

enum err account_create(struct ctx *c, const struct account_input *in, struct account *out);
enum err account_update(struct ctx *c, int64_t id, const struct account_input *in,
                        struct account *out);
enum err account_get(struct ctx *c, int64_t id, struct account *out);
/* f->q is the user's search text. */
enum err account_list(struct ctx *c, struct account_filter *f, struct account **items, size_t *n);
/* Creates or updates the account an import row names (external id, or the
 * same normalised name, country and domain). *created tells which. The
 * owner is in->owner_*; the actor must be the system or a vendor writer. */
enum err account_upsert(struct ctx *c, const struct account_input *in, struct account *out,
                        int *created);

#endif
