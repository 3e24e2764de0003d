/* CSV, RFC 4180: quoted fields with "" for a quote, newlines inside quotes,
 * CRLF or LF, a UTF-8 byte-order mark at the start ignored. Reading streams
 * record by record; every size has a limit. */
#ifndef TANDEM_CSV_H
#define TANDEM_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "base/sb.h"

#define CSV_FIELD_MAX (64 << 10) /* bytes in one field */
#define CSV_FIELDS_MAX 256       /* fields in one record */

struct csv {
	FILE *f;
	long line;      /* the line the current record starts on (1-based) */
	long next_line; /* the line the next record starts on */
	int at_start;
	char *fields[CSV_FIELDS_MAX];
	int nfields;
	struct sb buf; /* the current record's fields, NUL-separated */
	const char *error;
};

void csv_init(struct csv *c, FILE *f);
void csv_release(struct csv *c);
/* Reads the next record: 1 when there is one (c->fields, c->nfields), 0 at
 * the end, -1 on a malformed or oversized record (c->error says why; reading
 * may go on with the next record). Blank lines are skipped. */
int csv_read(struct csv *c);

/* Appends s as one CSV field (quoted when it needs to be) to sb. */
void csv_field(struct sb *sb, const char *s);

#endif
