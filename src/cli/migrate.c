/* tandem migrate [--db URL] */
#include <stdio.h>

#include "cli/cli.h"
#include "store/db.h"
#include "store/migrate.h"

int
cmd_migrate(struct cli *cli)
{
	struct cli_db d;
	int rc;

	if ((rc = cli_open(cli, &d)))
		return rc;
	printf("%s is at schema version %d\n", db_url(d.db), migrate_latest());
	cli_close(&d);
	return 0;
}
