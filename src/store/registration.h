/* Deal registrations. Scope: a partner actor reaches only its own partner's
 * registrations. */
#ifndef TANDEM_STORE_REGISTRATION_H
#define TANDEM_STORE_REGISTRATION_H

#include <stddef.h>
#include <stdint.h>

#include "base/money.h"
#include "store/ctx.h"

struct registration {
	int64_t id, partner_id;
	const char *status;
	const char *customer_name, *customer_domain, *customer_country;
	const char *contact_name, *contact_email;
	const char *products; /* JSON array text */
	struct money amount;
	int64_t expected_close; /* days */
	const char *notes;
	int64_t submitted_at, submitted_by;
	int64_t decided_at, decided_by; /* 0: undecided */
	const char *reason, *note;
	int64_t protected_until; /* days, the last protected day; 0: none */
	int64_t extensions;
	int escalated;
	int64_t escalated_at, opportunity_id, winner_id; /* 0: none */
	const char *conflicts;                           /* JSON array text, as found */
	int64_t created_at, updated_at;
};

struct registration_filter {
	const char *status;
	int64_t partner_id;
	int escalated; /* -1: any */
	const char *q; /* LIKE pattern on the customer name, lower case */
	int64_t after;
	int limit;
};

enum err store_registration_get(struct ctx *c, int64_t id, struct registration *r);
enum err store_registration_insert(struct ctx *c, struct registration *r);
/* Writes every mutable field of r. */
enum err store_registration_update(struct ctx *c, const struct registration *r);
enum err store_registration_list(struct ctx *c, const struct registration_filter *f,
                                 struct registration **items, size_t *n);
/* Calls fn for each registration whose status is submitted or approved
 * (the ones that can conflict), outside any scope. */
enum err store_registration_each_open(struct ctx *c,
                                      enum err (*fn)(void *arg, const struct registration *r),
                                      void *arg);
/* Ids (arena array) of approved registrations protected until before
 * `today`, and of submitted ones not escalated and submitted before
 * `cutoff` (Unix seconds). At most `max` of each. */
enum err store_registration_due(struct ctx *c, int64_t today, int64_t cutoff, int max,
                                int64_t **expire, size_t *nexpire, int64_t **escalate,
                                size_t *nescalate);

/* The number of registrations in each status, program-wide (metrics):
 * statuses[i] has counts[i]; *n of them, at most max. */
enum err store_registration_counts(struct ctx *c, const char **statuses, int64_t *counts, int max,
                                   int *n);

#endif
