/* The context of one operation: the connection, who acts, where request
 * memory comes from, where errors are described, and the time it happens.
 * The store applies the actor's scope to every query: a partner user
 * (actor.partner_id != 0) only ever reaches its own partner's rows. */
#ifndef TANDEM_CTX_H
#define TANDEM_CTX_H

#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"

struct dbconn;

struct actor {
	int64_t user_id;    /* 0: the system (timers, CLI bootstrap) */
	int role;           /* enum role of domain/role.h; 0 for the system */
	int64_t partner_id; /* 0 for vendor users and the system */
	int64_t token_id;   /* the token in use, 0 when none */
};

/* Work to do once the operation's transaction has committed (in-memory
 * indexes follow the database only after the fact). */
struct ctx_hook {
	void (*fn)(void *arg);
	void *arg;
	struct ctx_hook *next;
};

struct ctx {
	struct dbconn *db;
	struct actor actor;
	struct arena *arena;
	struct errinfo *ei;
	int64_t now;         /* Unix seconds, fixed for the whole operation */
	int commit_on_error; /* the operation's writes stand even though it fails */
	struct ctx_hook *after_commit;
};

/* Queues fn(arg) to run after a successful commit (arg lives in c->arena or
 * longer). 0, or -1 out of memory. */
static inline int
ctx_after_commit(struct ctx *c, void (*fn)(void *arg), void *arg)
{
	struct ctx_hook *h = arena_alloc(c->arena, sizeof *h), **tail = &c->after_commit;

	if (!h)
		return -1;
	h->fn = fn;
	h->arg = arg;
	while (*tail)
		tail = &(*tail)->next;
	*tail = h;
	return 0;
}

/* Runs and forgets the queued hooks; call after commit. */
static inline void
ctx_run_hooks(struct ctx *c)
{
	for (struct ctx_hook *h = c->after_commit; h; h = h->next)
		h->fn(h->arg);
	c->after_commit = NULL;
}

/* The partner every query of this actor is confined to, or 0 for all. */
static inline int64_t
ctx_scope(const struct ctx *c)
{
	return c->actor.partner_id;
}

#endif
