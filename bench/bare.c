/*
 * bare: the baseline of the platform benchmark (bench/run.sh). A libmicrohttpd
 * server with the same daemon flags and thread pool as Tandem that answers
 * every request with one fixed JSON partner record (~420 bytes), so that the
 * difference to Tandem is what Tandem does per request: routing, auth, SQLite,
 * JSON, headers, logging.
 *
 *     bare PORT        listens on 127.0.0.1:PORT until SIGTERM or SIGINT
 */
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char body[] =
        "{\"id\":1,\"name\":\"Northwind Systems\",\"type\":\"reseller\",\"status\":\"active\","
        "\"tier\":\"registered\",\"domain\":\"northwind-systems.example\",\"country\":\"US\","
        "\"region\":\"North America\",\"account_manager_id\":2,"
        "\"credit_line\":{\"amount\":50000000,\"currency\":\"USD\"},"
        "\"designated_consultants\":0,\"website\":\"https://northwind-systems.example/\","
        "\"notes\":\"Preferred reseller, US East.\","
        "\"created_at\":\"2026-01-01T00:00:00Z\",\"updated_at\":\"2026-01-01T00:00:00Z\"}";

static struct MHD_Response *response;

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
           const char *version, const char *upload, size_t *upload_size, void **state)
{
	static int marker;

	(void)cls;
	(void)url;
	(void)method;
	(void)version;
	(void)upload;
	if (!*state) { /* first call: headers only */
		*state = &marker;
		return MHD_YES;
	}
	if (*upload_size) { /* discard any body */
		*upload_size = 0;
		return MHD_YES;
	}
	return MHD_queue_response(conn, MHD_HTTP_OK, response);
}

int
main(int argc, char **argv)
{
	struct sockaddr_in sin;
	struct MHD_Daemon *d;
	sigset_t set;
	unsigned threads;
	long n, port;
	char *end;
	int sig;

	if (argc != 2) {
		fprintf(stderr, "usage: %s PORT\n", argv[0]);
		return 2;
	}
	errno = 0;
	port = strtol(argv[1], &end, 10);
	if (!*argv[1] || *end || errno || port < 1 || port > 65535) {
		fprintf(stderr, "bare: bad port %s\n", argv[1]);
		return 2;
	}
	n = sysconf(_SC_NPROCESSORS_ONLN);
	threads = n > 0 ? (unsigned)n : 1;

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

	response = MHD_create_response_from_buffer(sizeof body - 1, (void *)body,
	                                           MHD_RESPMEM_PERSISTENT);
	if (!response ||
	    MHD_add_response_header(response, "Content-Type", "application/json") != MHD_YES) {
		fprintf(stderr, "bare: cannot create the response\n");
		return 1;
	}

	/* SIGTERM/SIGINT go to sigwait below; the worker threads inherit the mask. */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	d = MHD_start_daemon(MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ITC, 0, NULL, NULL, on_request,
	                     NULL, MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)&sin,
	                     MHD_OPTION_THREAD_POOL_SIZE, threads, MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "bare: cannot listen on 127.0.0.1:%ld\n", port);
		MHD_destroy_response(response);
		return 1;
	}
	fprintf(stderr, "bare listening on http://127.0.0.1:%ld with %u threads\n", port, threads);

	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	MHD_destroy_response(response);
	return 0;
}
