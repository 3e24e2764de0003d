/* Channel conflicts: the process-wide index of companies that deal
 * registrations can collide with (other partners' open registrations, direct
 * accounts, partner-owned accounts), kept in step with the database, and the
 * conflict lists of spec/API.md built from it. The matching itself is
 * domain/match.c; see docs/conflict-engine.md. */
#ifndef TANDEM_CONFLICT_H
#define TANDEM_CONFLICT_H

#include <jansson.h>
#include <stdint.h>

#include "store/account.h"
#include "store/ctx.h"
#include "store/registration.h"

#define CONFLICTS_MAX 50 /* conflicts kept per check */

/* Builds the index from the database (c->db); 0, or an error. Until it is
 * open, checks find nothing and notes are ignored (the CLI). */
enum err conflict_index_open(struct ctx *c);
void conflict_index_close(void);
/* Number of records indexed (metrics, tests). */
size_t conflict_index_size(void);

/* The registrable domain that identifies a company, or -1 (free mail,
 * not a domain). */
int conflict_domain_key(const char *in, char *out, size_t size);

/* After the transaction commits, put (or remove) the record in the index. */
enum err conflict_note_account(struct ctx *c, const struct account *a);
enum err conflict_note_registration(struct ctx *c, const struct registration *r);

/* Applies the changes other processes wrote since *last (the change
 * sequence), moving *last forward. */
enum err conflict_catch_up(struct ctx *c, int64_t *last);

/* The conflicts of a customer for a registration of `partner_id` (the
 * registration itself, `self_id`, excluded; 0: none): a new JSON array of
 * {kind, level, record_type, record_id, score_bps, reasons, partner_id},
 * sorted by level then score. */
enum err conflict_find(struct ctx *c, const char *name, const char *domain, const char *country,
                       int64_t partner_id, int64_t self_id, json_t **out);

/* The list as the actor may see it (a new array): partner users see kind,
 * level, score and reasons of other partners' and the vendor's records, but
 * no record id; score as 0..1. */
json_t *conflict_view(const struct ctx *c, json_t *stored);

#endif
