/* The route table and the path from a parsed request to a response:
 * match, authenticate, run the handler inside one transaction, render
 * errors from the single error-to-status table. */
#ifndef TANDEM_ROUTER_H
#define TANDEM_ROUTER_H

#include <stddef.h>

#include "http/req.h"

#define BODY_MAX_DEFAULT ((size_t)1 << 20) /* 1 MiB */

enum {
	ROUTE_PUBLIC = 1 << 0, /* no token needed */
	ROUTE_NODB = 1 << 1,   /* touches no database */
	ROUTE_READ = 1 << 2,   /* a POST that only reads: no write lock */
	ROUTE_WRITE = 1 << 3,  /* a GET that may write (a tier change on evaluation) */
	ROUTE_OWN_AUTH = 1 << 4, /* with ROUTE_PUBLIC: the handler checks the token itself */
};

struct route {
	const char *method;
	const char *pattern; /* "/api/v1/partners/{id}" */
	enum err (*handler)(struct req *rq, struct resp *rs);
	unsigned roles; /* ROLE_BIT set that may call it; checked after sign-in */
	unsigned flags;
	size_t body_max; /* 0: BODY_MAX_DEFAULT */
};

extern const struct route routes[];
extern const size_t routes_len;

/* Finds the route for method and path, filling rq->params. NULL when none;
 * then *path_known tells whether another method would have matched
 * (405) and allow gets the methods ("GET, POST"). */
const struct route *router_match(struct req *rq, const char *method, const char *path,
                                 int *path_known, char *allow, size_t allow_size);

/* Runs rq (route matched, body read) into rs. Never fails: errors become
 * error responses. */
void router_dispatch(struct req *rq, struct resp *rs);

/* The error body of spec/API.md for e with the details in ei. */
void router_error(struct resp *rs, enum err e, const struct errinfo *ei);
/* The HTTP status of an error. */
int router_status(enum err e);

/* The connection of the calling thread, opened on first use; NULL (and ei
 * set) when the database cannot be reached. */
struct dbconn *router_conn(struct errinfo *ei);

#endif
