#include "store/misc.h"

#include "store/db.h"
#include "store/row.h"

enum err
store_setting_get(struct ctx *c, const char *group, const char **json)
{
	struct dbstmt *st;
	enum err rc;
	int row;

	if ((rc = db_prepare(c->db, "SELECT value FROM settings WHERE grp = ?", &st)))
		return rc;
	db_bind_text(st, 1, group);
	if ((rc = db_step(st, &row)))
		return rc;
	if (!row)
		return ERR_NOTFOUND;
	*json = row_text(c, st, 0);
	return row_drain(st, row);
}

enum err
store_setting_put(struct ctx *c, const char *group, const char *json)
{
	struct dbstmt *st;
	enum err rc;

	if (ctx_scope(c))
		return ERR_FORBIDDEN;
	if ((rc = db_prepare(c->db,
	                     "INSERT INTO settings(grp, value, updated_at) VALUES (?, ?, ?)"
	                     " ON CONFLICT (grp) DO UPDATE SET value = excluded.value,"
	                     " updated_at = excluded.updated_at",
	                     &st)))
		return rc;
	db_bind_text(st, 1, group);
	db_bind_text(st, 2, json);
	db_bind_i64(st, 3, c->now);
	return db_run(st, NULL);
}

enum err
store_audit_add(struct ctx *c, const char *action, const char *entity, int64_t entity_id,
                const char *changes)
{
	struct dbstmt *st;
	enum err rc;

	if ((rc = db_prepare(c->db,
	                     "INSERT INTO audit_events(at, actor_id, action, entity, entity_id,"
	                     " changes) VALUES (?, ?, ?, ?, ?, ?)",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, c->now);
	bind_ref(st, 2, c->actor.user_id);
	db_bind_text(st, 3, action);
	db_bind_text(st, 4, entity);
	bind_ref(st, 5, entity_id);
	db_bind_text(st, 6, changes);
	if ((rc = db_run(st, NULL)))
		return rc;
	if ((rc = db_prepare(c->db, "INSERT INTO changes(at, entity, entity_id) VALUES (?, ?, ?)",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, c->now);
	db_bind_text(st, 2, entity);
	db_bind_i64(st, 3, entity_id);
	return db_run(st, NULL);
}

enum err
store_audit_list(struct ctx *c, const struct audit_filter *f, struct audit_event **items, size_t *n)
{
	struct dbstmt *st;
	struct audit_event *out;
	enum err rc;
	int row;

	*items = NULL;
	*n = 0;
	if (ctx_scope(c))
		return ERR_FORBIDDEN;
	if (!(out = arena_alloc(c->arena, sizeof *out * (size_t)(f->limit + 1))))
		return ERR_NOMEM;
	if ((rc = db_prepare(c->db,
	                     "SELECT id, at, actor_id, action, entity, entity_id, changes"
	                     " FROM audit_events WHERE (? = 0 OR id < ?)"
	                     " AND (? IS NULL OR entity = ?)"
	                     " AND (? IS NULL OR action = ?)"
	                     " AND (? = 0 OR entity_id = ?)"
	                     " AND (? = 0 OR actor_id = ?)"
	                     " ORDER BY id DESC LIMIT ?",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, f->before);
	db_bind_i64(st, 2, f->before);
	db_bind_text(st, 3, f->entity);
	db_bind_text(st, 4, f->entity);
	db_bind_text(st, 5, f->action);
	db_bind_text(st, 6, f->action);
	db_bind_i64(st, 7, f->entity_id);
	db_bind_i64(st, 8, f->entity_id);
	db_bind_i64(st, 9, f->actor_id);
	db_bind_i64(st, 10, f->actor_id);
	db_bind_i64(st, 11, f->limit + 1);
	while (!(rc = db_step(st, &row)) && row) {
		struct audit_event *e = &out[(*n)++];
		e->id = db_col_i64(st, 0);
		e->at = db_col_i64(st, 1);
		e->actor_id = db_col_i64(st, 2);
		e->action = row_text(c, st, 3);
		e->entity = row_text(c, st, 4);
		e->entity_id = db_col_i64(st, 5);
		e->changes = row_text(c, st, 6);
	}
	*items = out;
	return rc;
}

enum err
store_changes_since(struct ctx *c, int64_t after, int max, struct change **items, size_t *n)
{
	struct dbstmt *st;
	struct change *out;
	enum err rc;
	int row;

	*n = 0;
	if (!(out = arena_alloc(c->arena, sizeof *out * (size_t)max)))
		return ERR_NOMEM;
	if ((rc = db_prepare(c->db,
	                     "SELECT id, entity, entity_id FROM changes WHERE id > ?"
	                     " ORDER BY id LIMIT ?",
	                     &st)))
		return rc;
	db_bind_i64(st, 1, after);
	db_bind_i64(st, 2, max);
	while (!(rc = db_step(st, &row)) && row) {
		out[*n].id = db_col_i64(st, 0);
		out[*n].entity = row_text(c, st, 1);
		out[*n].entity_id = db_col_i64(st, 2);
		(*n)++;
	}
	*items = out;
	return rc;
}

enum err
store_changes_last(struct ctx *c, int64_t *id)
{
	struct dbstmt *st;
	enum err rc;
	int row;

	*id = 0;
	if ((rc = db_prepare(c->db, "SELECT MAX(id) FROM changes", &st)) ||
	    (rc = db_step(st, &row)))
		return rc;
	if (row && !db_col_null(st, 0))
		*id = db_col_i64(st, 0);
	return row_drain(st, row);
}
