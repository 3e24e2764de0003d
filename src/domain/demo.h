/* The demo program: a believable vendor with a dozen partners of every type
 * and status, their agreements, vendor users of every role and partner users.
 * Loaded only by `tandem demo` (and `make run` on a new database). */
#ifndef TANDEM_DEMO_H
#define TANDEM_DEMO_H

#include "store/ctx.h"

#define DEMO_PASSWORD "tandem-demo-2026"

struct demo_login {
	const char *email, *role, *partner; /* partner: NULL for vendor users */
};

/* The logins the demo creates; ends with {NULL}. */
extern const struct demo_login demo_logins[];

/* Loads the program with the system actor in the caller's transaction.
 * ERR_CONFLICT (message set) when the database already holds a program that
 * is not the demo; *already = 1 when the demo is loaded already. */
enum err demo_load(struct ctx *c, int *already);

#endif
