/* Opportunities and the orders booked when they are won. Scope: a partner
 * actor reaches only its own partner's. */
#ifndef TANDEM_STORE_OPPORTUNITY_H
#define TANDEM_STORE_OPPORTUNITY_H

#include <stddef.h>
#include <stdint.h>

#include "base/money.h"
#include "store/ctx.h"

struct opportunity {
	int64_t id;
	const char *name;
	int64_t account_id, partner_id, registration_id, owner_user_id; /* 0: none */
	const char *stage, *forecast_category, *source;
	int64_t probability;
	struct money amount;
	int64_t expected_close, closed_on;        /* days; closed_on 0: open */
	const char *checklist;                    /* JSON array text */
	int64_t customer_po_on, partner_order_on; /* days; 0: none */
	int64_t created_at, updated_at;
};

struct opportunity_filter {
	const char *stage, *source, *forecast_category;
	int64_t partner_id, account_id, owner_user_id;
	int open_only; /* closed_on IS NULL */
	int64_t after;
	int limit;
};

enum err store_opportunity_get(struct ctx *c, int64_t id, struct opportunity *o);
enum err store_opportunity_insert(struct ctx *c, struct opportunity *o);
enum err store_opportunity_update(struct ctx *c, const struct opportunity *o);
enum err store_opportunity_list(struct ctx *c, const struct opportunity_filter *f,
                                struct opportunity **items, size_t *n);
/* Calls fn for each opportunity in scope that is open with expected_close in
 * [from, to], or won with closed_on in [from, to] (days). */
enum err store_opportunity_each_in(struct ctx *c, int64_t from, int64_t to,
                                   enum err (*fn)(void *arg, const struct opportunity *o),
                                   void *arg);

struct order {
	int64_t id, opportunity_id, partner_id, registration_id, owner_user_id;
	int64_t booked_at;
	struct money list;
	int64_t discount_bps, net_amount, fee_bps, fee_amount, split_bps, split_amount;
	int eligible;
	const char *reasons; /* JSON array text */
};

struct order_filter {
	int64_t partner_id;
	int64_t after;
	int limit;
};

enum err store_order_insert(struct ctx *c, struct order *o);
enum err store_order_get(struct ctx *c, int64_t id, struct order *o);
enum err store_order_list(struct ctx *c, const struct order_filter *f, struct order **items,
                          size_t *n);
/* Calls fn for every order booked in [from, to) (Unix seconds) in scope,
 * optionally of one partner (0: all). */
enum err store_order_each(struct ctx *c, int64_t partner_id, int64_t from, int64_t to,
                          enum err (*fn)(void *arg, const struct order *o), void *arg);

#endif
