/* Partners: admins and channel managers create and change them; partner
 * users read their own; other vendor roles read all. */
#ifndef TANDEM_DOMAIN_PARTNER_H
#define TANDEM_DOMAIN_PARTNER_H

#include <stddef.h>
#include <stdint.h>

#include "base/money.h"
#include "store/ctx.h"
#include "store/partner.h"

#define PARTNER_NAME_MAX 200
#define REGION_MAX 100
#define CONSULTANTS_MAX 10000

struct partner_input {
	const char *name, *type, *status, *domain, *country, *region;
	int64_t account_manager_id;
	struct money credit_line;
	int64_t designated_consultants;
	int has_name, has_type, has_status, has_domain, has_country, has_region;
	int has_account_manager_id, has_credit_line, has_designated_consultants;
};

extern const char *const partner_types[];    /* NULL-terminated */
extern const char *const partner_statuses[]; /* NULL-terminated */
/* Index of s in a NULL-terminated list, or -1. */
int name_index(const char *const *list, const char *s);

enum err partner_create(struct ctx *c, const struct partner_input *in, struct partner *out);
enum err partner_update(struct ctx *c, int64_t id, const struct partner_input *in,
                        struct partner *out);
enum err partner_get(struct ctx *c, int64_t id, struct partner *out);
/* f->q is the user's search text; the domain turns it into a pattern. */
enum err partner_list(struct ctx *c, struct partner_filter *f, struct partner **items, size_t *n);

#endif
