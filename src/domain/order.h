/* Orders, booked when an opportunity is won, with the partner economics of
 * its newest active agreement and its tier; payout lines join the partner's
 * draft statement of the period. Statements go draft -> approved -> paid. */
#ifndef TANDEM_DOMAIN_ORDER_H
#define TANDEM_DOMAIN_ORDER_H

#include <stddef.h>
#include <stdint.h>

#include "store/ctx.h"
#include "store/opportunity.h"
#include "store/statement.h"

enum err order_book(struct ctx *c, const struct opportunity *o, struct order *out);
enum err order_get(struct ctx *c, int64_t id, struct order *out);
enum err order_list(struct ctx *c, struct order_filter *f, struct order **items, size_t *n);

/* "2026-11" or "2026-Q4" for a day, by the money setting. */
void statement_period_of(int64_t day, int quarter, char out[8]);
/* Parses a month ("2026-11") or quarter ("2026-Q4"): first and last day;
 * -1 when it is neither. */
int period_parse(const char *s, int64_t *from, int64_t *to, int *is_quarter);

enum err statement_get(struct ctx *c, int64_t id, struct statement *out);
enum err statement_list(struct ctx *c, struct statement_filter *f, const char *period,
                        struct statement **items, size_t *n);
enum err statement_approve(struct ctx *c, int64_t id, struct statement *out);
enum err statement_pay(struct ctx *c, int64_t id, struct statement *out);

/* Tiers: the partner's trailing-12-month booked net revenue in the program
 * currency decides its tier; a change is recorded in its history. */
struct tier_status {
	const char *tier;
	struct money bookings[8]; /* per currency, as booked */
	int nbookings;
	int64_t total; /* in the program currency (minor units) */
	char currency[4];
	const char *next_name; /* NULL at the top */
	int64_t next_threshold, missing;
	struct tier_period *history;
	size_t nhistory;
};

enum err tier_evaluate(struct ctx *c, int64_t partner_id, struct tier_status *out);
/* Re-evaluates every partner (the schedule); *changed counts changes. */
enum err tier_evaluate_all(struct ctx *c, int *changed);

#endif
