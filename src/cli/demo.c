/* tandem demo [--db URL] */
#include <stdio.h>

#include "cli/cli.h"
#include "domain/demo.h"
#include "store/db.h"

static enum err
load(struct ctx *c, void *arg)
{
	return demo_load(c, arg);
}

int
cmd_demo(struct cli *cli)
{
	struct cli_db d;
	int already = 0, rc;

	if ((rc = cli_open(cli, &d)))
		return rc;
	if ((rc = cli_tx(&d, load, &already))) {
		cli_close(&d);
		return rc;
	}
	printf(already ? "The demo program is already in %s.\n"
	               : "Loaded the demo program into %s.\n",
	       db_url(d.db));
	printf("Sign in with any of these e-mails and the password %s\n", DEMO_PASSWORD);
	for (const struct demo_login *l = demo_logins; l->email; l++)
		printf("  %-42s %-19s %s\n", l->email, l->role,
		       l->partner ? l->partner : "(vendor)");
	cli_close(&d);
	return 0;
}
