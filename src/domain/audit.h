/* Audit events: every create, update and decision records who changed what.
 * A change list is built field by field as {field: [old, new]}; only fields
 * whose value differs are kept. */
#ifndef TANDEM_AUDIT_H
#define TANDEM_AUDIT_H

#include <jansson.h>
#include <stdint.h>

#include "base/money.h"
#include "store/ctx.h"
#include "store/misc.h"

struct changes {
	json_t *obj;
};

void changes_init(struct changes *ch);
void changes_release(struct changes *ch);
void changes_str(struct changes *ch, const char *field, const char *old, const char *new);
/* has_old/has_new 0 records null. */
void changes_i64(struct changes *ch, const char *field, int has_old, int64_t old, int has_new,
                 int64_t new);
void changes_bool(struct changes *ch, const char *field, int old, int new);
void changes_money(struct changes *ch, const char *field, const struct money *old,
                   const struct money *new);
/* Records a field without its values (secrets): ["***", "***"]. */
void changes_secret(struct changes *ch, const char *field);
int changes_empty(const struct changes *ch);

/* Writes the event in the caller's transaction and releases ch. */
enum err audit_write(struct ctx *c, const char *action, const char *entity, int64_t entity_id,
                     struct changes *ch);

/* Admins only (ERR_FORBIDDEN otherwise). */
enum err audit_list(struct ctx *c, const struct audit_filter *f, struct audit_event **items,
                    size_t *n);

#endif
