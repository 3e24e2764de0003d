#include "base/names.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#define RAW_MAX 1024 /* bytes of tokens gathered before joining initials */

/* Latin letters that have no decomposition, so STRIPMARK leaves them: their
 * usual transliteration (after case folding). */
static const struct {
	int32_t cp;
	const char *ascii;
} translit[] = {
	{ 0x00e6, "ae" }, /* æ */
	{ 0x00f0, "d" },  /* ð */
	{ 0x00f8, "o" },  /* ø */
	{ 0x00fe, "th" }, /* þ */
	{ 0x0111, "d" },  /* đ */
	{ 0x0127, "h" },  /* ħ */
	{ 0x0131, "i" },  /* ı */
	{ 0x0138, "k" },  /* ĸ */
	{ 0x0142, "l" },  /* ł */
	{ 0x014b, "ng" }, /* ŋ */
	{ 0x0153, "oe" }, /* œ */
	{ 0x0167, "t" },  /* ŧ */
	{ 0x0180, "b" },  /* ƀ */
	{ 0x0188, "c" },  /* ƈ */
	{ 0x0192, "f" },  /* ƒ */
	{ 0x0199, "k" },  /* ƙ */
	{ 0x01b4, "y" },  /* ƴ */
	{ 0x0253, "b" },  /* ɓ */
	{ 0x0257, "d" },  /* ɗ */
	{ 0x0259, "e" },  /* ə */
};

static const char *
translit_of(int32_t cp)
{
	for (size_t i = 0; i < sizeof translit / sizeof translit[0]; i++)
		if (translit[i].cp == cp)
			return translit[i].ascii;
	return NULL;
}

static int
is_word(int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO: return 1;
	default: return 0;
	}
}

/* A token as it comes out of the scan, before dotted initials are joined. */
struct raw {
	uint16_t off, len, nchars;
	uint8_t sep_dot; /* separated from the previous token by a dot and blanks */
	uint8_t letter;  /* a single letter */
	uint8_t numeric;
};

struct scan {
	char buf[RAW_MAX];
	size_t len;
	struct raw tok[NAMES_TOKENS_MAX * 2];
	size_t n;
	int open;            /* a token is being written */
	int sep_dot, sep_ok; /* the separator so far: starts with '.', then blanks */
	int full;
};

static void
scan_close(struct scan *s)
{
	if (s->open) {
		struct raw *t = &s->tok[s->n - 1];
		t->len = (uint16_t)(s->len - t->off);
		s->open = 0;
		s->sep_dot = 0;
		s->sep_ok = 1;
	}
}

static void
scan_sep(struct scan *s, int32_t cp)
{
	scan_close(s);
	if (cp == '.' && s->sep_ok && !s->sep_dot)
		s->sep_dot = 1;
	else if (!(cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r'))
		s->sep_ok = 0;
}

/* Appends bytes of a word character (cp is its first code point). */
static void
scan_word(struct scan *s, const char *bytes, size_t n, int32_t cp, int letter)
{
	struct raw *t;

	if (s->full)
		return;
	if (!s->open) {
		if (s->n == sizeof s->tok / sizeof s->tok[0] || s->len + n > sizeof s->buf) {
			s->full = 1;
			return;
		}
		t = &s->tok[s->n++];
		memset(t, 0, sizeof *t);
		t->off = (uint16_t)s->len;
		t->sep_dot = (uint8_t)(s->sep_dot && s->sep_ok && s->n > 1);
		t->numeric = 1;
		s->open = 1;
	}
	t = &s->tok[s->n - 1];
	if (s->len + n > sizeof s->buf) {
		/* drop the unfinished token */
		s->len = t->off;
		s->n--;
		s->open = 0;
		s->full = 1;
		return;
	}
	memcpy(s->buf + s->len, bytes, n);
	s->len += n;
	t->nchars++;
	t->letter = (uint8_t)(t->nchars == 1 && letter);
	if (!(cp >= '0' && cp <= '9'))
		t->numeric = 0;
}

int
names_fold(const char *in, char *out, size_t size, struct names_token *tok, size_t max,
           size_t *ntok)
{
	utf8proc_uint8_t *mapped = NULL;
	struct scan *s;
	utf8proc_ssize_t r;
	size_t len = 0, nt = 0;

	if (ntok)
		*ntok = 0;
	if (!in || !size)
		return -1;
	out[0] = '\0';
	if (utf8proc_map((const utf8proc_uint8_t *)in, 0, &mapped,
	                 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
	                         UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE |
	                         UTF8PROC_LUMP) < 0)
		return -1;
	if (!(s = calloc(1, sizeof *s))) {
		free(mapped);
		return -1;
	}
	s->sep_ok = 1;
	for (const utf8proc_uint8_t *p = mapped; *p && !s->full; p += r) {
		utf8proc_int32_t cp;
		const char *tr;

		r = utf8proc_iterate(p, -1, &cp);
		if (r <= 0)
			break;
		if (cp == '\'' || cp == 0x2019 || cp == 0x02bc || cp == '`')
			continue; /* "McDonald's" -> "mcdonalds" */
		if (cp == '&') {
			scan_sep(s, ' ');
			scan_word(s, "and", 3, 'a', 0);
			scan_sep(s, ' ');
			continue;
		}
		if ((tr = translit_of(cp)))
			scan_word(s, tr, strlen(tr), tr[0], !tr[1]);
		else if (is_word(cp))
			scan_word(s, (const char *)p, (size_t)r, cp,
			          utf8proc_category(cp) != UTF8PROC_CATEGORY_ND);
		else
			scan_sep(s, cp);
	}
	scan_close(s);
	free(mapped);

	/* join runs of dotted single letters, write out */
	for (size_t i = 0; i < s->n;) {
		size_t j = i + 1, need, tlen = 0;
		int initials = 0;

		if (s->tok[i].letter)
			while (j < s->n && s->tok[j].letter && s->tok[j].sep_dot)
				j++;
		if (j - i > 1)
			initials = 1;
		else
			j = i + 1;
		for (size_t k = i; k < j; k++)
			tlen += s->tok[k].len;
		need = (len ? 1 : 0) + tlen;
		if (nt == NAMES_TOKENS_MAX || len + need + 1 > size)
			break;
		if (len)
			out[len++] = ' ';
		if (tok && nt < max) {
			tok[nt].off = (uint16_t)len;
			tok[nt].len = (uint16_t)tlen;
			tok[nt].initials = (uint8_t)initials;
			tok[nt].numeric = (uint8_t)(!initials && s->tok[i].numeric);
		}
		nt++;
		for (size_t k = i; k < j; k++) {
			memcpy(out + len, s->buf + s->tok[k].off, s->tok[k].len);
			len += s->tok[k].len;
		}
		i = j;
	}
	out[len] = '\0';
	free(s);
	if (ntok)
		*ntok = nt < max ? nt : max;
	return (int)len;
}

static size_t
decode(const char *s, size_t n, int32_t *cp, size_t max)
{
	size_t k = 0;
	utf8proc_ssize_t r;

	for (size_t i = 0; i < n && k < max; i += (size_t)r) {
		if ((unsigned char)s[i] < 0x80) {
			cp[k++] = (unsigned char)s[i];
			r = 1;
			continue;
		}
		r = utf8proc_iterate((const utf8proc_uint8_t *)s + i, (utf8proc_ssize_t)(n - i),
		                     &cp[k]);
		if (r <= 0) {
			cp[k] = (unsigned char)s[i];
			r = 1;
		}
		k++;
	}
	return k;
}

int
names_jaro_winkler(const char *a, size_t alen, const char *b, size_t blen)
{
	int32_t x[NAMES_JW_MAX], y[NAMES_JW_MAX];
	uint8_t xm[NAMES_JW_MAX] = { 0 }, ym[NAMES_JW_MAX] = { 0 };
	size_t la, lb, window, m = 0, t = 0, prefix = 0;
	int64_t num, den, jaro;

	if (alen == blen && !memcmp(a, b, alen))
		return 10000;
	la = decode(a, alen, x, NAMES_JW_MAX);
	lb = decode(b, blen, y, NAMES_JW_MAX);
	if (!la || !lb)
		return 0;
	window = (la > lb ? la : lb) / 2;
	window = window ? window - 1 : 0;
	for (size_t i = 0; i < la; i++) {
		size_t lo = i > window ? i - window : 0,
		       hi = i + window + 1 < lb ? i + window + 1 : lb;
		for (size_t j = lo; j < hi; j++)
			if (!ym[j] && x[i] == y[j]) {
				xm[i] = ym[j] = 1;
				m++;
				break;
			}
	}
	if (!m)
		return 0;
	for (size_t i = 0, j = 0; i < la; i++) {
		if (!xm[i])
			continue;
		while (!ym[j])
			j++;
		if (x[i] != y[j])
			t++;
		j++;
	}
	t /= 2;
	/* Jaro = (m/la + m/lb + (m-t)/m) / 3 = num / den; Winkler above 0.7:
	 * J + p/10 (1 - J) = ((10 - p) num + p den) / (10 den); in basis points,
	 * rounded once */
	num = (int64_t)m * m * (int64_t)lb + (int64_t)m * m * (int64_t)la +
	      (int64_t)(m - t) * (int64_t)la * (int64_t)lb;
	den = 3 * (int64_t)la * (int64_t)lb * (int64_t)m;
	while (prefix < 4 && prefix < la && prefix < lb && x[prefix] == y[prefix])
		prefix++;
	if (10 * num <= 7 * den)
		prefix = 0;
	jaro = (10000 * ((10 - (int64_t)prefix) * num + (int64_t)prefix * den) + 5 * den) /
	       (10 * den);
	return (int)jaro;
}

uint64_t
names_hash(const char *s, size_t n, uint64_t seed)
{
	uint64_t h = 0xcbf29ce484222325ULL ^ seed;

	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	/* splitmix64's finaliser: FNV's low bits are weak */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	h ^= h >> 31;
	return h ? h : 1;
}
