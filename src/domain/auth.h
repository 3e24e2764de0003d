/* Sign-in, tokens and who is acting. Passwords are hashed with argon2id;
 * tokens are 32 random bytes, given to the client once and stored only as
 * their BLAKE2b hash, with an expiry. */
#ifndef TANDEM_AUTH_H
#define TANDEM_AUTH_H

#include <stdint.h>

#include "store/ctx.h"
#include "store/user.h"

#define PASSWORD_MIN 12
#define PASSWORD_MAX 256  /* characters */
#define TOKEN_MAX 128     /* characters of a presented token */
#define SESSION_DAYS 30   /* a token from POST /sessions */
#define API_TOKEN_DAYS 90 /* a token from `tandem token create`, by default */
#define LOGIN_MAX_FAILURES 10
#define LOGIN_WINDOW_SECS (15 * 60)

/* An argon2id hash string of password into out (crypto_pwhash_STRBYTES). */
enum err auth_hash_password(const char *password, char *out, size_t size);
int auth_check_password(const char *hash, const char *password);

/* Lower-cased, trimmed e-mail into out; ERR_INVALID (field "email") when it is
 * not a plausible address. */
enum err auth_email_key(struct ctx *c, const char *email, char *out, size_t size);

struct login {
	const char *token; /* arena */
	int64_t expires_at;
	struct user user;
	int64_t retry_after; /* seconds, with ERR_RATE */
};

/* Checks the password and creates a session token. ERR_UNAUTH for a wrong
 * e-mail or password (the failure is recorded: set c->commit_on_error),
 * ERR_RATE after LOGIN_MAX_FAILURES failures in LOGIN_WINDOW_SECS,
 * ERR_FORBIDDEN for an inactive user or a user of an inactive partner. */
enum err auth_login(struct ctx *c, const char *email, const char *password, struct login *out);

/* Creates a token of `kind` ("session", "api", "web") for a user, valid for
 * `days`; *token (arena) is the only copy of the secret. */
enum err auth_token_create(struct ctx *c, int64_t user_id, const char *kind, int days,
                           const char **token, int64_t *expires_at);

/* Resolves a presented token into c->actor. ERR_UNAUTH when unknown, revoked
 * or expired; ERR_FORBIDDEN when the user's partner is inactive or terminated. */
enum err auth_authenticate(struct ctx *c, const char *token, struct user *u);

/* Revokes the token in use. */
enum err auth_logout(struct ctx *c);

/* Readies libsodium; call once at start. -1 on failure. */
int auth_init(void);

#endif
