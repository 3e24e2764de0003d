#include "domain/search.h"

#include <stdlib.h>
#include <utf8proc.h>

#include "base/sb.h"

const char *
search_key(struct ctx *c, const char *name)
{
	utf8proc_uint8_t *folded = NULL;
	struct sb sb;
	const char *out;
	int space = 0;

	if (!name)
		return NULL;
	if (utf8proc_map((const utf8proc_uint8_t *)name, 0, &folded,
	                 UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
	                         UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK) < 0)
		return arena_strdup(c->arena, name);
	sb_init(&sb, 4096);
	for (const char *p = (const char *)folded; *p; p++) {
		if (*p == ' ' || *p == '\t') {
			space = sb.len > 0;
			continue;
		}
		if (space)
			sb_putc(&sb, ' ');
		space = 0;
		sb_putc(&sb, *p);
	}
	free(folded);
	out = arena_strdup(c->arena, sb_str(&sb));
	sb_release(&sb);
	return out;
}

const char *
search_pattern(struct ctx *c, const char *q)
{
	const char *key = search_key(c, q);
	struct sb sb;
	const char *out;

	if (!key || !*key)
		return NULL;
	sb_init(&sb, 4096);
	sb_putc(&sb, '%');
	for (const char *p = key; *p; p++) {
		if (*p == '%' || *p == '_' || *p == '\\')
			sb_putc(&sb, '\\');
		sb_putc(&sb, *p);
	}
	sb_putc(&sb, '%');
	out = arena_strdup(c->arena, sb_str(&sb));
	sb_release(&sb);
	return out;
}
