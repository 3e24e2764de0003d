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

#define STAGES_MAX 20
#define STAGE_NAME_MAX 50
#define RATES_MAX 64

/* Group "pipeline": the stages of an opportunity and the risk thresholds. */
struct stage {
	char name[STAGE_NAME_MAX * 4 + 1];
	int64_t probability; /* percent */
	char kind[8];        /* open | won | lost */
	char forecast_category[12];
};

struct pipeline {
	struct stage stages[STAGES_MAX];
	int n;
	int64_t stale_days, po_order_gap_days;
};

/* Group "money": the program currency and how payouts and credit work. */
struct rate {
	char currency[4];
	int64_t micros; /* units of program currency per unit, x 10^6 */
};

struct money_settings {
	char currency[4];
	struct rate rates[RATES_MAX];
	int nrates;
	int statement_quarter; /* statement_period: "quarter" (1) or "month" (0) */
	int comp_gross;        /* rep_comp_basis: "gross" (1) or "net" (0) */
	int quota_credit_partner_deals;
};

/* The stage named `name`, or NULL. */
const struct stage *pipeline_stage(const struct pipeline *p, const char *name);

enum err settings_agreements(struct ctx *c, struct agreement_defaults *out);
enum err settings_pipeline(struct ctx *c, struct pipeline *out);
enum err settings_money(struct ctx *c, struct money_settings *out);
enum err settings_engagement(struct ctx *c, struct engagement *out);
enum err settings_tiers(struct ctx *c, struct tiers *out);

/* The group as JSON (a new reference); vendor roles only, ERR_NOTFOUND for an
 * unknown group. */
enum err settings_get(struct ctx *c, const char *group, json_t **out);
/* Validates in whole, stores it, audits the change, returns the stored
 * value in *out. Admins only. */
enum err settings_put(struct ctx *c, const char *group, json_t *in, json_t **out);

#endif
