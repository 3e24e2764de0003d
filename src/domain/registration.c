#include "domain/registration.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/iso.h"
#include "base/jin.h"
#include "domain/audit.h"
#include "domain/auth.h"
#include "domain/conflict.h"
#include "domain/role.h"
#include "domain/settings.h"
#include "store/partner.h"
#include "store/user.h"

#define TIMER_BATCH 200

const char *const registration_statuses[] = { "submitted", "approved", "rejected", "expired",
	                                      "withdrawn", "won",      "lost",     NULL };

static int64_t
today(const struct ctx *c)
{
	return c->now / 86400 - (c->now % 86400 < 0);
}

static int
is_system(const struct ctx *c)
{
	return c->actor.role == ROLE_NONE && c->actor.user_id == 0;
}

static int
is_decider(const struct ctx *c)
{
	return c->actor.role == ROLE_ADMIN || c->actor.role == ROLE_SALES_MANAGER || is_system(c);
}

static enum err
not_found(struct ctx *c, int64_t id)
{
	return err_set(c->ei, ERR_NOTFOUND, NULL, "no deal registration %lld", (long long)id);
}

enum err
registration_get(struct ctx *c, int64_t id, struct registration *out)
{
	enum err rc = store_registration_get(c, id, out);

	return rc == ERR_NOTFOUND ? not_found(c, id) : rc;
}

enum err
registration_list(struct ctx *c, struct registration_filter *f, struct registration **items,
                  size_t *n)
{
	if (ctx_scope(c) && f->partner_id && f->partner_id != ctx_scope(c))
		return err_set(c->ei, ERR_NOTFOUND, "partner_id", "no partner %lld",
		               (long long)f->partner_id);
	return store_registration_list(c, f, items, n);
}

static void
diff(struct changes *ch, const struct registration *a, const struct registration *b)
{
	changes_str(ch, "status", a ? a->status : NULL, b->status);
	changes_str(ch, "reason", a ? a->reason : NULL, b->reason);
	changes_str(ch, "note", a ? a->note : NULL, b->note);
	changes_i64(ch, "protected_until", a && a->protected_until, a ? a->protected_until : 0,
	            b->protected_until != 0, b->protected_until);
	changes_i64(ch, "extensions", a != NULL, a ? a->extensions : 0, 1, b->extensions);
	changes_bool(ch, "escalated", a ? a->escalated : 0, b->escalated);
	changes_i64(ch, "winner_id", a && a->winner_id, a ? a->winner_id : 0, b->winner_id != 0,
	            b->winner_id);
}

/* Writes r over old, audits the action and updates the conflict index. */
static enum err
save(struct ctx *c, const char *action, const struct registration *old, struct registration *r)
{
	struct changes ch;
	enum err rc;

	r->updated_at = c->now;
	if ((rc = store_registration_update(c, r)))
		return rc;
	changes_init(&ch);
	diff(&ch, old, r);
	if ((rc = audit_write(c, action, "registration", r->id, &ch)))
		return rc;
	return conflict_note_registration(c, r);
}

/* The first `certain` conflict of a kind in a stored list that still stands:
 * for a registration, one of another partner that is approved and protected
 * today. Returns its record id, or 0. */
static enum err
blocking(struct ctx *c, json_t *conflicts, const char *kind, int64_t *id)
{
	json_t *v;
	size_t i;
	enum err rc;

	*id = 0;
	json_array_foreach(conflicts, i, v)
	{
		struct registration other;
		int64_t rid = json_integer_value(json_object_get(v, "record_id"));

		if (strcmp(json_string_value(json_object_get(v, "kind")), kind) ||
		    strcmp(json_string_value(json_object_get(v, "level")), "certain"))
			continue;
		if (strcmp(kind, "duplicate_registration")) {
			*id = rid;
			return ERR_OK;
		}
		rc = store_registration_get(c, rid, &other);
		if (rc == ERR_NOTFOUND)
			continue;
		if (rc)
			return rc;
		if (!strcmp(other.status, "approved") && other.protected_until >= today(c)) {
			*id = rid;
			return ERR_OK;
		}
	}
	return ERR_OK;
}

static enum err
check_input(struct ctx *c, const struct registration_input *in, struct registration *r,
            char *domain, size_t dsize)
{
	if (!in->customer_name)
		return err_set(c->ei, ERR_INVALID, "customer.name", "customer.name is required");
	if (utf8_chars(in->customer_name) > CUSTOMER_NAME_MAX)
		return err_set(c->ei, ERR_INVALID, "customer.name",
		               "customer.name is longer than %d characters", CUSTOMER_NAME_MAX);
	r->customer_name = in->customer_name;
	if (in->customer_domain) {
		if (conflict_domain_key(in->customer_domain, domain, dsize))
			return err_set(
			        c->ei, ERR_INVALID, "customer.domain",
			        "customer.domain must be the company's web domain, URL or"
			        " e-mail address (free-mail domains do not identify a company)");
		r->customer_domain = domain;
	}
	if (in->customer_country && !(r->customer_country = iso_country(in->customer_country)))
		return err_set(c->ei, ERR_INVALID, "customer.country",
		               "customer.country must be an ISO 3166 code or an English country"
		               " name");
	if (in->contact_name && utf8_chars(in->contact_name) > CONTACT_NAME_MAX)
		return err_set(c->ei, ERR_INVALID, "contact.name",
		               "contact.name is longer than %d characters", CONTACT_NAME_MAX);
	r->contact_name = in->contact_name;
	if (in->contact_email) {
		char key[300];
		struct errinfo saved = *c->ei;
		if (auth_email_key(c, in->contact_email, key, sizeof key)) {
			*c->ei = saved;
			return err_set(c->ei, ERR_INVALID, "contact.email",
			               "contact.email must be an e-mail address");
		}
		r->contact_email = arena_strdup(c->arena, key);
	}
	if (!in->amount.currency[0])
		return err_set(c->ei, ERR_INVALID, "amount", "amount is required");
	if (in->amount.amount <= 0)
		return err_set(c->ei, ERR_INVALID, "amount.amount", "amount must be positive");
	r->amount = in->amount;
	if (!in->has_expected_close)
		return err_set(c->ei, ERR_INVALID, "expected_close", "expected_close is required");
	if (in->expected_close < today(c))
		return err_set(c->ei, ERR_INVALID, "expected_close",
		               "expected_close must not be in the past");
	r->expected_close = in->expected_close;
	if (in->notes && utf8_chars(in->notes) > NOTES_MAX)
		return err_set(c->ei, ERR_INVALID, "notes", "notes are longer than %d characters",
		               NOTES_MAX);
	r->notes = in->notes;
	{
		json_t *arr = json_array();
		char *text;
		for (int i = 0; i < in->nproducts; i++)
			json_array_append_new(arr, json_string(in->products[i]));
		text = json_dumps(arr, JSON_COMPACT);
		json_decref(arr);
		if (!text)
			return ERR_NOMEM;
		r->products = arena_strdup(c->arena, text);
		free(text);
	}
	return ERR_OK;
}

enum err
registration_submit(struct ctx *c, const struct registration_input *in, struct registration *out)
{
	char domain[300];
	struct engagement e;
	struct partner p;
	struct changes ch;
	json_t *conflicts = NULL;
	char *text;
	int64_t winner = 0;
	enum err rc;

	memset(out, 0, sizeof *out);
	if (c->actor.role == ROLE_FINANCE)
		return err_set(c->ei, ERR_FORBIDDEN, NULL, "finance does not register deals");
	out->partner_id = in->partner_id;
	if (ctx_scope(c)) {
		if (in->partner_id && in->partner_id != ctx_scope(c))
			return err_set(c->ei, ERR_NOTFOUND, "partner_id", "no partner %lld",
			               (long long)in->partner_id);
		out->partner_id = ctx_scope(c);
	} else if (!in->partner_id) {
		return err_set(c->ei, ERR_INVALID, "partner_id",
		               "partner_id is required when a vendor user registers for a partner");
	}
	rc = store_partner_get(c, out->partner_id, &p);
	if (rc == ERR_NOTFOUND)
		return err_set(c->ei, ctx_scope(c) ? ERR_NOTFOUND : ERR_INVALID, "partner_id",
		               "no partner %lld", (long long)out->partner_id);
	if (rc)
		return rc;
	if ((rc = check_input(c, in, out, domain, sizeof domain)))
		return rc;
	if (strcmp(p.status, "active"))
		return err_set(c->ei, ERR_CONFLICT, "partner_id",
		               "the partner is %s; only active partners register deals", p.status);
	if ((rc = settings_engagement(c, &e)) ||
	    (rc = conflict_find(c, out->customer_name, out->customer_domain, out->customer_country,
	                        out->partner_id, 0, &conflicts)))
		return rc;
	out->status = "submitted";
	out->submitted_at = out->created_at = out->updated_at = c->now;
	out->submitted_by = c->actor.user_id;
	/* independent registrations of one customer: the earliest submission wins */
	if (e.first_registration_wins) {
		json_t *v;
		size_t i;
		json_array_foreach(conflicts, i, v)
		{
			int64_t id = json_integer_value(json_object_get(v, "record_id"));
			if (!strcmp(json_string_value(json_object_get(v, "kind")),
			            "duplicate_registration") &&
			    !strcmp(json_string_value(json_object_get(v, "level")), "certain") &&
			    (!winner || id < winner))
				winner = id;
		}
	}
	out->winner_id = winner;
	/* the vendor met the customer first: flag it, or turn the registration down */
	if (e.direct_conflict_reject) {
		json_t *v;
		size_t i;
		json_array_foreach(conflicts, i, v)
		{
			const char *kind = json_string_value(json_object_get(v, "kind"));
			if ((!strcmp(kind, "direct_account") ||
			     !strcmp(kind, "direct_opportunity")) &&
			    !strcmp(json_string_value(json_object_get(v, "level")), "certain")) {
				out->status = "rejected";
				out->decided_at = c->now;
				out->reason = "direct conflict: the customer is the vendor's own";
				break;
			}
		}
	}
	text = json_dumps(conflicts, JSON_COMPACT);
	json_decref(conflicts);
	if (!text)
		return ERR_NOMEM;
	out->conflicts = arena_strdup(c->arena, text);
	free(text);
	if ((rc = store_registration_insert(c, out)))
		return rc;
	changes_init(&ch);
	changes_str(&ch, "customer.name", NULL, out->customer_name);
	changes_str(&ch, "customer.domain", NULL, out->customer_domain);
	changes_str(&ch, "customer.country", NULL, out->customer_country);
	changes_i64(&ch, "partner_id", 0, 0, 1, out->partner_id);
	changes_money(&ch, "amount", NULL, &out->amount);
	diff(&ch, NULL, out);
	if ((rc = audit_write(c, "submit", "registration", out->id, &ch)))
		return rc;
	return conflict_note_registration(c, out);
}

enum err
registration_approve(struct ctx *c, int64_t id, const char *note, int override,
                     struct registration *out)
{
	struct registration old;
	struct engagement e;
	json_t *conflicts = NULL;
	int64_t dup = 0, taken = 0;
	char *text;
	enum err rc;

	if ((rc = registration_get(c, id, &old)))
		return rc;
	if (!is_decider(c))
		return err_set(c->ei, ERR_FORBIDDEN, NULL,
		               "only sales managers and admins decide deal registrations");
	if (override && c->actor.role != ROLE_ADMIN)
		return err_set(c->ei, ERR_FORBIDDEN, "override", "only admins override");
	if (strcmp(old.status, "submitted"))
		return err_set(c->ei, ERR_CONFLICT, NULL, "the registration is %s, not submitted",
		               old.status);
	if (note && utf8_chars(note) > REASON_MAX)
		return err_set(c->ei, ERR_INVALID, "note", "note is longer than %d characters",
		               REASON_MAX);
	/* decide on the conflicts as they stand now */
	if ((rc = settings_engagement(c, &e)) ||
	    (rc = conflict_find(c, old.customer_name, old.customer_domain, old.customer_country,
	                        old.partner_id, old.id, &conflicts)))
		return rc;
	if ((e.first_registration_wins &&
	     (rc = blocking(c, conflicts, "duplicate_registration", &dup))) ||
	    (e.partner_accounts_protect &&
	     (rc = blocking(c, conflicts, "partner_account", &taken)))) {
		json_decref(conflicts);
		return rc;
	}
	if ((dup || taken) && !override) {
		json_decref(conflicts);
		return err_set(
		        c->ei, ERR_CONFLICT, NULL,
		        dup ? "registration %lld of another partner is approved and protected"
		              " for this customer (an admin may override)"
		            : "account %lld is another partner's customer (an admin may"
		              " override)",
		        (long long)(dup ? dup : taken));
	}
	*out = old;
	if (dup)
		out->winner_id = dup;
	text = json_dumps(conflicts, JSON_COMPACT);
	json_decref(conflicts);
	if (!text)
		return ERR_NOMEM;
	out->conflicts = arena_strdup(c->arena, text);
	free(text);
	out->status = "approved";
	out->decided_at = c->now;
	out->decided_by = c->actor.user_id;
	out->note = note;
	out->escalated = old.escalated;
	out->protected_until = today(c) + e.protection_days;
	return save(c, override && (dup || taken) ? "approve_override" : "approve", &old, out);
}

enum err
registration_reject(struct ctx *c, int64_t id, const char *reason, struct registration *out)
{
	struct registration old;
	enum err rc;

	if ((rc = registration_get(c, id, &old)))
		return rc;
	if (!is_decider(c))
		return err_set(c->ei, ERR_FORBIDDEN, NULL,
		               "only sales managers and admins decide deal registrations");
	if (!reason)
		return err_set(c->ei, ERR_INVALID, "reason", "a reason is required to reject");
	if (utf8_chars(reason) > REASON_MAX)
		return err_set(c->ei, ERR_INVALID, "reason", "reason is longer than %d characters",
		               REASON_MAX);
	if (strcmp(old.status, "submitted"))
		return err_set(c->ei, ERR_CONFLICT, NULL, "the registration is %s, not submitted",
		               old.status);
	*out = old;
	out->status = "rejected";
	out->reason = reason;
	out->decided_at = c->now;
	out->decided_by = c->actor.user_id;
	return save(c, "reject", &old, out);
}

enum err
registration_extend(struct ctx *c, int64_t id, struct registration *out)
{
	struct registration old;
	struct engagement e;
	enum err rc;

	if ((rc = registration_get(c, id, &old)))
		return rc;
	if (!ctx_scope(c) && !is_decider(c))
		return err_set(c->ei, ERR_FORBIDDEN, NULL,
		               "the registering partner, sales managers and admins extend");
	if (strcmp(old.status, "approved"))
		return err_set(c->ei, ERR_CONFLICT, NULL, "only an approved registration extends");
	if ((rc = settings_engagement(c, &e)))
		return rc;
	if (old.extensions >= e.max_extensions)
		return err_set(
		        c->ei, ERR_CONFLICT, NULL,
		        "the registration was extended %lld time(s) already, the most allowed",
		        (long long)old.extensions);
	*out = old;
	out->extensions++;
	out->protected_until += e.extension_days;
	return save(c, "extend", &old, out);
}

enum err
registration_withdraw(struct ctx *c, int64_t id, struct registration *out)
{
	struct registration old;
	enum err rc;

	if ((rc = registration_get(c, id, &old)))
		return rc;
	if (!ctx_scope(c))
		return err_set(c->ei, ERR_FORBIDDEN, NULL,
		               "only the registering partner's users withdraw a registration");
	if (strcmp(old.status, "submitted") && strcmp(old.status, "approved"))
		return err_set(c->ei, ERR_CONFLICT, NULL, "a %s registration cannot be withdrawn",
		               old.status);
	*out = old;
	out->status = "withdrawn";
	return save(c, "withdraw", &old, out);
}

enum err
registration_conflict_check(struct ctx *c, const char *name, const char *domain,
                            const char *country, json_t **out)
{
	char key[300];
	const char *code = NULL;
	json_t *found;
	enum err rc;

	*out = NULL;
	if (!name)
		return err_set(c->ei, ERR_INVALID, "customer.name", "customer.name is required");
	if (utf8_chars(name) > CUSTOMER_NAME_MAX)
		return err_set(c->ei, ERR_INVALID, "customer.name",
		               "customer.name is longer than %d characters", CUSTOMER_NAME_MAX);
	if (domain && conflict_domain_key(domain, key, sizeof key))
		return err_set(c->ei, ERR_INVALID, "customer.domain",
		               "customer.domain must be the company's web domain, URL or e-mail"
		               " address (free-mail domains do not identify a company)");
	if (country && !(code = iso_country(country)))
		return err_set(c->ei, ERR_INVALID, "customer.country",
		               "customer.country must be an ISO 3166 code or an English country"
		               " name");
	if ((rc = conflict_find(c, name, domain ? key : NULL, code, ctx_scope(c), 0, &found)))
		return rc;
	*out = conflict_view(c, found);
	json_decref(found);
	return *out ? ERR_OK : ERR_NOMEM;
}

int64_t
business_cutoff(int64_t now, int64_t days, unsigned business_days)
{
	int64_t t = now, remaining = days * 86400;

	if (!(business_days & 0x7f))
		business_days = 0x1f;
	for (int guard = 0; remaining > 0 && guard < 40000; guard++) {
		int64_t day = (t - 1) / 86400 - ((t - 1) % 86400 < 0), start = day * 86400;
		if (business_days & (1u << date_weekday(day))) {
			int64_t take = t - start < remaining ? t - start : remaining;
			remaining -= take;
			t -= take;
		} else {
			t = start;
		}
	}
	return t;
}

enum err
registration_run_timers(struct ctx *c, int *expired, int *escalated)
{
	struct engagement e;
	int64_t *exp, *esc, escalate_to = 0;
	size_t nexp, nesc;
	enum err rc;

	*expired = *escalated = 0;
	if ((rc = settings_engagement(c, &e)) ||
	    (rc = store_registration_due(
	             c, today(c),
	             business_cutoff(c->now, e.escalation_business_days, e.business_days),
	             TIMER_BATCH, &exp, &nexp, &esc, &nesc)))
		return rc;
	for (size_t i = 0; i < nexp; i++) {
		struct registration old, r;
		if ((rc = store_registration_get(c, exp[i], &old)))
			return rc;
		r = old;
		r.status = "expired";
		if ((rc = save(c, "expire", &old, &r)))
			return rc;
		(*expired)++;
	}
	escalate_to = e.escalation_user_id;
	if (!escalate_to && nesc && (rc = store_user_first_admin(c, &escalate_to)))
		return rc;
	for (size_t i = 0; i < nesc; i++) {
		struct registration old, r;
		struct changes ch;
		if ((rc = store_registration_get(c, esc[i], &old)))
			return rc;
		r = old;
		r.escalated = 1;
		r.escalated_at = c->now;
		r.updated_at = c->now;
		if ((rc = store_registration_update(c, &r)))
			return rc;
		changes_init(&ch);
		diff(&ch, &old, &r);
		changes_i64(&ch, "escalated_to", 0, 0, escalate_to != 0, escalate_to);
		if ((rc = audit_write(c, "escalate", "registration", r.id, &ch)))
			return rc;
		(*escalated)++;
	}
	return ERR_OK;
}
