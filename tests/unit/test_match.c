/* Unit tests for the conflict engine (domain/match.c) and the name folding
 * under it (base/names.c): normalisation across languages and legal forms,
 * web domains and free mail, acronyms, levels and reasons, the index against
 * a scan of every record, and readers checking while a writer changes the
 * index. Tables, as in curl's units. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "base/names.h"
#include "domain/match.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void
test_fold(void **state)
{
	static const struct {
		const char *in, *want;
		size_t ntok;
		int first_initials;
	} cases[] = {
		{ "I.B.M.", "ibm", 1, 1 },
		{ "I.B.M", "ibm", 1, 1 },
		{ "S. A. Foods", "sa foods", 2, 1 },
		{ "E.ON Netz", "e on netz", 3, 0 },
		{ "McDonald's", "mcdonalds", 1, 0 },
		{ "Dunkin’ Donuts", "dunkin donuts", 2, 0 },
		{ "AT&T", "at and t", 3, 0 },
		{ "Ærø Øl", "aero ol", 2, 0 },
		{ "Łódź", "lodz", 1, 0 },
		{ "ﬁne Straße", "fine strasse", 2, 0 },
		{ "ＡＢＣ　Ｃｏｒｐ", "abc corp", 2, 0 },
		{ "  Coca-Cola®  ", "coca cola", 2, 0 },
		{ "Ünïcödé  ", "unicode", 1, 0 },
		{ "Нефть-Газ", "нефть газ", 2, 0 },
		{ "!!!", "", 0, 0 },
	};
	struct names_token tok[NAMES_TOKENS_MAX];
	char out[128];
	size_t n;

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		int len = names_fold(cases[i].in, out, sizeof out, tok, NAMES_TOKENS_MAX, &n);
		assert_int_equal(len, (int)strlen(cases[i].want));
		assert_string_equal(out, cases[i].want);
		assert_int_equal(n, cases[i].ntok);
		if (n)
			assert_int_equal(tok[0].initials, cases[i].first_initials);
	}
	assert_int_equal(names_fold(NULL, out, sizeof out, NULL, 0, &n), -1);
	assert_int_equal(names_fold("\xff\xfe", out, sizeof out, NULL, 0, &n), -1);
	/* what does not fit is dropped at a word */
	assert_int_equal(names_fold("alpha beta gamma", out, 12, NULL, 0, &n), 10);
	assert_string_equal(out, "alpha beta");
}

static void
test_jaro_winkler(void **state)
{
	static const struct {
		const char *a, *b;
		int want;
	} cases[] = {
		{ "martha", "marhta", 9611 },  { "dwayne", "duane", 8400 },
		{ "dixon", "dicksonx", 8133 }, { "abc", "abc", 10000 },
		{ "abc", "xyz", 0 },           { "", "abc", 0 },
		{ "café", "cafe", 8833 },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		int got = names_jaro_winkler(cases[i].a, strlen(cases[i].a), cases[i].b,
		                             strlen(cases[i].b));
		assert_int_equal(got, cases[i].want);
		got = names_jaro_winkler(cases[i].b, strlen(cases[i].b), cases[i].a,
		                         strlen(cases[i].a));
		assert_int_equal(got, cases[i].want);
	}
}

static void
test_normalize(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		/* the examples */
		{ "Acme, Inc.", "acme" },
		{ "ACME Incorporated", "acme" },
		{ "Société Générale S.A.", "societe generale" },
		{ "The Home Depot, Inc.", "home depot" },
		{ "Müller GmbH & Co. KG", "muller" },
		{ "Nippon Telegraph and Telephone Corporation", "nippon telegraph and telephone" },
		{ "I.B.M.", "ibm" },
		{ "International Business Machines Corp.", "international business machines" },
		/* English-speaking */
		{ "Ernst & Young LLP", "ernst and young" },
		{ "McDonald's Corporation", "mcdonalds" },
		{ "AT&T Inc.", "at and t" },
		{ "Amazon.com, Inc.", "amazon" },
		{ "Lloyds Banking Group plc", "lloyds banking" },
		{ "Acme L.L.C.", "acme" },
		{ "Acme Co., Ltd.", "acme" },
		{ "BHP Group Pty Ltd", "bhp" },
		{ "DBS Bank Pte. Ltd.", "dbs bank" },
		{ "Infosys Private Limited", "infosys" },
		{ "Tata Consultancy Services Pvt. Ltd.", "tata consultancy services" },
		{ "Major Cineplex Group Public Co., Ltd.", "major cineplex" },
		/* German, Dutch, Nordic */
		{ "Volkswagen AG", "volkswagen" },
		{ "Straßenbau Schmidt GmbH", "strassenbau schmidt" },
		{ "Deutsche Lebens-Rettungs-Gesellschaft e.V.",
		  "deutsche lebens rettungs gesellschaft" },
		{ "Koninklijke Philips N.V.", "koninklijke philips" },
		{ "Heineken Holding N.V.", "heineken" },
		{ "ASML B.V.", "asml" },
		{ "Telia Company AB (publ)", "telia" },
		{ "Ørsted A/S", "orsted" },
		{ "Equinor ASA", "equinor" },
		{ "Nokia Oyj", "nokia" },
		/* French, Italian, Spanish, Portuguese, Latin American */
		{ "Nestlé S.A.", "nestle" },
		{ "Telefónica, S. A.", "telefonica" },
		{ "Rumo S/A", "rumo" },
		{ "Dassault Systèmes SE", "dassault systemes" },
		{ "Carrefour SAS", "carrefour" },
		{ "Boulangerie Paul SARL", "boulangerie paul" },
		{ "ENI S.p.A.", "eni" },
		{ "Pasta Rossi S.r.l.", "pasta rossi" },
		{ "Inditex S.L.", "inditex" },
		{ "Mercadona, S.A.U.", "mercadona" },
		{ "Grupo Bimbo, S.A.B. de C.V.", "grupo bimbo" },
		{ "Natura Cosméticos Ltda.", "natura cosmeticos" },
		/* Central and Eastern European */
		{ "Allegro sp. z o.o.", "allegro" },
		{ "Škoda Auto a.s.", "skoda auto" },
		{ "Żabka Polska Sp. z o.o.", "zabka polska" },
		{ "ООО «Ромашка»", "ромашка" },
		/* Asian */
		{ "Mitsubishi K.K.", "mitsubishi" },
		{ "Toyota Motor Kabushiki Kaisha", "toyota motor" },
		{ "トヨタ自動車株式会社", "トヨタ自動車" },
		{ "Samsung Electronics Co., Ltd.", "samsung electronics" },
		{ "Petronas Sdn. Bhd.", "petronas" },
		{ "PT Telkom Indonesia Tbk", "telkom indonesia" },
		/* a word always remains; compatibility forms */
		{ "The Company", "company" },
		{ "Inc.", "inc" },
		{ "The", "the" },
		{ "ＡＢＣ Ｃｏｒｐ．", "abc" },
	};
	char out[MATCH_NAME_MAX + 1];

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		int len = match_normalize_name(cases[i].in, out, sizeof out);
		if (len < 0 || strcmp(out, cases[i].want))
			fail_msg("\"%s\": got \"%s\" (%d), want \"%s\"", cases[i].in,
			         len < 0 ? "" : out, len, cases[i].want);
		assert_int_equal(len, (int)strlen(cases[i].want));
	}
	static const char *const bad[] = { NULL, "", "   ", "!!!", "\xff" };
	for (size_t i = 0; i < N(bad); i++)
		assert_int_equal(match_normalize_name(bad[i], out, sizeof out), -1);
	/* too small for the answer */
	assert_int_equal(match_normalize_name("Acme", out, 4), -1);
	assert_int_equal(match_normalize_name("Acme", out, 5), 4);
}

static void
test_domains(void **state)
{
	static const struct {
		const char *in, *want; /* NULL: -1 */
	} cases[] = {
		{ "https://shop.acme.co.uk/x", "acme.co.uk" },
		{ "jane@acme.co.uk", "acme.co.uk" },
		{ "ACME.COM", "acme.com" },
		{ "www.example.com.au", "example.com.au" },
		{ "http://user:pw@Sub.Example.org:8080/path?q#f", "example.org" },
		/* private suffixes: each user's site is its own */
		{ "alice.github.io", "alice.github.io" },
		{ "https://docs.alice.github.io/", "alice.github.io" },
		/* wildcard and exception rules: *.kawasaki.jp, !city.kawasaki.jp */
		{ "www.city.kawasaki.jp", "city.kawasaki.jp" },
		{ "shop.foo.kawasaki.jp", "shop.foo.kawasaki.jp" },
		{ "foo.kawasaki.jp", NULL },
		/* free mail is never a key */
		{ "jane@gmail.com", NULL },
		{ "jane@googlemail.com", NULL },
		{ "x@yahoo.co.uk", NULL },
		{ "x@yahoo.fr", NULL },
		{ "x@hotmail.de", NULL },
		{ "outlook.com", NULL },
		{ "someone@live.co.uk", NULL },
		{ "a@icloud.com", NULL },
		{ "a@gmx.de", NULL },
		{ "a@web.de", NULL },
		{ "a@mail.ru", NULL },
		{ "a@qq.com", NULL },
		{ "a@proton.me", NULL },
		/* a page on a platform is not the customer's domain; the platform is */
		{ "https://www.facebook.com/acmebakery", NULL },
		{ "linkedin.com/company/acme", NULL },
		{ "https://sites.google.com/view/acme", NULL },
		{ "https://www.facebook.com/", "facebook.com" },
		{ "jane@fb.com", "fb.com" },
		{ "google.com", "google.com" },
		/* unusable */
		{ "co.uk", NULL },
		{ "192.168.1.1", NULL },
		{ "localhost", NULL },
		{ "", NULL },
		{ "not a domain", NULL },
		{ NULL, NULL },
	};
	char out[MATCH_DOMAIN_MAX + 1];

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		int len = match_domain_key(cases[i].in, out, sizeof out);
		if (!cases[i].want) {
			if (len != -1)
				fail_msg("\"%s\": got \"%s\", want -1", cases[i].in, out);
			continue;
		}
		if (len < 0 || strcmp(out, cases[i].want))
			fail_msg("\"%s\": got \"%s\" (%d), want \"%s\"", cases[i].in,
			         len < 0 ? "" : out, len, cases[i].want);
	}
	assert_int_equal(match_domain_key("acme.com", out, 8), -1);
	assert_int_equal(match_domain_key("acme.com", out, 9), 8);
}

static void
test_acronyms(void **state)
{
	static const struct {
		const char *name, *a, *b; /* the expected acronyms, NULL: none */
	} cases[] = {
		{ "International Business Machines Corp.", "ibm", NULL },
		{ "Nippon Telegraph and Telephone Corporation", "ntat", "ntt" },
		{ "Bank of the Philippine Islands", "botpi", "bpi" },
		{ "U.S. Coast Guard", "uscg", NULL },
		{ "Allgemeiner Deutscher Automobil-Club e.V.", "adac", NULL },
		{ "Gesellschaft für Technische Überwachung", "gftu", "gtu" },
		{ "7 For All Mankind", "7fam", "7am" },
		{ "Grants Pass School District 7", "gpsd7", NULL },
		{ "The Home Depot", "hd", NULL },
		{ "IBM", NULL, NULL },
		{ "Kentucky Fried Chicken", "kfc", NULL },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		char out[MATCH_ACRONYMS_MAX][MATCH_ACRONYM_MAX + 1];
		int n = match_acronyms(cases[i].name, out);
		int want = !cases[i].a ? 0 : !cases[i].b ? 1 : 2;

		if (n != want)
			fail_msg("\"%s\": %d acronyms, want %d", cases[i].name, n, want);
		if (n > 0)
			assert_string_equal(out[0], cases[i].a);
		if (n > 1)
			assert_string_equal(out[1], cases[i].b);
	}
}

/* One record in a fresh index, one check: the level and reasons of the
 * hit (level 0: no hit). */
static void
test_levels(void **state)
{
	enum { C = MATCH_CERTAIN, PR = MATCH_PROBABLE, PO = MATCH_POSSIBLE };
	enum {
		DOM = MATCH_SAME_DOMAIN,
		NAME = MATCH_SAME_NAME,
		SIM = MATCH_SIMILAR_NAME,
		ACR = MATCH_ACRONYM,
		SAMEC = MATCH_SAME_COUNTRY,
		DIFFC = MATCH_DIFFERENT_COUNTRY,
	};
	static const struct {
		const char *name, *domain, *country;    /* indexed */
		const char *qname, *qdomain, *qcountry; /* checked */
		int level;
		unsigned reasons;
	} cases[] = {
		/* the same registrable web domain: certain, whatever the names */
		{ "Acme Inc", "acme.com", NULL, "Totally Other", "https://www.acme.com/x", NULL, C,
		  DOM },
		{ "Acme Inc", "sales@acme.com", "US", "ACME Incorporated", "acme.com", "DE", C,
		  DOM | NAME | DIFFC },
		{ "Acme UK", "shop.acme.co.uk", NULL, "Acme", "jane@acme.co.uk", NULL, C,
		  DOM | SIM },
		/* free mail and other domains say nothing */
		{ "Acme", "a@gmail.com", NULL, "Zeta Foods", "b@gmail.com", NULL, 0, 0 },
		{ "Acme", "acme.com", NULL, "Zeta Foods", "zeta.com", NULL, 0, 0 },
		/* the same normalised name: certain in the same country */
		{ "Acme, Inc.", NULL, "US", "ACME Incorporated", NULL, "us", C, NAME | SAMEC },
		{ "Société Générale S.A.", NULL, "FR", "societe generale", NULL, "FR", C,
		  NAME | SAMEC },
		/* ... a homonym to review elsewhere or when a country is unknown */
		{ "Acme, Inc.", NULL, "US", "Acme Ltd", NULL, "GB", PO, NAME | DIFFC },
		{ "Acme, Inc.", NULL, NULL, "Acme Ltd", NULL, "GB", PO, NAME },
		{ "Frontier", "frontier.com", "US", "Frontier", "frontier.co.uk", "GB", PO,
		  NAME | DIFFC },
		/* similar names: typos, spacing, word order */
		{ "Florida Power & Light", NULL, NULL, "Flordia Power and Light Co", NULL, NULL, PR,
		  SIM },
		{ "BackWerk", NULL, "DE", "Back-Werk GmbH", NULL, "DE", PR, SIM | SAMEC },
		{ "Eastern Cape Department of Health", NULL, NULL, "eastern cape health department",
		  NULL, NULL, PR, SIM },
		{ "Florida Power & Light", NULL, "US", "Flordia Power and Light Co", NULL, "CA", PO,
		  SIM | DIFFC },
		/* acronyms and initials, both ways */
		{ "International Business Machines Corp.", NULL, NULL, "IBM", NULL, NULL, PR, ACR },
		{ "I.B.M.", NULL, "US", "International Business Machines", NULL, "US", PR,
		  ACR | SAMEC },
		{ "Kentucky Fried Chicken", NULL, NULL, "KFC", NULL, NULL, PR, ACR },
		{ "Nippon Telegraph and Telephone Corporation", NULL, NULL, "NTT", NULL, NULL, PR,
		  ACR },
		{ "British Telecom", NULL, NULL, "BT", NULL, NULL, PO, ACR },
		{ "Kentucky Fried Chicken", NULL, "US", "KFC", NULL, "GB", PO, ACR | DIFFC },
		/* unrelated, or the same first word only */
		{ "Acme", NULL, NULL, "Zeta", NULL, NULL, 0, 0 },
		{ "Stadtwerke Bochum", NULL, NULL, "Stadtwerke Lingen", NULL, NULL, 0, 0 },
		{ "City of Orlando", NULL, NULL, "City of Stanton", NULL, NULL, 0, 0 },
		{ "Springfield Police Department", NULL, NULL, "Springfield Fire Department", NULL,
		  NULL, 0, 0 },
		{ "SDIS 40", NULL, NULL, "SDIS 45", NULL, NULL, 0, 0 },
		{ "District I", NULL, NULL, "District V", NULL, NULL, 0, 0 },
		{ "Keolis", NULL, NULL, "Keolis Rennes", NULL, NULL, 0, 0 },
		{ "Lawson", NULL, NULL, "Lawson 108", NULL, NULL, 0, 0 },
		{ "Cash", NULL, NULL, "Cash Oil", NULL, NULL, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < N(cases); i++) {
		struct match_index *ix = match_index_new();
		struct match_record r = {
			MATCH_REGISTRATION, 7,    3, cases[i].name, cases[i].domain,
			cases[i].country,   NULL, 0
		};
		struct match_hit h[4];
		size_t n = 99;

		assert_non_null(ix);
		assert_int_equal(match_index_put(ix, &r), 0);
		assert_int_equal(match_check(ix, cases[i].qname, cases[i].qdomain,
		                             cases[i].qcountry, h, N(h), &n),
		                 0);
		if (!cases[i].level) {
			if (n)
				fail_msg("\"%s\" / \"%s\": a hit (level %d, reasons %u), want none",
				         cases[i].name, cases[i].qname, h[0].level, h[0].reasons);
		} else if (n != 1 || (int)h[0].level != cases[i].level ||
		           h[0].reasons != cases[i].reasons) {
			fail_msg("\"%s\" / \"%s\": %zu hits, level %d, reasons %u; want level %d, "
			         "reasons %u",
			         cases[i].name, cases[i].qname, n, n ? (int)h[0].level : 0,
			         n ? h[0].reasons : 0, cases[i].level, cases[i].reasons);
		} else {
			assert_int_equal(h[0].kind, MATCH_REGISTRATION);
			assert_int_equal(h[0].id, 7);
			assert_int_equal(h[0].partner_id, 3);
			assert_true(h[0].score_bps > 0 && h[0].score_bps <= 10000);
		}
		match_index_free(ix);
	}
}

static void
test_order_and_max(void **state)
{
	/* the same name in another country; the same name in the same country;
	 * the same domain; a typo; short initials; unrelated */
	static const struct match_record recs[] = {
		{ MATCH_ACCOUNT, 1, 0, "Acme Widgets", NULL, "US", NULL, 0 },
		{ MATCH_ACCOUNT, 2, 0, "Acme Widgets Inc", NULL, "DE", NULL, 0 },
		{ MATCH_OPPORTUNITY, 3, 0, "Other", "acme-widgets.com", NULL, NULL, 0 },
		{ MATCH_REGISTRATION, 4, 9, "Acme Widgtes", NULL, NULL, NULL, 0 },
		{ MATCH_REGISTRATION, 5, 9, "AW", NULL, NULL, NULL, 0 },
		{ MATCH_ACCOUNT, 6, 0, "Zeta", NULL, NULL, NULL, 0 },
	};
	struct match_index *ix = match_index_new();
	struct match_hit h[8];
	size_t n;

	(void)state;
	for (size_t i = 0; i < N(recs); i++)
		assert_int_equal(match_index_put(ix, &recs[i]), 0);
	assert_int_equal(match_index_size(ix), N(recs));
	assert_int_equal(
	        match_check(ix, "ACME Widgets GmbH", "www.acme-widgets.com", "DE", h, N(h), &n), 0);
	assert_int_equal(n, 5);
	for (size_t i = 1; i < n; i++)
		assert_true(h[i - 1].level > h[i].level ||
		            (h[i - 1].level == h[i].level && h[i - 1].score_bps >= h[i].score_bps));
	assert_int_equal(h[0].id, 3); /* the domain */
	assert_int_equal(h[1].id, 2); /* the name in the same country */
	assert_int_equal(h[0].level, MATCH_CERTAIN);
	assert_int_equal(h[1].level, MATCH_CERTAIN);
	assert_int_equal(h[2].id, 4);
	assert_int_equal(h[2].level, MATCH_PROBABLE);
	/* at most max, the best ones */
	assert_int_equal(
	        match_check(ix, "ACME Widgets GmbH", "www.acme-widgets.com", "DE", h, 2, &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(h[0].id, 3);
	assert_int_equal(h[1].id, 2);
	assert_int_equal(match_check(ix, "ACME Widgets GmbH", NULL, NULL, h, 0, &n), 0);
	assert_int_equal(n, 0);
	/* no name nor domain: nothing */
	assert_int_equal(match_check(ix, NULL, NULL, "DE", h, N(h), &n), 0);
	assert_int_equal(n, 0);
	match_index_free(ix);
}

static void
test_put_replace_remove(void **state)
{
	struct match_index *ix = match_index_new();
	struct match_record r = { MATCH_ACCOUNT, 42, 0, "Acme Corp", "acme.com", "US", NULL, 0 };
	struct match_hit h[4];
	size_t n;

	(void)state;
	match_index_free(NULL);
	assert_int_equal(match_index_put(ix, &r), 0);
	/* the same id as another kind is another record */
	r.kind = MATCH_REGISTRATION;
	assert_int_equal(match_index_put(ix, &r), 0);
	assert_int_equal(match_index_size(ix), 2);
	/* replacing takes the old keys away */
	r.name = "Zeta Foods";
	r.domain = "zeta.com";
	assert_int_equal(match_index_put(ix, &r), 0);
	assert_int_equal(match_index_size(ix), 2);
	assert_int_equal(match_check(ix, "Acme", "acme.com", NULL, h, N(h), &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].kind, MATCH_ACCOUNT);
	assert_int_equal(match_check(ix, "Zeta Foods", NULL, NULL, h, N(h), &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].kind, MATCH_REGISTRATION);
	/* a domain alone is enough to index; nothing at all is refused */
	r.name = "";
	r.domain = "zeta.com";
	assert_int_equal(match_index_put(ix, &r), 0);
	assert_int_equal(match_check(ix, NULL, "https://zeta.com", NULL, h, N(h), &n), 0);
	assert_int_equal(n, 1);
	/* several domains of one customer are all keys */
	static const char *const more[] = { "acme.de", "jane@gmail.com", "https://acme.co.uk/" };
	r.name = "Acme";
	r.domain = "acme.com";
	r.domains = more;
	r.ndomains = N(more);
	assert_int_equal(match_index_put(ix, &r), 0);
	assert_int_equal(match_check(ix, NULL, "www.acme.co.uk", NULL, h, N(h), &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(h[0].level, MATCH_CERTAIN);
	assert_int_equal(match_check(ix, NULL, "info@acme.de", NULL, h, N(h), &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(match_check(ix, "Other", "gmail.com", NULL, h, N(h), &n), 0);
	assert_int_equal(n, 0);
	r.domains = NULL;
	r.ndomains = 0;
	r.name = "!!!";
	r.domain = "jane@gmail.com";
	assert_int_equal(match_index_put(ix, &r), -1);
	assert_int_equal(match_index_size(ix), 1); /* the old one went */
	match_index_remove(ix, MATCH_ACCOUNT, 42);
	match_index_remove(ix, MATCH_ACCOUNT, 42);
	match_index_remove(ix, MATCH_OPPORTUNITY, 1);
	assert_int_equal(match_index_size(ix), 0);
	assert_int_equal(match_check(ix, "Acme", "acme.com", NULL, h, N(h), &n), 0);
	assert_int_equal(n, 0);
	match_index_free(ix);
}

/* A deterministic data set of a few thousand names with shared words,
 * acronyms and domains. */
static const char *const words[] = {
	"acme",  "zeta",    "nordic", "atlas", "summit", "vertex", "orion", "delta",  "harbor",
	"pine",  "cedar",   "global", "royal", "united", "alpha",  "omega", "sierra", "nova",
	"prime", "crystal", "falcon", "eagle", "lotus",  "maple",  "river", "stone",  "bright",
};
static const char *const trades[] = { "Foods",  "Logistics", "Systems", "Bank",  "Energy",
	                              "Motors", "Media",     "Labs",    "Group", "Partners" };
static const char *const forms[] = { "Inc.", "GmbH", "S.A.", "Ltd", "", "B.V.", "K.K." };

static uint64_t seed = 88172645463325252ULL;

static size_t
next(size_t n)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return (size_t)(seed % n);
}

static void
make_name(char *out, size_t size)
{
	const char *w1 = words[next(N(words))], *w2 = words[next(N(words))];

	switch (next(4)) {
	case 0:
		snprintf(out, size, "%s %s %s", w1, trades[next(N(trades))], forms[next(N(forms))]);
		break;
	case 1: snprintf(out, size, "%s %s", w1, w2); break;
	case 2: snprintf(out, size, "%c%c%c", w1[0], w2[0], trades[next(N(trades))][0]); break;
	default: snprintf(out, size, "%s-%s %s", w1, w2, trades[next(N(trades))]); break;
	}
}

/* Every hit the scan finds on an exact key (domain, name, acronym), the
 * index finds too, before and after removing half of the records. */
static void
test_index_vs_scan(void **state)
{
	enum { RECORDS = 3000, QUERIES = 400, HITS = 4096 };
	struct match_index *ix = match_index_new();
	struct match_hit *a = malloc(HITS * sizeof *a), *b = malloc(HITS * sizeof *b);
	char name[96], dom[64];
	size_t checked = 0;

	(void)state;
	for (int round = 0; round < 2; round++) {
		if (round == 0) {
			for (int i = 0; i < RECORDS; i++) {
				struct match_record r = {
					(enum match_kind)(1 + i % 3), i,    i % 7, name, dom,
					i % 2 ? "US" : NULL,          NULL, 0
				};
				make_name(name, sizeof name);
				snprintf(dom, sizeof dom, "%s%zu.com", words[next(N(words))],
				         next(50));
				assert_int_equal(match_index_put(ix, &r), 0);
			}
			assert_int_equal(match_index_size(ix), RECORDS);
		} else {
			for (int i = 0; i < RECORDS; i += 2)
				match_index_remove(ix, (enum match_kind)(1 + i % 3), i);
			assert_int_equal(match_index_size(ix), RECORDS / 2);
		}
		for (int q = 0; q < QUERIES; q++) {
			size_t na, nb;

			make_name(name, sizeof name);
			snprintf(dom, sizeof dom, "%s%zu.com", words[next(N(words))], next(50));
			assert_int_equal(match_check(ix, name, dom, "US", a, HITS, &na), 0);
			assert_int_equal(match_check_scan(ix, name, dom, "US", b, HITS, &nb), 0);
			/* at most 3: the first 3 of the whole answer */
			struct match_hit top[3];
			size_t nt;
			assert_int_equal(match_check(ix, name, dom, "US", top, 3, &nt), 0);
			assert_int_equal(nt, na < 3 ? na : 3);
			for (size_t j = 0; j < nt; j++) {
				assert_int_equal(top[j].id, a[j].id);
				assert_int_equal(top[j].kind, a[j].kind);
			}
			for (size_t j = 0; j < nb; j++) {
				size_t k;

				if (!(b[j].reasons & (MATCH_SAME_DOMAIN | MATCH_SAME_NAME)) &&
				    !(b[j].reasons & MATCH_ACRONYM && b[j].level == MATCH_PROBABLE))
					continue;
				if (round)
					assert_true(b[j].id % 2 == 1);
				checked++;
				for (k = 0; k < na; k++)
					if (a[k].kind == b[j].kind && a[k].id == b[j].id)
						break;
				if (k == na)
					fail_msg("\"%s\" %s: the scan found %d, the index did not",
					         name, dom, (int)b[j].id);
				assert_int_equal(a[k].level, b[j].level);
				assert_int_equal(a[k].score_bps, b[j].score_bps);
				assert_int_equal(a[k].reasons, b[j].reasons);
				assert_int_equal(a[k].partner_id, b[j].partner_id);
			}
		}
	}
	assert_true(checked > 1000);
	free(a);
	free(b);
	match_index_free(ix);
}

/* Two threads check while one writes: no crash, no race (under ASan, and
 * TSan if built so), and every check sees a consistent index. */
struct shared {
	struct match_index *ix;
	int stop;
	pthread_mutex_t mu;
	size_t checks;
};

static void *
reader(void *arg)
{
	struct shared *s = arg;
	struct match_hit h[16];
	size_t n, done = 0;

	for (;;) {
		pthread_mutex_lock(&s->mu);
		int stop = s->stop;
		pthread_mutex_unlock(&s->mu);
		if (stop && done > 100)
			break;
		if (match_check(s->ix, "Acme Widgets", "acme.com", "US", h, 16, &n))
			return (void *)1;
		/* the permanent record is always there */
		int found = 0;
		for (size_t i = 0; i < n; i++)
			found |= h[i].id == -1;
		if (!found)
			return (void *)2;
		done++;
	}
	pthread_mutex_lock(&s->mu);
	s->checks += done;
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

static void
test_threads(void **state)
{
	struct shared s = { .ix = match_index_new() };
	struct match_record keep = { MATCH_ACCOUNT, -1,   0,    "Acme Widgets Inc",
		                     "acme.com",    "US", NULL, 0 };
	pthread_t t[2];
	void *rc;

	(void)state;
	pthread_mutex_init(&s.mu, NULL);
	assert_int_equal(match_index_put(s.ix, &keep), 0);
	for (int i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, reader, &s), 0);
	for (int i = 0; i < 3000; i++) {
		char name[64];
		struct match_record r = {
			MATCH_REGISTRATION, i % 200, 1, name, NULL, "US", NULL, 0
		};
		snprintf(name, sizeof name, "Acme Widgets %d", i % 17);
		if (i % 3 == 2)
			match_index_remove(s.ix, MATCH_REGISTRATION, (i - 1) % 200);
		else
			assert_int_equal(match_index_put(s.ix, &r), 0);
	}
	pthread_mutex_lock(&s.mu);
	s.stop = 1;
	pthread_mutex_unlock(&s.mu);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(pthread_join(t[i], &rc), 0);
		assert_null(rc);
	}
	assert_true(s.checks >= 200);
	pthread_mutex_destroy(&s.mu);
	match_index_free(s.ix);
}

static void
test_display(void **state)
{
	const char *names[6];

	(void)state;
	assert_string_equal(match_level_name(MATCH_CERTAIN), "certain");
	assert_string_equal(match_level_name(MATCH_PROBABLE), "probable");
	assert_string_equal(match_level_name(MATCH_POSSIBLE), "possible");
	assert_int_equal(
	        match_reason_names(MATCH_SAME_DOMAIN | MATCH_ACRONYM | MATCH_DIFFERENT_COUNTRY,
	                           names),
	        3);
	assert_string_equal(names[0], "same_domain");
	assert_string_equal(names[1], "acronym");
	assert_string_equal(names[2], "different_country");
	assert_int_equal(match_reason_names(0, names), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold),          cmocka_unit_test(test_jaro_winkler),
		cmocka_unit_test(test_normalize),     cmocka_unit_test(test_domains),
		cmocka_unit_test(test_acronyms),      cmocka_unit_test(test_levels),
		cmocka_unit_test(test_order_and_max), cmocka_unit_test(test_put_replace_remove),
		cmocka_unit_test(test_index_vs_scan), cmocka_unit_test(test_threads),
		cmocka_unit_test(test_display),
	};

	return cmocka_run_group_tests_name("match", tests, NULL, NULL);
}
