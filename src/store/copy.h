/* Copying a whole program from one database to another, of either engine
 * (tandem copy): every table the migrations create, in the order they create
 * them, ids kept. */
#ifndef TANDEM_STORE_COPY_H
#define TANDEM_STORE_COPY_H

#include <stdint.h>

#include "base/err.h"

struct dbconn;

/* Copies every row of from into to. Both must be migrated to this binary's
 * schema; to must hold no row yet (ERR_CONFLICT naming the table otherwise).
 * from is read in one read transaction (a consistent snapshot, while it
 * serves), to is written in one write transaction (all or nothing). On
 * PostgreSQL the identity sequences of to continue after the copied ids.
 * done(arg, table, rows) is called after each table when not NULL. */
enum err store_copy(struct dbconn *from, struct dbconn *to,
                    void (*done)(void *arg, const char *table, int64_t rows), void *arg,
                    struct errinfo *ei);

#endif
