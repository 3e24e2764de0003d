/* A per-request arena: strings and structs that live as long as one request
 * (or one command) come from it and are freed together by arena_release. */
#ifndef TANDEM_ARENA_H
#define TANDEM_ARENA_H

#include <stddef.h>

struct arena_block;

struct arena {
	struct arena_block *head;
	size_t used; /* bytes handed out, for limits and metrics */
};

/* Returns zeroed memory aligned for any type, or NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t n);
/* Copies s (n bytes) into the arena and NUL-terminates it; NULL on failure. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/* Copies the NUL-terminated s; NULL in, NULL out. */
char *arena_strdup(struct arena *a, const char *s);
/* printf into the arena; NULL on failure. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Frees every block; the arena can be used again. */
void arena_release(struct arena *a);

#endif
