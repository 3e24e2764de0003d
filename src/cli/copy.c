/* tandem copy --from URL --to URL */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/copy.h"
#include "store/db.h"

struct tally {
	int64_t rows;
	int tables;
};

static void
table_done(void *arg, const char *table, int64_t rows)
{
	struct tally *t = arg;

	t->rows += rows;
	t->tables++;
	printf("  %-20s %" PRId64 " rows\n", table, rows);
}

int
cmd_copy(struct cli *cli)
{
	const char *from = cli_opt(cli, "from"), *to = cli_opt(cli, "to");
	struct cli_db src, dst;
	struct errinfo ei = { 0 };
	struct tally t = { 0 };
	int rc;

	if (cli->db_url)
		return cli_usage(cli, "copy names its databases with --from and --to, not --db");
	if (!from || !*from || !to || !*to)
		return cli_usage(cli, "copy needs --from and --to");
	if (!strcmp(from, to))
		return cli_fail("--from and --to name the same database");
	/* opening a missing file would create an empty database */
	if (db_engine_of(from) == DB_SQLITE && access(from, F_OK))
		return cli_fail("no database at %s", from);
	if ((rc = cli_open_url(from, &src)))
		return rc;
	if ((rc = cli_open_url(to, &dst))) {
		cli_close(&src);
		return rc;
	}
	printf("copying %s to %s\n", db_url(src.db), db_url(dst.db));
	fflush(stdout);
	if (store_copy(src.conn, dst.conn, table_done, &t, &ei))
		rc = cli_fail("%s", ei.msg[0] ? ei.msg : "the copy failed");
	else
		printf("copied %" PRId64 " rows in %d tables\n", t.rows, t.tables);
	cli_close(&dst);
	cli_close(&src);
	return rc;
}
