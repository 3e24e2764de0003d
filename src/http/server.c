#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "http/jobs.h"
#include "http/metrics.h"
#include "http/router.h"
#include "store/db.h"

#define MAX_CONNS 64                   /* database connections: one per worker thread */
#define UPLOAD_DISCARD_MAX (64u << 20) /* past a route's limit, read at most this */
#define SHUTDOWN_GRACE_SECS 10
#define CONNECTION_TIMEOUT_SECS 30
#define CONNECTION_LIMIT 1000

static struct db *the_db;
static pthread_mutex_t conns_lock = PTHREAD_MUTEX_INITIALIZER;
static struct dbconn *conns[MAX_CONNS];
static int nconns;
static atomic_int inflight;

struct db *
server_db(void)
{
	return the_db;
}

int
server_register_conn(struct dbconn *c)
{
	int rc = -1;

	pthread_mutex_lock(&conns_lock);
	if (nconns < MAX_CONNS) {
		conns[nconns++] = c;
		rc = 0;
	}
	pthread_mutex_unlock(&conns_lock);
	return rc;
}

/* One request in flight on a connection. */
struct exchange {
	struct req rq;
	struct timespec start;
	char *body;
	size_t len, cap, max;
	enum err early; /* an error found before the handler: 404, 405, 413, 415 */
	char allow[64];
	int counted;
};

static int64_t
micros_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)(t.tv_sec - t0->tv_sec) * 1000000 + (t.tv_nsec - t0->tv_nsec) / 1000;
}

static enum MHD_Result
collect_query(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct req *rq = cls;

	(void)kind;
	for (int i = 0; i < rq->nquery; i++)
		if (!strcmp(rq->query[i].key, key))
			rq->query_overflow = 1;
	if (rq->nquery >= REQ_MAX_QUERY) {
		rq->query_overflow = 1;
		return MHD_YES;
	}
	rq->query[rq->nquery++] = (struct kv){ arena_strdup(&rq->arena, key),
		                               arena_strdup(&rq->arena, value ? value : "") };
	return MHD_YES;
}

static void
add_headers(struct MHD_Response *r, const struct resp *rs)
{
	MHD_add_response_header(r, "Content-Type",
	                        rs->content_type ? rs->content_type : "application/json");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Cross-Origin-Resource-Policy", "same-origin");
	MHD_add_response_header(r, "Content-Security-Policy",
	                        "default-src 'none'; frame-ancestors 'none'");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	for (int i = 0; i < rs->nheaders; i++)
		MHD_add_response_header(r, rs->headers[i].name, rs->headers[i].value);
}

static enum MHD_Result
send_resp(struct MHD_Connection *conn, struct exchange *ex, struct resp *rs)
{
	struct MHD_Response *r;
	enum MHD_Result ok;

	r = MHD_create_response_from_buffer(rs->body_len, rs->body ? rs->body : (char *)"",
	                                    rs->body ? MHD_RESPMEM_MUST_FREE
	                                             : MHD_RESPMEM_PERSISTENT);
	if (!r) {
		resp_free(rs);
		return MHD_NO;
	}
	rs->body = NULL; /* MHD owns it now */
	add_headers(r, rs);
	ok = MHD_queue_response(conn, (unsigned)rs->status, r);
	MHD_destroy_response(r);
	{
		int64_t us = micros_since(&ex->start);
		log_info("%s %s %d %lld", ex->rq.method, ex->rq.path, rs->status, (long long)us);
		metrics_observe(ex->rq.route, rs->status, us);
	}
	return ok;
}

static int
is_json(const char *ct)
{
	size_t n = strlen("application/json");

	if (!ct || strncasecmp(ct, "application/json", n))
		return 0;
	ct += n;
	while (*ct == ' ')
		ct++;
	return *ct == '\0' || *ct == ';';
}

/* The first call for a request: match the route, check the declared body. */
static void
begin(struct exchange *ex, struct MHD_Connection *conn, const char *url, const char *method)
{
	struct req *rq = &ex->rq;
	const char *cl, *ct;
	int known;

	rq->method = arena_strdup(&rq->arena, method);
	rq->path = arena_strdup(&rq->arena, url);
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_query, rq);
	rq->authorization = arena_strdup(
	        &rq->arena, MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization"));
	rq->route = router_match(rq, method, url, &known, ex->allow, sizeof ex->allow);
	if (!rq->route) {
		ex->early = known ? ERR_METHOD : ERR_NOTFOUND;
		err_set(&rq->ei, ex->early, NULL,
		        known ? "method %s not allowed here" : "no route for %s %.200s", method,
		        known ? "" : url);
		if (known)
			snprintf(rq->ei.msg, sizeof rq->ei.msg, "method %s not allowed; use %s",
			         method, ex->allow);
		ex->max = 0;
		return;
	}
	ex->max = rq->route->body_max ? rq->route->body_max : BODY_MAX_DEFAULT;
	cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
	ct = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Type");
	if (cl && strlen(cl) > 0) {
		char *end;
		unsigned long long n = strtoull(cl, &end, 10);
		if (*end || n > ex->max) {
			ex->early = err_set(&rq->ei, ERR_TOOBIG, NULL,
			                    "the body is larger than %zu bytes", ex->max);
			return;
		}
		if (n > 0 && strncmp(rq->path, "/api/", 5) == 0 && !is_json(ct))
			ex->early = err_set(&rq->ei, ERR_MEDIA, NULL,
			                    "send the body as Content-Type: application/json");
	} else if (MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Transfer-Encoding") &&
	           strncmp(rq->path, "/api/", 5) == 0 && !is_json(ct)) {
		ex->early = err_set(&rq->ei, ERR_MEDIA, NULL,
		                    "send the body as Content-Type: application/json");
	}
}

static int
append(struct exchange *ex, const char *data, size_t n)
{
	size_t cap;
	char *p;

	if (ex->len + n > ex->max)
		return -1;
	if (ex->len + n + 1 > ex->cap) {
		cap = ex->cap ? ex->cap : 4096;
		while (cap < ex->len + n + 1)
			cap *= 2;
		if (!(p = realloc(ex->body, cap)))
			return -1;
		ex->body = p;
		ex->cap = cap;
	}
	memcpy(ex->body + ex->len, data, n);
	ex->len += n;
	ex->body[ex->len] = '\0';
	return 0;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
           const char *version, const char *upload, size_t *upload_size, void **state)
{
	struct exchange *ex = *state;
	struct resp rs = { 0 };

	(void)cls;
	(void)version;
	if (!ex) {
		if (!(ex = calloc(1, sizeof *ex)))
			return MHD_NO;
		clock_gettime(CLOCK_MONOTONIC, &ex->start);
		*state = ex;
		atomic_fetch_add(&inflight, 1);
		ex->counted = 1;
		begin(ex, conn, url, method);
		if (ex->early == ERR_TOOBIG || ex->early == ERR_MEDIA) {
			/* answer before reading the body; MHD closes the connection after */
			router_error(&rs, ex->early, &ex->rq.ei);
			return send_resp(conn, ex, &rs);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!ex->early && append(ex, upload, *upload_size)) {
			ex->early = err_set(&ex->rq.ei, ERR_TOOBIG, NULL,
			                    "the body is larger than %zu bytes", ex->max);
		}
		if (ex->early) {
			ex->len += *upload_size; /* counted, not kept */
			if (ex->len > UPLOAD_DISCARD_MAX)
				return MHD_NO;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (ex->early) {
		router_error(&rs, ex->early, &ex->rq.ei);
		if (ex->early == ERR_METHOD)
			resp_header(&rs, "Allow", ex->allow);
		return send_resp(conn, ex, &rs);
	}
	ex->rq.body = ex->body;
	ex->rq.body_len = ex->len;
	router_dispatch(&ex->rq, &rs);
	return send_resp(conn, ex, &rs);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **state,
             enum MHD_RequestTerminationCode toe)
{
	struct exchange *ex = *state;

	(void)cls;
	(void)conn;
	(void)toe;
	if (!ex)
		return;
	if (ex->counted)
		atomic_fetch_sub(&inflight, 1);
	free(ex->body);
	arena_release(&ex->rq.arena);
	free(ex);
	*state = NULL;
}

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];

	(void)cls;
	vsnprintf(line, sizeof line, fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_info("http: %s", line);
}

int
server_parse_listen(const char *listen, struct sockaddr_storage *ss, unsigned *len)
{
	char host[256];
	const char *colon, *port_s;
	char *end;
	long port;
	size_t hl;

	memset(ss, 0, sizeof *ss);
	if (!listen)
		return -1;
	if (listen[0] == '[') {
		const char *rb = strchr(listen, ']');
		if (!rb || rb[1] != ':')
			return -1;
		hl = (size_t)(rb - listen - 1);
		if (hl >= sizeof host)
			return -1;
		memcpy(host, listen + 1, hl);
		host[hl] = '\0';
		port_s = rb + 2;
	} else {
		if (!(colon = strrchr(listen, ':')))
			return -1;
		hl = (size_t)(colon - listen);
		if (hl >= sizeof host)
			return -1;
		memcpy(host, listen, hl);
		host[hl] = '\0';
		port_s = colon + 1;
	}
	errno = 0;
	port = strtol(port_s, &end, 10);
	if (!*port_s || *end || errno || port < 0 || port > 65535)
		return -1;
	if (!strcmp(host, "localhost"))
		memcpy(host, "127.0.0.1", 10);
	if (!*host)
		memcpy(host, "0.0.0.0", 8);
	{
		struct sockaddr_in *in4 = (struct sockaddr_in *)ss;
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;
		if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
			in4->sin_family = AF_INET;
			in4->sin_port = htons((uint16_t)port);
			*len = sizeof *in4;
			return 0;
		}
		if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
			in6->sin6_family = AF_INET6;
			in6->sin6_port = htons((uint16_t)port);
			*len = sizeof *in6;
			return 0;
		}
	}
	return -1;
}

enum err
server_run(const struct server_config *cfg, struct errinfo *ei)
{
	struct sockaddr_storage ss;
	struct MHD_Daemon *d;
	unsigned len, threads = cfg->threads;
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
	sigset_t set;
	int sig;

	if (server_parse_listen(cfg->listen, &ss, &len))
		return err_set(ei, ERR_INVALID, "listen",
		               "listen must be HOST:PORT (127.0.0.1:8080, [::1]:8080), not %.100s",
		               cfg->listen);
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (!threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (unsigned)n : 1;
	}
	if (threads > MAX_CONNS)
		threads = MAX_CONNS;
	the_db = cfg->db;

	/* SIGTERM/SIGINT go to sigwait below; worker threads inherit the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (jobs_start(cfg->db, ei))
		return ERR_UNAVAILABLE;
	d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_EXTERNAL_LOGGER,
	                     on_mhd_log, NULL, MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&ss,
	                     MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_NOTIFY_COMPLETED,
	                     on_completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT,
	                     (unsigned)CONNECTION_TIMEOUT_SECS, MHD_OPTION_CONNECTION_LIMIT,
	                     (unsigned)CONNECTION_LIMIT, MHD_OPTION_END);
	if (!d) {
		int e = errno ? errno : EADDRINUSE;
		jobs_stop();
		return err_set(ei, ERR_INVALID, "listen", "cannot listen on %s: %s", cfg->listen,
		               strerror(e));
	}
	log_info("tandem listening on http://%s with %u threads", cfg->listen, threads);

	sigwait(&set, &sig);
	log_info("received %s: finishing requests in flight",
	         sig == SIGTERM ? "SIGTERM" : "SIGINT");
	MHD_quiesce_daemon(d);
	for (int i = 0; i < SHUTDOWN_GRACE_SECS * 100 && atomic_load(&inflight) > 0; i++)
		usleep(10000);
	MHD_stop_daemon(d);
	jobs_stop();
	pthread_mutex_lock(&conns_lock);
	for (int i = 0; i < nconns; i++)
		db_disconnect(conns[i]);
	nconns = 0;
	pthread_mutex_unlock(&conns_lock);
	log_info("stopped");
	return ERR_OK;
}
