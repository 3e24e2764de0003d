#include "base/sb.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SB_DEFAULT_MAX ((size_t)64 << 20)

void
sb_init(struct sb *sb, size_t max)
{
	memset(sb, 0, sizeof *sb);
	sb->max = max ? max : SB_DEFAULT_MAX;
}

static int
grow(struct sb *sb, size_t extra)
{
	size_t want, cap;
	char *p;

	if (sb->err)
		return -1;
	if (extra > sb->max || sb->len > sb->max - extra) {
		sb->err = ERR_TOOBIG;
		return -1;
	}
	want = sb->len + extra + 1;
	if (want <= sb->cap)
		return 0;
	cap = sb->cap ? sb->cap : 64;
	while (cap < want)
		cap *= 2;
	if (!(p = realloc(sb->buf, cap))) {
		sb->err = ERR_NOMEM;
		return -1;
	}
	sb->buf = p;
	sb->cap = cap;
	return 0;
}

void
sb_append(struct sb *sb, const char *s, size_t n)
{
	if (grow(sb, n))
		return;
	memcpy(sb->buf + sb->len, s, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void
sb_puts(struct sb *sb, const char *s)
{
	sb_append(sb, s, strlen(s));
}

void
sb_putc(struct sb *sb, char c)
{
	sb_append(sb, &c, 1);
}

void
sb_printf(struct sb *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		if (!sb->err)
			sb->err = ERR_INTERNAL;
		return;
	}
	if (grow(sb, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

enum err
sb_err(const struct sb *sb)
{
	return sb->err;
}

const char *
sb_str(const struct sb *sb)
{
	return sb->buf && !sb->err ? sb->buf : "";
}

char *
sb_detach(struct sb *sb)
{
	char *p;

	if (sb->err) {
		sb_release(sb);
		return NULL;
	}
	if (!sb->buf && grow(sb, 0))
		return NULL;
	if (sb->len == 0)
		sb->buf[0] = '\0';
	p = sb->buf;
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return p;
}

void
sb_reset(struct sb *sb)
{
	sb->len = 0;
	sb->err = ERR_OK;
	if (sb->buf)
		sb->buf[0] = '\0';
}

void
sb_release(struct sb *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
	sb->err = ERR_OK;
}
