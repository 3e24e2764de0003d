#include "domain/auth.h"

#include <sodium.h>
#include <string.h>

#include "base/arena.h"
#include "domain/audit.h"
#include "domain/role.h"
#include "store/partner.h"

#define EMAIL_MAX 254
#define TOKEN_BYTES 32
#define TOKEN_PREFIX "tdm_"

int
auth_init(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

enum err
auth_hash_password(const char *password, char *out, size_t size)
{
	if (size < crypto_pwhash_STRBYTES)
		return ERR_INTERNAL;
	if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE))
		return ERR_NOMEM;
	return ERR_OK;
}

int
auth_check_password(const char *hash, const char *password)
{
	return hash && crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

enum err
auth_email_key(struct ctx *c, const char *email, char *out, size_t size)
{
	size_t n, at = 0, ats = 0;

	while (*email == ' ')
		email++;
	n = strlen(email);
	while (n && email[n - 1] == ' ')
		n--;
	if (n == 0 || n > EMAIL_MAX || n >= size)
		return err_set(c->ei, ERR_INVALID, "email", "email must be an e-mail address");
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)email[i];
		if (ch <= ' ' || ch == 0x7f || ch == '<' || ch == '>' || ch == ',' || ch == ';' ||
		    ch == '"')
			return err_set(c->ei, ERR_INVALID, "email",
			               "email must be an e-mail address");
		if (ch == '@') {
			at = i;
			ats++;
		}
		out[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
	}
	out[n] = '\0';
	if (ats != 1 || at == 0 || at == n - 1 || !strchr(out + at, '.') || out[n - 1] == '.' ||
	    out[at + 1] == '.')
		return err_set(c->ei, ERR_INVALID, "email", "email must be an e-mail address");
	return ERR_OK;
}

/* Hex of the BLAKE2b-256 hash of a token. */
static void
token_hash(const char *token, char hex[65])
{
	unsigned char h[32];

	crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(hex, 65, h, sizeof h);
}

enum err
auth_token_create(struct ctx *c, int64_t user_id, const char *kind, int days, const char **token,
                  int64_t *expires_at)
{
	unsigned char raw[TOKEN_BYTES];
	char b64[sodium_base64_ENCODED_LEN(TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
	char hex[65];
	char *t;

	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(b64, sizeof b64, raw, sizeof raw,
	                  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
	if (!(t = arena_printf(c->arena, TOKEN_PREFIX "%s", b64)))
		return ERR_NOMEM;
	sodium_memzero(b64, sizeof b64);
	token_hash(t, hex);
	*expires_at = c->now + (int64_t)days * 86400;
	*token = t;
	return store_token_insert(c, user_id, hex, kind, *expires_at, NULL);
}

static int
partner_inactive(const char *status)
{
	return status && (!strcmp(status, "inactive") || !strcmp(status, "terminated"));
}

enum err
auth_login(struct ctx *c, const char *email, const char *password, struct login *out)
{
	/* A hash of a password nobody has, verified for unknown e-mails so that
	 * they take as long as known ones. */
	static char dummy[crypto_pwhash_STRBYTES];
	static int have_dummy;
	char key[EMAIL_MAX + 1];
	struct changes ch;
	int count, ok;
	int64_t oldest;
	enum err rc;

	memset(out, 0, sizeof *out);
	if ((rc = auth_email_key(c, email, key, sizeof key)))
		return rc;
	if ((rc = store_login_failures(c, key, c->now - LOGIN_WINDOW_SECS, LOGIN_MAX_FAILURES,
	                               &count, &oldest)))
		return rc;
	if (count >= LOGIN_MAX_FAILURES) {
		out->retry_after = oldest + LOGIN_WINDOW_SECS - c->now;
		if (out->retry_after < 1)
			out->retry_after = 1;
		return err_set(
		        c->ei, ERR_RATE, NULL,
		        "too many failed sign-ins for this e-mail; try again in %lld seconds",
		        (long long)out->retry_after);
	}
	rc = store_user_by_email(c, key, &out->user);
	if (rc && rc != ERR_NOTFOUND)
		return rc;
	if (rc == ERR_NOTFOUND) {
		if (!__atomic_load_n(&have_dummy, __ATOMIC_ACQUIRE)) {
			char tmp[crypto_pwhash_STRBYTES];
			if (auth_hash_password("tandem-no-such-user", tmp, sizeof tmp) == ERR_OK) {
				memcpy(dummy, tmp, sizeof dummy);
				__atomic_store_n(&have_dummy, 1, __ATOMIC_RELEASE);
			}
		}
		if (__atomic_load_n(&have_dummy, __ATOMIC_ACQUIRE))
			auth_check_password(dummy, password);
		ok = 0;
	} else {
		ok = auth_check_password(out->user.password_hash, password);
	}
	if (!ok) {
		c->commit_on_error = 1;
		/* failures outside every window are forgotten as new ones come */
		if ((rc = store_login_failures_prune(c, c->now - LOGIN_WINDOW_SECS)) ||
		    (rc = store_login_failure_add(c, key)))
			return rc;
		return err_set(c->ei, ERR_UNAUTH, NULL, "wrong e-mail or password");
	}
	if (!out->user.active)
		return err_set(c->ei, ERR_FORBIDDEN, NULL, "this user is deactivated");
	if (out->user.partner_id) {
		struct partner p;
		if ((rc = store_partner_get(c, out->user.partner_id, &p)))
			return rc;
		if (partner_inactive(p.status))
			return err_set(c->ei, ERR_FORBIDDEN, NULL,
			               "the partner of this user is %s; its users cannot sign in",
			               p.status);
	}
	if ((rc = auth_token_create(c, out->user.id, "session", SESSION_DAYS, &out->token,
	                            &out->expires_at)))
		return rc;
	c->actor.user_id = out->user.id;
	changes_init(&ch);
	rc = audit_write(c, "login", "user", out->user.id, &ch);
	return rc;
}

enum err
auth_authenticate(struct ctx *c, const char *token, struct user *u)
{
	struct token_info ti;
	char hex[65];
	enum err rc;

	if (!token || !*token || strlen(token) > TOKEN_MAX)
		return err_set(c->ei, ERR_UNAUTH, NULL, "a valid bearer token is required");
	token_hash(token, hex);
	rc = store_token_find(c, hex, &ti);
	if (rc == ERR_NOTFOUND)
		return err_set(c->ei, ERR_UNAUTH, NULL, "the token is unknown, revoked or expired");
	if (rc)
		return rc;
	if (!ti.user.active)
		return err_set(c->ei, ERR_UNAUTH, NULL, "this user is deactivated");
	if (partner_inactive(ti.partner_status))
		return err_set(c->ei, ERR_FORBIDDEN, NULL,
		               "the partner of this user is inactive or terminated");
	c->actor.user_id = ti.user.id;
	c->actor.role = role_parse(ti.user.role);
	c->actor.partner_id = ti.user.partner_id;
	c->actor.token_id = ti.token_id;
	if (role_is_partner(c->actor.role) && !c->actor.partner_id)
		return err_set(c->ei, ERR_FORBIDDEN, NULL, "this partner user has no partner");
	if (u)
		*u = ti.user;
	return ERR_OK;
}

enum err
auth_logout(struct ctx *c)
{
	return store_token_revoke(c, c->actor.token_id);
}
