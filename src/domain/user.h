/* Users: admins manage all; a partner_admin manages its own partner's users
 * and gives only partner roles. The system actor (CLI) manages all. */
#ifndef TANDEM_DOMAIN_USER_H
#define TANDEM_DOMAIN_USER_H

#include <stddef.h>
#include <stdint.h>

#include "store/ctx.h"
#include "store/user.h"

#define USER_NAME_MAX 200

struct user_input {
	const char *email, *name, *role, *password;
	int64_t partner_id;
	int active;
	int has_name, has_role, has_active, has_password, has_partner_id;
};

enum err user_create(struct ctx *c, const struct user_input *in, struct user *out);
enum err user_update(struct ctx *c, int64_t id, const struct user_input *in, struct user *out);
enum err user_get(struct ctx *c, int64_t id, struct user *out);
enum err user_list(struct ctx *c, struct user_filter *f, struct user **items, size_t *n);

#endif
