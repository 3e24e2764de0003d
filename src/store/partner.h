/* Partners. Scope: a partner actor reaches only its own partner row. */
#ifndef TANDEM_STORE_PARTNER_H
#define TANDEM_STORE_PARTNER_H

#include <stddef.h>
#include <stdint.h>

#include "base/money.h"
#include "store/ctx.h"

struct partner {
	int64_t id;
	const char *name, *type, *status, *tier, *domain, *country, *region;
	int64_t account_manager_id; /* 0: none */
	struct money credit_line;   /* currency "": none */
	int64_t designated_consultants;
	int64_t created_at, updated_at;
};

struct partner_filter {
	const char *status, *type, *tier, *country, *region;
	const char *q; /* a LIKE pattern on the lower-case name, or NULL */
	int64_t account_manager_id;
	int64_t after;
	int limit;
};

enum err store_partner_get(struct ctx *c, int64_t id, struct partner *p);
/* name_key is the name folded for search. */
enum err store_partner_insert(struct ctx *c, struct partner *p, const char *name_key);
enum err store_partner_update(struct ctx *c, const struct partner *p, const char *name_key);
enum err store_partner_list(struct ctx *c, const struct partner_filter *f, struct partner **items,
                            size_t *n);

#endif
