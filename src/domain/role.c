#include "domain/role.h"

#include <string.h>

static const char *const names[ROLE__COUNT] = {
	[ROLE_NONE] = "",
	[ROLE_ADMIN] = "admin",
	[ROLE_CHANNEL_MANAGER] = "channel_manager",
	[ROLE_SALES_MANAGER] = "sales_manager",
	[ROLE_SALES_REP] = "sales_rep",
	[ROLE_MARKETING] = "marketing",
	[ROLE_FINANCE] = "finance",
	[ROLE_PARTNER_ADMIN] = "partner_admin",
	[ROLE_PARTNER_SALES] = "partner_sales",
	[ROLE_PARTNER_MARKETING] = "partner_marketing",
	[ROLE_PARTNER_CONSULTANT] = "partner_consultant",
};

const char *
role_name(enum role r)
{
	return (unsigned)r < ROLE__COUNT ? names[r] : "";
}

enum role
role_parse(const char *s)
{
	if (!s)
		return ROLE_NONE;
	for (int r = 1; r < ROLE__COUNT; r++)
		if (!strcmp(names[r], s))
			return (enum role)r;
	return ROLE_NONE;
}

int
role_is_partner(enum role r)
{
	return role_in(r, ROLES_PARTNER);
}
