/* The forecast (pipeline, best case, commit, weighted, won) grouped by
 * partner, partner type or quarter, and the quota-credit report per rep. */
#ifndef TANDEM_FORECAST_H
#define TANDEM_FORECAST_H

#include <stddef.h>
#include <stdint.h>

#include "store/ctx.h"

enum forecast_group { GROUP_PARTNER, GROUP_TYPE, GROUP_QUARTER };

struct forecast_row {
	int64_t partner_id; /* GROUP_PARTNER: 0 for direct */
	const char *key;    /* GROUP_TYPE, GROUP_QUARTER */
	const char *label;
	char currency[4];
	int64_t pipeline, best_case, commit, weighted, closed_won;
};

/* period: "2026-Q4" (NULL: the current quarter); rows sorted by key then
 * currency, in an arena array. */
enum err forecast(struct ctx *c, enum forecast_group g, const char *period, const char **period_out,
                  struct forecast_row **rows, size_t *n);

struct credit_row {
	int64_t user_id;
	char currency[4];
	int64_t direct, partner, credited;
};

/* Orders booked in the quarter, credited to the opportunity owners. */
enum err quota_credit(struct ctx *c, const char *period, struct credit_row **rows, size_t *n);

#endif
