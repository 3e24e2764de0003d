/* The ten roles of spec/API.md, and sets of them as bit masks. */
#ifndef TANDEM_ROLE_H
#define TANDEM_ROLE_H

enum role {
	ROLE_NONE = 0,
	ROLE_ADMIN,
	ROLE_CHANNEL_MANAGER,
	ROLE_SALES_MANAGER,
	ROLE_SALES_REP,
	ROLE_MARKETING,
	ROLE_FINANCE,
	ROLE_PARTNER_ADMIN,
	ROLE_PARTNER_SALES,
	ROLE_PARTNER_MARKETING,
	ROLE_PARTNER_CONSULTANT,
	ROLE__COUNT
};

#define ROLE_BIT(r) (1u << (r))
#define ROLES_VENDOR                                                                               \
	(ROLE_BIT(ROLE_ADMIN) | ROLE_BIT(ROLE_CHANNEL_MANAGER) | ROLE_BIT(ROLE_SALES_MANAGER) |    \
	 ROLE_BIT(ROLE_SALES_REP) | ROLE_BIT(ROLE_MARKETING) | ROLE_BIT(ROLE_FINANCE))
#define ROLES_PARTNER                                                                              \
	(ROLE_BIT(ROLE_PARTNER_ADMIN) | ROLE_BIT(ROLE_PARTNER_SALES) |                             \
	 ROLE_BIT(ROLE_PARTNER_MARKETING) | ROLE_BIT(ROLE_PARTNER_CONSULTANT))
#define ROLES_ALL (ROLES_VENDOR | ROLES_PARTNER)

/* "channel_manager" for ROLE_CHANNEL_MANAGER; "" for ROLE_NONE. */
const char *role_name(enum role r);
/* ROLE_NONE when s names no role. */
enum role role_parse(const char *s);
int role_is_partner(enum role r);
static inline int
role_in(int r, unsigned set)
{
	return r > 0 && r < ROLE__COUNT && (set & ROLE_BIT(r));
}

#endif
