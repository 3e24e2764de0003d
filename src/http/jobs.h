/* Work the server does without being asked: keeping the conflict index in
 * step with writes of other processes (the change sequence, polled), and the
 * timers of the rules of engagement (expiry, escalation). One thread with its
 * own database connection. */
#ifndef TANDEM_JOBS_H
#define TANDEM_JOBS_H

#include "base/err.h"

struct db;

/* Builds the conflict index from the database, then starts the thread.
 * ERR_* with a message in ei when the database cannot be read. */
enum err jobs_start(struct db *db, struct errinfo *ei);
/* Stops the thread and frees the index. */
void jobs_stop(void);

#endif
