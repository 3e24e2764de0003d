/* Request metrics for GET /metrics: counts by route and status, a latency
 * histogram per route, database time. Lock-free counters. */
#ifndef TANDEM_METRICS_H
#define TANDEM_METRICS_H

#include <stdint.h>

#include "base/sb.h"

struct route;

/* Counts one answered request (route NULL: no route matched). */
void metrics_observe(const struct route *r, int status, int64_t micros);
/* Adds time spent in database transactions. */
void metrics_db_time(int64_t micros);
/* Appends the Prometheus text of the counters to sb. */
void metrics_render(struct sb *sb);

#endif
