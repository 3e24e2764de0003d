/* JSON handlers, one file per resource. Each parses its input strictly,
 * calls the domain with rq->ctx and renders the typed result. */
#ifndef TANDEM_API_H
#define TANDEM_API_H

#include <jansson.h>

#include "base/money.h"
#include "http/req.h"
#include "store/account.h"
#include "store/agreement.h"
#include "store/partner.h"
#include "store/registration.h"
#include "store/user.h"

/* Renderers shared by several handlers. */
json_t *json_str_or_null(const char *s);
json_t *json_time(int64_t t);
json_t *json_date(int64_t days);
json_t *json_money(const struct money *m); /* null when absent */
json_t *user_json(const struct user *u);
json_t *partner_json(const struct partner *p);
json_t *agreement_json(const struct agreement *a, int64_t today);
json_t *account_json(const struct account *a);
/* What the actor may see of a registration (conflicts redacted for partners). */
json_t *registration_json(const struct ctx *c, const struct registration *r);
/* Sets Location to the printf-formatted path. */
void resp_location(struct req *rq, struct resp *rs, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

enum err api_healthz(struct req *rq, struct resp *rs);
enum err api_openapi(struct req *rq, struct resp *rs);
enum err api_metrics(struct req *rq, struct resp *rs);

enum err api_session_create(struct req *rq, struct resp *rs);
enum err api_session_delete(struct req *rq, struct resp *rs);
enum err api_me(struct req *rq, struct resp *rs);

enum err api_user_list(struct req *rq, struct resp *rs);
enum err api_user_create(struct req *rq, struct resp *rs);
enum err api_user_get(struct req *rq, struct resp *rs);
enum err api_user_update(struct req *rq, struct resp *rs);

enum err api_audit_list(struct req *rq, struct resp *rs);

enum err api_settings_get(struct req *rq, struct resp *rs);
enum err api_settings_put(struct req *rq, struct resp *rs);

enum err api_partner_list(struct req *rq, struct resp *rs);
enum err api_partner_create(struct req *rq, struct resp *rs);
enum err api_partner_get(struct req *rq, struct resp *rs);
enum err api_partner_update(struct req *rq, struct resp *rs);

enum err api_agreement_list(struct req *rq, struct resp *rs);
enum err api_agreement_create(struct req *rq, struct resp *rs);
enum err api_agreement_get(struct req *rq, struct resp *rs);
enum err api_agreement_update(struct req *rq, struct resp *rs);
enum err api_agreement_terminate(struct req *rq, struct resp *rs);

enum err api_account_list(struct req *rq, struct resp *rs);
enum err api_account_create(struct req *rq, struct resp *rs);
enum err api_account_get(struct req *rq, struct resp *rs);
enum err api_account_update(struct req *rq, struct resp *rs);

enum err api_registration_list(struct req *rq, struct resp *rs);
enum err api_registration_create(struct req *rq, struct resp *rs);
enum err api_registration_get(struct req *rq, struct resp *rs);
enum err api_registration_approve(struct req *rq, struct resp *rs);
enum err api_registration_reject(struct req *rq, struct resp *rs);
enum err api_registration_extend(struct req *rq, struct resp *rs);
enum err api_registration_withdraw(struct req *rq, struct resp *rs);
enum err api_conflict_check(struct req *rq, struct resp *rs);
enum err api_registration_convert(struct req *rq, struct resp *rs);

enum err api_opportunity_list(struct req *rq, struct resp *rs);
enum err api_opportunity_create(struct req *rq, struct resp *rs);
enum err api_opportunity_get(struct req *rq, struct resp *rs);
enum err api_opportunity_update(struct req *rq, struct resp *rs);
enum err api_opportunity_checklist(struct req *rq, struct resp *rs);

enum err api_order_list(struct req *rq, struct resp *rs);
enum err api_order_get(struct req *rq, struct resp *rs);
enum err api_statement_list(struct req *rq, struct resp *rs);
enum err api_statement_get(struct req *rq, struct resp *rs);
enum err api_statement_approve(struct req *rq, struct resp *rs);
enum err api_statement_pay(struct req *rq, struct resp *rs);
enum err api_forecast(struct req *rq, struct resp *rs);
enum err api_quota_credit(struct req *rq, struct resp *rs);
enum err api_partner_tier(struct req *rq, struct resp *rs);

#endif
