/* Opportunities: the pipeline. Vendor roles but finance create and change
 * them; partner users those of their own partner. Moving to a closed stage
 * sets closed_on, marks the registration won or lost, and a won one books
 * an order (domain/order.c). A closed opportunity is read-only. */
#ifndef TANDEM_DOMAIN_OPPORTUNITY_H
#define TANDEM_DOMAIN_OPPORTUNITY_H

#include <stddef.h>
#include <stdint.h>

#include "base/money.h"
#include "store/ctx.h"
#include "store/opportunity.h"

#define OPPORTUNITY_NAME_MAX 200
#define CHECKLIST_MAX 5

enum {
	RISK_CREDIT_LINE = 1 << 0, /* credit_line_below_amount */
	RISK_PO_NOT_ORDERED = 1 << 1,
	RISK_CLOSE_DATE_PASSED = 1 << 2,
	RISK_STALE = 1 << 3,
};

extern const char *const opportunity_sources[]; /* NULL-terminated */
extern const char *const forecast_categories[]; /* NULL-terminated */
extern const char *const risk_names[];          /* by bit, NULL-terminated */
extern const char *const checklist_items[];     /* NULL-terminated */

struct opportunity_input {
	const char *name, *stage, *source, *forecast_category;
	int64_t account_id, partner_id, owner_user_id, probability;
	struct money amount;
	int64_t expected_close, customer_po_on, partner_order_on;
	int has_name, has_stage, has_source, has_forecast_category, has_account_id;
	int has_partner_id, has_owner_user_id, has_probability, has_amount, has_expected_close;
	int has_customer_po_on, has_partner_order_on;
};

struct checklist_entry {
	const char *item;
	int64_t owner_user_id, due; /* 0: none */
	int done;
};

enum err opportunity_create(struct ctx *c, const struct opportunity_input *in,
                            struct opportunity *out);
enum err opportunity_update(struct ctx *c, int64_t id, const struct opportunity_input *in,
                            struct opportunity *out);
enum err opportunity_get(struct ctx *c, int64_t id, struct opportunity *out);
/* risk: a RISK_ bit the items must carry, or 0. */
enum err opportunity_list(struct ctx *c, struct opportunity_filter *f, unsigned risk,
                          struct opportunity **items, size_t *n);
enum err opportunity_set_checklist(struct ctx *c, int64_t id, const struct checklist_entry *e,
                                   size_t n, struct opportunity *out);
/* The risk flags of an opportunity today. */
enum err opportunity_risks(struct ctx *c, const struct opportunity *o, unsigned *flags);
/* POST /deal-registrations/{id}/convert: the approved registration becomes an
 * opportunity on the partner's account for the customer (created if need be). */
enum err registration_convert(struct ctx *c, int64_t registration_id, struct opportunity *out);

#endif
