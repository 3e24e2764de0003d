#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "cli/cli.h"
#include "domain/auth.h"
#include "store/db.h"
#include "store/migrate.h"

#define DEFAULT_DB "./tandem.db"

static int
opt_index(const struct cli *cli, const char *name)
{
	for (int i = 0; i < CLI_MAX_OPTS && cli->cmd->opts[i].name; i++)
		if (!strcmp(cli->cmd->opts[i].name, name))
			return i;
	return -1;
}

const char *
cli_opt(const struct cli *cli, const char *name)
{
	int i = opt_index(cli, name);

	return i < 0 ? NULL : cli->values[i];
}

int
cli_given(const struct cli *cli, const char *name)
{
	int i = opt_index(cli, name);

	return i >= 0 && cli->given[i];
}

int
cli_fail(const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	fprintf(stderr, "tandem: %s\n", line);
	return EXIT_USER;
}

int
cli_usage(const struct cli *cli, const char *why)
{
	if (why)
		fprintf(stderr, "tandem: %s\n", why);
	fprintf(stderr, "usage: %s\n", cli->cmd->usage);
	return EXIT_USAGE;
}

const char *
cli_db_url(const struct cli *cli)
{
	const char *url = cli->db_url;

	if (!url || !*url)
		url = getenv("TANDEM_DB");
	if (!url || !*url)
		url = DEFAULT_DB;
	return url;
}

int
cli_open(const struct cli *cli, struct cli_db *d)
{
	return cli_open_url(cli_db_url(cli), d);
}

int
cli_open_url(const char *url, struct cli_db *d)
{
	int from, to;

	memset(d, 0, sizeof *d);
	if (auth_init())
		return cli_fail("cannot initialise libsodium");
	if (db_open(url, &d->db, &d->ei) || db_connect(d->db, &d->conn, &d->ei)) {
		cli_close(d);
		return cli_fail("%s", d->ei.msg[0] ? d->ei.msg : "cannot open the database");
	}
	if (migrate_run(d->conn, &from, &to, &d->ei)) {
		cli_close(d);
		return cli_fail("%s", d->ei.msg);
	}
	d->ctx.db = d->conn;
	d->ctx.arena = &d->arena;
	d->ctx.ei = &d->ei;
	d->ctx.now = clock_now();
	return 0;
}

void
cli_close(struct cli_db *d)
{
	db_disconnect(d->conn);
	db_free(d->db);
	arena_release(&d->arena);
	d->conn = NULL;
	d->db = NULL;
}

int
cli_tx(struct cli_db *d, enum err (*fn)(struct ctx *c, void *arg), void *arg)
{
	enum err rc;

	if ((rc = db_begin(d->conn, 1)))
		return cli_fail("cannot write to the database: %s", db_errmsg(d->conn));
	d->ctx.now = clock_now();
	if ((rc = fn(&d->ctx, arg))) {
		db_rollback(d->conn);
		d->ctx.after_commit = NULL;
		if (rc == ERR_DB || rc == ERR_INTERNAL || rc == ERR_NOMEM)
			return cli_fail("%s: %s", err_code(rc), db_errmsg(d->conn));
		if (d->ei.field && d->ei.msg[0])
			return cli_fail("%s", d->ei.msg);
		return cli_fail("%s", d->ei.msg[0] ? d->ei.msg : err_code(rc));
	}
	if ((rc = db_commit(d->conn)))
		return cli_fail("cannot commit: %s", db_errmsg(d->conn));
	ctx_run_hooks(&d->ctx);
	return 0;
}
