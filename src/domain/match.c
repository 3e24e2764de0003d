#include "domain/match.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/names.h"
#include "base/webdomain.h"

/* Tuning, measured with bench/match.sh (docs/conflict-engine.md). */
#define SIM_PROBABLE 9000      /* similarity (bps) for probable */
#define SIM_POSSIBLE 8000      /* similarity (bps) for possible */
#define TOKEN_JW_MIN 9200      /* two different words match from this Jaro-Winkler */
#define TOKEN_JW_LEN 4         /* ... when both have at least this many bytes */
#define UNPAIRED_PCT 130       /* weight (%) of a word missing on the other side */
#define SIM_COMPACT 9500       /* the same letters with other spacing ("back werk") */
#define POSTING_CAP 5000       /* words in more records than this find no candidates */
#define SIM_CANDIDATES 200     /* records scored for similarity, by shared-word weight */
#define KEY_CANDIDATES 2000    /* records taken from one exact key (name, domain) */
#define ACRONYM_CANDIDATES 200 /* records taken from one acronym key */
#define ACRONYM_PROBABLE 3     /* acronyms shorter than this are only possible */
#define PREFIX_LEN 4           /* words longer than this are keys by their start too */

enum {
	SEED_ID = 1,
	SEED_NAME, /* the compact name: the normalised name without spaces */
	SEED_DOMAIN,
	SEED_ACRONYM,
	SEED_WORD,
	SEED_PREFIX,
	SEED_LETTERS,
	SEED_SKELETON,
};

/* ---------------------------------------------------------------- names */

/* Legal forms removed from the end of a name, as normalised words, one list
 * per region, ", " between forms. The longest form that ends the name goes
 * first, and removal repeats ("Foo Co., Ltd." loses "ltd" then "co"; "Müller
 * GmbH & Co. KG" loses "kg", "and co", "gmbh") while a word remains. "group",
 * "holding(s)" and "com" ("Amazon.com") are not legal forms but name the same
 * company as well. */
static const char *const legal_suffixes[] = {
	/* English-speaking */
	"inc, incorporated, corp, corporation, co, cos, company, and co, and company, llc, "
	"pllc, lllp, llp, lp, ltd, limited, plc, pc, public company limited, "
	"public limited company, public co ltd, public company, public co, pcl, "
	"private limited, pvt ltd, pvt, pty ltd, pty, proprietary limited, pte ltd, pte, cic, "
	"dac, teoranta, teo, ulc, group, holding, holdings, com",
	/* German-speaking */
	"gmbh, ggmbh, mbh, ag, kg, kgaa, ohg, gbr, ev, eg, ug, ug haftungsbeschrankt, se, ek, "
	"gruppe",
	/* French, Belgian, Swiss, Canadian */
	"sa, sas, sasu, sarl, eurl, sca, snc, scop, sprl, scrl, ltee, and cie, et cie, cie, "
	"groupe",
	/* Italian, Spanish, Portuguese, Latin American */
	"spa, srl, srls, sapa, sl, slu, sau, sll, s coop, lda, ltda, eireli, sa de cv, "
	"sab de cv, sapi de cv, s de rl de cv, s de rl, de cv, grupo, gruppo",
	/* Dutch, Nordic */
	"bv, nv, vof, bvba, cv, ab, ab publ, hb, as, asa, aps, a s, s a, oy, oyj, oy ab, ehf, "
	"hf, amba",
	/* Central and Eastern European */
	"sro, spol s ro, sp z oo, sp z o o, spzoo, sp k, sp j, kft, zrt, nyrt, doo, dd, ad, ood, "
	"eood, ooo, zao, oao, pao, ao, jsc, pjsc, ojsc, cjsc, ооо, зао, оао, пао, ао, тов",
	/* Turkish, Greek, Middle Eastern */
	"as, ltd sti, sti, ae, epe, wll, psc, saog, saoc",
	/* Asian */
	"kk, kabushiki kaisha, kabushiki gaisha, godo kaisha, yugen kaisha, sdn bhd, bhd, "
	"berhad, tbk, co ltd, company limited",
};

/* Legal forms that come first ("PT Telkom Indonesia", "ООО Ромашка"). */
static const char *const legal_prefixes[] = {
	"pt", "cv", "ooo", "zao", "oao", "pao", "ао", "ооо", "зао", "оао", "пао", "тов",
};

/* Legal forms written in one piece with a name in scripts without spaces. */
static const char *const legal_affixes[] = {
	"株式会社", "有限会社", "合同会社", "股份有限公司", "有限公司", "주식회사", "유한회사",
};

/* Small words that an acronym may skip ("Bank of the Philippine Islands" is
 * "BPI"). */
static const char *const small_words[] = {
	"a",     "an",  "and", "at",  "by", "da",  "das", "de",  "degli", "dei", "del",
	"della", "den", "der", "des", "di", "die", "do",  "dos", "du",    "e",   "el",
	"en",    "et",  "for", "fur", "i",  "in",  "la",  "las", "le",    "les", "lo",
	"los",   "och", "of",  "og",  "on", "the", "to",  "und", "y",     "za",  "zu",
};

/* A normalised name: the text and its words. */
struct norm {
	char s[MATCH_NAME_MAX + 1];
	size_t len;
	struct names_token tok[NAMES_TOKENS_MAX];
	size_t ntok;
};

/* A word list parsed once: words[i] of length wlen[i]. */
struct phrase {
	const char *words[6];
	uint8_t wlen[6], n;
};

#define SUFFIX_MAX 255
static struct phrase suffix_phrases[SUFFIX_MAX];
static uint8_t suffix_order[SUFFIX_MAX]; /* by word count, most first */
static size_t nsuffix;
static pthread_once_t phrases_once = PTHREAD_ONCE_INIT;

/* Parses legal_suffixes once: the words point into the string constants. */
static void
phrases_init(void)
{
	for (size_t g = 0; g < sizeof legal_suffixes / sizeof legal_suffixes[0]; g++) {
		for (const char *p = legal_suffixes[g]; *p && nsuffix < SUFFIX_MAX;) {
			struct phrase *ph = &suffix_phrases[nsuffix++];
			size_t form = strcspn(p, ",");

			for (const char *end = p + form; p < end && ph->n < 6;) {
				size_t n = strcspn(p, " ,");
				ph->words[ph->n] = p;
				ph->wlen[ph->n++] = (uint8_t)n;
				p += n;
				p += *p == ' ';
			}
			p += strspn(p, ", ");
		}
	}
	for (size_t k = 0, words = 6; words > 0; words--)
		for (size_t i = 0; i < nsuffix; i++)
			if (suffix_phrases[i].n == words)
				suffix_order[k++] = (uint8_t)i;
}

static int
tok_is(const struct norm *nm, size_t i, const char *w, size_t wlen)
{
	return nm->tok[i].len == wlen && !memcmp(nm->s + nm->tok[i].off, w, wlen);
}

static int
tok_in(const struct norm *nm, size_t i, const char *const *list, size_t n)
{
	for (size_t k = 0; k < n; k++)
		if (tok_is(nm, i, list[k], strlen(list[k])))
			return 1;
	return 0;
}

static int
is_small_word(const char *w, size_t n)
{
	if (n > 5)
		return 0;
	for (size_t k = 0; k < sizeof small_words / sizeof small_words[0]; k++)
		if (small_words[k][0] == w[0] && strlen(small_words[k]) == n &&
		    !memcmp(small_words[k], w, n))
			return 1;
	return 0;
}

/* Strips a legal form written into the first or last word (Japanese,
 * Chinese, Korean names). */
static void
strip_affixes(struct norm *nm, size_t *first, size_t last)
{
	for (size_t k = 0; k < sizeof legal_affixes / sizeof legal_affixes[0]; k++) {
		size_t n = strlen(legal_affixes[k]);
		struct names_token *t = &nm->tok[last - 1];

		if (t->len > n && !memcmp(nm->s + t->off + t->len - n, legal_affixes[k], n))
			t->len = (uint16_t)(t->len - n);
		t = &nm->tok[*first];
		if (t->len > n && !memcmp(nm->s + t->off, legal_affixes[k], n)) {
			t->off = (uint16_t)(t->off + n);
			t->len = (uint16_t)(t->len - n);
		} else if (t->len == n && last - *first > 1 &&
		           !memcmp(nm->s + t->off, legal_affixes[k], n)) {
			(*first)++;
		}
	}
}

static int
norm_name(const char *in, struct norm *nm)
{
	struct names_token tok[NAMES_TOKENS_MAX];
	char buf[MATCH_NAME_MAX + 1];
	size_t first = 0, last, n = 0;
	int changed = 1;

	pthread_once(&phrases_once, phrases_init);
	nm->len = nm->ntok = 0;
	nm->s[0] = '\0';
	if (names_fold(in, nm->s, sizeof nm->s, nm->tok, NAMES_TOKENS_MAX, &last) < 0 || !last)
		return -1;
	strip_affixes(nm, &first, last);
	while (changed) {
		changed = 0;
		if (last - first > 1 && tok_is(nm, first, "the", 3)) {
			first++;
			changed = 1;
		}
		if (last - first > 1 && tok_in(nm, first, legal_prefixes,
		                               sizeof legal_prefixes / sizeof legal_prefixes[0])) {
			first++;
			changed = 1;
		}
		/* the longest legal form first: "gmbh and co kg" before "kg" */
		for (size_t k = 0; k < nsuffix && !changed; k++) {
			const struct phrase *ph = &suffix_phrases[suffix_order[k]];
			size_t i;

			if (last - first <= ph->n)
				continue;
			for (i = 0; i < ph->n; i++)
				if (!tok_is(nm, last - ph->n + i, ph->words[i], ph->wlen[i]))
					break;
			if (i == ph->n) {
				last -= ph->n;
				changed = 1;
			}
		}
	}
	/* rewrite the kept words */
	for (size_t i = first; i < last; i++) {
		if (!nm->tok[i].len)
			continue;
		if (n)
			buf[n++] = ' ';
		tok[nm->ntok] = nm->tok[i];
		tok[nm->ntok].off = (uint16_t)n;
		memcpy(buf + n, nm->s + nm->tok[i].off, nm->tok[i].len);
		n += nm->tok[i].len;
		nm->ntok++;
	}
	if (!n)
		return -1;
	memcpy(nm->s, buf, n);
	nm->s[n] = '\0';
	nm->len = n;
	memcpy(nm->tok, tok, nm->ntok * sizeof tok[0]);
	return 0;
}

int
match_normalize_name(const char *in, char *out, size_t size)
{
	struct norm nm;

	if (norm_name(in, &nm) || nm.len + 1 > size)
		return -1;
	memcpy(out, nm.s, nm.len + 1);
	return (int)nm.len;
}

/* Bytes of the first UTF-8 character of s. */
static size_t
first_char(const char *s, size_t n)
{
	size_t k = 1;

	while (k < n && ((unsigned char)s[k] & 0xc0) == 0x80)
		k++;
	return k;
}

static size_t
norm_acronyms(const struct norm *nm, char out[][MATCH_ACRONYM_MAX + 1])
{
	size_t count = 0;

	if (nm->ntok < 2)
		return 0;
	for (int skip = 0; skip < 2; skip++) {
		char a[MATCH_ACRONYM_MAX + 1];
		size_t n = 0, words = 0;
		int fits = 1;

		for (size_t i = 0; i < nm->ntok && fits; i++) {
			const struct names_token *t = &nm->tok[i];
			const char *w = nm->s + t->off;
			size_t k;

			if (skip && is_small_word(w, t->len))
				continue;
			k = t->initials || t->numeric ? t->len : first_char(w, t->len);
			if (n + k > MATCH_ACRONYM_MAX)
				fits = 0;
			else {
				memcpy(a + n, w, k);
				n += k;
				words++;
			}
		}
		a[n] = '\0';
		if (!fits || words < 2 || (count && !strcmp(out[0], a)))
			continue;
		memcpy(out[count++], a, n + 1);
	}
	return count;
}

int
match_acronyms(const char *name, char out[][MATCH_ACRONYM_MAX + 1])
{
	struct norm nm;

	if (norm_name(name, &nm))
		return 0;
	return (int)norm_acronyms(&nm, out);
}

/* ---------------------------------------------------------------- domains */

/* Free-mail providers: their addresses say nothing about the customer. A
 * registrable domain is free mail when it is listed here, or when its first
 * label is one of free_mail_brands under any suffix (yahoo.co.uk). */
static const char *const free_mail[] = {
	"gmail.com",      "googlemail.com",  "icloud.com",       "me.com",        "mac.com",
	"msn.com",        "passport.com",    "protonmail.com",   "protonmail.ch", "proton.me",
	"pm.me",          "tutanota.com",    "tutanota.de",      "tuta.io",       "fastmail.com",
	"fastmail.fm",    "hushmail.com",    "mailfence.com",    "zoho.com",      "zohomail.com",
	"mail.com",       "email.com",       "usa.com",          "inbox.com",     "lycos.com",
	"excite.com",     "juno.com",        "netzero.net",      "earthlink.net", "comcast.net",
	"verizon.net",    "att.net",         "sbcglobal.net",    "bellsouth.net", "cox.net",
	"charter.net",    "optonline.net",   "rogers.com",       "shaw.ca",       "sympatico.ca",
	"telus.net",      "videotron.ca",    "btinternet.com",   "sky.com",       "virginmedia.com",
	"ntlworld.com",   "talktalk.net",    "blueyonder.co.uk", "tiscali.co.uk", "bigpond.com",
	"bigpond.net.au", "optusnet.com.au", "iinet.net.au",     "xtra.co.nz",    "web.de",
	"t-online.de",    "freenet.de",      "arcor.de",         "posteo.de",     "mailbox.org",
	"orange.fr",      "wanadoo.fr",      "free.fr",          "laposte.net",   "sfr.fr",
	"neuf.fr",        "libero.it",       "virgilio.it",      "tiscali.it",    "alice.it",
	"tin.it",         "email.it",        "bluewin.ch",       "hispeed.ch",    "telenet.be",
	"skynet.be",      "ziggo.nl",        "kpnmail.nl",       "planet.nl",     "home.nl",
	"hetnet.nl",      "telia.com",       "online.no",        "seznam.cz",     "centrum.cz",
	"wp.pl",          "o2.pl",           "onet.pl",          "interia.pl",    "op.pl",
	"abv.bg",         "ukr.net",         "mail.ru",          "inbox.ru",      "list.ru",
	"bk.ru",          "rambler.ru",      "qq.com",           "163.com",       "126.com",
	"yeah.net",       "sina.com",        "sina.cn",          "sohu.com",      "aliyun.com",
	"139.com",        "naver.com",       "daum.net",         "hanmail.net",   "rediffmail.com",
	"uol.com.br",     "bol.com.br",      "terra.com.br",     "ig.com.br",     "prodigy.net.mx",
};
static const char *const free_mail_brands[] = {
	"yahoo",       "ymail", "rocketmail", "hotmail", "outlook", "live",
	"windowslive", "aol",   "gmx",        "yandex",  "zoho",    "protonmail",
};

static int
is_free_mail(const char *reg)
{
	size_t label = strcspn(reg, ".");

	for (size_t i = 0; i < sizeof free_mail / sizeof free_mail[0]; i++)
		if (!strcmp(reg, free_mail[i]))
			return 1;
	for (size_t i = 0; i < sizeof free_mail_brands / sizeof free_mail_brands[0]; i++)
		if (strlen(free_mail_brands[i]) == label &&
		    !memcmp(reg, free_mail_brands[i], label))
			return 1;
	return 0;
}

/* Sites that host pages of many companies: "facebook.com/acmebakery" is
 * not Acme's domain (but "facebook.com" and "jane@fb.com" are Meta's). */
static const char *const platforms[] = {
	"facebook.com", "fb.com",          "instagram.com", "linkedin.com",  "twitter.com",
	"x.com",        "youtube.com",     "tiktok.com",    "pinterest.com", "wikipedia.org",
	"google.com",   "linktr.ee",       "wix.com",       "yelp.com",      "tripadvisor.com",
	"medium.com",   "vk.com",          "weibo.com",     "t.me",          "wa.me",
	"bit.ly",       "squarespace.com", "wordpress.com", "github.com",    "gitlab.com",
};

/* Whether a URL names a page below its host ("https://x.com/acme"). */
static int
has_path(const char *in)
{
	const char *p = strstr(in, "://");

	if (p)
		p += 3;
	else if (strchr(in, '@'))
		return 0; /* an e-mail address */
	else
		p = in;
	p += strcspn(p, "/?#");
	while (*p == '/')
		p++;
	return *p && *p != '?' && *p != '#';
}

int
match_domain_key(const char *in, char *out, size_t size)
{
	char reg[WEBDOMAIN_MAX + 1];
	size_t n;

	if (!in || webdomain_registrable(in, reg) || is_free_mail(reg))
		return -1;
	for (size_t i = 0; i < sizeof platforms / sizeof platforms[0]; i++)
		if (!strcmp(reg, platforms[i]) && has_path(in))
			return -1;
	n = strlen(reg);
	if (n + 1 > size)
		return -1;
	memcpy(out, reg, n + 1);
	return (int)n;
}

/* ---------------------------------------------------------------- posting map */

/* Key hash -> the record slots that have the key. Linear probing with
 * backward-shift deletion; a slot keeps one record inline (v odd: slot << 1 |
 * 1) or points to a list. Keys whose 64-bit hashes collide share a list: the
 * scoring looks at the records themselves, so that costs time, never a
 * wrong answer. */
struct plist {
	uint32_t n, cap;
	uint32_t id[];
};

struct pm_slot {
	uint64_t h;
	uintptr_t v; /* 0: empty */
};

struct postmap {
	struct pm_slot *s;
	size_t mask, used;
};

static struct pm_slot *
pm_find(const struct postmap *m, uint64_t h)
{
	if (!m->s)
		return NULL;
	for (size_t i = h & m->mask;; i = (i + 1) & m->mask) {
		if (!m->s[i].v)
			return NULL;
		if (m->s[i].h == h)
			return &m->s[i];
	}
}

/* The records under h: *n of them at the returned pointer (valid until the
 * map changes; one is kept in *one). */
static const uint32_t *
pm_get(const struct postmap *m, uint64_t h, uint32_t *one, size_t *n)
{
	const struct pm_slot *s = pm_find(m, h);

	*n = 0;
	if (!s)
		return NULL;
	if (s->v & 1) {
		*one = (uint32_t)(s->v >> 1);
		*n = 1;
		return one;
	}
	*n = ((const struct plist *)s->v)->n;
	return ((const struct plist *)s->v)->id;
}

static int
pm_grow(struct postmap *m)
{
	size_t cap = m->s ? (m->mask + 1) * 2 : 64;
	struct pm_slot *s = calloc(cap, sizeof *s);

	if (!s)
		return -1;
	for (size_t i = 0; m->s && i <= m->mask; i++) {
		size_t j;

		if (!m->s[i].v)
			continue;
		for (j = m->s[i].h & (cap - 1); s[j].v; j = (j + 1) & (cap - 1))
			;
		s[j] = m->s[i];
	}
	free(m->s);
	m->s = s;
	m->mask = cap - 1;
	return 0;
}

static int
pm_add(struct postmap *m, uint64_t h, uint32_t id)
{
	struct pm_slot *s;
	struct plist *l;
	size_t i;

	if ((!m->s || (m->used + 1) * 10 > (m->mask + 1) * 7) && pm_grow(m))
		return -1;
	for (i = h & m->mask; m->s[i].v && m->s[i].h != h; i = (i + 1) & m->mask)
		;
	s = &m->s[i];
	if (!s->v) {
		s->h = h;
		s->v = (uintptr_t)id << 1 | 1;
		m->used++;
		return 0;
	}
	if (s->v & 1) {
		if (!(l = malloc(sizeof *l + 4 * sizeof l->id[0])))
			return -1;
		l->n = 1;
		l->cap = 4;
		l->id[0] = (uint32_t)(s->v >> 1);
		s->v = (uintptr_t)l;
	}
	l = (struct plist *)s->v;
	if (l->n == l->cap) {
		struct plist *bigger = realloc(l, sizeof *l + 2 * l->cap * sizeof l->id[0]);
		if (!bigger)
			return -1;
		l = bigger;
		l->cap *= 2;
		s->v = (uintptr_t)l;
	}
	l->id[l->n++] = id;
	return 0;
}

static void
pm_delete_slot(struct postmap *m, size_t i)
{
	size_t j = i;

	/* backward shift: pull later entries of the cluster into the hole */
	for (;;) {
		size_t home;

		j = (j + 1) & m->mask;
		if (!m->s[j].v)
			break;
		home = m->s[j].h & m->mask;
		if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
			m->s[i] = m->s[j];
			i = j;
		}
	}
	m->s[i].v = 0;
	m->s[i].h = 0;
	m->used--;
}

static void
pm_del(struct postmap *m, uint64_t h, uint32_t id)
{
	struct pm_slot *s = pm_find(m, h);
	struct plist *l;

	if (!s)
		return;
	if (s->v & 1) {
		if ((uint32_t)(s->v >> 1) == id)
			pm_delete_slot(m, (size_t)(s - m->s));
		return;
	}
	l = (struct plist *)s->v;
	for (uint32_t k = 0; k < l->n; k++)
		if (l->id[k] == id) {
			l->id[k] = l->id[--l->n];
			break;
		}
	if (l->n == 1) {
		s->v = (uintptr_t)l->id[0] << 1 | 1;
		free(l);
	} else if (!l->n) {
		free(l);
		pm_delete_slot(m, (size_t)(s - m->s));
	}
}

static void
pm_free(struct postmap *m)
{
	for (size_t i = 0; m->s && i <= m->mask; i++)
		if (m->s[i].v && !(m->s[i].v & 1))
			free((void *)m->s[i].v);
	free(m->s);
	m->s = NULL;
}

/* ---------------------------------------------------------------- the index */

struct rec {
	int64_t id, partner_id;
	char *blob; /* nacr acronym hashes, ndom domain key hashes (uint64_t), then
	               the normalised name */
	uint16_t namelen;
	uint8_t kind, nacr, ndom, live;
	char cc[2]; /* upper case; "\0\0" unknown */
};

struct scratch;
static void scratch_free(struct scratch *s);

struct match_index {
	pthread_rwlock_t lock;
	struct rec *recs;
	uint32_t nrecs, caprecs;
	uint32_t *free;
	uint32_t nfree, capfree;
	size_t live;
	struct postmap ids, names, domains, acronyms, words;
	pthread_mutex_t pool_lock;
	struct scratch *pool; /* idle scratch memory of checks */
};

static const char *
rec_name(const struct rec *r)
{
	return r->blob + (r->nacr + r->ndom) * sizeof(uint64_t);
}

static uint64_t
rec_acronym(const struct rec *r, size_t i)
{
	uint64_t h;

	memcpy(&h, r->blob + i * sizeof h, sizeof h);
	return h;
}

static uint64_t
rec_domain(const struct rec *r, size_t i)
{
	uint64_t h;

	memcpy(&h, r->blob + (r->nacr + i) * sizeof h, sizeof h);
	return h;
}

static uint64_t
id_hash(enum match_kind kind, int64_t id)
{
	char key[9];

	key[0] = (char)kind;
	memcpy(key + 1, &id, sizeof id);
	return names_hash(key, sizeof key, SEED_ID);
}

static uint64_t
compact_hash(const char *s, size_t n)
{
	char c[MATCH_NAME_MAX + 1];
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ')
			c[k++] = s[i];
	return names_hash(c, k, SEED_NAME);
}

static void
country_of(const char *in, char cc[2])
{
	cc[0] = cc[1] = '\0';
	if (!in || !in[0] || !in[1] || in[2])
		return;
	for (int i = 0; i < 2; i++) {
		char ch = in[i];
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (ch < 'A' || ch > 'Z') {
			cc[0] = cc[1] = '\0';
			return;
		}
		cc[i] = ch;
	}
}

#define WORD_KEYS_MAX (4 * NAMES_TOKENS_MAX)

static size_t
key_add(uint64_t *h, size_t n, uint64_t x)
{
	for (size_t k = 0; k < n; k++)
		if (h[k] == x)
			return n;
	h[n] = x;
	return n + 1;
}

/* The consonants of a word, doubles once ("grainger" and "granger" ->
 * "grngr"); returns the length. */
static size_t
skeleton(const char *w, size_t n, char *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		char ch = w[i];
		if (ch == 'a' || ch == 'e' || ch == 'i' || ch == 'o' || ch == 'u' || ch == 'y')
			continue;
		if (!k || out[k - 1] != ch)
			out[k++] = ch;
	}
	return k;
}

/* The word keys of a normalised name, as distinct hashes (at most
 * WORD_KEYS_MAX; returns how many): each word, and for the longer words
 * three keys that survive a typo: their first PREFIX_LEN bytes (a typo after
 * them: "Logistcs"), their letters in order (two letters swapped anywhere:
 * "Thouera" / "Thourea") and their consonants (a vowel or a doubled letter
 * more or less: "Granger" / "Grainger", "Renner" / "Rener"). */
static size_t
word_hashes(const char *s, size_t len, uint64_t *h)
{
	size_t n = 0;

	for (size_t i = 0; i < len;) {
		size_t w = strcspn(s + i, " ");

		if (w > len - i)
			w = len - i;
		n = key_add(h, n, names_hash(s + i, w, SEED_WORD));
		if (w > PREFIX_LEN && w <= NAMES_JW_MAX && !(s[i] >= '0' && s[i] <= '9')) {
			char buf[NAMES_JW_MAX];
			size_t k;

			n = key_add(h, n, names_hash(s + i, PREFIX_LEN, SEED_PREFIX));
			/* insertion sort: words are short */
			for (size_t a = 0; a < w; a++) {
				size_t b = a;
				for (; b > 0 && (unsigned char)buf[b - 1] > (unsigned char)s[i + a];
				     b--)
					buf[b] = buf[b - 1];
				buf[b] = s[i + a];
			}
			n = key_add(h, n, names_hash(buf, w, SEED_LETTERS));
			if ((k = skeleton(s + i, w, buf)) >= 2)
				n = key_add(h, n, names_hash(buf, k, SEED_SKELETON));
		}
		i += w + 1;
	}
	return n;
}

struct match_index *
match_index_new(void)
{
	struct match_index *ix = calloc(1, sizeof *ix);

	if (!ix)
		return NULL;
	if (pthread_rwlock_init(&ix->lock, NULL)) {
		free(ix);
		return NULL;
	}
	if (pthread_mutex_init(&ix->pool_lock, NULL)) {
		pthread_rwlock_destroy(&ix->lock);
		free(ix);
		return NULL;
	}
	return ix;
}

void
match_index_free(struct match_index *ix)
{
	if (!ix)
		return;
	for (uint32_t i = 0; i < ix->nrecs; i++)
		free(ix->recs[i].blob);
	free(ix->recs);
	free(ix->free);
	pm_free(&ix->ids);
	pm_free(&ix->names);
	pm_free(&ix->domains);
	pm_free(&ix->acronyms);
	pm_free(&ix->words);
	scratch_free(ix->pool);
	pthread_mutex_destroy(&ix->pool_lock);
	pthread_rwlock_destroy(&ix->lock);
	free(ix);
}

size_t
match_index_size(const struct match_index *ix)
{
	size_t n;

	pthread_rwlock_rdlock((pthread_rwlock_t *)&ix->lock);
	n = ix->live;
	pthread_rwlock_unlock((pthread_rwlock_t *)&ix->lock);
	return n;
}

/* Takes record slot i out of every map and frees it (write lock held). A
 * partly indexed record (out of memory half-way) is undone the same way:
 * pm_del ignores what is not there. */
static void
rec_unindex(struct match_index *ix, uint32_t i)
{
	struct rec *r = &ix->recs[i];
	uint64_t w[WORD_KEYS_MAX];
	size_t nw;

	pm_del(&ix->ids, id_hash((enum match_kind)r->kind, r->id), i);
	for (size_t k = 0; k < r->ndom; k++)
		pm_del(&ix->domains, rec_domain(r, k), i);
	if (r->namelen) {
		pm_del(&ix->names, compact_hash(rec_name(r), r->namelen), i);
		nw = word_hashes(rec_name(r), r->namelen, w);
		for (size_t k = 0; k < nw; k++)
			pm_del(&ix->words, w[k], i);
	}
	for (size_t k = 0; k < r->nacr; k++)
		pm_del(&ix->acronyms, rec_acronym(r, k), i);
	free(r->blob);
	memset(r, 0, sizeof *r);
	if (ix->nfree < ix->capfree)
		ix->free[ix->nfree++] = i;
	ix->live--;
}

/* The slot of (kind, id), or -1. */
static int64_t
rec_find(const struct match_index *ix, enum match_kind kind, int64_t id)
{
	uint32_t one;
	size_t n;
	const uint32_t *l = pm_get(&ix->ids, id_hash(kind, id), &one, &n);

	for (size_t k = 0; k < n; k++) {
		const struct rec *r = &ix->recs[l[k]];
		if (r->live && r->kind == kind && r->id == id)
			return l[k];
	}
	return -1;
}

void
match_index_remove(struct match_index *ix, enum match_kind kind, int64_t id)
{
	int64_t i;

	pthread_rwlock_wrlock(&ix->lock);
	if ((i = rec_find(ix, kind, id)) >= 0)
		rec_unindex(ix, (uint32_t)i);
	pthread_rwlock_unlock(&ix->lock);
}

/* A free record slot (write lock held); -1 when out of memory. The free list
 * has room for every slot, so rec_unindex never loses one. */
static int64_t
rec_alloc(struct match_index *ix)
{
	if (ix->nfree)
		return ix->free[--ix->nfree];
	if (ix->nrecs == ix->caprecs) {
		uint32_t cap = ix->caprecs ? ix->caprecs * 2 : 1024;
		struct rec *recs;
		uint32_t *fr;

		if (cap > UINT32_MAX / 2 || !(recs = realloc(ix->recs, cap * sizeof *recs)))
			return -1;
		ix->recs = recs;
		if (!(fr = realloc(ix->free, cap * sizeof *fr)))
			return -1;
		ix->free = fr;
		ix->caprecs = ix->capfree = cap;
	}
	return ix->nrecs++;
}

/* The distinct domain keys of a record, as hashes; returns how many. */
static size_t
domain_hashes(const struct match_record *in, uint64_t *h)
{
	char dom[MATCH_DOMAIN_MAX + 1];
	size_t n = 0;

	for (size_t k = 0; k <= in->ndomains && n < MATCH_DOMAINS_MAX; k++) {
		const char *d = k ? in->domains[k - 1] : in->domain;
		if (d && match_domain_key(d, dom, sizeof dom) > 0)
			n = key_add(h, n, names_hash(dom, strlen(dom), SEED_DOMAIN));
	}
	return n;
}

int
match_index_put(struct match_index *ix, const struct match_record *in)
{
	char acr[MATCH_ACRONYMS_MAX][MATCH_ACRONYM_MAX + 1];
	uint64_t w[WORD_KEYS_MAX], ah[MATCH_ACRONYMS_MAX], dh[MATCH_DOMAINS_MAX];
	struct norm nm;
	size_t nacr = 0, nw = 0, ndom = domain_hashes(in, dh), keys;
	int has_name = in->name && !norm_name(in->name, &nm);
	int64_t i;
	struct rec *r;
	char *blob;
	int rc = 0;

	if (has_name) {
		nacr = norm_acronyms(&nm, acr);
		for (size_t k = 0; k < nacr; k++)
			ah[k] = names_hash(acr[k], strlen(acr[k]), SEED_ACRONYM);
		nw = word_hashes(nm.s, nm.len, w);
	} else {
		nm.len = 0;
		nm.s[0] = '\0';
	}
	keys = (nacr + ndom) * sizeof(uint64_t);
	if (!(blob = malloc(keys + nm.len + 1)))
		return -1;
	memcpy(blob, ah, nacr * sizeof(uint64_t));
	memcpy(blob + nacr * sizeof(uint64_t), dh, ndom * sizeof(uint64_t));
	memcpy(blob + keys, nm.s, nm.len + 1);

	pthread_rwlock_wrlock(&ix->lock);
	if ((i = rec_find(ix, in->kind, in->id)) >= 0)
		rec_unindex(ix, (uint32_t)i);
	if ((!has_name && !ndom) || (i = rec_alloc(ix)) < 0) {
		free(blob);
		rc = -1;
		goto out;
	}
	r = &ix->recs[i];
	memset(r, 0, sizeof *r);
	r->id = in->id;
	r->partner_id = in->partner_id;
	r->kind = (uint8_t)in->kind;
	r->blob = blob;
	r->namelen = (uint16_t)nm.len;
	r->nacr = (uint8_t)nacr;
	r->ndom = (uint8_t)ndom;
	r->live = 1;
	country_of(in->country, r->cc);
	ix->live++;
	if (pm_add(&ix->ids, id_hash(in->kind, in->id), (uint32_t)i) ||
	    (nm.len && pm_add(&ix->names, compact_hash(nm.s, nm.len), (uint32_t)i)))
		goto oom;
	for (size_t k = 0; k < ndom; k++)
		if (pm_add(&ix->domains, dh[k], (uint32_t)i))
			goto oom;
	for (size_t k = 0; k < nw; k++)
		if (pm_add(&ix->words, w[k], (uint32_t)i))
			goto oom;
	for (size_t k = 0; k < nacr; k++)
		if (pm_add(&ix->acronyms, ah[k], (uint32_t)i))
			goto oom;
	goto out;
oom:
	rec_unindex(ix, (uint32_t)i);
	rc = -1;
out:
	pthread_rwlock_unlock(&ix->lock);
	return rc;
}

/* ---------------------------------------------------------------- scoring */

/* The words of a normalised name (offsets into s), with their weights. */
struct words {
	const char *s;
	uint16_t off[NAMES_TOKENS_MAX], len[NAMES_TOKENS_MAX];
	uint8_t num[NAMES_TOKENS_MAX], ascii[NAMES_TOKENS_MAX];
	uint64_t chars[NAMES_TOKENS_MAX]; /* the letters and digits present, a bit each */
	int weight[NAMES_TOKENS_MAX], total;
	size_t n;
};

/* A Roman numeral from 1 to 39 ("District IV"): a number for matching. */
static int
is_roman(const char *s, size_t n)
{
	size_t i = 0, k;

	for (k = 0; i < n && s[i] == 'x' && k < 3; k++)
		i++;
	if (i + 2 <= n && s[i] == 'i' && (s[i + 1] == 'x' || s[i + 1] == 'v'))
		i += 2;
	else {
		if (i < n && s[i] == 'v')
			i++;
		for (k = 0; i < n && s[i] == 'i' && k < 3; k++)
			i++;
	}
	return n > 0 && i == n;
}

static void
words_split(const char *s, size_t len, struct words *w)
{
	w->s = s;
	w->n = 0;
	w->total = 0;
	for (size_t i = 0; i < len && w->n < NAMES_TOKENS_MAX;) {
		size_t n = strcspn(s + i, " "), k = w->n++;
		int num = 1;

		if (n > len - i)
			n = len - i;
		for (size_t j = 0; j < n; j++)
			if (s[i + j] < '0' || s[i + j] > '9')
				num = 0;
		w->off[k] = (uint16_t)i;
		w->len[k] = (uint16_t)n;
		w->num[k] = (uint8_t)(num || is_roman(s + i, n));
		w->chars[k] = 0;
		w->ascii[k] = 1;
		for (size_t j = 0; j < n; j++) {
			unsigned char ch = (unsigned char)s[i + j];
			if (ch >= 0x80)
				w->ascii[k] = 0;
			w->chars[k] |= 1ULL << (ch & 63);
		}
		/* a word weighs its length; small words almost nothing */
		w->weight[k] = is_small_word(s + i, n) ? 1 : (int)n;
		w->total += w->weight[k];
		i += n + 1;
	}
}

struct query {
	struct norm nm;
	int has_name;
	char acr[MATCH_ACRONYMS_MAX][MATCH_ACRONYM_MAX + 1];
	size_t nacr;
	uint64_t self_acr; /* a one-word name as an acronym key */
	uint64_t compact;
	uint64_t dom;
	char cc[2];
	struct words w; /* of nm */
};

static void
query_init(struct query *q, const char *name, const char *domain, const char *country)
{
	char dom[MATCH_DOMAIN_MAX + 1];

	memset(q, 0, sizeof *q);
	q->has_name = name && !norm_name(name, &q->nm);
	if (q->has_name) {
		q->nacr = norm_acronyms(&q->nm, q->acr);
		q->compact = compact_hash(q->nm.s, q->nm.len);
		if (q->nm.ntok == 1)
			q->self_acr = names_hash(q->nm.s, q->nm.len, SEED_ACRONYM);
		words_split(q->nm.s, q->nm.len, &q->w);
	}
	if (match_domain_key(domain, dom, sizeof dom) > 0)
		q->dom = names_hash(dom, strlen(dom), SEED_DOMAIN);
	country_of(country, q->cc);
}

static int
word_eq(const struct words *a, size_t i, const struct words *b, size_t j)
{
	return a->len[i] == b->len[j] && !memcmp(a->s + a->off[i], b->s + b->off[j], a->len[i]);
}

/* Same letters, other spacing. */
static int
compact_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0, j = 0;

	for (;;) {
		while (i < alen && a[i] == ' ')
			i++;
		while (j < blen && b[j] == ' ')
			j++;
		if (i == alen || j == blen)
			return i == alen && j == blen;
		if (a[i++] != b[j++])
			return 0;
	}
}

/* How alike two different normalised names are, 0..10000: each word of one
 * paired with an equal word of the other, else with the most similar one
 * (Jaro-Winkler >= TOKEN_JW_MIN), and the paired weight (word lengths, small
 * words 1) over the total weight of both names, each pair counting by its
 * similarity. Words may be missing on one side ("Department of Higher
 * Education" / "Department of Education" is 8690), but a word that differs
 * on both sides is a different company ("Springfield Police Department" /
 * "Springfield Fire Department" is 0), and numbers must agree ("SDIS 40" /
 * "SDIS 45", "District I" / "District V"). */
/* Whether Jaro-Winkler may reach TOKEN_JW_MIN for words i and j, bounding
 * the matching characters by those of each word present in the other. Only
 * for ASCII words (else yes): cheaper than the measure itself. */
static int
jw_may_match(const struct words *a, size_t i, const struct words *b, size_t j)
{
	int64_t la = a->len[i], lb = b->len[j], ma = 0, mb = 0, m, jaro;

	if (!a->ascii[i] || !b->ascii[j])
		return 1;
	for (int64_t k = 0; k < la; k++)
		ma += (b->chars[j] >> ((unsigned char)a->s[a->off[i] + k] & 63)) & 1;
	for (int64_t k = 0; k < lb; k++)
		mb += (a->chars[i] >> ((unsigned char)b->s[b->off[j] + k] & 63)) & 1;
	m = ma < mb ? ma : mb;
	jaro = 10000 * (m * lb + m * la + la * lb) / (3 * la * lb);
	if (jaro > 7000)
		jaro += 4 * (10000 - jaro) / 10;
	return jaro >= TOKEN_JW_MIN;
}

static int
similarity(const struct words *wa, const struct words *wb)
{
	uint8_t ua[NAMES_TOKENS_MAX] = { 0 }, ub[NAMES_TOKENS_MAX] = { 0 };
	int64_t paired = 0, rest = 0, total = wa->total + wb->total;
	int aword = 0, bword = 0;

	if (!wa->total || !wb->total)
		return 0;
	/* equal words first */
	for (size_t i = 0; i < wa->n; i++)
		for (size_t j = 0; j < wb->n; j++)
			if (!ub[j] && word_eq(wa, i, wb, j)) {
				ua[i] = ub[j] = 1;
				paired += 10000 * (int64_t)(wa->weight[i] + wb->weight[j]);
				break;
			}
	for (size_t i = 0; i < wa->n; i++) {
		if (!ua[i] && wa->num[i])
			return 0;
		if (!ua[i] && wa->len[i] >= TOKEN_JW_LEN)
			rest += wa->weight[i];
	}
	for (size_t j = 0; j < wb->n; j++) {
		if (!ub[j] && wb->num[j])
			return 0;
		if (!ub[j] && wb->len[j] >= TOKEN_JW_LEN)
			rest += wb->weight[j];
	}
	/* below SIM_POSSIBLE even if every other word found a twin: no need to
	 * know by how much */
	if (paired + 10000 * rest < (int64_t)SIM_POSSIBLE * total)
		return 0;
	/* then the most similar of the rest */
	for (size_t i = 0; i < wa->n; i++) {
		int best = 0;
		size_t bj = 0;

		if (ua[i] || wa->len[i] < TOKEN_JW_LEN)
			continue;
		for (size_t j = 0; j < wb->n; j++) {
			size_t la = wa->len[i], lb = wb->len[j];
			int sim;

			/* Jaro-Winkler stays under 9000 when one word is less
			 * than half as long as the other */
			if (ub[j] || lb < TOKEN_JW_LEN || la > 2 * lb || lb > 2 * la ||
			    !jw_may_match(wa, i, wb, j))
				continue;
			sim = names_jaro_winkler(wa->s + wa->off[i], la, wb->s + wb->off[j], lb);
			if (sim > best) {
				best = sim;
				bj = j;
			}
		}
		if (best >= TOKEN_JW_MIN) {
			ua[i] = ub[bj] = 1;
			paired += (int64_t)best * (wa->weight[i] + wb->weight[bj]);
		}
	}
	for (size_t i = 0; i < wa->n; i++)
		aword += !ua[i] && wa->weight[i] > 1;
	for (size_t j = 0; j < wb->n; j++)
		bword += !ub[j] && wb->weight[j] > 1;
	if (aword && bword)
		return 0;
	/* a word missing on the other side weighs UNPAIRED_PCT percent */
	for (size_t i = 0; i < wa->n; i++)
		total += !ua[i] ? (UNPAIRED_PCT - 100) * wa->weight[i] / 100 : 0;
	for (size_t j = 0; j < wb->n; j++)
		total += !ub[j] ? (UNPAIRED_PCT - 100) * wb->weight[j] / 100 : 0;
	return (int)(paired / total);
}

/* Scores record r against q; 0 and *h filled when it is a hit. */
static int
score(const struct query *q, const struct rec *r, struct match_hit *h)
{
	unsigned reasons = 0;
	int level = 0, sc = 0, sim = 0, acr = 0, diff_country;

	if (q->cc[0] && r->cc[0])
		reasons |= memcmp(q->cc, r->cc, 2) ? MATCH_DIFFERENT_COUNTRY : MATCH_SAME_COUNTRY;
	diff_country = !!(reasons & MATCH_DIFFERENT_COUNTRY);
	for (size_t k = 0; q->dom && k < r->ndom; k++)
		if (rec_domain(r, k) == q->dom)
			reasons |= MATCH_SAME_DOMAIN;
	if (q->has_name && r->namelen) {
		const char *rn = rec_name(r);

		if (r->namelen == q->nm.len && !memcmp(rn, q->nm.s, q->nm.len)) {
			reasons |= MATCH_SAME_NAME;
		} else {
			/* one name the initials of the other */
			if (q->self_acr)
				for (size_t k = 0; k < r->nacr; k++)
					if (rec_acronym(r, k) == q->self_acr)
						acr = (int)q->nm.len;
			if (!memchr(rn, ' ', r->namelen))
				for (size_t k = 0; k < q->nacr; k++)
					if (strlen(q->acr[k]) == r->namelen &&
					    !memcmp(q->acr[k], rn, r->namelen))
						acr = (int)r->namelen;
			if (acr)
				reasons |= MATCH_ACRONYM;
			struct words rw;

			words_split(rn, r->namelen, &rw);
			sim = compact_eq(q->nm.s, q->nm.len, rn, r->namelen)
			              ? SIM_COMPACT
			              : similarity(&q->w, &rw);
			if (sim >= SIM_POSSIBLE)
				reasons |= MATCH_SIMILAR_NAME;
		}
	}
	/* the level: see docs/conflict-engine.md */
	if (reasons & MATCH_SAME_DOMAIN) {
		level = MATCH_CERTAIN;
		sc = reasons & (MATCH_SAME_NAME | MATCH_SIMILAR_NAME | MATCH_ACRONYM) ? 10000
		                                                                      : 9800;
	} else if (reasons & MATCH_SAME_NAME) {
		level = reasons & MATCH_SAME_COUNTRY ? MATCH_CERTAIN : MATCH_POSSIBLE;
		sc = reasons & MATCH_SAME_COUNTRY ? 9500 : diff_country ? 7000 : 7900;
	} else if (reasons & (MATCH_SIMILAR_NAME | MATCH_ACRONYM)) {
		int strong = (sim >= SIM_PROBABLE) || acr >= ACRONYM_PROBABLE;

		level = strong && !diff_country ? MATCH_PROBABLE : MATCH_POSSIBLE;
		if (reasons & MATCH_SIMILAR_NAME)
			sc = sim < 9400 ? sim : 9400;
		/* the longer the acronym, the rarer by chance */
		if (acr && sc < 7000 + 300 * (acr < 5 ? acr : 5))
			sc = 7000 + 300 * (acr < 5 ? acr : 5);
		if (diff_country)
			sc -= 1000;
	}
	if (!level)
		return -1;
	h->kind = (enum match_kind)r->kind;
	h->id = r->id;
	h->partner_id = r->partner_id;
	h->level = (enum match_level)level;
	h->score_bps = sc;
	h->reasons = reasons;
	return 0;
}

static int
hit_cmp(const void *x, const void *y)
{
	const struct match_hit *a = x, *b = y;

	if (a->level != b->level)
		return a->level > b->level ? -1 : 1;
	if (a->score_bps != b->score_bps)
		return a->score_bps > b->score_bps ? -1 : 1;
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return 0;
}

/* Hits gathered for one check. */
struct hits {
	struct match_hit *h;
	size_t n, cap;
};

static int
hits_add(struct hits *hs, const struct match_hit *h)
{
	if (hs->n == hs->cap) {
		size_t cap = hs->cap ? hs->cap * 2 : 64;
		struct match_hit *bigger = realloc(hs->h, cap * sizeof *bigger);
		if (!bigger)
			return -1;
		hs->h = bigger;
		hs->cap = cap;
	}
	hs->h[hs->n++] = *h;
	return 0;
}

/* Puts the k best of h[0..n) first, in no order (quickselect on the k-th,
 * Hoare's partition). 0 < k < n. */
static void
hits_select(struct match_hit *h, size_t n, size_t k)
{
	int64_t lo = 0, hi = (int64_t)n - 1, kth = (int64_t)k - 1;

	while (lo < hi) {
		struct match_hit pivot = h[lo + (hi - lo) / 2], t;
		int64_t i = lo, j = hi;

		while (i <= j) {
			while (hit_cmp(&h[i], &pivot) < 0)
				i++;
			while (hit_cmp(&h[j], &pivot) > 0)
				j--;
			if (i <= j) {
				t = h[i];
				h[i++] = h[j];
				h[j--] = t;
			}
		}
		/* [lo, j] <= pivot, (j, i) == pivot, [i, hi] >= pivot */
		if (kth <= j)
			hi = j;
		else if (kth >= i)
			lo = i;
		else
			break;
	}
}

static void
hits_finish(struct hits *hs, struct match_hit *out, size_t max, size_t *n)
{
	if (hs->n > max && max)
		hits_select(hs->h, hs->n, max);
	*n = hs->n < max ? hs->n : max;
	if (*n) {
		qsort(hs->h, *n, sizeof hs->h[0], hit_cmp);
		memcpy(out, hs->h, *n * sizeof out[0]);
	}
}

/* ---------------------------------------------------------------- candidates */

#define KEY_FLAG 0x8000u /* found by an exact key: always scored */
#define HMAX 1024        /* word weights above are all alike */

/* The memory of one check, reused from check to check so that a check costs
 * what its postings cost, not what the index holds: a weight per record
 * slot (0: not a candidate; word weights stay under KEY_FLAG, at most
 * WORD_KEYS_MAX keys of at most 33 each), the slots given a weight (to find
 * them and to clear them again), the query and the hits. The index keeps
 * the idle ones (match_index.pool). */
struct scratch {
	struct scratch *next;
	uint16_t *weight;
	size_t nweight;
	uint32_t *touched;
	size_t ntouched, cap;
	struct hits hs;
	struct query q;
};

/* Frees s and the scratches after it. */
static void
scratch_free(struct scratch *s)
{
	while (s) {
		struct scratch *next = s->next;
		free(s->weight);
		free(s->touched);
		free(s->hs.h);
		free(s);
		s = next;
	}
}

/* An idle scratch of ix, or a new one; NULL when out of memory. */
static struct scratch *
scratch_get(struct match_index *ix)
{
	struct scratch *s;

	pthread_mutex_lock(&ix->pool_lock);
	if ((s = ix->pool))
		ix->pool = s->next;
	pthread_mutex_unlock(&ix->pool_lock);
	if (!s && !(s = calloc(1, sizeof *s)))
		return NULL;
	s->ntouched = 0;
	s->hs.n = 0;
	return s;
}

/* A weight in s for each record slot of ix (read lock held, so that the
 * slots stay as they are); -1 when out of memory. */
static int
scratch_fit(const struct match_index *ix, struct scratch *s)
{
	if (s->nweight >= ix->nrecs)
		return 0;
	free(s->weight);
	s->nweight = 0;
	if (!(s->weight = calloc(ix->caprecs, sizeof *s->weight)))
		return -1;
	s->nweight = ix->caprecs;
	return 0;
}

/* Clears the weights and gives s back to ix. */
static void
scratch_put(struct match_index *ix, struct scratch *s)
{
	for (size_t i = 0; i < s->ntouched; i++)
		s->weight[s->touched[i]] = 0;
	pthread_mutex_lock(&ix->pool_lock);
	s->next = ix->pool;
	ix->pool = s;
	pthread_mutex_unlock(&ix->pool_lock);
}

/* Room for n more touched slots; -1 when out of memory. */
static int
scratch_room(struct scratch *s, size_t n)
{
	size_t cap = s->cap ? s->cap : 1024;
	uint32_t *t;

	if (s->ntouched + n <= s->cap)
		return 0;
	while (cap < s->ntouched + n)
		cap *= 2;
	if (!(t = realloc(s->touched, cap * sizeof *t)))
		return -1;
	s->touched = t;
	s->cap = cap;
	return 0;
}

/* floor(log2(x)) for x >= 1 */
static int
ilog2(size_t x)
{
	int k = 0;

	while (x > 1) {
		x >>= 1;
		k++;
	}
	return k;
}

int
match_check(struct match_index *ix, const char *name, const char *domain, const char *country,
            struct match_hit *out, size_t max, size_t *n)
{
	struct scratch *s = NULL;
	struct query *q;
	struct {
		const uint32_t *l;
		size_t n;
		uint32_t one;
		uint16_t weight; /* KEY_FLAG: an exact key */
	} src[WORD_KEYS_MAX + 3 + MATCH_ACRONYMS_MAX];
	uint64_t w[WORD_KEYS_MAX];
	size_t nw = 0, nsrc = 0, expect = 0, room = SIZE_MAX, others = 0;
	unsigned cut = 0;
	uint16_t *wt;
	int rc = -1;

	*n = 0;
	if (!(s = scratch_get(ix)))
		return -1;
	q = &s->q;
	query_init(q, name, domain, country);
	if (q->has_name)
		nw = word_hashes(q->nm.s, q->nm.len, w);
	pthread_rwlock_rdlock(&ix->lock);
	if (scratch_fit(ix, s))
		goto out;
		/* exact keys: the domain, the name, acronyms both ways */
#define SOURCE(map, h, cap)                                                                        \
	do {                                                                                       \
		src[nsrc].l = pm_get(map, h, &src[nsrc].one, &src[nsrc].n);                        \
		src[nsrc].weight = KEY_FLAG;                                                       \
		if (src[nsrc].n > (cap))                                                           \
			src[nsrc].n = (cap);                                                       \
		expect += src[nsrc++].n;                                                           \
	} while (0)
	if (q->dom)
		SOURCE(&ix->domains, q->dom, KEY_CANDIDATES);
	if (q->has_name) {
		SOURCE(&ix->names, q->compact, KEY_CANDIDATES);
		if (q->self_acr)
			SOURCE(&ix->acronyms, q->self_acr, ACRONYM_CANDIDATES);
		for (size_t k = 0; k < q->nacr; k++)
			SOURCE(&ix->names, names_hash(q->acr[k], strlen(q->acr[k]), SEED_NAME),
			       ACRONYM_CANDIDATES);
	}
#undef SOURCE
	/* shared words, the rarer the heavier; the commonest find nothing */
	for (size_t k = 0; k < nw; k++) {
		src[nsrc].l = pm_get(&ix->words, w[k], &src[nsrc].one, &src[nsrc].n);
		if (!src[nsrc].n || src[nsrc].n > POSTING_CAP)
			continue;
		src[nsrc].weight = (uint16_t)(1 + ilog2((ix->live + 1) / src[nsrc].n));
		expect += src[nsrc++].n;
	}
	if (scratch_room(s, expect))
		goto out;
	wt = s->weight;
	for (size_t k = 0; k < nsrc; k++) {
		const uint32_t *l = src[k].l;
		uint16_t add = src[k].weight;

		if (add == KEY_FLAG) {
			for (size_t j = 0; j < src[k].n; j++) {
				if (!wt[l[j]])
					s->touched[s->ntouched++] = l[j];
				wt[l[j]] |= KEY_FLAG;
			}
		} else {
			for (size_t j = 0; j < src[k].n; j++) {
				if (!wt[l[j]])
					s->touched[s->ntouched++] = l[j];
				wt[l[j]] = (uint16_t)(wt[l[j]] + add);
			}
		}
	}
	for (size_t i = 0; i < s->ntouched; i++)
		others += !(wt[s->touched[i]] & KEY_FLAG);
	/* keep the keys and the SIM_CANDIDATES heaviest others: find the weight
	 * cut with a histogram of the word weights (small integers); of the
	 * records at the cut, as many as there is room for */
	if (others > SIM_CANDIDATES) {
		size_t hist[HMAX] = { 0 }, above = 0;

		for (size_t i = 0; i < s->ntouched; i++) {
			unsigned x = wt[s->touched[i]];
			if (!(x & KEY_FLAG))
				hist[x < HMAX ? x : HMAX - 1]++;
		}
		for (cut = HMAX - 1; cut > 0 && above + hist[cut] <= SIM_CANDIDATES; cut--)
			above += hist[cut];
		room = SIM_CANDIDATES - above;
	}
	for (size_t i = 0; i < s->ntouched; i++) {
		uint32_t slot = s->touched[i];
		unsigned x = wt[slot];
		struct match_hit h;

		if (!(x & KEY_FLAG)) {
			if (x >= HMAX)
				x = HMAX - 1;
			if (x < cut || (x == cut && !room))
				continue;
			if (x == cut)
				room--;
		}
		if (!score(q, &ix->recs[slot], &h) && hits_add(&s->hs, &h))
			goto out;
	}
	rc = 0;
out:
	pthread_rwlock_unlock(&ix->lock);
	if (!rc)
		hits_finish(&s->hs, out, max, n);
	scratch_put(ix, s);
	return rc;
}

int
match_check_scan(struct match_index *ix, const char *name, const char *domain, const char *country,
                 struct match_hit *out, size_t max, size_t *n)
{
	struct query *q = malloc(sizeof *q);
	struct hits hs = { 0 };
	int rc = 0;

	*n = 0;
	if (!q)
		return -1;
	query_init(q, name, domain, country);
	pthread_rwlock_rdlock(&ix->lock);
	for (uint32_t i = 0; i < ix->nrecs && !rc; i++) {
		struct match_hit h;

		if (ix->recs[i].live && !score(q, &ix->recs[i], &h))
			rc = hits_add(&hs, &h);
	}
	pthread_rwlock_unlock(&ix->lock);
	free(q);
	if (!rc)
		hits_finish(&hs, out, max, n);
	free(hs.h);
	return rc ? -1 : 0;
}

/* ---------------------------------------------------------------- display */

const char *
match_level_name(enum match_level level)
{
	switch (level) {
	case MATCH_CERTAIN: return "certain";
	case MATCH_PROBABLE: return "probable";
	case MATCH_POSSIBLE: return "possible";
	}
	return "";
}

size_t
match_reason_names(unsigned reasons, const char *names[6])
{
	static const char *const all[] = { "same_domain", "same_name",    "similar_name",
		                           "acronym",     "same_country", "different_country" };
	size_t n = 0;

	for (size_t i = 0; i < 6; i++)
		if (reasons & (1u << i))
			names[n++] = all[i];
	return n;
}
