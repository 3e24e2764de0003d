/* Name search (?q=): names are stored with a search key, case-folded with
 * accents stripped and blanks folded, and q is matched anywhere in it. */
#ifndef TANDEM_SEARCH_H
#define TANDEM_SEARCH_H

#include "store/ctx.h"

/* The search key of a name (arena); NULL for NULL. */
const char *search_key(struct ctx *c, const char *name);
/* A LIKE pattern (with \\ as escape) that finds q anywhere in a key; NULL when
 * q is NULL or blank. */
const char *search_pattern(struct ctx *c, const char *q);

#endif
