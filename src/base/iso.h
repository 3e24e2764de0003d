/* Countries (ISO 3166-1) and currencies (ISO 4217), from Debian's iso-codes
 * at build time (tools/gen_iso.py). */
#ifndef TANDEM_ISO_H
#define TANDEM_ISO_H

struct iso_name {
	const char *name, *code;
};
struct iso_country {
	const char *code, *name;
};
struct iso_currency {
	const char *code;
	int minor; /* digits after the decimal point */
};

extern const struct iso_name iso_country_names[];
extern const unsigned iso_country_names_len;
extern const struct iso_country iso_countries[];
extern const unsigned iso_countries_len;
extern const struct iso_currency iso_currencies[];
extern const unsigned iso_currencies_len;

/* The alpha-2 code for a code (any case, alpha-2 or alpha-3) or an English
 * name ("France", "united states"); NULL when unknown. Static storage. */
const char *iso_country(const char *in);
/* The English name of an alpha-2 code, or NULL. */
const char *iso_country_name(const char *code);
/* Minor-unit digits of an upper-case ISO 4217 code, or -1 when it is none. */
int iso_currency_minor(const char *code);

#endif
