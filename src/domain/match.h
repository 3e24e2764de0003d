/* The conflict engine: finds the records (registrations, accounts,
 * opportunities) that may be the same customer as a name, web domain and
 * country, however the name is spelled ("International Business Machines
 * Corp." / "I.B.M.", "Acme, Inc." / "ACME Incorporated"). Pure and in memory:
 * the caller keeps the index in step with the store (match_index_put on
 * every create and change, match_index_remove when a record stops counting)
 * and decides which hits matter (its own record, its own partner's).
 *
 * How it normalises, indexes and scores, and the measured quality and speed:
 * docs/conflict-engine.md. */
#ifndef TANDEM_DOMAIN_MATCH_H
#define TANDEM_DOMAIN_MATCH_H

#include <stddef.h>
#include <stdint.h>

#define MATCH_NAME_MAX 255 /* bytes of a normalised name; longer ones are cut at a word */
#define MATCH_DOMAIN_MAX 253
#define MATCH_DOMAINS_MAX 8 /* domain keys kept for one record */

enum match_kind { MATCH_REGISTRATION = 1, MATCH_ACCOUNT, MATCH_OPPORTUNITY };

struct match_record {
	enum match_kind kind;
	int64_t id;
	int64_t partner_id;  /* the owner partner, 0 = direct (the vendor's) */
	const char *name;    /* the customer's name */
	const char *domain;  /* a host, URL or e-mail address, or NULL */
	const char *country; /* ISO 3166 alpha-2 or NULL */
	/* more web domains of the same customer (an account's other sites), or
	 * NULL; all of them (at most MATCH_DOMAINS_MAX with domain) are keys */
	const char *const *domains;
	size_t ndomains;
};

enum match_level { MATCH_POSSIBLE = 1, MATCH_PROBABLE, MATCH_CERTAIN };

/* Why a hit matched: bits of match_hit.reasons. SAME_COUNTRY and
 * DIFFERENT_COUNTRY only when both countries are known. */
enum {
	MATCH_SAME_DOMAIN = 1,
	MATCH_SAME_NAME = 2,
	MATCH_SIMILAR_NAME = 4,
	MATCH_ACRONYM = 8,
	MATCH_SAME_COUNTRY = 16,
	MATCH_DIFFERENT_COUNTRY = 32,
};

struct match_hit {
	enum match_kind kind;
	int64_t id, partner_id;
	enum match_level level;
	int score_bps; /* 0..10000 */
	unsigned reasons;
};

struct match_index;

/* A new empty index (free with match_index_free); NULL when out of memory.
 * One index is shared by all threads: checks take a read lock, puts and
 * removes a write lock. */
struct match_index *match_index_new(void);
void match_index_free(struct match_index *ix);

/* Inserts r, or replaces the record of the same (kind, id). The strings are
 * copied (normalised). Returns 0, or -1 when out of memory or r has no usable
 * name nor domain (an existing record of that (kind, id) is then removed). */
int match_index_put(struct match_index *ix, const struct match_record *r);
/* Removes the record (kind, id); nothing when there is none. */
void match_index_remove(struct match_index *ix, enum match_kind kind, int64_t id);
size_t match_index_size(const struct match_index *ix);

/* The records that may be the customer (name, domain, country; any may be
 * NULL), taken from the index's keys (never a scan of all records), scored,
 * sorted by level then score (both descending, then kind and id), at most
 * max of them written to out; *n gets that count. Returns 0, or -1 when out
 * of memory (then *n is 0). */
int match_check(struct match_index *ix, const char *name, const char *domain, const char *country,
                struct match_hit *out, size_t max, size_t *n);
/* The same answer computed by scoring every record in the index: for tests
 * and benchmarks, which compare it with match_check. */
int match_check_scan(struct match_index *ix, const char *name, const char *domain,
                     const char *country, struct match_hit *out, size_t max, size_t *n);

/* The normalised name ("Acme, Inc." -> "acme", "The Home Depot, Inc." ->
 * "home depot", "Müller GmbH & Co. KG" -> "muller"): names_fold (case
 * folding, accents, punctuation, dotted initials), then a leading "The" and
 * legal forms (trailing, and the few that lead, as Indonesia's "PT") removed
 * while a word remains. Writes at most size bytes with the NUL; returns the
 * length, or -1 when nothing usable remains (NULL, blank, not UTF-8). */
int match_normalize_name(const char *in, char *out, size_t size);

/* The matching key of a web domain: the registrable domain of a host, URL or
 * e-mail address ("jane@shop.acme.co.uk" -> "acme.co.uk"). Returns its
 * length, or -1 for free-mail domains (gmail.com, yahoo.co.uk, ...), which
 * never identify a customer, for a page on a site that hosts many companies'
 * pages ("https://www.facebook.com/acmebakery"), for unusable input, or when
 * it does not fit in size bytes. */
int match_domain_key(const char *in, char *out, size_t size);

/* The initials that an acronym of name may be, each NUL-terminated in out[i]:
 * the first letter of every word of the normalised name, digits and joined
 * initials whole, with and without the small words of/and/the/de/für/...
 * ("International Business Machines Corp." -> "ibm"; "Bank of the Philippine
 * Islands" -> "bpi" and "botpi"; "U.S. Coast Guard" -> "uscg"). Returns how
 * many (0..MATCH_ACRONYMS_MAX): none for a one-word name. */
#define MATCH_ACRONYMS_MAX 2
#define MATCH_ACRONYM_MAX 12
int match_acronyms(const char *name, char out[][MATCH_ACRONYM_MAX + 1]);

/* Level and reason names for display: "certain", "same_domain", ... */
const char *match_level_name(enum match_level level);
/* Writes the names of the set bits of reasons, in bit order, to names (at
 * most 6); returns how many. */
size_t match_reason_names(unsigned reasons, const char *names[6]);

#endif
