/* Names folded for comparison, with no knowledge of what the names are: case
 * folding, compatibility composition and accent stripping with utf8proc,
 * punctuation to token boundaries, dotted initials joined; and Jaro-Winkler
 * similarity in basis points. The business rules on top (legal forms,
 * acronyms, levels) are in domain/match.c. */
#ifndef TANDEM_NAMES_H
#define TANDEM_NAMES_H

#include <stddef.h>
#include <stdint.h>

#define NAMES_TOKENS_MAX 32 /* tokens kept from one name; the rest is dropped */
#define NAMES_JW_MAX 128    /* code points compared by names_jaro_winkler */

struct names_token {
	uint16_t off, len; /* bytes in the folded string */
	uint8_t initials;  /* joined from dotted initials ("I.B.M." -> "ibm") */
	uint8_t numeric;   /* digits only */
};

/* Folds in into out (size bytes, NUL-terminated): tokens of letters and digits
 * separated by one space, lower case (Unicode case folding), accents and
 * other marks stripped, compatibility forms composed (NFKC), a few Latin
 * letters without a decomposition transliterated ("ø" -> "o", "æ" -> "ae"),
 * '&' as the token "and", apostrophes dropped inside a word ("McDonald's" ->
 * "mcdonalds"), any other punctuation, symbol or blank a boundary, and runs
 * of single letters each followed by a dot joined ("I.B.M." and "S. A." ->
 * "ibm", "sa"). tok (may be NULL) receives at most max tokens, *ntok their
 * count. What does not fit in out or in NAMES_TOKENS_MAX tokens is dropped
 * at a token boundary. Returns the length of out, or -1 when in is NULL or
 * not UTF-8 or size is 0. */
int names_fold(const char *in, char *out, size_t size, struct names_token *tok, size_t max,
               size_t *ntok);

/* Jaro-Winkler similarity of two UTF-8 strings compared by code point (the
 * first NAMES_JW_MAX of each), in basis points 0..10000: Jaro, then the
 * Winkler boost (prefix scale 0.1, at most 4 code points) above 7000. Equal
 * strings give 10000, an empty string against another 0. */
int names_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen);

/* A 64-bit hash of n bytes (FNV-1a with a final mix); never 0. seed keeps the
 * key spaces of different tables apart. */
uint64_t names_hash(const char *s, size_t n, uint64_t seed);

#endif
