/* tandem import accounts FILE.csv [--partner ID]
 * tandem export accounts > FILE.csv
 *
 * Headers are matched case-insensitively with the synonyms of common CRM
 * exports (Salesforce API names and labels, HubSpot) and our own export. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/csv.h"
#include "base/jin.h"
#include "cli/cli.h"
#include "domain/account.h"
#include "domain/partner.h"
#include "store/db.h"
#include "store/partner.h"

#define IMPORT_BATCH 1000    /* rows per transaction */
#define PROGRESS_EVERY 10000 /* rows between progress lines */

enum column {
	COL_IGNORE,
	COL_ID,
	COL_NAME,
	COL_DOMAIN,
	COL_DOMAINS,
	COL_COUNTRY,
	COL_STATUS,
	COL_EXTERNAL_ID
};

static const struct {
	const char *header;
	enum column col;
} synonyms[] = {
	/* ours */
	{ "name", COL_NAME },
	{ "domain", COL_DOMAIN },
	{ "domains", COL_DOMAINS },
	{ "country", COL_COUNTRY },
	{ "status", COL_STATUS },
	{ "external_id", COL_EXTERNAL_ID },
	/* Salesforce API names and labels */
	{ "account name", COL_NAME },
	{ "website", COL_DOMAIN },
	{ "billingcountry", COL_COUNTRY },
	{ "billing country", COL_COUNTRY },
	{ "shippingcountry", COL_COUNTRY },
	{ "account id", COL_EXTERNAL_ID },
	/* HubSpot */
	{ "record id", COL_EXTERNAL_ID },
	{ "company name", COL_NAME },
	{ "company domain name", COL_DOMAIN },
	{ "website url", COL_DOMAINS },
	{ "country/region", COL_COUNTRY },
	/* others seen in CRM exports */
	{ "company", COL_NAME },
	{ "account", COL_NAME },
	{ "web site", COL_DOMAIN },
	{ "url", COL_DOMAINS },
	{ "email domain", COL_DOMAINS },
	{ "crm id", COL_EXTERNAL_ID },
};

/* Lower-cases and trims a header into out. */
static void
header_key(const char *in, char *out, size_t size)
{
	size_t n = 0;

	while (*in == ' ' || *in == '\t')
		in++;
	for (; *in && n + 1 < size; in++)
		out[n++] = (char)tolower((unsigned char)*in);
	while (n && (out[n - 1] == ' ' || out[n - 1] == '\t'))
		n--;
	out[n] = '\0';
}

struct import {
	struct cli_db *d;
	int64_t partner_id;
	enum column cols[CSV_FIELDS_MAX];
	int ncols;
	long imported, updated, rejected;
};

/* One row into an account; reports a rejected row on stderr. */
static enum err
import_row(struct import *im, struct csv *csv)
{
	struct account_input in = { 0 };
	struct account out;
	struct ctx *c = &im->d->ctx;
	const char *status = NULL;
	int created = 0;
	enum err rc;

	for (int i = 0; i < csv->nfields && i < im->ncols; i++) {
		char *v = csv->fields[i];
		while (*v == ' ' || *v == '\t')
			v++;
		if (!*v)
			continue;
		switch (im->cols[i]) {
		case COL_NAME:
			in.name = v;
			in.has_name = 1;
			break;
		case COL_DOMAIN:
		case COL_DOMAINS: {
			/* a list column may hold several: "a.com; b.com" */
			char *save = NULL, *tok = strtok_r(v, ";| ", &save);
			for (; tok && in.ndomains < ACCOUNT_DOMAINS_MAX;
			     tok = strtok_r(NULL, ";| ", &save))
				in.domains[in.ndomains++] = tok;
			in.has_domains = in.ndomains > 0;
			break;
		}
		case COL_COUNTRY:
			in.country = v;
			in.has_country = 1;
			break;
		case COL_STATUS: status = v; break;
		case COL_EXTERNAL_ID:
			in.external_id = v;
			in.has_external_id = 1;
			break;
		default: break;
		}
	}
	if (status) {
		in.status = !strncasecmp(status, "customer", 8) ? "customer" : "prospect";
		in.has_status = 1;
	}
	if (im->partner_id) {
		in.owner_kind = "partner";
		in.owner_partner_id = im->partner_id;
		in.has_owner = 1;
	}
	memset(c->ei, 0, sizeof *c->ei);
	rc = account_upsert(c, &in, &out, &created);
	if (rc == ERR_INVALID || rc == ERR_NOTFOUND || rc == ERR_FORBIDDEN || rc == ERR_CONFLICT) {
		fprintf(stderr, "line %ld: %s\n", csv->line,
		        c->ei->msg[0] ? c->ei->msg : "rejected");
		im->rejected++;
		return ERR_OK;
	}
	if (rc)
		return rc;
	if (created)
		im->imported++;
	else
		im->updated++;
	return ERR_OK;
}

static int
map_header(struct import *im, struct csv *csv)
{
	char key[128];
	int has_external = 0, has_name = 0, first_unknown = 1;

	for (int i = 0; i < csv->nfields; i++) {
		header_key(csv->fields[i], key, sizeof key);
		if (!strcmp(key, "external_id"))
			has_external = 1;
	}
	im->ncols = csv->nfields;
	for (int i = 0; i < csv->nfields; i++) {
		size_t k;
		header_key(csv->fields[i], key, sizeof key);
		im->cols[i] = COL_IGNORE;
		/* "id" is ours beside external_id (our export), else the CRM's (Salesforce Id) */
		if (!strcmp(key, "id")) {
			im->cols[i] = has_external ? COL_IGNORE : COL_EXTERNAL_ID;
			continue;
		}
		for (k = 0; k < sizeof synonyms / sizeof synonyms[0]; k++)
			if (!strcmp(key, synonyms[k].header)) {
				im->cols[i] = synonyms[k].col;
				break;
			}
		has_name |= im->cols[i] == COL_NAME;
		if (k == sizeof synonyms / sizeof synonyms[0]) {
			fprintf(stderr, "%s%s", first_unknown ? "ignoring columns: " : ", ",
			        csv->fields[i]);
			first_unknown = 0;
		}
	}
	if (!first_unknown)
		fputc('\n', stderr);
	return has_name ? 0 : -1;
}

/* Are all fields of the record UTF-8? */
static int
fields_utf8(const struct csv *csv)
{
	for (int i = 0; i < csv->nfields; i++)
		if (!utf8_valid(csv->fields[i]))
			return 0;
	return 1;
}

static int
import_accounts(struct cli *cli, const char *path)
{
	struct import im = { 0 };
	struct cli_db d;
	struct csv csv;
	const char *partner = cli_opt(cli, "partner");
	FILE *f;
	long rows = 0;
	int rc, r;
	enum err e = ERR_OK;

	if (partner) {
		char *end;
		im.partner_id = strtoll(partner, &end, 10);
		if (!*partner || *end || im.partner_id < 1)
			return cli_usage(cli, "--partner takes a partner id");
	}
	if (!(f = strcmp(path, "-") ? fopen(path, "rb") : stdin))
		return cli_fail("cannot read %s", path);
	if ((rc = cli_open(cli, &d))) {
		if (f != stdin)
			fclose(f);
		return rc;
	}
	im.d = &d;
	if (im.partner_id) {
		struct partner p;
		if (store_partner_get(&d.ctx, im.partner_id, &p)) {
			rc = cli_fail("no partner %lld", (long long)im.partner_id);
			goto out_close;
		}
	}
	csv_init(&csv, f);
	if ((r = csv_read(&csv)) != 1) {
		rc = cli_fail("%s has no header line%s%s", path, csv.error ? ": " : "",
		              csv.error ? csv.error : "");
		goto out;
	}
	if (map_header(&im, &csv)) {
		rc = cli_fail("%s has no column for the account name (name, Account Name,"
		              " Company name)",
		              path);
		goto out;
	}
	rc = 0;
	while (!e) {
		if (db_begin(d.conn, 1)) {
			rc = cli_fail("cannot write to the database: %s", db_errmsg(d.conn));
			goto out;
		}
		for (int i = 0; i < IMPORT_BATCH; i++) {
			d.ctx.now = clock_now();
			r = csv_read(&csv);
			if (r == 0)
				break;
			rows++;
			if (r < 0) {
				fprintf(stderr, "line %ld: %s\n", csv.line, csv.error);
				im.rejected++;
				continue;
			}
			if (!fields_utf8(&csv)) {
				/* SQLite would store the bytes, PostgreSQL refuses them:
				 * the row is rejected on both */
				fprintf(stderr,
				        "line %ld: not UTF-8 text (save the file as UTF-8)\n",
				        csv.line);
				im.rejected++;
				continue;
			}
			if ((e = import_row(&im, &csv)))
				break;
			if (rows % PROGRESS_EVERY == 0)
				fprintf(stderr, "... %ld rows\n", rows);
			arena_release(&d.arena);
		}
		if (e) {
			db_rollback(d.conn);
			rc = cli_fail("import stopped at line %ld: %s: %s", csv.line, err_code(e),
			              db_errmsg(d.conn));
			goto out;
		}
		if (db_commit(d.conn)) {
			rc = cli_fail("cannot commit: %s", db_errmsg(d.conn));
			goto out;
		}
		if (r == 0)
			break;
	}
	printf("imported %ld, updated %ld, rejected %ld\n", im.imported, im.updated, im.rejected);
	rc = im.rejected ? EXIT_USER : 0;
out:
	csv_release(&csv);
out_close:
	cli_close(&d);
	if (f != stdin)
		fclose(f);
	return rc;
}

struct export
{
	struct sb sb;
	FILE *out;
	int failed;
};

static enum err
export_row(void *arg, const struct account *a)
{
	struct export *x = arg;
	char num[32];

	sb_reset(&x->sb);
	snprintf(num, sizeof num, "%lld", (long long)a->id);
	csv_field(&x->sb, num);
	sb_putc(&x->sb, ',');
	csv_field(&x->sb, a->name);
	sb_putc(&x->sb, ',');
	csv_field(&x->sb, a->ndomains ? a->domains[0] : "");
	sb_putc(&x->sb, ',');
	{
		struct sb list;
		sb_init(&list, 0);
		for (int i = 0; i < a->ndomains; i++) {
			if (i)
				sb_putc(&list, ';');
			sb_puts(&list, a->domains[i]);
		}
		csv_field(&x->sb, sb_str(&list));
		sb_release(&list);
	}
	sb_putc(&x->sb, ',');
	csv_field(&x->sb, a->country ? a->country : "");
	sb_putc(&x->sb, ',');
	csv_field(&x->sb, a->status);
	sb_putc(&x->sb, ',');
	csv_field(&x->sb, a->owner_kind);
	sb_putc(&x->sb, ',');
	if (a->owner_partner_id)
		sb_printf(&x->sb, "%lld", (long long)a->owner_partner_id);
	sb_putc(&x->sb, ',');
	csv_field(&x->sb, a->external_id ? a->external_id : "");
	sb_puts(&x->sb, "\r\n");
	if (sb_err(&x->sb) || fwrite(x->sb.buf, 1, x->sb.len, x->out) != x->sb.len)
		return ERR_INTERNAL;
	return ERR_OK;
}

static int
export_accounts(struct cli *cli)
{
	struct export x = { .out = stdout };
	struct cli_db d;
	enum err e;
	int rc;

	if ((rc = cli_open(cli, &d)))
		return rc;
	sb_init(&x.sb, 0);
	fputs("id,name,domain,domains,country,status,owner_kind,owner_partner_id,external_id\r\n",
	      stdout);
	if (!(e = db_begin(d.conn, 0))) {
		e = store_account_each(&d.ctx, export_row, &x);
		db_commit(d.conn);
	}
	sb_release(&x.sb);
	cli_close(&d);
	if (e || fflush(stdout))
		return cli_fail("export failed: %s", err_code(e ? e : ERR_INTERNAL));
	return 0;
}

int
cmd_import(struct cli *cli)
{
	if (cli->nargs != 2)
		return cli_usage(cli, "name what to import and the file");
	if (strcmp(cli->args[0], "accounts"))
		return cli_usage(cli, "this version imports accounts");
	return import_accounts(cli, cli->args[1]);
}

int
cmd_export(struct cli *cli)
{
	if (cli->nargs != 1)
		return cli_usage(cli, "name what to export");
	if (strcmp(cli->args[0], "accounts"))
		return cli_usage(cli, "this version exports accounts");
	return export_accounts(cli);
}
