/* Files compiled into the binary (tools/embed.py): the OpenAPI document,
 * and later the web templates and assets. */
#ifndef TANDEM_EMBED_H
#define TANDEM_EMBED_H

#include <stddef.h>

struct embedded_file {
	const char *path; /* relative to src/, e.g. "api/openapi.json" */
	const char *data; /* NUL-terminated for convenience */
	size_t len;
};

/* Ends with a {NULL, NULL, 0} entry. */
extern const struct embedded_file embedded_files[];

/* The file at path, or NULL. */
const struct embedded_file *embed_find(const char *path);

#endif
