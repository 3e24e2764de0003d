/* Every route Tandem serves: method, pattern, handler, who may call it,
 * flags and body limit. The OpenAPI document describes exactly these
 * (tests/unit/test_routes.c keeps the two in step). */
#include "api/api.h"
#include "domain/role.h"
#include "http/router.h"

#define ALL ROLES_ALL
#define VENDOR ROLES_VENDOR
#define ADMIN ROLE_BIT(ROLE_ADMIN)
#define USER_ADMINS (ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_PARTNER_ADMIN))
#define SETTINGS_BODY_MAX ((size_t)64 << 10)
#define LOGIN_BODY_MAX ((size_t)4 << 10)

const struct route routes[] = {
	{ "GET", "/healthz", api_healthz, 0, ROUTE_PUBLIC | ROUTE_NODB, 0 },
	{ "GET", "/api/v1/openapi.json", api_openapi, 0, ROUTE_PUBLIC | ROUTE_NODB, 0 },
	/* an admin's token or the scrape token: the handler checks */
	{ "GET", "/metrics", api_metrics, 0, ROUTE_PUBLIC | ROUTE_OWN_AUTH, 0 },

	{ "POST", "/api/v1/sessions", api_session_create, 0, ROUTE_PUBLIC, LOGIN_BODY_MAX },
	{ "DELETE", "/api/v1/sessions/current", api_session_delete, ALL, 0, 0 },
	{ "GET", "/api/v1/me", api_me, ALL, 0, 0 },

	{ "GET", "/api/v1/users", api_user_list, USER_ADMINS, 0, 0 },
	{ "POST", "/api/v1/users", api_user_create, USER_ADMINS, 0, 0 },
	{ "GET", "/api/v1/users/{id}", api_user_get, ALL, 0, 0 },
	{ "PATCH", "/api/v1/users/{id}", api_user_update, USER_ADMINS, 0, 0 },

	{ "GET", "/api/v1/audit-events", api_audit_list, ADMIN, 0, 0 },

	{ "GET", "/api/v1/settings/{group}", api_settings_get, VENDOR, 0, 0 },
	{ "PUT", "/api/v1/settings/{group}", api_settings_put, ADMIN, 0, SETTINGS_BODY_MAX },

	{ "GET", "/api/v1/partners", api_partner_list, ALL, 0, 0 },
	{ "POST", "/api/v1/partners", api_partner_create, ALL, 0, 0 },
	{ "GET", "/api/v1/partners/{id}", api_partner_get, ALL, 0, 0 },
	{ "PATCH", "/api/v1/partners/{id}", api_partner_update, ALL, 0, 0 },

	{ "GET", "/api/v1/partners/{id}/agreements", api_agreement_list, ALL, 0, 0 },
	{ "POST", "/api/v1/partners/{id}/agreements", api_agreement_create, ALL, 0, 0 },
	{ "GET", "/api/v1/partners/{id}/agreements/{agreement_id}", api_agreement_get, ALL, 0, 0 },
	{ "PATCH", "/api/v1/partners/{id}/agreements/{agreement_id}", api_agreement_update, ALL, 0,
	  0 },
	{ "POST", "/api/v1/partners/{id}/agreements/{agreement_id}/terminate",
	  api_agreement_terminate, ALL, 0, 0 },

	{ "GET", "/api/v1/accounts", api_account_list, ALL, 0, 0 },
	{ "POST", "/api/v1/accounts", api_account_create, ALL, 0, 0 },
	{ "GET", "/api/v1/accounts/{id}", api_account_get, ALL, 0, 0 },
	{ "PATCH", "/api/v1/accounts/{id}", api_account_update, ALL, 0, 0 },

	{ "GET", "/api/v1/deal-registrations", api_registration_list, ALL, 0, 0 },
	{ "POST", "/api/v1/deal-registrations", api_registration_create, ALL, 0, 0 },
	{ "GET", "/api/v1/deal-registrations/{id}", api_registration_get, ALL, 0, 0 },
	{ "POST", "/api/v1/deal-registrations/{id}/approve", api_registration_approve, ALL, 0, 0 },
	{ "POST", "/api/v1/deal-registrations/{id}/reject", api_registration_reject, ALL, 0, 0 },
	{ "POST", "/api/v1/deal-registrations/{id}/extend", api_registration_extend, ALL, 0, 0 },
	{ "POST", "/api/v1/deal-registrations/{id}/withdraw", api_registration_withdraw, ALL, 0,
	  0 },
	{ "POST", "/api/v1/conflict-check", api_conflict_check, ALL, ROUTE_READ, 0 },
	{ "POST", "/api/v1/deal-registrations/{id}/convert", api_registration_convert, ALL, 0, 0 },

	{ "GET", "/api/v1/opportunities", api_opportunity_list, ALL, 0, 0 },
	{ "POST", "/api/v1/opportunities", api_opportunity_create, ALL, 0, 0 },
	{ "GET", "/api/v1/opportunities/{id}", api_opportunity_get, ALL, 0, 0 },
	{ "PATCH", "/api/v1/opportunities/{id}", api_opportunity_update, ALL, 0, 0 },
	{ "PUT", "/api/v1/opportunities/{id}/checklist", api_opportunity_checklist, ALL, 0, 0 },

	{ "GET", "/api/v1/orders", api_order_list, ALL, 0, 0 },
	{ "GET", "/api/v1/orders/{id}", api_order_get, ALL, 0, 0 },
	{ "GET", "/api/v1/statements", api_statement_list, ALL, 0, 0 },
	{ "GET", "/api/v1/statements/{id}", api_statement_get, ALL, 0, 0 },
	{ "POST", "/api/v1/statements/{id}/approve", api_statement_approve, ALL, 0, 0 },
	{ "POST", "/api/v1/statements/{id}/pay", api_statement_pay, ALL, 0, 0 },
	{ "GET", "/api/v1/forecast", api_forecast, ALL, 0, 0 },
	{ "GET", "/api/v1/reports/quota-credit", api_quota_credit, VENDOR, 0, 0 },
	{ "GET", "/api/v1/partners/{id}/tier", api_partner_tier, ALL, ROUTE_WRITE, 0 },
};

const size_t routes_len = sizeof routes / sizeof routes[0];
