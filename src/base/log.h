/* Logging, done once at the top (http/ and cli/): one line per call on stderr,
 * written with a single write so that lines from threads do not interleave. */
#ifndef TANDEM_LOG_H
#define TANDEM_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Turns informational lines off (errors still print); for quiet commands. */
void log_quiet(int on);

#endif
