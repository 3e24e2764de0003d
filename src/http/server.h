/* The HTTP server on libmicrohttpd: epoll with a thread pool, body limits,
 * security headers, an access-log line per request, graceful shutdown. */
#ifndef TANDEM_SERVER_H
#define TANDEM_SERVER_H

#include "base/err.h"

struct db;
struct dbconn;

struct server_config {
	const char *listen; /* "HOST:PORT" */
	unsigned threads;   /* 0: one per core */
	struct db *db;
};

/* Serves until SIGTERM or SIGINT, then lets in-flight requests finish, stops
 * and closes every database connection. ERR_INVALID (message in ei) when it
 * cannot listen. Blocks those signals in the calling thread. */
enum err server_run(const struct server_config *cfg, struct errinfo *ei);

/* The database of the running server. */
struct db *server_db(void);
/* Records a thread's connection for closing at shutdown; -1 when full. */
int server_register_conn(struct dbconn *c);

/* Splits "HOST:PORT" ("[::1]:8080" for IPv6) and resolves it; 0 on success. */
struct sockaddr_storage;
int server_parse_listen(const char *listen, struct sockaddr_storage *ss, unsigned *len);

#endif
