/* The command line: one file per command, dispatched from main.c's table.
 * Exit status 0 on success, 1 on a user error (one line on stderr), 2 on a
 * usage error. */
#ifndef TANDEM_CLI_H
#define TANDEM_CLI_H

#include "base/err.h"
#include "store/ctx.h"

#define EXIT_USER 1
#define EXIT_USAGE 2
#define CLI_MAX_OPTS 8
#define CLI_MAX_ARGS 4

struct cli;

struct cli_opt {
	const char *name; /* "email" for --email */
	int has_value;
};

struct command {
	const char *name; /* "user add" */
	int (*run)(struct cli *cli);
	const char *usage;                 /* the synopsis line */
	const char *summary;               /* one line for the command list */
	const char *help;                  /* what `tandem help NAME` adds */
	struct cli_opt opts[CLI_MAX_OPTS]; /* besides --db */
	int max_args;                      /* words after the command name */
};

struct cli {
	const struct command *cmd;
	const char *db_url;
	const char *values[CLI_MAX_OPTS]; /* option values by cmd->opts index */
	int given[CLI_MAX_OPTS];
	const char *args[CLI_MAX_ARGS];
	int nargs;
};

extern const struct command commands[];

/* The value of --name, or NULL. */
const char *cli_opt(const struct cli *cli, const char *name);
int cli_given(const struct cli *cli, const char *name);
/* Prints "tandem: <message>" on stderr and returns EXIT_USER. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the usage line of the command and returns EXIT_USAGE. */
int cli_usage(const struct cli *cli, const char *why);

/* Opens the database of --db / TANDEM_DB, migrates it and fills ctx with a
 * system actor. Returns 0, or an exit status after printing why. */
struct db;
struct cli_db {
	struct db *db;
	struct dbconn *conn;
	struct arena arena;
	struct errinfo ei;
	struct ctx ctx;
};
int cli_open(const struct cli *cli, struct cli_db *d);
/* The same for a database named by url. */
int cli_open_url(const char *url, struct cli_db *d);
/* The database of --db, TANDEM_DB or the default ./tandem.db. */
const char *cli_db_url(const struct cli *cli);
void cli_close(struct cli_db *d);
/* Runs fn inside one write transaction; prints the error and returns an exit
 * status on failure. */
int cli_tx(struct cli_db *d, enum err (*fn)(struct ctx *c, void *arg), void *arg);

int cmd_serve(struct cli *cli);
int cmd_migrate(struct cli *cli);
int cmd_demo(struct cli *cli);
int cmd_user_add(struct cli *cli);
int cmd_token_create(struct cli *cli);
int cmd_help(struct cli *cli);
int cmd_import(struct cli *cli);
int cmd_export(struct cli *cli);
int cmd_backup(struct cli *cli);
int cmd_copy(struct cli *cli);

#endif
