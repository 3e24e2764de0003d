#include "http/metrics.h"

#include <stdatomic.h>
#include <string.h>

#include "http/router.h"

#define ROUTES_MAX 96 /* room in the counter tables; more routes count as "other" */

static const int statuses[] = { 200, 201, 204, 400, 401, 403, 404, 405,
	                        409, 413, 415, 422, 429, 500, 503 };
#define NSTATUS (sizeof statuses / sizeof statuses[0] + 1) /* + other */

static const int64_t bounds[] = { 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 100000, 1000000 };
#define NBOUNDS (sizeof bounds / sizeof bounds[0])

static atomic_llong counts[ROUTES_MAX + 1][NSTATUS];
static atomic_llong buckets[ROUTES_MAX + 1][NBOUNDS + 1];
static atomic_llong micros_sum[ROUTES_MAX + 1];
static atomic_llong db_micros;

static size_t
route_slot(const struct route *r)
{
	size_t i;

	if (!r)
		return ROUTES_MAX;
	i = (size_t)(r - routes);
	return i < routes_len && i < ROUTES_MAX ? i : ROUTES_MAX;
}

void
metrics_observe(const struct route *r, int status, int64_t micros)
{
	size_t slot = route_slot(r), s, b;

	for (s = 0; s < NSTATUS - 1; s++)
		if (statuses[s] == status)
			break;
	atomic_fetch_add_explicit(&counts[slot][s], 1, memory_order_relaxed);
	for (b = 0; b < NBOUNDS; b++)
		if (micros <= bounds[b])
			break;
	atomic_fetch_add_explicit(&buckets[slot][b], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&micros_sum[slot], micros, memory_order_relaxed);
}

void
metrics_db_time(int64_t micros)
{
	atomic_fetch_add_explicit(&db_micros, micros, memory_order_relaxed);
}

static void
route_labels(struct sb *sb, size_t slot)
{
	if (slot == ROUTES_MAX)
		sb_puts(sb, "method=\"\",route=\"unmatched\"");
	else
		sb_printf(sb, "method=\"%s\",route=\"%s\"", routes[slot].method,
		          routes[slot].pattern);
}

/* Seconds with six decimals from microseconds, without floating point. */
static void
seconds(struct sb *sb, int64_t micros)
{
	sb_printf(sb, "%lld.%06lld", (long long)(micros / 1000000), (long long)(micros % 1000000));
}

void
metrics_render(struct sb *sb)
{
	size_t nslots = routes_len < ROUTES_MAX ? routes_len : ROUTES_MAX;

	sb_puts(sb,
	        "# HELP tandem_http_requests_total HTTP requests answered, by route and status.\n"
	        "# TYPE tandem_http_requests_total counter\n");
	for (size_t slot = 0; slot <= ROUTES_MAX; slot++) {
		if (slot >= nslots && slot != ROUTES_MAX)
			continue;
		for (size_t s = 0; s < NSTATUS; s++) {
			long long n = atomic_load_explicit(&counts[slot][s], memory_order_relaxed);
			if (!n)
				continue;
			sb_puts(sb, "tandem_http_requests_total{");
			route_labels(sb, slot);
			if (s < NSTATUS - 1)
				sb_printf(sb, ",status=\"%d\"} %lld\n", statuses[s], n);
			else
				sb_printf(sb, ",status=\"other\"} %lld\n", n);
		}
	}
	sb_puts(sb,
	        "# HELP tandem_http_request_duration_seconds Time from the request to the queued"
	        " answer.\n# TYPE tandem_http_request_duration_seconds histogram\n");
	for (size_t slot = 0; slot <= ROUTES_MAX; slot++) {
		long long cum = 0;
		if (slot >= nslots && slot != ROUTES_MAX)
			continue;
		for (size_t b = 0; b <= NBOUNDS; b++)
			cum += atomic_load_explicit(&buckets[slot][b], memory_order_relaxed);
		if (!cum)
			continue;
		cum = 0;
		for (size_t b = 0; b <= NBOUNDS; b++) {
			cum += atomic_load_explicit(&buckets[slot][b], memory_order_relaxed);
			sb_puts(sb, "tandem_http_request_duration_seconds_bucket{");
			route_labels(sb, slot);
			sb_puts(sb, ",le=\"");
			if (b < NBOUNDS)
				seconds(sb, bounds[b]);
			else
				sb_puts(sb, "+Inf");
			sb_printf(sb, "\"} %lld\n", cum);
		}
		sb_puts(sb, "tandem_http_request_duration_seconds_sum{");
		route_labels(sb, slot);
		sb_puts(sb, "} ");
		seconds(sb, atomic_load_explicit(&micros_sum[slot], memory_order_relaxed));
		sb_puts(sb, "\ntandem_http_request_duration_seconds_count{");
		route_labels(sb, slot);
		sb_printf(sb, "} %lld\n", cum);
	}
	sb_puts(sb, "# HELP tandem_db_seconds_total Time spent in database transactions.\n"
	            "# TYPE tandem_db_seconds_total counter\ntandem_db_seconds_total ");
	seconds(sb, atomic_load_explicit(&db_micros, memory_order_relaxed));
	sb_putc(sb, '\n');
}
