/* Numbered migrations with a schema version in the database. */
#ifndef TANDEM_MIGRATE_H
#define TANDEM_MIGRATE_H

#include <stddef.h>

#include "base/err.h"

struct dbconn;

/* Brings the schema to the newest version, each migration in its own
 * transaction; idempotent. *from and *to (may be NULL) get the versions.
 * ERR_CONFLICT when the database is newer than this binary. */
enum err migrate_run(struct dbconn *c, int *from, int *to, struct errinfo *ei);
/* The schema version this binary writes. */
int migrate_latest(void);

#define MIGRATE_NAME_MAX 64
/* Fills names with the tables the migrations create, in the order they
 * create them (so a table's references point to tables before it), less those
 * a later migration drops; schema_version is not among them. Returns how many
 * (at most max). */
size_t migrate_tables(char (*names)[MIGRATE_NAME_MAX], size_t max);

#endif
