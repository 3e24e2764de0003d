/* CSV import's reader (base/csv.c) over arbitrary bytes through fmemopen:
 * every record within the limits, reading always making progress, and a
 * record written back with csv_field reading back the same. */
#include "fuzz.h"

#include "base/csv.h"

#define RECORDS_MAX 100000

/* Writes the record with csv_field and reads it back: the same fields. A
 * byte-order mark first, so that a first field starting with one stays. */
static void
check_roundtrip(const struct csv *c)
{
	struct sb sb;
	struct csv back;
	FILE *f;

	/* a lone empty field writes a blank line, which the reader skips */
	if (c->nfields == 1 && !c->fields[0][0])
		return;
	sb_init(&sb, (size_t)CSV_FIELD_MAX * 4 * 2 + 4096);
	sb_puts(&sb, "\xEF\xBB\xBF");
	for (int i = 0; i < c->nfields; i++) {
		if (i)
			sb_putc(&sb, ',');
		csv_field(&sb, c->fields[i]);
	}
	sb_putc(&sb, '\n');
	FUZZ_CHECK(!sb_err(&sb), "record too large to write");
	f = fmemopen(sb.buf, sb.len, "r");
	FUZZ_CHECK(f, "fmemopen");
	csv_init(&back, f);
	FUZZ_CHECK(csv_read(&back) == 1, "a written record does not read back: %s",
	           back.error ? back.error : "end");
	FUZZ_CHECK(back.nfields == c->nfields, "%d fields read back as %d", c->nfields,
	           back.nfields);
	for (int i = 0; i < c->nfields; i++)
		FUZZ_CHECK(!strcmp(back.fields[i], c->fields[i]),
		           "field %d %.80s read back as %.80s", i, c->fields[i], back.fields[i]);
	FUZZ_CHECK(csv_read(&back) == 0, "more than one record written");
	csv_release(&back);
	fclose(f);
	sb_release(&sb);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csv c;
	FILE *f;
	long last_line = 0;
	int r, n = 0;

	if (size == 0)
		return 0; /* fmemopen wants a buffer */
	f = fmemopen((void *)data, size, "r");
	if (!f)
		abort();
	csv_init(&c, f);
	while ((r = csv_read(&c)) != 0) {
		long pos = ftell(f);
		FUZZ_CHECK(++n <= RECORDS_MAX && (size_t)n <= size + 1,
		           "csv_read does not progress");
		FUZZ_CHECK(r == 1 || r == -1, "csv_read returned %d", r);
		if (r == -1) {
			FUZZ_CHECK(c.error && *c.error, "a bad record without a reason");
			continue;
		}
		FUZZ_CHECK(c.line >= 1 && c.line > last_line && c.next_line > c.line - 1,
		           "record lines %ld after %ld (next %ld)", c.line, last_line, c.next_line);
		last_line = c.line;
		FUZZ_CHECK(c.nfields >= 1 && c.nfields <= CSV_FIELDS_MAX, "%d fields", c.nfields);
		for (int i = 0; i < c.nfields; i++)
			FUZZ_CHECK(strlen(c.fields[i]) <= CSV_FIELD_MAX, "field %d of %zu bytes", i,
			           strlen(c.fields[i]));
		check_roundtrip(&c);
		(void)pos;
	}
	FUZZ_CHECK(csv_read(&c) == 0, "reading past the end gave a record");
	csv_release(&c);
	fclose(f);
	return 0;
}
