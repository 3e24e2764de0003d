/* Agreements between the vendor and a partner. Terms left out take the
 * type's defaults (settings group "agreements"); the status is derived from
 * the dates and auto-renewal, except `terminated`. */
#ifndef TANDEM_DOMAIN_AGREEMENT_H
#define TANDEM_DOMAIN_AGREEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "base/money.h"
#include "store/agreement.h"
#include "store/ctx.h"

struct agreement_input {
	const char *type;
	int64_t discount_bps, fee_bps, split_bps, services_discount_bps, referral_window_days;
	struct money revenue_commitment;
	int64_t start_date, end_date, term_months, notice_days;
	int auto_renew, exclusive;
	int has_type, has_discount_bps, has_fee_bps, has_split_bps, has_services_discount_bps;
	int has_referral_window_days, has_revenue_commitment, has_start_date, has_end_date;
	int has_term_months, has_notice_days, has_auto_renew, has_exclusive;
};

/* The status today, and the end of the current term (rolled forward by
 * auto-renewal). */
const char *agreement_status(const struct agreement *a, int64_t today, int64_t *term_end);

enum err agreement_create(struct ctx *c, int64_t partner_id, const struct agreement_input *in,
                          struct agreement *out);
enum err agreement_update(struct ctx *c, int64_t partner_id, int64_t id,
                          const struct agreement_input *in, struct agreement *out);
enum err agreement_terminate(struct ctx *c, int64_t partner_id, int64_t id, struct agreement *out);
enum err agreement_get(struct ctx *c, int64_t partner_id, int64_t id, struct agreement *out);
enum err agreement_list(struct ctx *c, struct agreement_filter *f, struct agreement **items,
                        size_t *n);

extern const char *const agreement_statuses[]; /* NULL-terminated */

#endif
