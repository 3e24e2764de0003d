#include "store/migrate.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/sb.h"
#include "store/db.h"

struct migration {
	int version;
	const char *name;
	const char *sql;
};

/* Append only: a released migration never changes. */
static const struct migration migrations[] = {
	{ 1, "platform",
	  "CREATE TABLE partners ("
	  " id {{pk}},"
	  " name TEXT NOT NULL,"
	  " name_key TEXT NOT NULL,"
	  " type TEXT NOT NULL,"
	  " status TEXT NOT NULL,"
	  " tier TEXT NOT NULL,"
	  " domain TEXT,"
	  " country TEXT,"
	  " region TEXT,"
	  " account_manager_id BIGINT,"
	  " credit_amount BIGINT,"
	  " credit_currency TEXT,"
	  " designated_consultants BIGINT NOT NULL DEFAULT 0,"
	  " created_at BIGINT NOT NULL,"
	  " updated_at BIGINT NOT NULL);"
	  "CREATE INDEX partners_status ON partners(status, id);"
	  "CREATE TABLE users ("
	  " id {{pk}},"
	  " email TEXT NOT NULL,"
	  " email_key TEXT NOT NULL UNIQUE,"
	  " name TEXT,"
	  " role TEXT NOT NULL,"
	  " partner_id BIGINT REFERENCES partners(id),"
	  " password_hash TEXT NOT NULL,"
	  " active INTEGER NOT NULL DEFAULT 1,"
	  " created_at BIGINT NOT NULL,"
	  " updated_at BIGINT NOT NULL);"
	  "CREATE INDEX users_partner ON users(partner_id, id);"
	  "CREATE TABLE tokens ("
	  " id {{pk}},"
	  " user_id BIGINT NOT NULL REFERENCES users(id),"
	  " hash TEXT NOT NULL UNIQUE,"
	  " kind TEXT NOT NULL,"
	  " created_at BIGINT NOT NULL,"
	  " expires_at BIGINT NOT NULL,"
	  " revoked_at BIGINT);"
	  "CREATE INDEX tokens_user ON tokens(user_id);"
	  "CREATE TABLE login_failures ("
	  " id {{pk}},"
	  " email_key TEXT NOT NULL,"
	  " at BIGINT NOT NULL);"
	  "CREATE INDEX login_failures_email ON login_failures(email_key, at);"
	  "CREATE TABLE agreements ("
	  " id {{pk}},"
	  " partner_id BIGINT NOT NULL REFERENCES partners(id),"
	  " type TEXT NOT NULL,"
	  " discount_bps BIGINT,"
	  " fee_bps BIGINT,"
	  " split_bps BIGINT,"
	  " services_discount_bps BIGINT,"
	  " referral_window_days BIGINT,"
	  " commit_amount BIGINT,"
	  " commit_currency TEXT,"
	  " start_date BIGINT NOT NULL,"
	  " end_date BIGINT NOT NULL,"
	  " term_months BIGINT NOT NULL,"
	  " auto_renew INTEGER NOT NULL,"
	  " notice_days BIGINT NOT NULL,"
	  " exclusive INTEGER NOT NULL,"
	  " terminated_on BIGINT,"
	  " created_at BIGINT NOT NULL,"
	  " updated_at BIGINT NOT NULL);"
	  "CREATE INDEX agreements_partner ON agreements(partner_id, id);"
	  "CREATE TABLE settings ("
	  " grp TEXT PRIMARY KEY,"
	  " value TEXT NOT NULL,"
	  " updated_at BIGINT NOT NULL);"
	  "CREATE TABLE audit_events ("
	  " id {{pk}},"
	  " at BIGINT NOT NULL,"
	  " actor_id BIGINT,"
	  " action TEXT NOT NULL,"
	  " entity TEXT NOT NULL,"
	  " entity_id BIGINT,"
	  " changes TEXT NOT NULL);"
	  "CREATE INDEX audit_entity ON audit_events(entity, entity_id);"
	  /* The change sequence: every write appends a row; other processes poll
	   * it to catch up (the conflict index, caches). */
	  "CREATE TABLE changes ("
	  " id {{pk}},"
	  " at BIGINT NOT NULL,"
	  " entity TEXT NOT NULL,"
	  " entity_id BIGINT NOT NULL);" },
	{ 2, "accounts and deal registrations",
	  "CREATE TABLE accounts ("
	  " id {{pk}},"
	  " name TEXT NOT NULL,"
	  " name_key TEXT NOT NULL,"
	  " domain TEXT,"
	  " domains TEXT NOT NULL DEFAULT '[]',"
	  " country TEXT,"
	  " status TEXT NOT NULL,"
	  " owner_kind TEXT NOT NULL,"
	  " owner_user_id BIGINT,"
	  " owner_partner_id BIGINT REFERENCES partners(id),"
	  " external_id TEXT,"
	  " created_at BIGINT NOT NULL,"
	  " updated_at BIGINT NOT NULL);"
	  "CREATE INDEX accounts_partner ON accounts(owner_partner_id, id);"
	  "CREATE INDEX accounts_external ON accounts(external_id);"
	  "CREATE INDEX accounts_name ON accounts(name_key);"
	  "CREATE TABLE account_domains ("
	  " account_id BIGINT NOT NULL REFERENCES accounts(id),"
	  " domain TEXT NOT NULL,"
	  " PRIMARY KEY (account_id, domain));"
	  "CREATE INDEX account_domains_domain ON account_domains(domain);"
	  "CREATE TABLE deal_registrations ("
	  " id {{pk}},"
	  " partner_id BIGINT NOT NULL REFERENCES partners(id),"
	  " status TEXT NOT NULL,"
	  " customer_name TEXT NOT NULL,"
	  " customer_domain TEXT,"
	  " customer_country TEXT,"
	  " contact_name TEXT,"
	  " contact_email TEXT,"
	  " products TEXT NOT NULL DEFAULT '[]',"
	  " amount BIGINT NOT NULL,"
	  " currency TEXT NOT NULL,"
	  " expected_close BIGINT NOT NULL,"
	  " notes TEXT,"
	  " submitted_at BIGINT NOT NULL,"
	  " submitted_by BIGINT,"
	  " decided_at BIGINT,"
	  " decided_by BIGINT,"
	  " reason TEXT,"
	  " note TEXT,"
	  " protected_until BIGINT,"
	  " extensions BIGINT NOT NULL DEFAULT 0,"
	  " escalated INTEGER NOT NULL DEFAULT 0,"
	  " escalated_at BIGINT,"
	  " opportunity_id BIGINT,"
	  " winner_id BIGINT,"
	  " conflicts TEXT NOT NULL DEFAULT '[]',"
	  " created_at BIGINT NOT NULL,"
	  " updated_at BIGINT NOT NULL);"
	  "CREATE INDEX registrations_partner ON deal_registrations(partner_id, id);"
	  "CREATE INDEX registrations_status ON deal_registrations(status, id);" },
	{ 3, "pipeline and money",
	  "CREATE TABLE opportunities ("
	  " id {{pk}},"
	  " name TEXT NOT NULL,"
	  " account_id BIGINT NOT NULL REFERENCES accounts(id),"
	  " partner_id BIGINT REFERENCES partners(id),"
	  " registration_id BIGINT REFERENCES deal_registrations(id),"
	  " owner_user_id BIGINT,"
	  " stage TEXT NOT NULL,"
	  " probability BIGINT NOT NULL,"
	  " forecast_category TEXT NOT NULL,"
	  " amount BIGINT NOT NULL,"
	  " currency TEXT NOT NULL,"
	  " expected_close BIGINT NOT NULL,"
	  " closed_on BIGINT,"
	  " source TEXT NOT NULL,"
	  " checklist TEXT NOT NULL DEFAULT '[]',"
	  " customer_po_on BIGINT,"
	  " partner_order_on BIGINT,"
	  " created_at BIGINT NOT NULL,"
	  " updated_at BIGINT NOT NULL);"
	  "CREATE INDEX opportunities_partner ON opportunities(partner_id, id);"
	  "CREATE INDEX opportunities_close ON opportunities(expected_close);"
	  "CREATE UNIQUE INDEX opportunities_registration ON opportunities(registration_id);"
	  "CREATE TABLE orders ("
	  " id {{pk}},"
	  " opportunity_id BIGINT NOT NULL UNIQUE REFERENCES opportunities(id),"
	  " partner_id BIGINT REFERENCES partners(id),"
	  " registration_id BIGINT,"
	  " owner_user_id BIGINT,"
	  " booked_at BIGINT NOT NULL,"
	  " currency TEXT NOT NULL,"
	  " list_amount BIGINT NOT NULL,"
	  " discount_bps BIGINT NOT NULL,"
	  " net_amount BIGINT NOT NULL,"
	  " fee_bps BIGINT NOT NULL,"
	  " fee_amount BIGINT NOT NULL,"
	  " split_bps BIGINT NOT NULL,"
	  " split_amount BIGINT NOT NULL,"
	  " eligible INTEGER NOT NULL,"
	  " reasons TEXT NOT NULL DEFAULT '[]');"
	  "CREATE INDEX orders_partner ON orders(partner_id, booked_at);"
	  "CREATE TABLE statements ("
	  " id {{pk}},"
	  " partner_id BIGINT NOT NULL REFERENCES partners(id),"
	  " period TEXT NOT NULL,"
	  " status TEXT NOT NULL,"
	  " approved_at BIGINT,"
	  " paid_at BIGINT,"
	  " created_at BIGINT NOT NULL,"
	  " updated_at BIGINT NOT NULL,"
	  " UNIQUE (partner_id, period));"
	  "CREATE TABLE statement_lines ("
	  " id {{pk}},"
	  " statement_id BIGINT NOT NULL REFERENCES statements(id),"
	  " order_id BIGINT NOT NULL REFERENCES orders(id),"
	  " kind TEXT NOT NULL,"
	  " currency TEXT NOT NULL,"
	  " basis BIGINT NOT NULL,"
	  " bps BIGINT NOT NULL,"
	  " amount BIGINT NOT NULL);"
	  "CREATE INDEX statement_lines_statement ON statement_lines(statement_id, id);"
	  "CREATE TABLE tier_history ("
	  " id {{pk}},"
	  " partner_id BIGINT NOT NULL REFERENCES partners(id),"
	  " tier TEXT NOT NULL,"
	  " from_day BIGINT NOT NULL,"
	  " to_day BIGINT);"
	  "CREATE INDEX tier_history_partner ON tier_history(partner_id, id);" },
};

#define NMIGRATIONS (sizeof migrations / sizeof migrations[0])

/* The PostgreSQL text of a migration whose SQLite text cannot run there,
 * same version, same effect. None so far: {{pk}} covers the one difference
 * (the end of the table is the entry with version 0). */
static const struct migration pg_overrides[] = {
	{ 0, NULL, NULL },
};

/* The text of migration m for c's engine. */
static const char *
migration_sql(struct dbconn *c, const struct migration *m)
{
	if (db_engine(db_of(c)) == DB_POSTGRES)
		for (const struct migration *o = pg_overrides; o->version; o++)
			if (o->version == m->version)
				return o->sql;
	return m->sql;
}

int
migrate_latest(void)
{
	return migrations[NMIGRATIONS - 1].version;
}

/* Replaces {{pk}} with the engine's auto-numbered primary key. */
static char *
dialect(struct dbconn *c, const char *sql)
{
	const char *pk = db_engine(db_of(c)) == DB_SQLITE
	                         ? "INTEGER PRIMARY KEY"
	                         : "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
	struct sb sb;
	const char *p;

	sb_init(&sb, 0);
	while ((p = strstr(sql, "{{pk}}"))) {
		sb_append(&sb, sql, (size_t)(p - sql));
		sb_puts(&sb, pk);
		sql = p + 6;
	}
	sb_puts(&sb, sql);
	return sb_detach(&sb);
}

static enum err
current_version(struct dbconn *c, int *v)
{
	struct dbstmt *st;
	enum err rc;
	int row;

	*v = 0;
	if ((rc = db_prepare(c, "SELECT MAX(version) FROM schema_version", &st)) ||
	    (rc = db_step(st, &row)))
		return rc;
	if (row && !db_col_null(st, 0))
		*v = (int)db_col_i64(st, 0);
	while (row && !(rc = db_step(st, &row)))
		;
	return rc;
}

enum err
migrate_run(struct dbconn *c, int *from, int *to, struct errinfo *ei)
{
	struct dbstmt *st;
	enum err rc;
	int v;

	if ((rc = db_begin(c, 1)))
		return err_set(ei, rc, NULL, "cannot lock the database: %s", db_errmsg(c));
	rc = db_exec(
	        c, "CREATE TABLE IF NOT EXISTS schema_version ("
	           " version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
	if (!rc)
		rc = current_version(c, &v);
	if (rc) {
		db_rollback(c);
		return err_set(ei, rc, NULL, "cannot read the schema version: %s", db_errmsg(c));
	}
	if ((rc = db_commit(c)))
		return err_set(ei, rc, NULL, "cannot write: %s", db_errmsg(c));
	if (from)
		*from = v;
	if (v > migrate_latest())
		return err_set(ei, ERR_CONFLICT, NULL,
		               "the database has schema version %d, newer than this tandem (%d)", v,
		               migrate_latest());
	for (size_t i = 0; i < NMIGRATIONS; i++) {
		const struct migration *m = &migrations[i];
		char *sql;
		int now_v;

		if ((rc = db_begin(c, 1)))
			return err_set(ei, rc, NULL, "cannot lock the database: %s", db_errmsg(c));
		/* Another process may have migrated meanwhile: read again under the lock. */
		if ((rc = current_version(c, &now_v)) || now_v >= m->version) {
			db_rollback(c);
			if (rc)
				return err_set(ei, rc, NULL, "%s", db_errmsg(c));
			continue;
		}
		if (!(sql = dialect(c, migration_sql(c, m)))) {
			db_rollback(c);
			return ERR_NOMEM;
		}
		rc = db_exec(c, sql);
		free(sql);
		if (!rc && !(rc = db_prepare(c,
		                             "INSERT INTO schema_version(version, name, applied_at)"
		                             " VALUES (?, ?, ?)",
		                             &st))) {
			db_bind_i64(st, 1, m->version);
			db_bind_text(st, 2, m->name);
			db_bind_i64(st, 3, clock_now());
			rc = db_run(st, NULL);
		}
		if (rc || (rc = db_commit(c))) {
			err_set(ei, rc, NULL, "migration %d (%s) failed: %s", m->version, m->name,
			        db_errmsg(c));
			db_rollback(c);
			return rc;
		}
	}
	if (to)
		*to = migrate_latest();
	return ERR_OK;
}

/* Copies the identifier at p into out; returns its end. */
static const char *
identifier(const char *p, char *out, size_t size)
{
	size_t n = 0;

	while (*p == ' ')
		p++;
	while ((*p == '_' || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
	        (*p >= '0' && *p <= '9')) &&
	       n + 1 < size)
		out[n++] = *p++;
	out[n] = '\0';
	return p;
}

size_t
migrate_tables(char (*names)[MIGRATE_NAME_MAX], size_t max)
{
	static const char create[] = "CREATE TABLE ", drop[] = "DROP TABLE ",
	                  if_not[] = "IF NOT EXISTS ", if_exists[] = "IF EXISTS ";
	size_t n = 0;

	for (size_t i = 0; i < NMIGRATIONS; i++) {
		for (const char *p = migrations[i].sql; *p; p++) {
			char name[MIGRATE_NAME_MAX];
			int creates = !strncmp(p, create, sizeof create - 1);

			if (!creates && strncmp(p, drop, sizeof drop - 1))
				continue;
			p += creates ? sizeof create - 1 : sizeof drop - 1;
			if (!strncmp(p, if_not, sizeof if_not - 1))
				p += sizeof if_not - 1;
			else if (!strncmp(p, if_exists, sizeof if_exists - 1))
				p += sizeof if_exists - 1;
			p = identifier(p, name, sizeof name) - 1;
			if (creates && n < max) {
				memcpy(names[n++], name, sizeof name);
				continue;
			}
			for (size_t k = 0; k < n; k++)
				if (!creates && !strcmp(names[k], name)) {
					memmove(names[k], names[k + 1],
					        sizeof names[0] * (n - k - 1));
					n--;
					break;
				}
		}
	}
	return n;
}
