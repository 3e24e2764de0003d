#include "store/user.h"

#include "base/arena.h"
#include "store/db.h"
#include "store/row.h"

#define USER_COLS                                                                                  \
	"u.id, u.email, u.name, u.role, u.partner_id, u.password_hash, u.active,"                  \
	" u.created_at, u.updated_at"

static void
read_user(struct ctx *c, struct dbstmt *st, int at, struct user *u)
{
	u->id = db_col_i64(st, at + 0);
	u->email = row_text(c, st, at + 1);
	u->name = row_text(c, st, at + 2);
	u->role = row_text(c, st, at + 3);
	u->partner_id = db_col_i64(st, at + 4);
	u->password_hash = row_text(c, st, at + 5);
	u->active = (int)db_col_i64(st, at + 6);
	u->created_at = db_col_i64(st, at + 7);
	u->updated_at = db_col_i64(st, at + 8);
}

/* Reads the single row of st into u; ERR_NOTFOUND when there is none. */
static enum err
one_user(struct ctx *c, struct dbstmt *st, struct user *u)
{
	enum err rc;
	int row;

	if ((rc = db_step(st, &row)))
		return rc;
	if (!row)
		return ERR_NOTFOUND;
	read_user(c, st, 0, u);
	return row_drain(st, row);
}

enum err
store_user_get(struct ctx *c, int64_t id, struct user *u)
{
	struct dbstmt *st;
	enum err rc;

	if ((rc = db_prepare(c->db,
	                     "SELECT " USER_COLS " FROM users u WHERE u.id = ?"
	                     " AND (? = 0 OR u.partner_id = ?)",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, id);
	db_bind_i64(st, 2, ctx_scope(c));
	db_bind_i64(st, 3, ctx_scope(c));
	return one_user(c, st, u);
}

enum err
store_user_by_email(struct ctx *c, const char *email_key, struct user *u)
{
	struct dbstmt *st;
	enum err rc;

	if ((rc = db_prepare(c->db, "SELECT " USER_COLS " FROM users u WHERE u.email_key = ?",
	                     &st)))
		return rc;
	db_bind_text(st, 1, email_key);
	return one_user(c, st, u);
}

enum err
store_user_insert(struct ctx *c, struct user *u, const char *email_key)
{
	struct dbstmt *st;
	enum err rc;

	if (ctx_scope(c) && u->partner_id != ctx_scope(c))
		return ERR_NOTFOUND;
	if ((rc = db_prepare(c->db,
	                     "INSERT INTO users(email, email_key, name, role, partner_id,"
	                     " password_hash, active, created_at, updated_at)"
	                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
	                     &st)))
		return rc;
	db_bind_text(st, 1, u->email);
	db_bind_text(st, 2, email_key);
	db_bind_text(st, 3, u->name);
	db_bind_text(st, 4, u->role);
	bind_ref(st, 5, u->partner_id);
	db_bind_text(st, 6, u->password_hash);
	db_bind_i64(st, 7, u->active);
	db_bind_i64(st, 8, u->created_at);
	db_bind_i64(st, 9, u->updated_at);
	return db_run(st, &u->id);
}

enum err
store_user_update(struct ctx *c, const struct user *u)
{
	struct dbstmt *st;
	enum err rc;

	if ((rc = db_prepare(c->db,
	                     "UPDATE users SET name = ?, role = ?, active = ?, password_hash = ?,"
	                     " updated_at = ? WHERE id = ? AND (? = 0 OR partner_id = ?)",
	                     &st)))
		return rc;
	db_bind_text(st, 1, u->name);
	db_bind_text(st, 2, u->role);
	db_bind_i64(st, 3, u->active);
	db_bind_text(st, 4, u->password_hash);
	db_bind_i64(st, 5, u->updated_at);
	db_bind_i64(st, 6, u->id);
	db_bind_i64(st, 7, ctx_scope(c));
	db_bind_i64(st, 8, ctx_scope(c));
	return db_run(st, NULL);
}

enum err
store_user_list(struct ctx *c, const struct user_filter *f, struct user **items, size_t *n)
{
	struct dbstmt *st;
	struct user *out;
	enum err rc;
	int row;

	*items = NULL;
	*n = 0;
	if (!(out = arena_alloc(c->arena, sizeof *out * (size_t)(f->limit + 1))))
		return ERR_NOMEM;
	if ((rc = db_prepare(c->db,
	                     "SELECT " USER_COLS " FROM users u WHERE u.id > ?"
	                     " AND (? = 0 OR u.partner_id = ?)"
	                     " AND (? = 0 OR u.partner_id = ?)"
	                     " AND (? IS NULL OR u.role = ?)"
	                     " AND (? < 0 OR u.active = ?)"
	                     " AND (? IS NULL OR LOWER(u.name) LIKE ? ESCAPE '\\'"
	                     "      OR u.email_key LIKE ? ESCAPE '\\')"
	                     " ORDER BY u.id LIMIT ?",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, f->after);
	db_bind_i64(st, 2, ctx_scope(c));
	db_bind_i64(st, 3, ctx_scope(c));
	db_bind_i64(st, 4, f->partner_id);
	db_bind_i64(st, 5, f->partner_id);
	db_bind_text(st, 6, f->role);
	db_bind_text(st, 7, f->role);
	db_bind_i64(st, 8, f->active);
	db_bind_i64(st, 9, f->active);
	db_bind_text(st, 10, f->q);
	db_bind_text(st, 11, f->q);
	db_bind_text(st, 12, f->q);
	db_bind_i64(st, 13, f->limit + 1);
	while (!(rc = db_step(st, &row)) && row)
		read_user(c, st, 0, &out[(*n)++]);
	*items = out;
	return rc;
}

enum err
store_user_first_admin(struct ctx *c, int64_t *id)
{
	struct dbstmt *st;
	enum err rc;
	int row;

	*id = 0;
	if ((rc = db_prepare(c->db,
	                     "SELECT id FROM users WHERE role = 'admin' AND active = 1"
	                     " ORDER BY id LIMIT 1",
	                     &st)) ||
	    (rc = db_step(st, &row)))
		return rc;
	if (row)
		*id = db_col_i64(st, 0);
	return row_drain(st, row);
}

enum err
store_token_insert(struct ctx *c, int64_t user_id, const char *hash, const char *kind,
                   int64_t expires_at, int64_t *id)
{
	struct dbstmt *st;
	enum err rc;

	if ((rc = db_prepare(c->db,
	                     "INSERT INTO tokens(user_id, hash, kind, created_at, expires_at)"
	                     " VALUES (?, ?, ?, ?, ?) RETURNING id",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, user_id);
	db_bind_text(st, 2, hash);
	db_bind_text(st, 3, kind);
	db_bind_i64(st, 4, c->now);
	db_bind_i64(st, 5, expires_at);
	return db_run(st, id);
}

enum err
store_token_find(struct ctx *c, const char *hash, struct token_info *ti)
{
	struct dbstmt *st;
	enum err rc;
	int row;

	if ((rc = db_prepare(c->db,
	                     "SELECT t.id, t.expires_at, p.status, " USER_COLS
	                     " FROM tokens t JOIN users u ON u.id = t.user_id"
	                     " LEFT JOIN partners p ON p.id = u.partner_id"
	                     " WHERE t.hash = ? AND t.revoked_at IS NULL AND t.expires_at > ?",
	                     &st)))
		return rc;
	db_bind_text(st, 1, hash);
	db_bind_i64(st, 2, c->now);
	if ((rc = db_step(st, &row)))
		return rc;
	if (!row)
		return ERR_NOTFOUND;
	ti->token_id = db_col_i64(st, 0);
	ti->expires_at = db_col_i64(st, 1);
	ti->partner_status = row_text(c, st, 2);
	read_user(c, st, 3, &ti->user);
	return row_drain(st, row);
}

enum err
store_token_revoke(struct ctx *c, int64_t token_id)
{
	struct dbstmt *st;
	enum err rc;

	if ((rc = db_prepare(c->db,
	                     "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, c->now);
	db_bind_i64(st, 2, token_id);
	return db_run(st, NULL);
}

enum err
store_token_revoke_user(struct ctx *c, int64_t user_id, int64_t keep_id)
{
	struct dbstmt *st;
	enum err rc;

	if ((rc = db_prepare(c->db,
	                     "UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND id <> ?"
	                     " AND revoked_at IS NULL",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, c->now);
	db_bind_i64(st, 2, user_id);
	db_bind_i64(st, 3, keep_id);
	return db_run(st, NULL);
}

enum err
store_login_failures(struct ctx *c, const char *email_key, int64_t since, int window_max,
                     int *count, int64_t *oldest)
{
	struct dbstmt *st;
	enum err rc;
	int row;

	*count = 0;
	*oldest = 0;
	if ((rc = db_prepare(c->db,
	                     "SELECT at FROM login_failures WHERE email_key = ? AND at > ?"
	                     " ORDER BY at DESC LIMIT ?",
	                     &st)))
		return rc;
	db_bind_text(st, 1, email_key);
	db_bind_i64(st, 2, since);
	db_bind_i64(st, 3, window_max);
	while (!(rc = db_step(st, &row)) && row) {
		(*count)++;
		*oldest = db_col_i64(st, 0);
	}
	return rc;
}

enum err
store_login_failure_add(struct ctx *c, const char *email_key)
{
	struct dbstmt *st;
	enum err rc;

	if ((rc = db_prepare(c->db, "INSERT INTO login_failures(email_key, at) VALUES (?, ?)",
	                     &st)))
		return rc;
	db_bind_text(st, 1, email_key);
	db_bind_i64(st, 2, c->now);
	return db_run(st, NULL);
}

enum err
store_login_failures_prune(struct ctx *c, int64_t before)
{
	struct dbstmt *st;
	enum err rc;

	if ((rc = db_prepare(c->db, "DELETE FROM login_failures WHERE at <= ?", &st)))
		return rc;
	db_bind_i64(st, 1, before);
	return db_run(st, NULL);
}
