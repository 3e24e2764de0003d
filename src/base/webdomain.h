/* Web domains: a host, URL or e-mail address reduced to its registrable
 * domain with the public suffix list (libpsl): "https://shop.acme.co.uk/x"
 * and "jane@acme.co.uk" both give "acme.co.uk". */
#ifndef TANDEM_WEBDOMAIN_H
#define TANDEM_WEBDOMAIN_H

#include <stddef.h>

#define WEBDOMAIN_MAX 253

/* Writes the registrable domain of in (lower case) into out (WEBDOMAIN_MAX+1
 * bytes). Returns 0, or -1 when in holds no usable host (an IP address, a bare
 * public suffix, bad characters). */
int webdomain_registrable(const char *in, char *out);

#endif
