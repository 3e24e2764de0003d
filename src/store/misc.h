/* Small program-wide tables: settings groups, audit events, the change
 * sequence. */
#ifndef TANDEM_STORE_MISC_H
#define TANDEM_STORE_MISC_H

#include <stddef.h>
#include <stdint.h>

#include "store/ctx.h"

/* The stored JSON text of a settings group, or ERR_NOTFOUND (use defaults). */
enum err store_setting_get(struct ctx *c, const char *group, const char **json);
enum err store_setting_put(struct ctx *c, const char *group, const char *json);

struct audit_event {
	int64_t id, at, actor_id, entity_id; /* actor_id, entity_id 0: none */
	const char *action, *entity, *changes;
};

struct audit_filter {
	const char *entity, *action;
	int64_t entity_id, actor_id;
	int64_t before; /* cursor: ids smaller than this (0: from the newest) */
	int limit;
};

/* Appends an audit event and a change-sequence row, in the caller's
 * transaction. changes is a JSON object text. */
enum err store_audit_add(struct ctx *c, const char *action, const char *entity, int64_t entity_id,
                         const char *changes);
/* Newest first; vendor scope only (the domain checks the role). */
enum err store_audit_list(struct ctx *c, const struct audit_filter *f, struct audit_event **items,
                          size_t *n);

struct change {
	int64_t id, entity_id;
	const char *entity;
};

/* Up to max changes after `after`, oldest first (arena array). */
enum err store_changes_since(struct ctx *c, int64_t after, int max, struct change **items,
                             size_t *n);
/* The newest change id (0 when none). */
enum err store_changes_last(struct ctx *c, int64_t *id);
#endif
