#include "base/csv.h"

#include <string.h>

void
csv_init(struct csv *c, FILE *f)
{
	memset(c, 0, sizeof *c);
	c->f = f;
	c->next_line = 1;
	c->at_start = 1;
	sb_init(&c->buf, (size_t)CSV_FIELD_MAX * 4);
}

void
csv_release(struct csv *c)
{
	sb_release(&c->buf);
}

/* Skips the rest of a broken record up to the end of its line. */
static void
skip_line(struct csv *c, int ch)
{
	while (ch != EOF && ch != '\n')
		ch = getc(c->f);
	if (ch == '\n')
		c->next_line++;
}

int
csv_read(struct csv *c)
{
	size_t starts[CSV_FIELDS_MAX];
	size_t field_start = 0;
	int ch, quoted = 0, in_quotes = 0, nf = 0, any = 0;

	sb_reset(&c->buf);
	c->error = NULL;
	c->nfields = 0;
	if (c->at_start) {
		c->at_start = 0;
		if ((ch = getc(c->f)) == 0xEF) {
			if (getc(c->f) != 0xBB || getc(c->f) != 0xBF) {
				c->error = "a broken UTF-8 byte-order mark";
				skip_line(c, 0);
				return -1;
			}
		} else if (ch != EOF) {
			ungetc(ch, c->f);
		}
	}
	/* skip blank lines */
	while ((ch = getc(c->f)) == '\n' || ch == '\r')
		if (ch == '\n')
			c->next_line++;
	if (ch == EOF)
		return 0;
	c->line = c->next_line;
	starts[nf++] = 0;
	for (;; ch = getc(c->f)) {
		if (in_quotes) {
			if (ch == EOF) {
				c->error = "a quoted field is not closed";
				return -1;
			}
			if (ch == '"') {
				int next = getc(c->f);
				if (next == '"') {
					sb_putc(&c->buf, '"');
					continue;
				}
				in_quotes = 0;
				ungetc(next, c->f);
				continue;
			}
			if (ch == '\n')
				c->next_line++;
			sb_putc(&c->buf, (char)ch);
		} else if (ch == '"' && c->buf.len == field_start && !quoted) {
			in_quotes = quoted = 1;
		} else if (ch == ',' || ch == '\n' || ch == EOF || ch == '\r') {
			if (ch == '\r') {
				int next = getc(c->f);
				if (next != '\n') {
					ungetc(next, c->f);
					sb_putc(&c->buf, '\r');
					continue;
				}
				ch = '\n';
			}
			sb_putc(&c->buf, '\0');
			if (ch == ',') {
				if (nf == CSV_FIELDS_MAX) {
					c->error = "more than 256 fields";
					skip_line(c, 0);
					return -1;
				}
				field_start = c->buf.len;
				starts[nf++] = field_start;
				quoted = 0;
				continue;
			}
			if (ch == '\n')
				c->next_line++;
			break;
		} else if (quoted) {
			c->error = "text after a closing quote";
			skip_line(c, ch);
			return -1;
		} else {
			sb_putc(&c->buf, (char)ch);
		}
		any = 1;
		if (c->buf.len - field_start > CSV_FIELD_MAX || sb_err(&c->buf)) {
			c->error = "a field longer than 64 KiB";
			if (in_quotes) {
				/* find the closing quote, then the end of the line */
				while ((ch = getc(c->f)) != EOF)
					if (ch == '"') {
						int next = getc(c->f);
						if (next != '"') {
							ungetc(next, c->f);
							break;
						}
					} else if (ch == '\n') {
						c->next_line++;
					}
			}
			skip_line(c, 0);
			return -1;
		}
	}
	(void)any;
	if (sb_err(&c->buf)) {
		c->error = "out of memory";
		return -1;
	}
	for (int i = 0; i < nf; i++)
		c->fields[i] = c->buf.buf + starts[i];
	c->nfields = nf;
	return 1;
}

void
csv_field(struct sb *sb, const char *s)
{
	if (!s)
		return;
	if (!s[strcspn(s, ",\"\r\n")] && s[0] != ' ' && (!*s || s[strlen(s) - 1] != ' ')) {
		sb_puts(sb, s);
		return;
	}
	sb_putc(sb, '"');
	for (; *s; s++) {
		if (*s == '"')
			sb_putc(sb, '"');
		sb_putc(sb, *s);
	}
	sb_putc(sb, '"');
}
