/* Payout statements, their lines, and partner tier history. Scope: a
 * partner actor reaches only its own partner's statements. */
#ifndef TANDEM_STORE_STATEMENT_H
#define TANDEM_STORE_STATEMENT_H

#include <stddef.h>
#include <stdint.h>

#include "base/money.h"
#include "store/ctx.h"

struct statement_line {
	int64_t order_id;
	const char *kind; /* fee | split */
	struct money basis;
	int64_t bps, amount;
};

struct statement {
	int64_t id, partner_id;
	const char *period, *status;
	int64_t approved_at, paid_at, created_at, updated_at;
	struct statement_line *lines; /* filled by store_statement_lines */
	size_t nlines;
};

struct statement_filter {
	int64_t partner_id;
	const char *periods[4]; /* NULL-ended; first NULL: any */
	int64_t after;
	int limit;
};

/* The id of the statement of a partner and period, created as a draft when
 * there is none; *status tells its state. */
enum err store_statement_for(struct ctx *c, int64_t partner_id, const char *period, int64_t *id,
                             const char **status);
enum err store_statement_add_line(struct ctx *c, int64_t statement_id,
                                  const struct statement_line *l);
enum err store_statement_get(struct ctx *c, int64_t id, struct statement *s);
/* Fills s->lines (arena). */
enum err store_statement_lines(struct ctx *c, struct statement *s);
enum err store_statement_list(struct ctx *c, const struct statement_filter *f,
                              struct statement **items, size_t *n);
enum err store_statement_update(struct ctx *c, const struct statement *s);

struct tier_period {
	const char *tier;
	int64_t from, to; /* days; to 0: still */
};

/* The partner's tier history, oldest first (at most max). */
enum err store_tier_history(struct ctx *c, int64_t partner_id, int max, struct tier_period **items,
                            size_t *n);
/* Ends the open tier period (if any) on `day` and opens `tier` from it; sets
 * partners.tier. */
enum err store_tier_change(struct ctx *c, int64_t partner_id, const char *tier, int64_t day);

#endif
