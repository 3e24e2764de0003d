/* The conflict engine's speed at scale: builds an index of 1,000,000
 * synthetic accounts (names from word lists, legal forms, countries, web
 * domains; a seeded generator, so every run builds the same data), prints the
 * build time and the memory it took (resident set growth, /proc/self/statm),
 * then the latency of match_check over 20,000 queries (present names spelled
 * otherwise, acronyms of present names, absent names) beside a brute-force
 * scan that scores every record (match_check_scan) for 200 of them, in the
 * same run, and how often the index found what the scan found.
 *
 * Usage: build/bench/match_speed [RECORDS [QUERIES [SCANS]]]
 * (MATCH_SPEED_VERBOSE=1 in the environment lists what the index missed.)
 * Goal: p99 <= 1 ms per check at 1,000,000 records on one core. Prints
 * figures; exits 0 unless something broke. Integers only. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "domain/match.h"

#define HITS_MAX 32
#define NAME_LEN 160
#define CORE_WORDS 60000

/* ---------------------------------------------------------------- data */

static uint64_t rng_state = 0x5eed5eed12345678ULL;

static uint64_t
rng(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static size_t
pick(size_t n)
{
	return (size_t)(rng() % n);
}

/* Skewed towards the start of a list (some words are much commoner). */
static size_t
pick_skewed(size_t n)
{
	uint64_t a = rng() % 1000000, b = rng() % 1000000;
	return (size_t)((uint64_t)n * a / 1000000 * b / 1000000);
}

static const char *const industries[] = {
	"Logistics",    "Systems",       "Foods",       "Energy",     "Software",     "Consulting",
	"Construction", "Motors",        "Pharma",      "Textiles",   "Capital",      "Partners",
	"Analytics",    "Media",         "Networks",    "Solutions",  "Technologies", "Industries",
	"Holdings",     "Trading",       "Engineering", "Labs",       "Healthcare",   "Insurance",
	"Bank",         "Foods",         "Beverages",   "Airlines",   "Shipping",     "Steel",
	"Chemicals",    "Retail",        "Stores",      "Hotels",     "Resorts",      "Realty",
	"Properties",   "Security",      "Telecom",     "Electric",   "Water",        "Gas",
	"Mining",       "Metals",        "Plastics",    "Paper",      "Printing",     "Publishing",
	"Studios",      "Entertainment", "Games",       "Robotics",   "Aerospace",    "Marine",
	"Farms",        "Dairy",         "Bakery",      "Brewing",    "Fashion",      "Apparel",
	"Furniture",    "Interiors",     "Design",      "Architects", "Legal",        "Accounting",
	"Advisors",     "Ventures",      "Investments", "Finance",    "Leasing",      "Rentals",
	"Transport",    "Freight",       "Couriers",    "Travel",     "Tours",        "Education",
	"Academy",      "Institute",     "Clinic",      "Hospital",   "Dental",       "Veterinary",
};
static const char *const prefixes[] = {
	"North",    "South",    "East",          "West",     "Global",   "United",
	"First",    "National", "International", "Pacific",  "Atlantic", "Alpine",
	"Royal",    "General",  "Central",       "Northern", "Southern", "Eastern",
	"Western",  "Euro",     "Asia",          "Nordic",   "Baltic",   "Iberian",
	"American", "Canadian", "British",       "Swiss",    "German",   "French",
};
static const char *const suffixes[] = {
	"Inc.",
	"Inc",
	"Corp.",
	"Corporation",
	"LLC",
	"Ltd",
	"Ltd.",
	"Limited",
	"PLC",
	"GmbH",
	"AG",
	"KG",
	"GmbH & Co. KG",
	"S.A.",
	"SA",
	"SAS",
	"SARL",
	"S.p.A.",
	"S.r.l.",
	"B.V.",
	"N.V.",
	"AB",
	"A/S",
	"AS",
	"Oy",
	"K.K.",
	"Pty Ltd",
	"Pte. Ltd.",
	"LLP",
	"Sdn Bhd",
	"S.L.",
	"Co.",
	"Company",
	"Co., Ltd.",
	"",
	"",
	"",
	"",
	"",
	"",
};
static const char *const cities[] = {
	"Springfield", "Riverside", "Lyon",     "Hamburg", "Osaka",  "Porto",   "Bergen",
	"Cork",        "Graz",      "Malmo",    "Turin",   "Leeds",  "Austin",  "Denver",
	"Quebec",      "Perth",     "Auckland", "Geneva",  "Ghent",  "Utrecht", "Krakow",
	"Brno",        "Tartu",     "Valencia", "Seville", "Nantes", "Bremen",  "Dresden",
	"Salzburg",    "Basel",     "Aarhus",   "Tampere", "Lille",  "Bilbao",  "Bologna",
};
static const char *const orgs[] = {
	"Water Authority", "City Council",   "Transit",    "Housing Association",
	"School District", "Medical Center", "University", "Chamber of Commerce",
	"Port Authority",  "Power",
};
static const char *const countries[] = {
	"US", "GB", "DE", "FR", "ES", "IT", "NL", "BE", "CH", "AT", "SE", "NO", "DK", "FI", "PL",
	"CZ", "PT", "IE", "CA", "AU", "NZ", "JP", "SG", "MY", "IN", "BR", "MX", "ZA", "AE", "CN",
};
static const char *const tlds[] = {
	"com", "com", "com", "net", "io",     "co.uk", "de",     "fr", "es",    "it",
	"nl",  "ch",  "at",  "se",  "com.au", "co.jp", "com.br", "ca", "co.nz", "pl",
};

static char (*core)[32];

/* Pronounceable made-up words ("Zantrix"); the first CORE_WORDS are the
 * present companies' words, the next ones never appear in the index. */
static void
make_core_words(size_t n)
{
	static const char *const cons[] = { "b",  "c",  "d",  "f",  "g",  "k",  "l",  "m",
		                            "n",  "p",  "r",  "s",  "t",  "v",  "z",  "br",
		                            "tr", "st", "pl", "gr", "kr", "th", "sh", "ch" };
	static const char *const vow[] = { "a", "e", "i", "o", "u", "ai", "ea", "io", "ou" };
	static const char *const ends[] = { "",  "",   "",   "n",  "x",  "s", "r",
		                            "l", "ck", "nd", "st", "tt", "m", "rix" };

	core = calloc(n, sizeof *core);
	if (!core)
		exit(1);
	for (size_t i = 0; i < n; i++) {
		char w[32];
		size_t syl = 2 + pick(2), len = 0;

		for (size_t s = 0; s < syl; s++)
			len += (size_t)snprintf(w + len, sizeof w - len, "%s%s",
			                        cons[pick(sizeof cons / sizeof cons[0])],
			                        vow[pick(sizeof vow / sizeof vow[0])]);
		snprintf(w + len, sizeof w - len, "%s", ends[pick(sizeof ends / sizeof ends[0])]);
		w[0] = (char)(w[0] - 'a' + 'A');
		snprintf(core[i], sizeof core[i], "%s", w);
	}
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A company name from the word lists; base is where core words come from. */
static void
make_name(char *out, size_t base, size_t ncore)
{
	const char *c1 = core[base + pick_skewed(ncore)], *c2 = core[base + pick_skewed(ncore)];
	const char *sfx = suffixes[pick(N(suffixes))];
	const char *sp = *sfx ? " " : "";

	switch (pick(10)) {
	case 0:
	case 1:
	case 2:
		snprintf(out, NAME_LEN, "%s %s%s%s", c1, industries[pick(N(industries))], sp, sfx);
		break;
	case 3:
		snprintf(out, NAME_LEN, "%s %s %s%s%s", c1, c2, industries[pick(N(industries))], sp,
		         sfx);
		break;
	case 4:
		snprintf(out, NAME_LEN, "%s %s %s%s%s", prefixes[pick(N(prefixes))], c1,
		         industries[pick(N(industries))], sp, sfx);
		break;
	case 5: snprintf(out, NAME_LEN, "%s & %s%s%s", c1, c2, sp, sfx); break;
	case 6:
		snprintf(out, NAME_LEN, "%s %s %s", cities[pick(N(cities))], c1,
		         orgs[pick(N(orgs))]);
		break;
	case 7: snprintf(out, NAME_LEN, "%s%s%s", c1, sp, sfx); break;
	case 8: snprintf(out, NAME_LEN, "%s %s%s%s", c1, c2, sp, sfx); break;
	default:
		snprintf(out, NAME_LEN, "The %s %s %s", c1, industries[pick(N(industries))],
		         orgs[pick(N(orgs))]);
		break;
	}
}

static void
make_domain(char *out, size_t size, const char *name)
{
	char host[64];
	size_t n = 0;

	for (const char *p = name; *p && *p != ' ' && n < 20; p++)
		host[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	host[n] = '\0';
	switch (pick(8)) {
	case 0:
		snprintf(out, size, "https://www.%s%zu.%s/", host, pick(100), tlds[pick(N(tlds))]);
		break;
	case 1: snprintf(out, size, "sales@%s%zu.%s", host, pick(100), tlds[pick(N(tlds))]); break;
	case 2: snprintf(out, size, "someone%zu@gmail.com", pick(100000)); break;
	default: snprintf(out, size, "%s%zu.%s", host, pick(100), tlds[pick(N(tlds))]); break;
	}
}

/* The same name spelled otherwise: case, legal form, punctuation, a typo. */
static void
vary(char *out, const char *in)
{
	size_t n = strlen(in);

	snprintf(out, NAME_LEN, "%s", in);
	switch (pick(5)) {
	case 0:
		for (size_t i = 0; i < n; i++)
			if (out[i] >= 'A' && out[i] <= 'Z')
				out[i] = (char)(out[i] - 'A' + 'a');
		break;
	case 1: snprintf(out, NAME_LEN, "%s, Inc.", in); break;
	case 2:
		for (size_t i = 0; i < n; i++)
			if (out[i] == ' ')
				out[i] = '-';
		break;
	case 3:
		/* swap two letters inside the first long word */
		for (size_t i = 2; i + 2 < n; i++)
			if (out[i] != ' ' && out[i + 1] != ' ' && out[i + 2] != ' ' && i > 3) {
				char t = out[i];
				out[i] = out[i + 1];
				out[i + 1] = t;
				break;
			}
		break;
	default: snprintf(out, NAME_LEN, "%s GmbH", in); break;
	}
}

/* The capitals of a name's words before its legal form, without a leading
 * "The" ("Zantrix Logistics GmbH" -> "ZL"). */
static void
initials(char *out, const char *in)
{
	size_t n = 0;

	if (!strncmp(in, "The ", 4))
		in += 4;
	for (const char *p = in; *p && n < 10; p++) {
		if (p != in && p[-1] != ' ')
			continue;
		for (size_t k = 0; k < N(suffixes); k++)
			if (*suffixes[k] && !strcmp(p, suffixes[k]))
				goto out;
		if (*p >= 'A' && *p <= 'Z')
			out[n++] = *p;
	}
out:
	out[n] = '\0';
}

/* ---------------------------------------------------------------- measuring */

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t
rss_bytes(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long long size = 0, resident = 0;

	if (!f)
		return 0;
	if (fscanf(f, "%lld %lld", &size, &resident) != 2)
		resident = 0;
	fclose(f);
	return (int64_t)resident * sysconf(_SC_PAGESIZE);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* "123.4" microseconds from nanoseconds */
static void
print_us(const char *label, int64_t ns)
{
	printf("%s %lld.%lld us", label, (long long)(ns / 1000), (long long)(ns % 1000 / 100));
}

static void
print_latencies(const char *label, int64_t *ns, size_t n)
{
	int64_t sum = 0;

	qsort(ns, n, sizeof ns[0], cmp_i64);
	for (size_t i = 0; i < n; i++)
		sum += ns[i];
	printf("%-22s n=%zu ", label, n);
	print_us(" mean", sum / (int64_t)n);
	print_us("  p50", ns[n / 2]);
	print_us("  p99", ns[n * 99 / 100]);
	print_us("  max", ns[n - 1]);
	printf("\n");
}

struct q {
	char name[NAME_LEN], domain[96];
	const char *country;
	int kind;  /* 0 variant of a present name, 1 acronym, 2 absent */
	size_t of; /* the present name's record */
};

int
main(int argc, char **argv)
{
	size_t nrec = argc > 1 ? (size_t)strtoull(argv[1], NULL, 10) : 1000000;
	size_t nq = argc > 2 ? (size_t)strtoull(argv[2], NULL, 10) : 20000;
	size_t nscan = argc > 3 ? (size_t)strtoull(argv[3], NULL, 10) : 200;
	struct match_index *ix;
	struct match_hit hits[HITS_MAX], shits[HITS_MAX];
	char(*names)[NAME_LEN];
	struct q *qs;
	int64_t *lat, *slat, t0, t1, rss0, rss1, sum_ix = 0, sum_scan = 0;
	size_t flagged[3] = { 0 }, per_kind[3] = { 0 }, scan_hits[4] = { 0 },
	       index_found[4] = { 0 };

	if (!nrec || !nq || nscan > nq) {
		fprintf(stderr, "usage: match_speed [RECORDS [QUERIES [SCANS<=QUERIES]]]\n");
		return 2;
	}
	make_core_words(2 * CORE_WORDS);
	names = malloc(nrec * sizeof *names);
	qs = calloc(nq, sizeof *qs);
	lat = malloc(nq * sizeof *lat);
	slat = malloc((nscan ? nscan : 1) * sizeof *slat);
	if (!names || !qs || !lat || !slat || !(ix = match_index_new()))
		return 1;

	/* the data, generated before measuring */
	struct {
		char domain[96];
		const char *country;
	} *extra = malloc(nrec * sizeof *extra);
	if (!extra)
		return 1;
	for (size_t i = 0; i < nrec; i++) {
		make_name(names[i], 0, CORE_WORDS);
		extra[i].domain[0] = '\0';
		if (pick(10) < 6)
			make_domain(extra[i].domain, sizeof extra[i].domain, names[i]);
		extra[i].country = pick(10) < 8 ? countries[pick_skewed(N(countries))] : NULL;
	}

	rss0 = rss_bytes();
	t0 = now_ns();
	for (size_t i = 0; i < nrec; i++) {
		struct match_record r = { (enum match_kind)(1 + i % 3),
			                  (int64_t)i + 1,
			                  (int64_t)(i % 500),
			                  names[i],
			                  extra[i].domain[0] ? extra[i].domain : NULL,
			                  extra[i].country,
			                  NULL,
			                  0 };
		if (match_index_put(ix, &r)) {
			fprintf(stderr, "match_speed: put failed at %zu\n", i);
			return 1;
		}
	}
	t1 = now_ns();
	rss1 = rss_bytes();
	printf("conflict engine speed: %zu records, %zu checks, %zu brute-force scans\n", nrec, nq,
	       nscan);
	printf("build: %lld ms (%lld ns per record), index size %zu\n",
	       (long long)((t1 - t0) / 1000000), (long long)((t1 - t0) / (int64_t)nrec),
	       match_index_size(ix));
	printf("memory: resident set grew %lld MB (%lld bytes per record)\n",
	       (long long)((rss1 - rss0) >> 20), (long long)((rss1 - rss0) / (int64_t)nrec));

	/* the queries: 50% present names spelled otherwise, 15% acronyms of
	 * present names, 35% absent names; some with a domain and country */
	for (size_t i = 0; i < nq; i++) {
		size_t k = pick(nrec), r = pick(100);

		qs[i].of = k;
		if (r < 50) {
			qs[i].kind = 0;
			vary(qs[i].name, names[k]);
		} else if (r < 65) {
			qs[i].kind = 1;
			initials(qs[i].name, names[k]);
		} else {
			qs[i].kind = 2;
			make_name(qs[i].name, CORE_WORDS, CORE_WORDS);
		}
		if (pick(4) == 0)
			make_domain(qs[i].domain, sizeof qs[i].domain, qs[i].name);
		qs[i].country = pick(2) ? countries[pick(N(countries))] : NULL;
	}
	for (size_t i = 0; i < nq; i++) {
		size_t n;

		t0 = now_ns();
		if (match_check(ix, qs[i].name, qs[i].domain[0] ? qs[i].domain : NULL,
		                qs[i].country, hits, HITS_MAX, &n))
			return 1;
		lat[i] = now_ns() - t0;
		sum_ix += lat[i];
		per_kind[qs[i].kind]++;
		flagged[qs[i].kind] += n > 0;
		if (!n && qs[i].kind == 0 && getenv("MATCH_SPEED_VERBOSE"))
			printf("  variant not found: \"%s\" (%s)\n", qs[i].name, names[qs[i].of]);
	}
	/* the scans, on the first nscan queries, and what the index missed */
	for (size_t i = 0; i < nscan; i++) {
		size_t n, sn;

		t0 = now_ns();
		if (match_check_scan(ix, qs[i].name, qs[i].domain[0] ? qs[i].domain : NULL,
		                     qs[i].country, shits, HITS_MAX, &sn))
			return 1;
		slat[i] = now_ns() - t0;
		sum_scan += slat[i];
		match_check(ix, qs[i].name, qs[i].domain[0] ? qs[i].domain : NULL, qs[i].country,
		            hits, HITS_MAX, &n);
		for (size_t a = 0; a < sn; a++) {
			unsigned name_reasons =
			        shits[a].reasons &
			        ~(unsigned)(MATCH_SAME_COUNTRY | MATCH_DIFFERENT_COUNTRY);
			/* 0: acronym alone, else the level */
			int acr = name_reasons == MATCH_ACRONYM ? 0 : (int)shits[a].level;
			size_t b;

			scan_hits[acr]++;
			for (b = 0; b < n; b++)
				if (hits[b].kind == shits[a].kind && hits[b].id == shits[a].id)
					break;
			index_found[acr] += b < n;
			if (b == n && getenv("MATCH_SPEED_VERBOSE"))
				printf("  index missed: \"%s\" -> \"%s\" %s %d reasons %u\n",
				       qs[i].name, names[shits[a].id - 1],
				       match_level_name(shits[a].level), shits[a].score_bps,
				       shits[a].reasons);
		}
	}
	printf("queries with a hit: present-variant %zu/%zu, acronym %zu/%zu, absent %zu/%zu\n",
	       flagged[0], per_kind[0], flagged[1], per_kind[1], flagged[2], per_kind[2]);
	{
		static const char *const kinds[] = { "  present, variant", "  acronym of present",
			                             "  absent" };
		int64_t *part = malloc(nq * sizeof *part);

		if (!part)
			return 1;
		for (int k = 0; k < 3; k++) {
			size_t m = 0;

			for (size_t i = 0; i < nq; i++)
				if (qs[i].kind == k)
					part[m++] = lat[i];
			if (m)
				print_latencies(kinds[k], part, m);
		}
		free(part);
	}
	print_latencies("check (index)", lat, nq);
	if (nscan) {
		int64_t mean_ix = sum_ix / (int64_t)nq, mean_scan = sum_scan / (int64_t)nscan;

		print_latencies("check (scan)", slat, nscan);
		printf("scan / index, mean latency: %lldx\n",
		       (long long)(mean_ix ? mean_scan / mean_ix : 0));
		printf("hits of the scan that the index found too (top %d of each):\n", HITS_MAX);
		printf("  certain %zu/%zu, probable %zu/%zu, possible %zu/%zu; on an acronym alone "
		       "%zu/%zu (at most 200 such records are scored)\n",
		       index_found[3], scan_hits[3], index_found[2], scan_hits[2], index_found[1],
		       scan_hits[1], index_found[0], scan_hits[0]);
	}
	printf("goal: p99 <= 1 ms per check at 1,000,000 records on one core\n");
	match_index_free(ix);
	free(extra);
	free(names);
	free(qs);
	free(lat);
	free(slat);
	free(core);
	return 0;
}
