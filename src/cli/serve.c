/* tandem serve [--db URL] [--listen HOST:PORT] [--threads N] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "cli/cli.h"
#include "http/server.h"
#include "store/db.h"

#define DEFAULT_LISTEN "127.0.0.1:8080"
#define THREADS_MAX 64

int
cmd_serve(struct cli *cli)
{
	struct server_config cfg = { 0 };
	struct cli_db d;
	const char *threads = cli_opt(cli, "threads");
	int rc;

	cfg.listen = cli_opt(cli, "listen");
	if (!cfg.listen || !*cfg.listen)
		cfg.listen = getenv("TANDEM_LISTEN");
	if (!cfg.listen || !*cfg.listen)
		cfg.listen = DEFAULT_LISTEN;
	if (!threads || !*threads)
		threads = getenv("TANDEM_THREADS");
	if (threads && *threads) {
		char *end;
		long n = strtol(threads, &end, 10);
		if (*end || n < 1 || n > THREADS_MAX)
			return cli_usage(cli, "--threads takes a number from 1 to 64");
		cfg.threads = (unsigned)n;
	}
	if ((rc = cli_open(cli, &d)))
		return rc;
	/* the migration connection is not needed any more: workers open their own */
	db_disconnect(d.conn);
	d.conn = NULL;
	cfg.db = d.db;
	printf("Tandem is serving %s on http://%s/ (stop with Ctrl-C)\n", db_url(d.db), cfg.listen);
	fflush(stdout);
	if (server_run(&cfg, &d.ei)) {
		cli_close(&d);
		return cli_fail("%s", d.ei.msg);
	}
	cli_close(&d);
	return 0;
}
