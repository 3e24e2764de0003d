/* tandem backup FILE [--db URL] */
#include <stdio.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/db.h"

int
cmd_backup(struct cli *cli)
{
	const char *url = cli_db_url(cli), *file;
	struct db *db = NULL;
	struct dbconn *conn = NULL;
	struct errinfo ei = { 0 };
	int rc = 0;

	if (cli->nargs != 1)
		return cli_usage(cli, "name the file to write the backup to");
	file = cli->args[0];
	if (db_engine_of(url) == DB_POSTGRES)
		return cli_fail("backup copies a SQLite database; for PostgreSQL use pg_dump"
		                " (docs/operations.md)");
	/* opening a missing file would create an empty database */
	if (access(url, F_OK))
		return cli_fail("no database at %s", url);
	if (!access(file, F_OK))
		return cli_fail("%s exists; name a new file", file);
	if (db_open(url, &db, &ei) || db_connect(db, &conn, &ei) || db_backup(conn, file, &ei))
		rc = cli_fail("%s", ei.msg[0] ? ei.msg : "the backup failed");
	else
		printf("backed up %s to %s\n", db_url(db), file);
	db_disconnect(conn);
	db_free(db);
	return rc;
}
