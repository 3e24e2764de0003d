/* tandem user add --email E --role R [--partner ID] [--name N]
 * tandem token create --email E [--days N] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/auth.h"
#include "domain/role.h"
#include "domain/user.h"

#define DAYS_MAX 3650

static int
parse_id(const char *s, int64_t *out)
{
	char *end;
	long long v;

	if (!s || !*s)
		return -1;
	v = strtoll(s, &end, 10);
	if (*end || v < 1)
		return -1;
	*out = v;
	return 0;
}

/* The first line of standard input, without its newline; NULL on EOF. */
static char *
read_password(void)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, stdin);

	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

static enum err
add_user(struct ctx *c, void *arg)
{
	struct user u;

	return user_create(c, arg, &u);
}

int
cmd_user_add(struct cli *cli)
{
	struct user_input in = { 0 };
	struct cli_db d;
	char *pw;
	int rc;

	if (cli->nargs != 1 || strcmp(cli->args[0], "add"))
		return cli_usage(cli, "the user command has one subcommand: add");
	in.email = cli_opt(cli, "email");
	in.role = cli_opt(cli, "role");
	in.name = cli_opt(cli, "name");
	if (!in.email || !*in.email)
		return cli_usage(cli, "--email is required");
	if (!in.role || !*in.role)
		return cli_usage(cli, "--role is required");
	if (role_parse(in.role) == ROLE_NONE)
		return cli_usage(cli,
		                 "--role must be one of admin, channel_manager, sales_manager,"
		                 " sales_rep, marketing, finance, partner_admin, partner_sales,"
		                 " partner_marketing, partner_consultant");
	if (cli_given(cli, "partner") && parse_id(cli_opt(cli, "partner"), &in.partner_id))
		return cli_usage(cli, "--partner takes a partner id");
	if (role_is_partner(role_parse(in.role)) && !in.partner_id)
		return cli_usage(cli, "a partner role requires --partner ID");
	if (!(pw = read_password()))
		return cli_fail("give the password on the first line of standard input");
	in.password = pw;
	in.has_name = in.name != NULL;
	if ((rc = cli_open(cli, &d))) {
		free(pw);
		return rc;
	}
	rc = cli_tx(&d, add_user, &in);
	free(pw);
	if (!rc)
		printf("added %s (%s)\n", in.email, in.role);
	cli_close(&d);
	return rc;
}

struct token_args {
	const char *email;
	int days;
	const char *token;
	int64_t expires_at;
};

static enum err
create_token(struct ctx *c, void *arg)
{
	struct token_args *t = arg;
	struct user u;
	char key[256];
	enum err rc;

	if ((rc = auth_email_key(c, t->email, key, sizeof key)))
		return rc;
	rc = store_user_by_email(c, key, &u);
	if (rc == ERR_NOTFOUND)
		return err_set(c->ei, rc, "email", "no user with e-mail %s", key);
	if (rc)
		return rc;
	if (!u.active)
		return err_set(c->ei, ERR_CONFLICT, "email", "user %s is deactivated", key);
	return auth_token_create(c, u.id, "api", t->days, &t->token, &t->expires_at);
}

int
cmd_token_create(struct cli *cli)
{
	struct token_args t = { .days = API_TOKEN_DAYS };
	struct cli_db d;
	const char *days = cli_opt(cli, "days");
	int rc;

	if (cli->nargs != 1 || strcmp(cli->args[0], "create"))
		return cli_usage(cli, "the token command has one subcommand: create");
	t.email = cli_opt(cli, "email");
	if (!t.email || !*t.email)
		return cli_usage(cli, "--email is required");
	if (days) {
		char *end;
		long n = strtol(days, &end, 10);
		if (!*days || *end || n < 1 || n > DAYS_MAX)
			return cli_usage(cli, "--days takes a number from 1 to 3650");
		t.days = (int)n;
	}
	if ((rc = cli_open(cli, &d)))
		return rc;
	if (!(rc = cli_tx(&d, create_token, &t)))
		printf("%s\n", t.token);
	cli_close(&d);
	return rc;
}
