#include "base/iso.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define ISO_NAME_MAX 100

/* Compares ignoring case, surrounding blanks and "the " in front. */
static const char *
trim(const char *s, size_t *len)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	if (!strncasecmp(s, "the ", 4))
		s += 4;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	*len = n;
	return s;
}

const char *
iso_country(const char *in)
{
	size_t n;
	const char *s;

	if (!in)
		return NULL;
	s = trim(in, &n);
	if (n == 0 || n > ISO_NAME_MAX)
		return NULL;
	for (unsigned i = 0; i < iso_country_names_len; i++) {
		const struct iso_name *c = &iso_country_names[i];
		if (strlen(c->name) == n && !strncasecmp(c->name, s, n))
			return c->code;
	}
	return NULL;
}

static int
cmp_country(const void *key, const void *elt)
{
	return strcmp(key, ((const struct iso_country *)elt)->code);
}

const char *
iso_country_name(const char *code)
{
	const struct iso_country *c;

	c = bsearch(code, iso_countries, iso_countries_len, sizeof *iso_countries, cmp_country);
	return c ? c->name : NULL;
}

static int
cmp_currency(const void *key, const void *elt)
{
	return strcmp(key, ((const struct iso_currency *)elt)->code);
}

int
iso_currency_minor(const char *code)
{
	const struct iso_currency *c;

	if (!code)
		return -1;
	c = bsearch(code, iso_currencies, iso_currencies_len, sizeof *iso_currencies, cmp_currency);
	return c ? c->minor : -1;
}
