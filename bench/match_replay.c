/* The conflict checks of bench/conflict_http.sh without HTTP: indexes the
 * accounts of its CSV (name,domain,country, as `tandem import accounts`
 * loads them) and runs the names of its request bodies through match_check
 * the way POST /api/v1/conflict-check does (at most CONFLICTS_MAX + 8 hits),
 * several passes, timing each check. With -o FILE it writes every answer
 * (one line per body: its hits as kind:id:level:score:reasons), so that two
 * builds can be compared with diff. Meant for profiling the engine on the
 * HTTP benchmark's data (perf, callgrind: use -p 1).
 *
 * Usage: build/bench/match_replay ACCOUNTS.csv BODIES.tsv [-p PASSES] [-o FILE]
 * The two files come from bench/gen_accounts.py (or BENCH_KEEP=1
 * bench/conflict_http.sh, which keeps them). Prints figures; exits 0 unless
 * something broke. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/csv.h"
#include "domain/match.h"

#define HITS_MAX 58 /* CONFLICTS_MAX + 8, as domain/conflict.c asks */
#define BODIES_MAX 100000

struct body {
	char kind[16];
	char *name, *domain, *country;
};

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static char *
dup_or_null(json_t *v)
{
	return json_is_string(v) ? strdup(json_string_value(v)) : NULL;
}

static size_t
load_bodies(const char *path, struct body *b, size_t max)
{
	FILE *f = fopen(path, "r");
	char line[8192];
	size_t n = 0;

	if (!f)
		return 0;
	while (n < max && fgets(line, sizeof line, f)) {
		char *tab = strchr(line, '\t');
		json_t *root, *cust;

		if (!tab)
			continue;
		*tab = '\0';
		snprintf(b[n].kind, sizeof b[n].kind, "%.15s", line);
		if (!(root = json_loads(tab + 1, 0, NULL)))
			continue;
		cust = json_object_get(root, "customer");
		b[n].name = dup_or_null(json_object_get(cust, "name"));
		b[n].domain = dup_or_null(json_object_get(cust, "domain"));
		b[n].country = dup_or_null(json_object_get(cust, "country"));
		json_decref(root);
		n++;
	}
	fclose(f);
	return n;
}

static size_t
load_accounts(const char *path, struct match_index *ix)
{
	FILE *f = fopen(path, "r");
	struct csv c;
	size_t n = 0;
	int r;

	if (!f)
		return 0;
	csv_init(&c, f);
	if (csv_read(&c) != 1) { /* the header */
		csv_release(&c);
		fclose(f);
		return 0;
	}
	while ((r = csv_read(&c)) >= 0) {
		struct match_record m = { .kind = MATCH_ACCOUNT };

		if (!r)
			break;
		if (c.nfields < 3)
			continue;
		m.id = (int64_t)++n;
		m.name = c.fields[0];
		m.domain = c.fields[1][0] ? c.fields[1] : NULL;
		m.country = c.fields[2][0] ? c.fields[2] : NULL;
		if (match_index_put(ix, &m))
			fprintf(stderr, "match_replay: line %ld not indexed\n", c.line);
	}
	csv_release(&c);
	fclose(f);
	return n;
}

static void
print_us(const char *label, int64_t *ns, size_t n)
{
	int64_t sum = 0;

	if (!n)
		return;
	qsort(ns, n, sizeof ns[0], cmp_i64);
	for (size_t i = 0; i < n; i++)
		sum += ns[i];
	printf("  %-8s n=%-7zu mean %5lld.%01lld us  p50 %5lld.%01lld us  p99 %5lld.%01lld us\n", label,
	       n, (long long)(sum / (int64_t)n / 1000), (long long)(sum / (int64_t)n % 1000 / 100),
	       (long long)(ns[n / 2] / 1000), (long long)(ns[n / 2] % 1000 / 100),
	       (long long)(ns[n * 99 / 100] / 1000), (long long)(ns[n * 99 / 100] % 1000 / 100));
}

int
main(int argc, char **argv)
{
	static const char *const kinds[] = { "present", "partial", "acronym", "absent", NULL };
	struct match_index *ix = match_index_new();
	struct body *b = calloc(BODIES_MAX, sizeof *b);
	const char *out_path = NULL;
	size_t nb, na, passes = 5;
	int64_t *ns, t0;
	FILE *out = NULL;

	if (argc < 3 || !ix || !b) {
		fprintf(stderr, "usage: %s ACCOUNTS.csv BODIES.tsv [-p PASSES] [-o FILE]\n", argv[0]);
		return 2;
	}
	for (int i = 3; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "-p"))
			passes = strtoul(argv[i + 1], NULL, 10);
		else if (!strcmp(argv[i], "-o"))
			out_path = argv[i + 1];
	}
	t0 = now_ns();
	na = load_accounts(argv[1], ix);
	printf("conflict checks replayed: %zu accounts indexed in %lld ms\n", na,
	       (long long)((now_ns() - t0) / 1000000));
	nb = load_bodies(argv[2], b, BODIES_MAX);
	if (!na || !nb || !passes || !(ns = calloc(nb * passes, sizeof *ns))) {
		fprintf(stderr, "match_replay: no accounts or no bodies\n");
		return 1;
	}
	if (out_path && !(out = fopen(out_path, "w"))) {
		perror(out_path);
		return 1;
	}
	for (const char *const *k = kinds; *k; k++) {
		size_t m = 0, with = 0, hits = 0;

		for (size_t p = 0; p < passes; p++)
			for (size_t i = 0; i < nb; i++) {
				struct match_hit h[HITS_MAX];
				size_t n;

				if (strcmp(b[i].kind, *k))
					continue;
				t0 = now_ns();
				if (match_check(ix, b[i].name, b[i].domain, b[i].country, h, HITS_MAX,
				                &n)) {
					fprintf(stderr, "match_replay: out of memory\n");
					return 1;
				}
				ns[m++] = now_ns() - t0;
				if (p)
					continue;
				with += n > 0;
				hits += n;
				if (!out)
					continue;
				fprintf(out, "%s\t%s\t", b[i].kind, b[i].name ? b[i].name : "");
				for (size_t j = 0; j < n; j++)
					fprintf(out, "%s%d:%lld:%d:%d:%u", j ? " " : "", h[j].kind,
					        (long long)h[j].id, h[j].level, h[j].score_bps,
					        h[j].reasons);
				fputc('\n', out);
			}
		if (!m)
			continue;
		printf("  %-8s %zu bodies with hits of %zu, %zu hits\n", *k, with, m / passes, hits);
		print_us(*k, ns, m);
	}
	if (out)
		fclose(out);
	return 0;
}
