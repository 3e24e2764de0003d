/* A string builder with a size cap and a sticky error: once an append fails
 * (out of memory or over the cap) every later append is a no-op and
 * sb_err() tells. The buffer is always NUL-terminated when not failed. */
#ifndef TANDEM_SB_H
#define TANDEM_SB_H

#include <stddef.h>

#include "base/err.h"

struct sb {
	char *buf;
	size_t len, cap, max;
	enum err err;
};

/* max: the largest length the string may reach (0: 64 MiB). */
void sb_init(struct sb *sb, size_t max);
void sb_append(struct sb *sb, const char *s, size_t n);
void sb_puts(struct sb *sb, const char *s);
void sb_putc(struct sb *sb, char c);
void sb_printf(struct sb *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* ERR_OK, ERR_NOMEM or ERR_TOOBIG. */
enum err sb_err(const struct sb *sb);
/* The string so far ("" when empty); owned by sb. */
const char *sb_str(const struct sb *sb);
/* Hands the buffer to the caller (free() it) and resets sb; NULL on error. */
char *sb_detach(struct sb *sb);
void sb_reset(struct sb *sb);
void sb_release(struct sb *sb);

#endif
