#include "base/webdomain.h"

#include <libpsl.h>
#include <pthread.h>
#include <string.h>
#include <strings.h>

/* The host part of a host, URL or e-mail address, lower-cased into buf. */
static int
host_of(const char *in, char *buf, size_t size)
{
	const char *p = in, *end;
	size_t n;

	while (*p == ' ' || *p == '\t')
		p++;
	if ((end = strstr(p, "://")))
		p = end + 3;
	else if (!strncasecmp(p, "//", 2))
		p += 2;
	/* user@host (an e-mail address or URL credentials): keep the host */
	end = p + strcspn(p, "/?#");
	for (const char *q = p; q < end; q++)
		if (*q == '@')
			p = q + 1;
	end = p + strcspn(p, "/?#: \t");
	n = (size_t)(end - p);
	while (n && p[n - 1] == '.')
		n--;
	if (n == 0 || n >= size)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char ch = p[i];
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
		      ch == '.' || (unsigned char)ch >= 0x80))
			return -1;
		buf[i] = ch;
	}
	buf[n] = '\0';
	return 0;
}

static pthread_once_t psl_once = PTHREAD_ONCE_INIT;
static psl_ctx_t *psl_list;

/* The newer of libpsl's built-in list and Debian's publicsuffix package. */
static void
psl_load(void)
{
	psl_list = psl_latest(NULL);
}

int
webdomain_registrable(const char *in, char *out)
{
	char host[WEBDOMAIN_MAX + 1];
	const psl_ctx_t *psl;
	const char *reg;
	char *lower = NULL;
	int all_digits = 1;

	if (!in || host_of(in, host, sizeof host))
		return -1;
	pthread_once(&psl_once, psl_load);
	psl = psl_list ? psl_list : psl_builtin();
	if (!strchr(host, '.') || host[0] == '.' || strstr(host, ".."))
		return -1;
	for (const char *q = host; *q; q++)
		if (*q != '.' && (*q < '0' || *q > '9'))
			all_digits = 0;
	if (all_digits)
		return -1; /* an IPv4 address */
	/* libpsl wants UTF-8 lower case; it handles IDNs itself */
	if (psl_str_to_utf8lower(host, "utf-8", NULL, &lower) != PSL_SUCCESS)
		return -1;
	reg = psl_registrable_domain(psl, lower);
	if (!reg || strlen(reg) > WEBDOMAIN_MAX) {
		psl_free_string(lower);
		return -1;
	}
	memmove(out, reg, strlen(reg) + 1);
	psl_free_string(lower);
	return 0;
}
