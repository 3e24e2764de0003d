/* tandem: argv dispatch through the command table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "cli/cli.h"

#ifndef TANDEM_VERSION
#define TANDEM_VERSION "0.1.0"
#endif

const struct command commands[] = {
	{ "serve",
	  cmd_serve,
	  "tandem serve [--db URL] [--listen HOST:PORT] [--threads N]",
	  "serve the API on HTTP (migrates a new database first)",
	  "Serves until SIGTERM or SIGINT, then lets requests in flight finish.\n"
	  "  --listen HOST:PORT  default 127.0.0.1:8080, or TANDEM_LISTEN\n"
	  "  --threads N         worker threads (default: one per core), or TANDEM_THREADS",
	  { { "listen", 1 }, { "threads", 1 } },
	  0 },
	{ "migrate",
	  cmd_migrate,
	  "tandem migrate [--db URL]",
	  "create or upgrade the schema (idempotent)",
	  "Brings the database to this binary's schema version; safe to run again.",
	  { { 0 } },
	  0 },
	{ "demo",
	  cmd_demo,
	  "tandem demo [--db URL]",
	  "load the demo program into a new database and print its logins",
	  "Loads a dozen partners of every type and status with agreements, vendor\n"
	  "users of every role and partner users, all with one printed password.\n"
	  "Refuses a database that already holds another program.",
	  { { 0 } },
	  0 },
	{ "user",
	  cmd_user_add,
	  "tandem user add --email E --role R [--partner ID] [--name N] [--db URL] < password",
	  "add a user; the password is read from the first line of standard input",
	  "The password (at least 12 characters) comes from standard input, never\n"
	  "from the command line. A partner role requires --partner.",
	  { { "email", 1 }, { "role", 1 }, { "partner", 1 }, { "name", 1 } },
	  1 },
	{ "token",
	  cmd_token_create,
	  "tandem token create --email E [--days N] [--db URL]",
	  "print a new API bearer token for a user (default 90 days)",
	  "Prints the token once; only its hash is stored.",
	  { { "email", 1 }, { "days", 1 } },
	  1 },
	{ "import",
	  cmd_import,
	  "tandem import accounts FILE.csv [--partner ID] [--db URL]",
	  "load accounts from a CSV file (Salesforce, HubSpot or our own export)",
	  "Headers are matched case-insensitively: name / Account Name / Company name,\n"
	  "domain / Website / Company Domain Name / Website URL, country / BillingCountry /\n"
	  "Country/Region, external_id / Id / Record ID, status. A row with an external id\n"
	  "updates the account with that id; otherwise the same normalised name, country\n"
	  "and domain update it. Bad rows are reported as 'line L: reason' and the good\n"
	  "ones still load; the summary is 'imported N, updated M, rejected K', and the\n"
	  "exit status is 1 when a row was rejected. --partner ID imports a partner's\n"
	  "customer list (owned by that partner). FILE may be - for standard input.",
	  { { "partner", 1 } },
	  2 },
	{ "export",
	  cmd_export,
	  "tandem export accounts [--db URL] > FILE.csv",
	  "write every account as CSV (RFC 4180) to standard output",
	  NULL,
	  { { 0 } },
	  1 },
	{ "backup",
	  cmd_backup,
	  "tandem backup FILE [--db URL]",
	  "copy a live SQLite database into FILE (SQLite's online backup)",
	  "Writes a consistent copy of the database while servers keep using it; FILE\n"
	  "must not exist. For PostgreSQL use pg_dump (docs/operations.md).",
	  { { 0 } },
	  1 },
	{ "copy",
	  cmd_copy,
	  "tandem copy --from URL --to URL",
	  "copy the whole program from one database to another (SQLite, PostgreSQL)",
	  "Copies every table, ids kept, from --from (read as one snapshot, so it may\n"
	  "be serving) into --to, which is migrated first and must hold no data yet.\n"
	  "Either may be a SQLite file or a postgresql:// URL: this moves a program\n"
	  "from SQLite to PostgreSQL and back (docs/operations.md).",
	  { { "from", 1 }, { "to", 1 } },
	  0 },
	{ "help",
	  cmd_help,
	  "tandem help [COMMAND]",
	  "show help for tandem or one command",
	  NULL,
	  { { 0 } },
	  1 },
	{ NULL, NULL, NULL, NULL, NULL, { { 0 } }, 0 },
};

static void
overview(FILE *f)
{
	fprintf(f, "Tandem %s, a partner relationship management server.\n\n", TANDEM_VERSION);
	fprintf(f, "usage: tandem COMMAND [OPTIONS]\n\ncommands:\n");
	for (const struct command *c = commands; c->name; c++)
		fprintf(f, "  %-9s %s\n", c->name, c->summary);
	fprintf(f, "\n--db URL (or TANDEM_DB) names the database: a SQLite file path (default"
	           " ./tandem.db)\nor a postgresql:// URL.\n"
	           "Exit status: 0 success, 1 user error, 2 usage error.\n"
	           "Run 'tandem help COMMAND' for one command.\n");
}

static const struct command *
find(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

int
cmd_help(struct cli *cli)
{
	const struct command *c;

	if (cli->nargs == 0) {
		overview(stdout);
		return 0;
	}
	if (cli->nargs > 1 || !(c = find(cli->args[0]))) {
		fprintf(stderr, "tandem: no command %s\n", cli->args[0]);
		overview(stderr);
		return EXIT_USAGE;
	}
	printf("usage: %s\n\n%s\n", c->usage, c->summary);
	if (c->help)
		printf("\n%s\n", c->help);
	return 0;
}

/* Options may stand before or after the arguments; --db goes with every
 * command, --name=value and --name value both work. */
static int
parse(struct cli *cli, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *eq, *value = NULL;
		char name[32];
		size_t n;
		int k;

		if (strncmp(a, "--", 2) || !a[2]) {
			if (cli->nargs >= CLI_MAX_ARGS)
				return cli_usage(cli, "too many arguments");
			cli->args[cli->nargs++] = a;
			continue;
		}
		a += 2;
		eq = strchr(a, '=');
		n = eq ? (size_t)(eq - a) : strlen(a);
		if (n >= sizeof name) {
			fprintf(stderr, "tandem: unknown option --%.40s\n", a);
			return cli_usage(cli, NULL);
		}
		memcpy(name, a, n);
		name[n] = '\0';
		if (eq)
			value = eq + 1;
		else if (i + 1 < argc)
			value = argv[i + 1];
		if (!strcmp(name, "db")) {
			if (!value)
				return cli_usage(cli, "--db needs a value");
			cli->db_url = value;
			i += !eq;
			continue;
		}
		for (k = 0; k < CLI_MAX_OPTS && cli->cmd->opts[k].name; k++)
			if (!strcmp(cli->cmd->opts[k].name, name))
				break;
		if (k == CLI_MAX_OPTS || !cli->cmd->opts[k].name) {
			fprintf(stderr, "tandem: unknown option --%s\n", name);
			return cli_usage(cli, NULL);
		}
		if (!cli->cmd->opts[k].has_value) {
			cli->given[k] = 1;
			continue;
		}
		if (!value) {
			fprintf(stderr, "tandem: --%s needs a value\n", name);
			return cli_usage(cli, NULL);
		}
		cli->values[k] = value;
		cli->given[k] = 1;
		i += !eq;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct cli cli = { 0 };
	const char *shift = getenv("TANDEM_CLOCK_OFFSET");
	int rc;

	/* for tests and demonstrations: the program's clock runs this many
	 * seconds ahead (negative: behind) */
	if (shift && *shift)
		clock_shift(strtoll(shift, NULL, 10));

	if (argc < 2) {
		overview(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("tandem %s\n", TANDEM_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		overview(stdout);
		return 0;
	}
	if (!(cli.cmd = find(argv[1]))) {
		fprintf(stderr, "tandem: unknown command %.60s\n", argv[1]);
		overview(stderr);
		return EXIT_USAGE;
	}
	for (int i = 2; i < argc; i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			cli.args[0] = cli.cmd->name;
			cli.nargs = 1;
			cli.cmd = find("help");
			return cmd_help(&cli);
		}
	if ((rc = parse(&cli, argc - 2, argv + 2)))
		return rc;
	if (cli.nargs > cli.cmd->max_args)
		return cli_usage(&cli, "unexpected argument");
	return cli.cmd->run(&cli);
}
