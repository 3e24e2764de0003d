/* Names and domains: base/names.c (folding, Jaro-Winkler), the matching
 * keys of domain/match.c (match_normalize_name, match_domain_key,
 * match_acronyms), base/webdomain.c, and a check against a small fixed
 * index that compares match_check with its full scan.
 *
 * Input: up to three fields separated by NUL bytes (name, domain, country);
 * the first byte also picks the output buffer sizes. */
#include "fuzz.h"

#include "base/names.h"
#include "base/webdomain.h"
#include "domain/match.h"

static struct match_index *ix;

static const struct match_record seed[] = {
	{ MATCH_ACCOUNT, 1, 0, "International Business Machines Corp.", "ibm.com", "US", NULL, 0 },
	{ MATCH_ACCOUNT, 2, 0, "Acme, Inc.", "https://www.acme.example/x", "FR", NULL, 0 },
	{ MATCH_REGISTRATION, 3, 1, "Müller GmbH & Co. KG", "mueller.de", "DE", NULL, 0 },
	{ MATCH_REGISTRATION, 4, 2, "The Home Depot, Inc.", "homedepot.com", NULL, NULL, 0 },
	{ MATCH_OPPORTUNITY, 5, 3, "Bank of the Philippine Islands", NULL, "PH", NULL, 0 },
	{ MATCH_ACCOUNT, 6, 4, "I.B.M.", "jane@shop.acme.co.uk", "GB", NULL, 0 },
	{ MATCH_REGISTRATION, 7, 5, "Ørsted A/S", "orsted.dk", "DK", NULL, 0 },
	{ MATCH_ACCOUNT, 8, 0, "株式会社トヨタ", "toyota.co.jp", "JP", NULL, 0 },
};

int LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	ix = match_index_new();
	if (!ix)
		abort();
	for (size_t i = 0; i < sizeof seed / sizeof seed[0]; i++)
		if (match_index_put(ix, &seed[i]))
			abort();
	return 0;
}

static void
check_fold(const char *s, size_t size)
{
	char out[1100];
	struct names_token tok[NAMES_TOKENS_MAX];
	size_t nt = 99, max = size % (NAMES_TOKENS_MAX + 1);
	int n;

	if (size == 0 || size > sizeof out)
		size = sizeof out;
	n = names_fold(s, out, size, tok, max, &nt);
	if (n < 0)
		return;
	FUZZ_CHECK((size_t)n < size && strlen(out) == (size_t)n,
	           "fold gave %d, strlen %zu, size %zu", n, strlen(out), size);
	FUZZ_CHECK(nt <= max && nt <= NAMES_TOKENS_MAX, "%zu tokens for max %zu", nt, max);
	FUZZ_CHECK(fuzz_utf8_valid(out, (size_t)n), "folded name is not UTF-8: %s", out);
	FUZZ_CHECK(n == 0 || (out[0] != ' ' && out[n - 1] != ' ' && !strstr(out, "  ")),
	           "folded name has stray blanks: [%s]", out);
	for (size_t i = 0; i < nt; i++) {
		FUZZ_CHECK(tok[i].len > 0 && (size_t)tok[i].off + tok[i].len <= (size_t)n,
		           "token %zu at %u+%u of %d", i, tok[i].off, tok[i].len, n);
		FUZZ_CHECK(!memchr(out + tok[i].off, ' ', tok[i].len), "token %zu holds a blank",
		           i);
	}
	for (const char *p = out; *p; p++)
		FUZZ_CHECK(!(*p >= 'A' && *p <= 'Z'), "upper case in folded [%s]", out);
}

static void
check_keys(const char *name, const char *domain, unsigned sel)
{
	char norm[MATCH_NAME_MAX + 1], key[MATCH_DOMAIN_MAX + 1], reg[WEBDOMAIN_MAX + 1];
	char acr[MATCH_ACRONYMS_MAX][MATCH_ACRONYM_MAX + 1];
	size_t size = 1 + sel % sizeof norm;
	int n, k;

	n = match_normalize_name(name, norm, size);
	FUZZ_CHECK(n < 0 || ((size_t)n < size && strlen(norm) == (size_t)n && n > 0),
	           "normalised name %d bytes in %zu", n, size);
	if (n > 0)
		FUZZ_CHECK(fuzz_utf8_valid(norm, (size_t)n), "normalised name not UTF-8");
	k = match_acronyms(name, acr);
	FUZZ_CHECK(k >= 0 && k <= MATCH_ACRONYMS_MAX, "%d acronyms", k);
	for (int i = 0; i < k; i++)
		FUZZ_CHECK(strlen(acr[i]) >= 1 && strlen(acr[i]) <= MATCH_ACRONYM_MAX,
		           "acronym %d of %zu bytes", i, strlen(acr[i]));

	size = 1 + (sel >> 8) % sizeof key;
	n = match_domain_key(domain, key, size);
	FUZZ_CHECK(n < 0 || ((size_t)n < size && strlen(key) == (size_t)n && n > 0),
	           "domain key %d bytes in %zu", n, size);
	/* Invalid UTF-8 passes through to the result (reported; not checked
	 * here so that fuzzing goes on past it). */
	if (!webdomain_registrable(domain, reg) && fuzz_utf8_valid(domain, strlen(domain))) {
		FUZZ_CHECK(fuzz_utf8_valid(reg, strlen(reg)), "registrable domain not UTF-8");
		FUZZ_CHECK(strlen(reg) > 0 && strlen(reg) <= WEBDOMAIN_MAX && strchr(reg, '.'),
		           "registrable domain [%s]", reg);
		for (const char *p = reg; *p; p++)
			FUZZ_CHECK(!(*p >= 'A' && *p <= 'Z'), "upper case in domain [%s]", reg);
	}
}

static const struct match_hit *
find_hit(const struct match_hit *h, size_t n, const struct match_hit *x)
{
	for (size_t i = 0; i < n; i++)
		if (h[i].kind == x->kind && h[i].id == x->id)
			return &h[i];
	return NULL;
}

/* The index finds its candidates by keys, the scan scores every record: a
 * typo that no derived key catches is found by the scan only (documented,
 * docs/conflict-engine.md). But what the index finds the scan finds, scored
 * the same, and a same-domain or same-name hit is always found by key. */
static void
compare_hits(const struct match_hit *ix_hits, size_t n, const struct match_hit *scan, size_t ns)
{
	for (size_t i = 0; i < n; i++) {
		const struct match_hit *s = find_hit(scan, ns, &ix_hits[i]);
		FUZZ_CHECK(s && s->level == ix_hits[i].level &&
		                   s->score_bps == ix_hits[i].score_bps &&
		                   s->reasons == ix_hits[i].reasons,
		           "index hit id %lld (level %d score %d reasons %u) %s by the scan",
		           (long long)ix_hits[i].id, ix_hits[i].level, ix_hits[i].score_bps,
		           ix_hits[i].reasons, s ? "scored differently" : "not found");
	}
	if (ns < 16)
		for (size_t i = 0; i < ns; i++)
			FUZZ_CHECK(!(scan[i].reasons & (MATCH_SAME_DOMAIN | MATCH_SAME_NAME)) ||
			                   find_hit(ix_hits, n, &scan[i]),
			           "scan hit id %lld (reasons %u) missed by the index",
			           (long long)scan[i].id, scan[i].reasons);
}

static void
check_index(const char *name, const char *domain, const char *country)
{
	struct match_hit hits[16], scan[16];
	size_t n = 0, ns = 0;
	struct match_record r = { MATCH_REGISTRATION, 1000, 9, name, domain, country, NULL, 0 };

	FUZZ_CHECK(!match_check(ix, name, domain, country, hits, 16, &n), "match_check failed");
	FUZZ_CHECK(!match_check_scan(ix, name, domain, country, scan, 16, &ns),
	           "match_check_scan failed");
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(hits[i].score_bps >= 0 && hits[i].score_bps <= 10000 &&
		                   hits[i].level >= MATCH_POSSIBLE &&
		                   hits[i].level <= MATCH_CERTAIN,
		           "hit %zu: level %d score %d", i, hits[i].level, hits[i].score_bps);
	compare_hits(hits, n, scan, ns);
	/* put and remove the record: the index is as it was */
	(void)match_index_put(ix, &r);
	match_index_remove(ix, MATCH_REGISTRATION, 1000);
	FUZZ_CHECK(match_index_size(ix) == sizeof seed / sizeof seed[0],
	           "index size %zu after remove", match_index_size(ix));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	unsigned sel = fuzz_u8(&in) | fuzz_u8(&in) << 8;
	size_t nlen, dlen, clen;
	char *name = fuzz_field(&in, 0, &nlen);
	char *domain = fuzz_field(&in, 0, &dlen);
	char *country = fuzz_field(&in, 0, &clen);
	int jw;

	check_fold(name, sel & 0x7ff);
	check_fold(domain, 0);
	check_keys(name, domain, sel);
	check_keys(domain, name, sel >> 3);
	jw = names_jaro_winkler(name, nlen, domain, dlen);
	FUZZ_CHECK(jw >= 0 && jw <= 10000, "Jaro-Winkler %d", jw);
	FUZZ_CHECK(names_jaro_winkler(name, nlen, name, nlen) == 10000, "Jaro-Winkler of x, x");
	FUZZ_CHECK(names_hash(name, nlen, sel) != 0, "hash 0");
	check_index(name, dlen ? domain : NULL, clen ? country : NULL);
	free(name);
	free(domain);
	free(country);
	return 0;
}
