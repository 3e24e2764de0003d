/* The conflict engine's quality on the development set of company names in
 * ../shared/data/matching (README.md there): recall per tier of positive
 * pairs, false conflicts on the hard negatives, and homonyms that come back
 * certain although their domains and countries differ.
 *
 * For each pair an account named name_a (no domain, no country) is indexed
 * and name_b is checked; a pair is flagged when any hit comes back, at any
 * level. The record is removed again after each check. Every check is also
 * made with a scan of the index (match_check_scan), and the disagreements are
 * counted. nsi_websites.csv tells how many websites give a domain key and
 * whether a company indexed with several websites is found from each.
 *
 * Usage: build/bench/match_quality [DIR] [-v|-vv]   (-v lists the misses and
 * the false conflicts, -vv the hits of positive pairs too). Prints figures; exits 0 unless something broke. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/match.h"

/* ---------------------------------------------------------------- CSV */

/* A whole CSV file parsed per RFC 4180: fields separated by commas, records
 * by CRLF or LF, a quoted field may hold commas, line breaks and "" for a
 * quote. The fields point into buf, NUL-terminated in place. */
struct csv {
	char *buf;
	char ***rows; /* rows[i][j] */
	size_t *ncols, nrows;
};

static int
csv_push(char ***fields, size_t *n, size_t *cap, char *f)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 8;
		char **bigger = realloc(*fields, c * sizeof *bigger);
		if (!bigger)
			return -1;
		*fields = bigger;
		*cap = c;
	}
	(*fields)[(*n)++] = f;
	return 0;
}

static int
csv_read(const char *path, struct csv *c)
{
	FILE *f = fopen(path, "rb");
	size_t len = 0, cap = 0, rowcap = 0;
	char *r, *w;

	memset(c, 0, sizeof *c);
	if (!f)
		return -1;
	for (;;) {
		size_t got;
		if (len + 65536 + 1 > cap) {
			char *bigger = realloc(c->buf, cap = (cap ? cap * 2 : 1 << 20));
			if (!bigger)
				goto fail;
			c->buf = bigger;
		}
		got = fread(c->buf + len, 1, cap - len - 1, f);
		len += got;
		if (!got)
			break;
	}
	fclose(f);
	f = NULL;
	c->buf[len] = '\0';
	r = w = c->buf;
	while (*r) {
		char **fields = NULL;
		size_t nf = 0, fcap = 0;
		int end = 0;

		while (!end) {
			char *start = w;
			if (*r == '"') {
				r++;
				for (;;) {
					if (!*r)
						break;
					if (*r == '"' && r[1] == '"') {
						*w++ = '"';
						r += 2;
					} else if (*r == '"') {
						r++;
						break;
					} else
						*w++ = *r++;
				}
			}
			while (*r && *r != ',' && *r != '\n' && *r != '\r')
				*w++ = *r++;
			if (*r == ',')
				r++;
			else {
				if (*r == '\r')
					r++;
				if (*r == '\n')
					r++;
				end = 1;
			}
			*w++ = '\0';
			if (csv_push(&fields, &nf, &fcap, start))
				goto fail;
		}
		if (c->nrows == rowcap) {
			size_t rc = rowcap ? rowcap * 2 : 1024;
			char ***rows = realloc(c->rows, rc * sizeof *rows);
			size_t *ncols = realloc(c->ncols, rc * sizeof *ncols);
			if (rows)
				c->rows = rows;
			if (ncols)
				c->ncols = ncols;
			if (!rows || !ncols)
				goto fail;
			rowcap = rc;
		}
		c->rows[c->nrows] = fields;
		c->ncols[c->nrows++] = nf;
	}
	return 0;
fail:
	if (f)
		fclose(f);
	return -1;
}

static void
csv_free(struct csv *c)
{
	for (size_t i = 0; i < c->nrows; i++)
		free(c->rows[i]);
	free(c->rows);
	free(c->ncols);
	free(c->buf);
}

/* ---------------------------------------------------------------- measuring */

#define HITS_MAX 16

static int verbose;
static size_t disagreements, checks; /* index vs scan */

/* "0.9954" from a fraction, with integers. */
static void
print_rate(const char *label, size_t k, size_t n)
{
	unsigned long long bps = n ? (unsigned long long)k * 1000000ULL / n : 0;

	printf("%-44s %llu.%04llu  (%zu/%zu)\n", label, bps / 1000000ULL, (bps % 1000000ULL) / 100,
	       k, n);
}

/* Indexes name_a (with the given domain and country), checks name_b; the best
 * level that came back (0: none). */
static int
check_pair(struct match_index *ix, const char *a, const char *b, const char *dom_a,
           const char *dom_b, const char *cc_a, const char *cc_b, struct match_hit *best)
{
	struct match_record r = { MATCH_ACCOUNT, 1, 0, a, dom_a, cc_a, NULL, 0 };
	struct match_hit hits[HITS_MAX], scan[HITS_MAX];
	size_t n = 0, sn = 0;

	if (match_index_put(ix, &r)) {
		/* a name with nothing to match on (blank after normalising) */
		return 0;
	}
	if (match_check(ix, b, dom_b, cc_b, hits, HITS_MAX, &n) ||
	    match_check_scan(ix, b, dom_b, cc_b, scan, HITS_MAX, &sn)) {
		fprintf(stderr, "match_quality: out of memory\n");
		exit(1);
	}
	checks++;
	if (n != sn ||
	    (n && (hits[0].level != scan[0].level || hits[0].score_bps != scan[0].score_bps))) {
		disagreements++;
		if (verbose)
			printf("  index and scan disagree: \"%s\" / \"%s\"\n", a, b);
	}
	match_index_remove(ix, MATCH_ACCOUNT, 1);
	if (!n)
		return 0;
	*best = hits[0];
	return (int)hits[0].level;
}

static void
show(const char *what, const char *a, const char *b, int level, const struct match_hit *h)
{
	const char *names[6];
	size_t nr;

	if (!verbose)
		return;
	printf("  %s: \"%s\" / \"%s\"", what, a, b);
	if (level) {
		nr = match_reason_names(h->reasons, names);
		printf(" -> %s %d", match_level_name((enum match_level)level), h->score_bps);
		for (size_t i = 0; i < nr; i++)
			printf(" %s", names[i]);
	}
	printf("\n");
}

static void
print_levels(const size_t levels[4])
{
	printf("    levels: certain %zu, probable %zu, possible %zu, none %zu\n", levels[3],
	       levels[2], levels[1], levels[0]);
}

/* A file of positive pairs (qid,name_a,name_b): the recall. */
static int
positives(struct match_index *ix, const char *dir, const char *file, const char *label,
          const char *goal)
{
	char path[4096], title[128];
	struct csv c;
	size_t flagged = 0, total = 0, levels[4] = { 0 };

	snprintf(path, sizeof path, "%s/%s", dir, file);
	if (csv_read(path, &c)) {
		fprintf(stderr, "match_quality: cannot read %s\n", path);
		return -1;
	}
	for (size_t i = 1; i < c.nrows; i++) {
		struct match_hit h;
		int level;

		if (c.ncols[i] < 3)
			continue;
		level = check_pair(ix, c.rows[i][1], c.rows[i][2], NULL, NULL, NULL, NULL, &h);
		total++;
		levels[level]++;
		if (level) {
			flagged++;
			if (verbose > 1)
				show("found", c.rows[i][1], c.rows[i][2], level, &h);
		} else {
			show("missed", c.rows[i][1], c.rows[i][2], 0, &h);
		}
	}
	snprintf(title, sizeof title, "recall %s%s", label, goal);
	print_rate(title, flagged, total);
	print_levels(levels);
	csv_free(&c);
	return 0;
}

struct keyed {
	char key[MATCH_DOMAIN_MAX + 1];
	const char *qid, *label;
};

static int
keyed_cmp(const void *x, const void *y)
{
	const struct keyed *a = x, *b = y;
	int c = strcmp(a->key, b->key);
	return c ? c : strcmp(a->qid, b->qid);
}

/* nsi_websites.csv (qid,label,website,official_websites): how many websites
 * give a domain key; whether a company indexed with all its websites is found
 * certain from each one alone; and how many different companies share a key
 * (they would be certain conflicts of each other: report only). */
static int
websites(struct match_index *ix, const char *dir)
{
	char path[4096];
	struct csv c;
	struct keyed *keyed;
	size_t usable = 0, sites = 0, multi = 0, found = 0, tried = 0, nk = 0, shared = 0;

	snprintf(path, sizeof path, "%s/nsi_websites.csv", dir);
	if (csv_read(path, &c)) {
		fprintf(stderr, "match_quality: cannot read %s\n", path);
		return -1;
	}
	if (!(keyed = calloc(c.nrows, sizeof *keyed)))
		return -1;
	for (size_t i = 1; i < c.nrows; i++) {
		char buf[8192], key[MATCH_DOMAIN_MAX + 1], first[MATCH_DOMAIN_MAX + 1] = "";
		const char *dom[MATCH_DOMAINS_MAX];
		size_t nd = 0;

		if (c.ncols[i] < 4 || !c.rows[i][3][0])
			continue;
		snprintf(buf, sizeof buf, "%s", c.rows[i][3]);
		for (char *p = buf, *end; *p; p = end) {
			while (*p == ' ')
				p++;
			end = p + strcspn(p, " ");
			if (*end)
				*end++ = '\0';
			if (!*p)
				continue;
			sites++;
			if (match_domain_key(p, key, sizeof key) < 0)
				continue;
			usable++;
			if (!first[0])
				snprintf(first, sizeof first, "%s", key);
			/* one website per distinct key */
			size_t k;
			char other[MATCH_DOMAIN_MAX + 1];
			for (k = 0; k < nd; k++)
				if (match_domain_key(dom[k], other, sizeof other) > 0 &&
				    !strcmp(other, key))
					break;
			if (k == nd && nd < MATCH_DOMAINS_MAX)
				dom[nd++] = p;
		}
		if (first[0]) {
			snprintf(keyed[nk].key, sizeof keyed[nk].key, "%s", first);
			keyed[nk].qid = c.rows[i][0];
			keyed[nk++].label = c.rows[i][1];
		}
		if (nd < 2)
			continue;
		multi++;
		struct match_record r = { MATCH_ACCOUNT, 1,    0,       c.rows[i][1],
			                  dom[0],        NULL, dom + 1, nd - 1 };
		if (match_index_put(ix, &r))
			return -1;
		for (size_t k = 0; k < nd; k++) {
			struct match_hit h[4];
			size_t n;

			tried++;
			if (match_check(ix, NULL, dom[k], NULL, h, 4, &n))
				return -1;
			found += n == 1 && h[0].level == MATCH_CERTAIN;
		}
		match_index_remove(ix, MATCH_ACCOUNT, 1);
	}
	qsort(keyed, nk, sizeof keyed[0], keyed_cmp);
	for (size_t i = 0; i < nk;) {
		size_t j = i + 1, qids = 1;

		for (; j < nk && !strcmp(keyed[j].key, keyed[i].key); j++)
			qids += strcmp(keyed[j].qid, keyed[j - 1].qid) != 0;
		if (qids > 1) {
			shared += qids;
			if (verbose)
				printf("  %zu companies share %s (\"%s\", \"%s\", ...)\n", qids,
				       keyed[i].key, keyed[i].label, keyed[i + 1].label);
		}
		i = j;
	}
	print_rate("websites with a domain key (report only)", usable, sites);
	print_rate("companies with several domains: found certain", found, tried);
	printf("    %zu companies with several domain keys\n", multi);
	printf("%-44s %zu of %zu\n", "companies sharing a domain key with another", shared, nk);
	free(keyed);
	csv_free(&c);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *dir = "../shared/data/matching";
	struct match_index *ix;
	char path[4096];
	struct csv c;
	size_t flagged = 0, total = 0, certain = 0, levels[4] = { 0 };

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v"))
			verbose = 1;
		else if (!strcmp(argv[i], "-vv"))
			verbose = 2;
		else
			dir = argv[i];
	}
	if (!(ix = match_index_new())) {
		fprintf(stderr, "match_quality: out of memory\n");
		return 1;
	}
	printf("conflict engine quality on %s\n", dir);
	if (positives(ix, dir, "nsi_pos_tier1_suffix_punct.csv", "tier1 suffix/punct",
	              " (goal >= 0.99)") ||
	    positives(ix, dir, "nsi_pos_tier2_acronym.csv", "tier2 acronym", " (goal >= 0.6)") ||
	    positives(ix, dir, "nsi_pos_tier3_other.csv", "tier3 other", " (report only)"))
		return 1;

	/* hard negatives: different companies sharing a first word */
	snprintf(path, sizeof path, "%s/nsi_neg_hard_sample5000.csv", dir);
	if (csv_read(path, &c)) {
		fprintf(stderr, "match_quality: cannot read %s\n", path);
		return 1;
	}
	for (size_t i = 1; i < c.nrows; i++) {
		struct match_hit h;
		int level;

		if (c.ncols[i] < 4)
			continue;
		level = check_pair(ix, c.rows[i][1], c.rows[i][3], NULL, NULL, NULL, NULL, &h);
		total++;
		levels[level]++;
		if (level) {
			flagged++;
			show("false conflict", c.rows[i][1], c.rows[i][3], level, &h);
		}
	}
	print_rate("false conflicts, hard negatives (goal <= 0.01)", flagged, total);
	print_levels(levels);
	csv_free(&c);

	/* homonyms: the same name, each side with its own domain and country */
	snprintf(path, sizeof path, "%s/nsi_neg_homonyms.csv", dir);
	if (csv_read(path, &c)) {
		fprintf(stderr, "match_quality: cannot read %s\n", path);
		return 1;
	}
	memset(levels, 0, sizeof levels);
	flagged = total = 0;
	for (size_t i = 1; i < c.nrows; i++) {
		char da[64], db[64];
		struct match_hit h;
		int level;

		if (c.ncols[i] < 4)
			continue;
		snprintf(da, sizeof da, "https://www.homonym-a-%zu.com/", i);
		snprintf(db, sizeof db, "info@homonym-b-%zu.com", i);
		level = check_pair(ix, c.rows[i][1], c.rows[i][3], da, db, "FR", "CA", &h);
		total++;
		levels[level]++;
		flagged += level > 0;
		if (level == MATCH_CERTAIN) {
			certain++;
			show("certain homonym", c.rows[i][1], c.rows[i][3], level, &h);
		}
	}
	printf("%-44s %zu of %zu\n", "homonyms certain, other domain+country (goal 0)", certain,
	       total);
	print_rate("homonyms flagged at any level (report only)", flagged, total);
	print_levels(levels);
	csv_free(&c);
	if (websites(ix, dir))
		return 1;
	printf("%-44s %zu of %zu\n", "checks where the index and a scan disagree", disagreements,
	       checks);
	match_index_free(ix);
	return 0;
}
