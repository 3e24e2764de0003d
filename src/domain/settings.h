/* Program settings: groups of values an admin changes with PUT, each with a
 * default from PRODUCT.md and a validator that checks every field. */
#ifndef TANDEM_SETTINGS_H
#define TANDEM_SETTINGS_H

#include <jansson.h>
#include <stdint.h>

#include "base/money.h"
#include "store/ctx.h"

#define TIERS_MAX 20
#define TIER_NAME_MAX 50

/* Group "agreements": the terms an agreement takes when created without them. */
struct agreement_defaults {
	int64_t reseller_discount_bps, oem_discount_bps;
	int64_t referral_fee_bps, referral_window_days;
	int64_t affiliate_split_bps, implementation_services_discount_bps;
	struct money oem_commitment; /* yearly */
	int64_t term_months, notice_days;
};

struct tier {
	char name[TIER_NAME_MAX * 4 + 1];
	struct money threshold;
	int64_t uplift_bps;
};

/* Group "tiers": ordered from the lowest threshold up. */
struct tiers {
	struct tier items[TIERS_MAX];
	int n;
};

/* Group "engagement": the rules of engagement for deal registrations. */
struct engagement {
	int64_t protection_days, extension_days, max_extensions;
	int64_t escalation_business_days;
	int64_t escalation_user_id; /* 0: the first admin */
	unsigned business_days;     /* bit 0 = Monday ... bit 6 = Sunday */
	int first_registration_wins;
	int direct_conflict_reject;   /* "reject" (1) or "flag" (0) */
	int partner_accounts_protect; /* "protect" (1) or "flag" (0) */
};

enum err settings_agreements(struct ctx *c, struct agreement_defaults *out);
enum err settings_engagement(struct ctx *c, struct engagement *out);
enum err settings_tiers(struct ctx *c, struct tiers *out);

/* The group as JSON (a new reference); vendor roles only, ERR_NOTFOUND for an
 * unknown group. */
enum err settings_get(struct ctx *c, const char *group, json_t **out);
/* Validates in whole, stores it, audits the change, returns the stored
 * value in *out. Admins only. */
enum err settings_put(struct ctx *c, const char *group, json_t *in, json_t **out);

#endif
