/* Agreements, always reached through their partner: a partner actor reaches
 * only its own partner's agreements. */
#ifndef TANDEM_STORE_AGREEMENT_H
#define TANDEM_STORE_AGREEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "base/money.h"
#include "store/ctx.h"

#define BPS_NONE (-1) /* a term the agreement does not have */

struct agreement {
	int64_t id, partner_id;
	const char *type;
	int64_t discount_bps, fee_bps, split_bps, services_discount_bps; /* BPS_NONE: none */
	int64_t referral_window_days;                                    /* 0: none */
	struct money revenue_commitment;                                 /* currency "": none */
	int64_t start_date, end_date; /* days since the epoch; end: the stored end */
	int64_t term_months, notice_days;
	int auto_renew, exclusive;
	int64_t terminated_on; /* days; 0: not terminated */
	int64_t created_at, updated_at;
};

/* Status filters work on dates relative to `today`. */
struct agreement_filter {
	int64_t partner_id;
	const char *type;
	const char *status; /* scheduled | active | expired | terminated, or NULL */
	int64_t today;
	int64_t after;
	int limit;
};

enum err store_agreement_get(struct ctx *c, int64_t partner_id, int64_t id, struct agreement *a);
enum err store_agreement_insert(struct ctx *c, struct agreement *a);
enum err store_agreement_update(struct ctx *c, const struct agreement *a);
enum err store_agreement_list(struct ctx *c, const struct agreement_filter *f,
                              struct agreement **items, size_t *n);

#endif
