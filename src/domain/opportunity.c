#include "domain/opportunity.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/jin.h"
#include "domain/account.h"
#include "domain/audit.h"
#include "domain/order.h"
#include "domain/partner.h"
#include "domain/role.h"
#include "domain/settings.h"
#include "store/account.h"
#include "store/partner.h"
#include "store/registration.h"
#include "store/user.h"

#define LIST_BATCH 200 /* rows fetched at a time when a risk filter applies */

const char *const opportunity_sources[] = { "partner_sourced", "co_sell", "direct", NULL };
const char *const forecast_categories[] = { "commit", "best_case", "pipeline", "omitted", NULL };
const char *const risk_names[] = { "credit_line_below_amount", "po_not_ordered",
	                           "close_date_passed", "stale", NULL };
const char *const checklist_items[] = { "presales_engineer",  "executive_meeting", "credit",
	                                "customer_financing", "legal_redlines",    NULL };

static int64_t
today(const struct ctx *c)
{
	return c->now / 86400;
}

static enum err
may_write(struct ctx *c)
{
	if (c->actor.role == ROLE_FINANCE)
		return err_set(c->ei, ERR_FORBIDDEN, NULL, "finance does not change the pipeline");
	return ERR_OK;
}

static enum err
not_found(struct ctx *c, int64_t id)
{
	return err_set(c->ei, ERR_NOTFOUND, NULL, "no opportunity %lld", (long long)id);
}

enum err
opportunity_get(struct ctx *c, int64_t id, struct opportunity *out)
{
	enum err rc = store_opportunity_get(c, id, out);

	return rc == ERR_NOTFOUND ? not_found(c, id) : rc;
}

static void
diff(struct changes *ch, const struct opportunity *a, const struct opportunity *b)
{
	changes_str(ch, "name", a ? a->name : NULL, b->name);
	changes_i64(ch, "account_id", a != NULL, a ? a->account_id : 0, 1, b->account_id);
	changes_i64(ch, "partner_id", a && a->partner_id, a ? a->partner_id : 0, b->partner_id != 0,
	            b->partner_id);
	changes_i64(ch, "owner_user_id", a && a->owner_user_id, a ? a->owner_user_id : 0,
	            b->owner_user_id != 0, b->owner_user_id);
	changes_str(ch, "stage", a ? a->stage : NULL, b->stage);
	changes_i64(ch, "probability", a != NULL, a ? a->probability : 0, 1, b->probability);
	changes_str(ch, "forecast_category", a ? a->forecast_category : NULL, b->forecast_category);
	changes_str(ch, "source", a ? a->source : NULL, b->source);
	changes_money(ch, "amount", a ? &a->amount : NULL, &b->amount);
	changes_i64(ch, "expected_close", a != NULL, a ? a->expected_close : 0, 1,
	            b->expected_close);
	changes_i64(ch, "closed_on", a && a->closed_on, a ? a->closed_on : 0, b->closed_on != 0,
	            b->closed_on);
	changes_i64(ch, "customer_po_on", a && a->customer_po_on, a ? a->customer_po_on : 0,
	            b->customer_po_on != 0, b->customer_po_on);
	changes_i64(ch, "partner_order_on", a && a->partner_order_on, a ? a->partner_order_on : 0,
	            b->partner_order_on != 0, b->partner_order_on);
}

/* Applies the given fields of in onto o, with the stage's defaults for what
 * follows from the stage. */
static enum err
apply(struct ctx *c, const struct opportunity_input *in, struct opportunity *o,
      const struct pipeline *pl)
{
	const struct stage *st;
	enum err rc;

	if (in->has_name) {
		if (!in->name)
			return err_set(c->ei, ERR_INVALID, "name", "name is required");
		if (utf8_chars(in->name) > OPPORTUNITY_NAME_MAX)
			return err_set(c->ei, ERR_INVALID, "name",
			               "name is longer than %d characters", OPPORTUNITY_NAME_MAX);
		o->name = in->name;
	}
	if (in->has_account_id) {
		struct account a;
		rc = store_account_get(c, in->account_id, &a);
		if (rc == ERR_NOTFOUND)
			return err_set(c->ei, ERR_INVALID, "account_id", "no account %lld",
			               (long long)in->account_id);
		if (rc)
			return rc;
		o->account_id = in->account_id;
	}
	if (in->has_partner_id && !ctx_scope(c)) {
		o->partner_id = in->partner_id;
		if (in->partner_id) {
			struct partner p;
			rc = store_partner_get(c, in->partner_id, &p);
			if (rc == ERR_NOTFOUND)
				return err_set(c->ei, ERR_INVALID, "partner_id", "no partner %lld",
				               (long long)in->partner_id);
			if (rc)
				return rc;
		}
	} else if (in->has_partner_id && in->partner_id != ctx_scope(c)) {
		return err_set(c->ei, ERR_NOTFOUND, "partner_id", "no partner %lld",
		               (long long)in->partner_id);
	}
	if (in->has_owner_user_id) {
		o->owner_user_id = in->owner_user_id;
		if (in->owner_user_id) {
			struct user u;
			rc = store_user_get(c, in->owner_user_id, &u);
			if (rc == ERR_NOTFOUND || (!rc && !u.active))
				return err_set(c->ei, ERR_INVALID, "owner_user_id",
				               "owner_user_id must be an active user");
			if (rc)
				return rc;
		}
	}
	if (in->has_amount) {
		if (!in->amount.currency[0] || in->amount.amount <= 0)
			return err_set(c->ei, ERR_INVALID, "amount", "amount must be positive");
		o->amount = in->amount;
	}
	if (in->has_expected_close)
		o->expected_close = in->expected_close;
	if (in->has_customer_po_on)
		o->customer_po_on = in->customer_po_on;
	if (in->has_partner_order_on)
		o->partner_order_on = in->partner_order_on;
	if (in->has_stage) {
		if (!(st = pipeline_stage(pl, in->stage)))
			return err_set(c->ei, ERR_INVALID, "stage",
			               "no stage %.60s in the pipeline",
			               in->stage ? in->stage : "");
		if (!o->stage || strcmp(o->stage, st->name)) {
			/* a new stage brings its probability and category unless given */
			o->probability = st->probability;
			o->forecast_category = arena_strdup(c->arena, st->forecast_category);
		}
		o->stage = arena_strdup(c->arena, st->name);
	}
	if (in->has_probability)
		o->probability = in->probability;
	if (in->has_forecast_category) {
		if (name_index(forecast_categories, in->forecast_category) < 0)
			return err_set(
			        c->ei, ERR_INVALID, "forecast_category",
			        "forecast_category must be commit, best_case, pipeline or omitted");
		o->forecast_category = in->forecast_category;
	}
	if (in->has_source) {
		if (name_index(opportunity_sources, in->source) < 0)
			return err_set(c->ei, ERR_INVALID, "source",
			               "source must be partner_sourced, co_sell or direct");
		o->source = in->source;
	}
	if (o->partner_id && !strcmp(o->source, "direct"))
		return err_set(c->ei, ERR_INVALID, "source",
		               "an opportunity with a partner is partner_sourced or co_sell");
	if (!o->partner_id && strcmp(o->source, "direct"))
		return err_set(c->ei, ERR_INVALID, "source", "a %s opportunity names partner_id",
		               o->source);
	return ERR_OK;
}

/* After the stage moved: closing sets closed_on, closes the registration and
 * (won) books the order. */
static enum err
close_if_closed(struct ctx *c, const struct pipeline *pl, struct opportunity *o)
{
	const struct stage *st = pipeline_stage(pl, o->stage);
	struct order ord;
	enum err rc;

	if (!st || !strcmp(st->kind, "open"))
		return ERR_OK;
	o->closed_on = today(c);
	o->forecast_category = "omitted";
	if (o->registration_id) {
		struct registration r, old;
		struct actor saved = c->actor;
		c->actor.partner_id = 0; /* the registration is the opportunity's own */
		rc = store_registration_get(c, o->registration_id, &old);
		if (!rc) {
			struct changes ch;
			r = old;
			r.status = !strcmp(st->kind, "won") ? "won" : "lost";
			r.updated_at = c->now;
			rc = store_registration_update(c, &r);
			if (!rc) {
				changes_init(&ch);
				changes_str(&ch, "status", old.status, r.status);
				rc = audit_write(c, r.status[0] == 'w' ? "won" : "lost",
				                 "registration", r.id, &ch);
			}
		}
		c->actor = saved;
		if (rc && rc != ERR_NOTFOUND)
			return rc;
	}
	if (!strcmp(st->kind, "won"))
		return order_book(c, o, &ord);
	return ERR_OK;
}

enum err
opportunity_create(struct ctx *c, const struct opportunity_input *in, struct opportunity *out)
{
	struct pipeline pl;
	struct opportunity_input def = *in;
	struct changes ch;
	enum err rc;

	memset(out, 0, sizeof *out);
	if ((rc = may_write(c)) || (rc = settings_pipeline(c, &pl)))
		return rc;
	if (!in->name)
		return err_set(c->ei, ERR_INVALID, "name", "name is required");
	if (!in->has_account_id)
		return err_set(c->ei, ERR_INVALID, "account_id", "account_id is required");
	if (!in->has_amount)
		return err_set(c->ei, ERR_INVALID, "amount", "amount is required");
	if (!in->has_expected_close)
		return err_set(c->ei, ERR_INVALID, "expected_close", "expected_close is required");
	if (ctx_scope(c)) {
		def.has_partner_id = 1;
		if (!in->has_partner_id)
			def.partner_id = ctx_scope(c);
		out->partner_id = ctx_scope(c);
	}
	if (!def.has_stage) {
		def.has_stage = 1;
		def.stage = pl.stages[0].name;
	}
	out->source = (def.has_partner_id && def.partner_id) ? "partner_sourced" : "direct";
	out->checklist = "[]";
	if ((rc = apply(c, &def, out, &pl)))
		return rc;
	out->created_at = out->updated_at = c->now;
	if ((rc = store_opportunity_insert(c, out)))
		return rc;
	if ((rc = close_if_closed(c, &pl, out)))
		return rc;
	if (out->closed_on && (rc = store_opportunity_update(c, out)))
		return rc;
	changes_init(&ch);
	diff(&ch, NULL, out);
	return audit_write(c, "create", "opportunity", out->id, &ch);
}

enum err
opportunity_update(struct ctx *c, int64_t id, const struct opportunity_input *in,
                   struct opportunity *out)
{
	struct opportunity old;
	struct pipeline pl;
	struct changes ch;
	enum err rc;

	if ((rc = opportunity_get(c, id, &old)) || (rc = may_write(c)) ||
	    (rc = settings_pipeline(c, &pl)))
		return rc;
	if (old.closed_on)
		return err_set(c->ei, ERR_CONFLICT, NULL, "a closed opportunity is read-only");
	*out = old;
	if ((rc = apply(c, in, out, &pl)))
		return rc;
	out->updated_at = c->now;
	if ((rc = close_if_closed(c, &pl, out)))
		return rc;
	changes_init(&ch);
	diff(&ch, &old, out);
	if ((rc = store_opportunity_update(c, out))) {
		changes_release(&ch);
		return rc;
	}
	return audit_write(c, out->closed_on ? "close" : "update", "opportunity", id, &ch);
}

enum err
opportunity_risks(struct ctx *c, const struct opportunity *o, unsigned *flags)
{
	struct pipeline pl;
	enum err rc;

	*flags = 0;
	if (o->closed_on)
		return ERR_OK;
	if ((rc = settings_pipeline(c, &pl)))
		return rc;
	if (o->partner_id) {
		struct partner p;
		struct actor saved = c->actor;
		c->actor.partner_id = 0;
		rc = store_partner_get(c, o->partner_id, &p);
		c->actor = saved;
		if (rc && rc != ERR_NOTFOUND)
			return rc;
		if (!rc && p.credit_line.currency[0] &&
		    !strcmp(p.credit_line.currency, o->amount.currency) &&
		    p.credit_line.amount < o->amount.amount)
			*flags |= RISK_CREDIT_LINE;
	}
	if (o->customer_po_on && !o->partner_order_on &&
	    today(c) - o->customer_po_on > pl.po_order_gap_days)
		*flags |= RISK_PO_NOT_ORDERED;
	if (o->expected_close < today(c))
		*flags |= RISK_CLOSE_DATE_PASSED;
	if (c->now - o->updated_at > pl.stale_days * 86400)
		*flags |= RISK_STALE;
	return ERR_OK;
}

enum err
opportunity_list(struct ctx *c, struct opportunity_filter *f, unsigned risk,
                 struct opportunity **items, size_t *n)
{
	struct opportunity_filter batch = *f;
	struct opportunity *out, *got;
	size_t ngot;
	enum err rc;

	if (ctx_scope(c) && f->partner_id && f->partner_id != ctx_scope(c))
		return err_set(c->ei, ERR_NOTFOUND, "partner_id", "no partner %lld",
		               (long long)f->partner_id);
	if (!risk)
		return store_opportunity_list(c, f, items, n);
	/* risks are computed, so filter page by page until the page is full */
	*n = 0;
	if (!(out = arena_alloc(c->arena, sizeof *out * (size_t)(f->limit + 1))))
		return ERR_NOMEM;
	batch.limit = LIST_BATCH;
	batch.open_only = 1;
	for (;;) {
		if ((rc = store_opportunity_list(c, &batch, &got, &ngot)))
			return rc;
		for (size_t i = 0; i < ngot && i < LIST_BATCH && *n < (size_t)f->limit + 1; i++) {
			unsigned flags;
			if ((rc = opportunity_risks(c, &got[i], &flags)))
				return rc;
			if (flags & risk)
				out[(*n)++] = got[i];
		}
		if (*n >= (size_t)f->limit + 1 || ngot <= LIST_BATCH)
			break;
		batch.after = got[LIST_BATCH - 1].id;
	}
	*items = out;
	return ERR_OK;
}

enum err
opportunity_set_checklist(struct ctx *c, int64_t id, const struct checklist_entry *e, size_t n,
                          struct opportunity *out)
{
	struct opportunity old;
	struct changes ch;
	json_t *arr;
	char *text;
	enum err rc;

	if ((rc = opportunity_get(c, id, &old)) || (rc = may_write(c)))
		return rc;
	if (old.closed_on)
		return err_set(c->ei, ERR_CONFLICT, NULL, "a closed opportunity is read-only");
	arr = json_array();
	for (size_t i = 0; i < n; i++) {
		char due[DATE_LEN];
		if (name_index(checklist_items, e[i].item) < 0) {
			json_decref(arr);
			return err_set(c->ei, ERR_INVALID, "checklist",
			               "items are presales_engineer, executive_meeting, credit,"
			               " customer_financing, legal_redlines");
		}
		for (size_t k = 0; k < i; k++)
			if (!strcmp(e[k].item, e[i].item)) {
				json_decref(arr);
				return err_set(c->ei, ERR_INVALID, "checklist",
				               "%s is listed twice", e[i].item);
			}
		if (e[i].owner_user_id) {
			struct user u;
			rc = store_user_get(c, e[i].owner_user_id, &u);
			if (rc == ERR_NOTFOUND) {
				json_decref(arr);
				return err_set(c->ei, ERR_INVALID, "checklist",
				               "owner_user_id %lld is not a user",
				               (long long)e[i].owner_user_id);
			}
			if (rc) {
				json_decref(arr);
				return rc;
			}
		}
		if (e[i].due)
			date_format(e[i].due, due);
		json_array_append_new(
		        arr, json_pack("{sssososb}", "item", e[i].item, "owner_user_id",
		                       e[i].owner_user_id ? json_integer(e[i].owner_user_id)
		                                          : json_null(),
		                       "due", e[i].due ? json_string(due) : json_null(), "done",
		                       e[i].done));
	}
	text = json_dumps(arr, JSON_COMPACT);
	json_decref(arr);
	if (!text)
		return ERR_NOMEM;
	*out = old;
	out->checklist = arena_strdup(c->arena, text);
	free(text);
	out->updated_at = c->now;
	if ((rc = store_opportunity_update(c, out)))
		return rc;
	changes_init(&ch);
	changes_str(&ch, "checklist", old.checklist, out->checklist);
	return audit_write(c, "update", "opportunity", id, &ch);
}

enum err
registration_convert(struct ctx *c, int64_t registration_id, struct opportunity *out)
{
	struct registration r, old;
	struct account_input ain = { 0 };
	struct account acc;
	struct opportunity_input oin = { 0 };
	struct changes ch;
	int created;
	enum err rc;

	rc = store_registration_get(c, registration_id, &r);
	if (rc == ERR_NOTFOUND)
		return err_set(c->ei, rc, NULL, "no deal registration %lld",
		               (long long)registration_id);
	if (rc || (rc = may_write(c)))
		return rc;
	if (r.opportunity_id)
		return err_set(c->ei, ERR_CONFLICT, NULL,
		               "the registration became opportunity %lld",
		               (long long)r.opportunity_id);
	if (strcmp(r.status, "approved"))
		return err_set(c->ei, ERR_CONFLICT, NULL, "only an approved registration converts");
	/* the partner who brings the customer owns the account */
	ain.name = r.customer_name;
	ain.has_name = 1;
	ain.country = r.customer_country;
	ain.has_country = r.customer_country != NULL;
	if (r.customer_domain) {
		ain.domains[0] = r.customer_domain;
		ain.ndomains = 1;
		ain.has_domains = 1;
	}
	ain.owner_kind = "partner";
	ain.owner_partner_id = r.partner_id;
	ain.has_owner = 1;
	if ((rc = account_upsert(c, &ain, &acc, &created)))
		return rc;
	oin.name = r.customer_name;
	oin.has_name = 1;
	oin.account_id = acc.id;
	oin.has_account_id = 1;
	oin.partner_id = r.partner_id;
	oin.has_partner_id = 1;
	oin.amount = r.amount;
	oin.has_amount = 1;
	oin.expected_close = r.expected_close;
	oin.has_expected_close = 1;
	if ((rc = opportunity_create(c, &oin, out)))
		return rc;
	out->registration_id = r.id;
	if ((rc = store_opportunity_update(c, out)))
		return rc;
	old = r;
	r.opportunity_id = out->id;
	r.updated_at = c->now;
	if ((rc = store_registration_update(c, &r)))
		return rc;
	changes_init(&ch);
	changes_i64(&ch, "opportunity_id", 0, 0, 1, out->id);
	(void)old;
	return audit_write(c, "convert", "registration", r.id, &ch);
}
