/* Numbered migrations with a schema version in the database. */
#ifndef TANDEM_MIGRATE_H
#define TANDEM_MIGRATE_H

#include "base/err.h"

struct dbconn;

/* Brings the schema to the newest version, each migration in its own
 * transaction; idempotent. *from and *to (may be NULL) get the versions.
 * ERR_CONFLICT when the database is newer than this binary. */
enum err migrate_run(struct dbconn *c, int *from, int *to, struct errinfo *ei);
/* The schema version this binary writes. */
int migrate_latest(void);

#endif
