#include "domain/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/iso.h"
#include "base/jin.h"
#include "domain/audit.h"
#include "domain/role.h"
#include "store/misc.h"
#include "store/user.h"

/* --- agreements --------------------------------------------------------- */

static void
agreements_default(void *out)
{
	struct agreement_defaults *d = out;

	*d = (struct agreement_defaults){
		.reseller_discount_bps = 3500,
		.oem_discount_bps = 5000,
		.referral_fee_bps = 1250,
		.referral_window_days = 180,
		.affiliate_split_bps = 3000,
		.implementation_services_discount_bps = 2000,
		.oem_commitment = { 100000000, "USD" },
		.term_months = 12,
		.notice_days = 90,
	};
}

/* Reads types.<type>.<key> as basis points. */
static enum err
type_field(struct jin *types, const char *type, const char *key, int64_t min, int64_t max,
           int64_t *out)
{
	struct jin t;
	enum err rc;

	if ((rc = jin_obj(types, type, JIN_REQUIRED, &t)) ||
	    (rc = jin_i64(&t, key, JIN_REQUIRED, min, max, out, NULL)))
		return rc;
	return jin_done(&t);
}

static enum err
agreements_parse(struct ctx *c, json_t *in, void *out)
{
	struct agreement_defaults *d = out;
	struct jin root, types, ref;
	enum err rc;

	jin_init(&root, in, c->arena, c->ei);
	if ((rc = jin_obj(&root, "types", JIN_REQUIRED, &types)) ||
	    (rc = type_field(&types, "reseller", "discount_bps", 0, BPS_MAX,
	                     &d->reseller_discount_bps)) ||
	    (rc = type_field(&types, "oem", "discount_bps", 0, BPS_MAX, &d->oem_discount_bps)) ||
	    (rc = type_field(&types, "affiliate", "split_bps", 0, BPS_MAX,
	                     &d->affiliate_split_bps)) ||
	    (rc = type_field(&types, "implementation", "services_discount_bps", 0, BPS_MAX,
	                     &d->implementation_services_discount_bps)) ||
	    (rc = jin_obj(&types, "referral", JIN_REQUIRED, &ref)) ||
	    (rc = jin_i64(&ref, "fee_bps", JIN_REQUIRED, 0, BPS_MAX, &d->referral_fee_bps, NULL)) ||
	    (rc = jin_i64(&ref, "referral_window_days", JIN_REQUIRED, 1, 3650,
	                  &d->referral_window_days, NULL)) ||
	    (rc = jin_done(&ref)) || (rc = jin_done(&types)) ||
	    (rc = jin_money(&root, "oem_revenue_commitment", JIN_REQUIRED, 0, &d->oem_commitment,
	                    NULL)) ||
	    (rc = jin_i64(&root, "term_months", JIN_REQUIRED, 1, 120, &d->term_months, NULL)) ||
	    (rc = jin_i64(&root, "notice_days", JIN_REQUIRED, 0, 365, &d->notice_days, NULL)))
		return rc;
	return jin_done(&root);
}

static json_t *
money_json(const struct money *m)
{
	return json_pack("{sIss}", "amount", (json_int_t)m->amount, "currency", m->currency);
}

static json_t *
agreements_render(const void *in)
{
	const struct agreement_defaults *d = in;

	return json_pack("{s:{s:{sI},s:{sI},s:{sIsI},s:{sI},s:{sI}},s:o,sI,sI}", "types",
	                 "reseller", "discount_bps", (json_int_t)d->reseller_discount_bps, "oem",
	                 "discount_bps", (json_int_t)d->oem_discount_bps, "referral", "fee_bps",
	                 (json_int_t)d->referral_fee_bps, "referral_window_days",
	                 (json_int_t)d->referral_window_days, "affiliate", "split_bps",
	                 (json_int_t)d->affiliate_split_bps, "implementation",
	                 "services_discount_bps",
	                 (json_int_t)d->implementation_services_discount_bps,
	                 "oem_revenue_commitment", money_json(&d->oem_commitment), "term_months",
	                 (json_int_t)d->term_months, "notice_days", (json_int_t)d->notice_days);
}

/* --- tiers --------------------------------------------------------------- */

static void
tiers_default(void *out)
{
	static const struct {
		const char *name;
		int64_t threshold, uplift;
	} defaults[] = {
		{ "registered", 0, 0 },
		{ "silver", 25000000, 250 },
		{ "gold", 100000000, 500 },
		{ "platinum", 500000000, 750 },
	};
	struct tiers *t = out;

	memset(t, 0, sizeof *t);
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
		struct tier *x = &t->items[t->n++];
		snprintf(x->name, sizeof x->name, "%s", defaults[i].name);
		x->threshold.amount = defaults[i].threshold;
		memcpy(x->threshold.currency, "USD", 4);
		x->uplift_bps = defaults[i].uplift;
	}
}

static enum err
tiers_parse(struct ctx *c, json_t *in, void *out)
{
	struct tiers *t = out;
	struct jin root;
	json_t *list, *v;
	size_t i;
	enum err rc;

	memset(t, 0, sizeof *t);
	jin_init(&root, in, c->arena, c->ei);
	list = json_object_get(in, "tiers");
	if (!list || !json_is_array(list))
		return err_set(c->ei, ERR_INVALID, "tiers", "tiers must be a list of tiers");
	if (json_array_size(list) < 1 || json_array_size(list) > TIERS_MAX)
		return err_set(c->ei, ERR_INVALID, "tiers", "tiers must hold 1 to %d tiers",
		               TIERS_MAX);
	root.asked[root.nasked++] = "tiers";
	if ((rc = jin_done(&root)))
		return rc;
	json_array_foreach(list, i, v)
	{
		struct jin item;
		struct tier *x = &t->items[t->n];
		const char *name = NULL;
		char prefix[48];

		if (!json_is_object(v))
			return err_set(c->ei, ERR_INVALID, "tiers", "each tier must be an object");
		jin_init(&item, v, c->arena, c->ei);
		snprintf(prefix, sizeof prefix, "tiers[%zu].", i);
		item.prefix = arena_strdup(c->arena, prefix);
		if (!item.prefix)
			return ERR_NOMEM;
		if ((rc = jin_str(&item, "name", JIN_REQUIRED, TIER_NAME_MAX, &name, NULL)) ||
		    (rc = jin_money(&item, "threshold", JIN_REQUIRED, 0, &x->threshold, NULL)) ||
		    (rc = jin_i64(&item, "uplift_bps", JIN_REQUIRED, 0, BPS_MAX, &x->uplift_bps,
		                  NULL)) ||
		    (rc = jin_done(&item)))
			return rc;
		snprintf(x->name, sizeof x->name, "%s", name);
		for (int k = 0; k < t->n; k++) {
			if (!strcmp(t->items[k].name, x->name))
				return err_set(c->ei, ERR_INVALID,
				               arena_printf(c->arena, "%sname", prefix),
				               "tier name %s is used twice", x->name);
		}
		if (t->n == 0 && x->threshold.amount != 0)
			return err_set(c->ei, ERR_INVALID, "tiers[0].threshold",
			               "the first tier starts at 0");
		if (t->n > 0) {
			const struct tier *prev = &t->items[t->n - 1];
			if (strcmp(prev->threshold.currency, x->threshold.currency))
				return err_set(c->ei, ERR_INVALID,
				               arena_printf(c->arena, "%sthreshold", prefix),
				               "every tier threshold uses the same currency");
			if (x->threshold.amount <= prev->threshold.amount)
				return err_set(c->ei, ERR_INVALID,
				               arena_printf(c->arena, "%sthreshold", prefix),
				               "tier thresholds must increase");
		}
		t->n++;
	}
	return ERR_OK;
}

static json_t *
tiers_render(const void *in)
{
	const struct tiers *t = in;
	json_t *list = json_array();

	for (int i = 0; i < t->n; i++)
		json_array_append_new(list,
		                      json_pack("{sssosI}", "name", t->items[i].name, "threshold",
		                                money_json(&t->items[i].threshold), "uplift_bps",
		                                (json_int_t)t->items[i].uplift_bps));
	return json_pack("{so}", "tiers", list);
}

/* --- engagement ---------------------------------------------------------- */

static const char *const weekdays[] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

static void
engagement_default(void *out)
{
	struct engagement *e = out;

	*e = (struct engagement){
		.protection_days = 90,
		.extension_days = 90,
		.max_extensions = 1,
		.escalation_business_days = 2,
		.business_days = 0x1f,
		.first_registration_wins = 1,
		.direct_conflict_reject = 0,
		.partner_accounts_protect = 1,
	};
}

/* Reads a string that must be one of two words; *out = 1 for `one`. */
static enum err
either(struct ctx *c, struct jin *in, const char *key, const char *one, const char *other, int *out)
{
	const char *v = NULL;
	enum err rc;

	if ((rc = jin_str(in, key, JIN_REQUIRED, 16, &v, NULL)))
		return rc;
	if (strcmp(v, one) && strcmp(v, other))
		return err_set(c->ei, ERR_INVALID, key, "%s must be \"%s\" or \"%s\"", key, one,
		               other);
	*out = !strcmp(v, one);
	return ERR_OK;
}

static enum err
engagement_parse(struct ctx *c, json_t *in, void *out)
{
	struct engagement *e = out;
	struct jin root;
	const char *tz = NULL;
	json_t *days;
	size_t i;
	json_t *v;
	enum err rc;

	memset(e, 0, sizeof *e);
	jin_init(&root, in, c->arena, c->ei);
	if ((rc = jin_i64(&root, "protection_days", JIN_REQUIRED, 1, 3650, &e->protection_days,
	                  NULL)) ||
	    (rc = jin_i64(&root, "extension_days", JIN_REQUIRED, 1, 3650, &e->extension_days,
	                  NULL)) ||
	    (rc = jin_i64(&root, "max_extensions", JIN_REQUIRED, 0, 100, &e->max_extensions,
	                  NULL)) ||
	    (rc = jin_i64(&root, "escalation_business_days", JIN_REQUIRED, 1, 365,
	                  &e->escalation_business_days, NULL)) ||
	    (rc = jin_i64(&root, "escalation_user_id", 0, 1, INT64_MAX, &e->escalation_user_id,
	                  NULL)) ||
	    (rc = jin_str(&root, "time_zone", JIN_REQUIRED, 64, &tz, NULL)) ||
	    (rc = jin_bool(&root, "first_registration_wins", JIN_REQUIRED,
	                   &e->first_registration_wins, NULL)) ||
	    (rc = either(c, &root, "direct_conflict", "reject", "flag",
	                 &e->direct_conflict_reject)) ||
	    (rc = either(c, &root, "partner_accounts", "protect", "flag",
	                 &e->partner_accounts_protect)))
		return rc;
	if (strcmp(tz, "UTC"))
		return err_set(c->ei, ERR_INVALID, "time_zone",
		               "time_zone must be \"UTC\" (business days are counted in UTC)");
	days = json_object_get(in, "business_days");
	root.asked[root.nasked++] = "business_days";
	if (!json_is_array(days) || json_array_size(days) == 0)
		return err_set(c->ei, ERR_INVALID, "business_days",
		               "business_days must list at least one of mon, tue, wed, thu, fri,"
		               " sat, sun");
	json_array_foreach(days, i, v)
	{
		size_t k;
		for (k = 0; k < 7; k++)
			if (json_is_string(v) && !strcmp(json_string_value(v), weekdays[k]))
				break;
		if (k == 7)
			return err_set(c->ei, ERR_INVALID, "business_days",
			               "business_days holds mon, tue, wed, thu, fri, sat or sun");
		e->business_days |= 1u << k;
	}
	if (e->escalation_user_id) {
		struct user u;
		rc = store_user_get(c, e->escalation_user_id, &u);
		if (rc == ERR_NOTFOUND || (!rc && (u.partner_id || !u.active)))
			return err_set(c->ei, ERR_INVALID, "escalation_user_id",
			               "escalation_user_id must be an active vendor user");
		if (rc)
			return rc;
	}
	return jin_done(&root);
}

static json_t *
engagement_render(const void *in)
{
	const struct engagement *e = in;
	json_t *days = json_array();

	for (int k = 0; k < 7; k++)
		if (e->business_days & (1u << k))
			json_array_append_new(days, json_string(weekdays[k]));
	return json_pack("{sIsIsIsIsososssbssss}", "protection_days",
	                 (json_int_t)e->protection_days, "extension_days",
	                 (json_int_t)e->extension_days, "max_extensions",
	                 (json_int_t)e->max_extensions, "escalation_business_days",
	                 (json_int_t)e->escalation_business_days, "escalation_user_id",
	                 e->escalation_user_id ? json_integer(e->escalation_user_id) : json_null(),
	                 "business_days", days, "time_zone", "UTC", "first_registration_wins",
	                 e->first_registration_wins, "direct_conflict",
	                 e->direct_conflict_reject ? "reject" : "flag", "partner_accounts",
	                 e->partner_accounts_protect ? "protect" : "flag");
}

/* --- pipeline ------------------------------------------------------------ */

static const char *const stage_kinds[] = { "open", "won", "lost", NULL };
static const char *const categories[] = { "pipeline", "best_case", "commit", "omitted", NULL };

static int
in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (!strcmp(*list, s))
			return 1;
	return 0;
}

static void
pipeline_default(void *out)
{
	static const struct {
		const char *name;
		int64_t p;
		const char *kind, *cat;
	} defaults[] = {
		{ "prospecting", 10, "open", "pipeline" },
		{ "qualification", 20, "open", "pipeline" },
		{ "proposal", 50, "open", "best_case" },
		{ "negotiation", 80, "open", "commit" },
		{ "closed_won", 100, "won", "omitted" },
		{ "closed_lost", 0, "lost", "omitted" },
	};
	struct pipeline *p = out;

	memset(p, 0, sizeof *p);
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
		struct stage *st = &p->stages[p->n++];
		snprintf(st->name, sizeof st->name, "%s", defaults[i].name);
		st->probability = defaults[i].p;
		snprintf(st->kind, sizeof st->kind, "%s", defaults[i].kind);
		snprintf(st->forecast_category, sizeof st->forecast_category, "%s",
		         defaults[i].cat);
	}
	p->stale_days = 30;
	p->po_order_gap_days = 7;
}

static enum err
pipeline_parse(struct ctx *c, json_t *in, void *out)
{
	struct pipeline *p = out;
	struct jin root;
	json_t *list, *v;
	size_t i;
	int won = 0, lost = 0;
	enum err rc;

	memset(p, 0, sizeof *p);
	jin_init(&root, in, c->arena, c->ei);
	list = json_object_get(in, "stages");
	root.asked[root.nasked++] = "stages";
	if (!json_is_array(list) || json_array_size(list) < 3 || json_array_size(list) > STAGES_MAX)
		return err_set(c->ei, ERR_INVALID, "stages",
		               "stages must be a list of 3 to %d stages", STAGES_MAX);
	if ((rc = jin_i64(&root, "stale_days", JIN_REQUIRED, 1, 3650, &p->stale_days, NULL)) ||
	    (rc = jin_i64(&root, "po_order_gap_days", JIN_REQUIRED, 0, 365, &p->po_order_gap_days,
	                  NULL)) ||
	    (rc = jin_done(&root)))
		return rc;
	json_array_foreach(list, i, v)
	{
		struct stage *st = &p->stages[p->n];
		struct jin item;
		const char *name = NULL, *kind = NULL, *cat = NULL;
		char prefix[48];

		if (!json_is_object(v))
			return err_set(c->ei, ERR_INVALID, "stages",
			               "each stage must be an object");
		jin_init(&item, v, c->arena, c->ei);
		snprintf(prefix, sizeof prefix, "stages[%zu].", i);
		if (!(item.prefix = arena_strdup(c->arena, prefix)))
			return ERR_NOMEM;
		if ((rc = jin_str(&item, "name", JIN_REQUIRED, STAGE_NAME_MAX, &name, NULL)) ||
		    (rc = jin_i64(&item, "probability", JIN_REQUIRED, 0, 100, &st->probability,
		                  NULL)) ||
		    (rc = jin_str(&item, "kind", JIN_REQUIRED, 8, &kind, NULL)) ||
		    (rc = jin_str(&item, "forecast_category", JIN_REQUIRED, 12, &cat, NULL)) ||
		    (rc = jin_done(&item)))
			return rc;
		if (!in_list(stage_kinds, kind))
			return err_set(c->ei, ERR_INVALID, arena_printf(c->arena, "%skind", prefix),
			               "kind must be open, won or lost");
		if (!in_list(categories, cat))
			return err_set(
			        c->ei, ERR_INVALID,
			        arena_printf(c->arena, "%sforecast_category", prefix),
			        "forecast_category must be pipeline, best_case, commit or omitted");
		snprintf(st->name, sizeof st->name, "%s", name);
		snprintf(st->kind, sizeof st->kind, "%s", kind);
		snprintf(st->forecast_category, sizeof st->forecast_category, "%s", cat);
		for (int k = 0; k < p->n; k++)
			if (!strcmp(p->stages[k].name, st->name))
				return err_set(c->ei, ERR_INVALID,
				               arena_printf(c->arena, "%sname", prefix),
				               "stage %s is named twice", st->name);
		won += !strcmp(kind, "won");
		lost += !strcmp(kind, "lost");
		p->n++;
	}
	if (won != 1 || lost != 1)
		return err_set(c->ei, ERR_INVALID, "stages",
		               "stages need exactly one won and one lost stage");
	return ERR_OK;
}

static json_t *
pipeline_render(const void *in)
{
	const struct pipeline *p = in;
	json_t *list = json_array();

	for (int i = 0; i < p->n; i++)
		json_array_append_new(list,
		                      json_pack("{sssIssss}", "name", p->stages[i].name,
		                                "probability", (json_int_t)p->stages[i].probability,
		                                "kind", p->stages[i].kind, "forecast_category",
		                                p->stages[i].forecast_category));
	return json_pack("{sosIsI}", "stages", list, "stale_days", (json_int_t)p->stale_days,
	                 "po_order_gap_days", (json_int_t)p->po_order_gap_days);
}

const struct stage *
pipeline_stage(const struct pipeline *p, const char *name)
{
	for (int i = 0; name && i < p->n; i++)
		if (!strcmp(p->stages[i].name, name))
			return &p->stages[i];
	return NULL;
}

/* --- money --------------------------------------------------------------- */

static void
money_default(void *out)
{
	struct money_settings *m = out;

	memset(m, 0, sizeof *m);
	memcpy(m->currency, "USD", 4);
	m->quota_credit_partner_deals = 1;
}

static enum err
money_parse(struct ctx *c, json_t *in, void *out)
{
	struct money_settings *m = out;
	struct jin root;
	const char *cur = NULL;
	json_t *rates, *v;
	const char *code;
	enum err rc;

	memset(m, 0, sizeof *m);
	jin_init(&root, in, c->arena, c->ei);
	if ((rc = jin_str(&root, "currency", JIN_REQUIRED, 3, &cur, NULL)) ||
	    (rc = either(c, &root, "statement_period", "quarter", "month",
	                 &m->statement_quarter)) ||
	    (rc = either(c, &root, "rep_comp_basis", "gross", "net", &m->comp_gross)) ||
	    (rc = jin_bool(&root, "quota_credit_partner_deals", JIN_REQUIRED,
	                   &m->quota_credit_partner_deals, NULL)))
		return rc;
	if (strlen(cur) != 3 || iso_currency_minor(cur) < 0)
		return err_set(c->ei, ERR_INVALID, "currency", "currency must be an ISO 4217 code");
	memcpy(m->currency, cur, 4);
	rates = json_object_get(in, "exchange_rates");
	root.asked[root.nasked++] = "exchange_rates";
	if (!json_is_object(rates) || json_object_size(rates) > RATES_MAX)
		return err_set(c->ei, ERR_INVALID, "exchange_rates",
		               "exchange_rates must map currency codes to units of %s per unit"
		               " x 10^6 (at most %d)",
		               m->currency, RATES_MAX);
	json_object_foreach(rates, code, v)
	{
		struct rate *r = &m->rates[m->nrates];
		if (strlen(code) != 3 || iso_currency_minor(code) < 0)
			return err_set(c->ei, ERR_INVALID, "exchange_rates",
			               "%.10s is not an ISO 4217 code", code);
		if (!json_is_integer(v) || json_integer_value(v) < 1 ||
		    json_integer_value(v) > INT64_C(1000000000000))
			return err_set(c->ei, ERR_INVALID, "exchange_rates",
			               "the rate of %s must be a positive integer (x 10^6)", code);
		memcpy(r->currency, code, 4);
		r->micros = json_integer_value(v);
		m->nrates++;
	}
	return jin_done(&root);
}

static json_t *
money_render(const void *in)
{
	const struct money_settings *m = in;
	json_t *rates = json_object();

	for (int i = 0; i < m->nrates; i++)
		json_object_set_new(rates, m->rates[i].currency, json_integer(m->rates[i].micros));
	return json_pack("{sssosssssb}", "currency", m->currency, "exchange_rates", rates,
	                 "statement_period", m->statement_quarter ? "quarter" : "month",
	                 "rep_comp_basis", m->comp_gross ? "gross" : "net",
	                 "quota_credit_partner_deals", m->quota_credit_partner_deals);
}

/* --- the table of groups ------------------------------------------------- */

struct group {
	const char *name;
	size_t size;
	void (*defaults)(void *out);
	enum err (*parse)(struct ctx *c, json_t *in, void *out);
	json_t *(*render)(const void *in);
};

static const struct group groups[] = {
	{ "agreements", sizeof(struct agreement_defaults), agreements_default, agreements_parse,
	  agreements_render },
	{ "tiers", sizeof(struct tiers), tiers_default, tiers_parse, tiers_render },
	{ "engagement", sizeof(struct engagement), engagement_default, engagement_parse,
	  engagement_render },
	{ "pipeline", sizeof(struct pipeline), pipeline_default, pipeline_parse, pipeline_render },
	{ "money", sizeof(struct money_settings), money_default, money_parse, money_render },
};

static const struct group *
group_find(const char *name)
{
	for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
		if (name && !strcmp(groups[i].name, name))
			return &groups[i];
	return NULL;
}

/* Loads a group's stored value into out, or its defaults. */
static enum err
load(struct ctx *c, const struct group *g, void *out)
{
	const char *text = NULL;
	json_t *j;
	enum err rc;
	struct errinfo ignored = { 0 };
	struct errinfo *saved = c->ei;

	g->defaults(out);
	rc = store_setting_get(c, g->name, &text);
	if (rc == ERR_NOTFOUND)
		return ERR_OK;
	if (rc)
		return rc;
	if (!(j = json_loads(text, 0, NULL)))
		return ERR_OK; /* unreadable: keep the defaults */
	c->ei = &ignored;
	rc = g->parse(c, j, out);
	c->ei = saved;
	json_decref(j);
	if (rc)
		g->defaults(out); /* stored by an older version: keep the defaults */
	return ERR_OK;
}

enum err
settings_agreements(struct ctx *c, struct agreement_defaults *out)
{
	return load(c, group_find("agreements"), out);
}

enum err
settings_engagement(struct ctx *c, struct engagement *out)
{
	return load(c, group_find("engagement"), out);
}

enum err
settings_pipeline(struct ctx *c, struct pipeline *out)
{
	return load(c, group_find("pipeline"), out);
}

enum err
settings_money(struct ctx *c, struct money_settings *out)
{
	return load(c, group_find("money"), out);
}

enum err
settings_tiers(struct ctx *c, struct tiers *out)
{
	return load(c, group_find("tiers"), out);
}

enum err
settings_get(struct ctx *c, const char *group, json_t **out)
{
	const struct group *g = group_find(group);
	void *val;
	enum err rc;

	*out = NULL;
	if (!role_in(c->actor.role, ROLES_VENDOR))
		return err_set(c->ei, ERR_FORBIDDEN, NULL, "settings are for vendor users");
	if (!g)
		return err_set(c->ei, ERR_NOTFOUND, NULL, "no settings group %s", group);
	if (!(val = arena_alloc(c->arena, g->size)))
		return ERR_NOMEM;
	if ((rc = load(c, g, val)))
		return rc;
	*out = g->render(val);
	return *out ? ERR_OK : ERR_NOMEM;
}

enum err
settings_put(struct ctx *c, const char *group, json_t *in, json_t **out)
{
	const struct group *g = group_find(group);
	struct changes ch;
	json_t *old_json = NULL, *new_json;
	void *old, *val;
	char *text;
	enum err rc;

	*out = NULL;
	if (c->actor.role != ROLE_ADMIN)
		return err_set(c->ei, ERR_FORBIDDEN, NULL, "only admins change settings");
	if (!g)
		return err_set(c->ei, ERR_NOTFOUND, NULL, "no settings group %s", group);
	if (!(val = arena_alloc(c->arena, g->size)) || !(old = arena_alloc(c->arena, g->size)))
		return ERR_NOMEM;
	if ((rc = g->parse(c, in, val)) || (rc = load(c, g, old)))
		return rc;
	new_json = g->render(val);
	old_json = g->render(old);
	text = new_json ? json_dumps(new_json, JSON_COMPACT) : NULL;
	if (!text) {
		json_decref(new_json);
		json_decref(old_json);
		return ERR_NOMEM;
	}
	rc = store_setting_put(c, g->name, text);
	free(text);
	if (!rc) {
		changes_init(&ch);
		if (ch.obj && !json_equal(old_json, new_json))
			json_object_set_new(ch.obj, g->name, json_pack("[OO]", old_json, new_json));
		rc = audit_write(c, "update", "settings", 0, &ch);
	}
	json_decref(old_json);
	if (rc) {
		json_decref(new_json);
		return rc;
	}
	*out = new_json;
	return ERR_OK;
}
