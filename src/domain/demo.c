#include "domain/demo.h"

#include <string.h>

#include "base/clock.h"
#include "domain/agreement.h"
#include "domain/partner.h"
#include "domain/user.h"
#include "store/partner.h"
#include "store/user.h"

struct demo_partner {
	const char *name, *type, *status, *domain, *country, *region;
	int64_t credit_line; /* USD cents; 0: none */
	int consultants;
	/* the agreement: months from today its start lies (negative: in the past),
	 * 0 to leave the partner without one */
	int start_months, has_agreement, auto_renew, terminated;
	int64_t discount_bps; /* -1: the type's default */
};

static const struct demo_partner partners[] = {
	{ "Northwind Systems", "reseller", "active", "northwind-systems.example", "US",
	  "North America", 50000000, 0, -8, 1, 1, 0, -1 },
	{ "Bluefin Analytics Ltd", "referral", "active", "bluefin-analytics.example", "GB", "EMEA",
	  0, 0, -3, 1, 1, 0, -1 },
	{ "Kestrel Cloud GmbH", "oem", "active", "kestrel-cloud.example", "DE", "EMEA", 250000000,
	  0, -14, 1, 1, 0, 5500 },
	{ "Lumen Partners", "affiliate", "active", "lumen-partners.example", "US", "North America",
	  0, 0, -2, 1, 1, 0, -1 },
	{ "Atlas Implementation Group", "implementation", "active", "atlas-implementation.example",
	  "CA", "North America", 0, 4, -6, 1, 1, 0, -1 },
	{ "Harbor Software Resellers Pty Ltd", "reseller", "onboarding", "harbor-software.example",
	  "AU", "APAC", 10000000, 0, 1, 1, 1, 0, 3000 },
	{ "Cedar & Pine Consulting", "implementation", "recruiting", "cedar-pine.example", "IE",
	  "EMEA", 0, 2, 0, 0, 0, 0, -1 },
	{ "Méridien Numérique SAS", "referral", "prospect", "meridien-numerique.example", "FR",
	  "EMEA", 0, 0, 0, 0, 0, 0, -1 },
	{ "Solstice Distribución S.L.", "reseller", "inactive", "solstice-distribucion.example",
	  "ES", "EMEA", 0, 0, -20, 1, 0, 0, -1 },
	{ "Quarry Labs B.V.", "affiliate", "terminated", "quarry-labs.example", "NL", "EMEA", 0, 0,
	  -10, 1, 1, 1, -1 },
	{ "Tidewater Integrators K.K.", "oem", "active", "tidewater-integrators.example", "JP",
	  "APAC", 100000000, 0, -4, 1, 1, 0, -1 },
	{ "Vantage Point Vendas Ltda", "reseller", "active", "vantage-point.example", "BR", "LATAM",
	  20000000, 0, -1, 1, 1, 0, 4000 },
};

static const struct {
	const char *email, *name, *role;
	int partner; /* index into partners + 1; 0 for vendor users */
} users[] = {
	{ "admin@tandem.example", "Ada Admin", "admin", 0 },
	{ "channel@tandem.example", "Chris Channel", "channel_manager", 0 },
	{ "salesmanager@tandem.example", "Sam Manager", "sales_manager", 0 },
	{ "rep@tandem.example", "Riley Rep", "sales_rep", 0 },
	{ "marketing@tandem.example", "Morgan Marketing", "marketing", 0 },
	{ "finance@tandem.example", "Frankie Finance", "finance", 0 },
	{ "admin@northwind-systems.example", "Nora North", "partner_admin", 1 },
	{ "sales@northwind-systems.example", "Ned North", "partner_sales", 1 },
	{ "marketing@northwind-systems.example", "Nina North", "partner_marketing", 1 },
	{ "admin@bluefin-analytics.example", "Blair Finch", "partner_admin", 2 },
	{ "sales@bluefin-analytics.example", "Ben Finch", "partner_sales", 2 },
	{ "admin@kestrel-cloud.example", "Klara Kestrel", "partner_admin", 3 },
	{ "consultant@atlas-implementation.example", "Ari Atlas", "partner_consultant", 5 },
	{ "sales@lumen-partners.example", "Lee Lumen", "partner_sales", 4 },
};

#define NUSERS (sizeof users / sizeof users[0])

const struct demo_login demo_logins[] = {
	{ "admin@tandem.example", "admin", NULL },
	{ "channel@tandem.example", "channel_manager", NULL },
	{ "salesmanager@tandem.example", "sales_manager", NULL },
	{ "rep@tandem.example", "sales_rep", NULL },
	{ "marketing@tandem.example", "marketing", NULL },
	{ "finance@tandem.example", "finance", NULL },
	{ "admin@northwind-systems.example", "partner_admin", "Northwind Systems" },
	{ "sales@northwind-systems.example", "partner_sales", "Northwind Systems" },
	{ "marketing@northwind-systems.example", "partner_marketing", "Northwind Systems" },
	{ "admin@bluefin-analytics.example", "partner_admin", "Bluefin Analytics Ltd" },
	{ "sales@bluefin-analytics.example", "partner_sales", "Bluefin Analytics Ltd" },
	{ "admin@kestrel-cloud.example", "partner_admin", "Kestrel Cloud GmbH" },
	{ "consultant@atlas-implementation.example", "partner_consultant",
	  "Atlas Implementation Group" },
	{ "sales@lumen-partners.example", "partner_sales", "Lumen Partners" },
	{ NULL, NULL, NULL },
};

static enum err
add_agreement(struct ctx *c, const struct demo_partner *dp, int64_t partner_id)
{
	struct agreement_input in = { 0 };
	struct agreement a;
	int64_t today = c->now / 86400;
	enum err rc;

	in.has_start_date = 1;
	in.start_date = date_add_months(today, dp->start_months);
	if (!dp->auto_renew) {
		in.has_auto_renew = 1;
		in.auto_renew = 0;
	}
	if (dp->discount_bps >= 0) {
		in.has_discount_bps = 1;
		in.discount_bps = dp->discount_bps;
	}
	if ((rc = agreement_create(c, partner_id, &in, &a)))
		return rc;
	if (dp->terminated)
		return agreement_terminate(c, partner_id, a.id, &a);
	return ERR_OK;
}

enum err
demo_load(struct ctx *c, int *already)
{
	struct partner_filter pf = { .limit = 1 };
	struct partner *items;
	int64_t ids[sizeof partners / sizeof partners[0]];
	struct user u;
	size_t n;
	enum err rc;

	*already = 0;
	rc = store_user_by_email(c, users[0].email, &u);
	if (rc == ERR_OK) {
		*already = 1;
		return ERR_OK;
	}
	if (rc != ERR_NOTFOUND)
		return rc;
	if ((rc = store_partner_list(c, &pf, &items, &n)))
		return rc;
	if (n)
		return err_set(c->ei, ERR_CONFLICT, NULL,
		               "this database already holds a partner program; the demo loads"
		               " only into a new database");
	for (size_t i = 0; i < sizeof partners / sizeof partners[0]; i++) {
		const struct demo_partner *dp = &partners[i];
		struct partner_input in = {
			.name = dp->name,
			.type = dp->type,
			.status = dp->status,
			.domain = dp->domain,
			.country = dp->country,
			.region = dp->region,
			.designated_consultants = dp->consultants,
			.has_name = 1,
			.has_type = 1,
			.has_status = 1,
			.has_domain = 1,
			.has_country = 1,
			.has_region = 1,
			.has_designated_consultants = 1,
		};
		struct partner p;
		if (dp->credit_line) {
			in.has_credit_line = 1;
			in.credit_line.amount = dp->credit_line;
			memcpy(in.credit_line.currency, "USD", 4);
		}
		if ((rc = partner_create(c, &in, &p)))
			return rc;
		ids[i] = p.id;
		if (dp->has_agreement && (rc = add_agreement(c, dp, p.id)))
			return rc;
	}
	for (size_t i = 0; i < NUSERS; i++) {
		struct user_input in = {
			.email = users[i].email,
			.name = users[i].name,
			.role = users[i].role,
			.password = DEMO_PASSWORD,
			.has_name = 1,
			.partner_id = users[i].partner ? ids[users[i].partner - 1] : 0,
		};
		if ((rc = user_create(c, &in, &u)))
			return rc;
	}
	/* the channel manager looks after the active partners */
	{
		struct user cm;
		if ((rc = store_user_by_email(c, "channel@tandem.example", &cm)))
			return rc;
		for (size_t i = 0; i < sizeof partners / sizeof partners[0]; i++) {
			struct partner_input in = { .has_account_manager_id = 1,
				                    .account_manager_id = cm.id };
			struct partner p;
			if (strcmp(partners[i].status, "active"))
				continue;
			if ((rc = partner_update(c, ids[i], &in, &p)))
				return rc;
		}
	}
	return ERR_OK;
}
