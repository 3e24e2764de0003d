/* Deal registrations under the rules of engagement (settings group
 * "engagement"): submit with conflict detection, approve, reject, extend,
 * withdraw; expiry and escalation on a timer. */
#ifndef TANDEM_DOMAIN_REGISTRATION_H
#define TANDEM_DOMAIN_REGISTRATION_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "base/money.h"
#include "store/ctx.h"
#include "store/registration.h"

#define CUSTOMER_NAME_MAX 200
#define CONTACT_NAME_MAX 200
#define NOTES_MAX 5000
#define PRODUCTS_MAX 50
#define PRODUCT_NAME_MAX 200
#define REASON_MAX 2000

struct registration_input {
	int64_t partner_id; /* 0: the actor's partner */
	const char *customer_name, *customer_domain, *customer_country;
	const char *contact_name, *contact_email;
	const char *products[PRODUCTS_MAX];
	int nproducts;
	struct money amount;
	int64_t expected_close; /* days */
	int has_expected_close;
	const char *notes;
};

extern const char *const registration_statuses[]; /* NULL-terminated */

enum err registration_submit(struct ctx *c, const struct registration_input *in,
                             struct registration *out);
enum err registration_get(struct ctx *c, int64_t id, struct registration *out);
enum err registration_list(struct ctx *c, struct registration_filter *f,
                           struct registration **items, size_t *n);
enum err registration_approve(struct ctx *c, int64_t id, const char *note, int override,
                              struct registration *out);
enum err registration_reject(struct ctx *c, int64_t id, const char *reason,
                             struct registration *out);
enum err registration_extend(struct ctx *c, int64_t id, struct registration *out);
enum err registration_withdraw(struct ctx *c, int64_t id, struct registration *out);

/* POST /conflict-check: the conflicts a registration of this customer would
 * have, as the actor may see them (a new array). */
enum err registration_conflict_check(struct ctx *c, const char *name, const char *domain,
                                     const char *country, json_t **out);

/* Expires approved registrations past their protection and escalates those
 * undecided for the escalation time; audited with no actor. Counts in *expired
 * and *escalated. Runs in the caller's transaction. */
enum err registration_run_timers(struct ctx *c, int *expired, int *escalated);

/* The instant before which a submission has been waiting more than `days`
 * business days at `now` (weekday bit mask: bit 0 Monday). */
int64_t business_cutoff(int64_t now, int64_t days, unsigned business_days);

#endif
