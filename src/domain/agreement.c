#include "domain/agreement.h"

#include <string.h>

#include "base/clock.h"
#include "domain/audit.h"
#include "domain/partner.h"
#include "domain/role.h"
#include "domain/settings.h"

#define TERM_MONTHS_MAX 120
#define DATE_YEAR_MIN 1970 /* agreements start and end within these years */
#define DATE_YEAR_MAX 2999
#define NOTICE_DAYS_MAX 365
#define REFERRAL_WINDOW_MAX 3650

const char *const agreement_statuses[] = { "scheduled", "active", "expired", "terminated", NULL };

const char *
agreement_status(const struct agreement *a, int64_t today, int64_t *term_end)
{
	int64_t end = a->end_date;

	/* auto-renewal: the term rolls forward, anchored on the first end date,
	 * by whole terms until it covers today */
	if (a->auto_renew && a->term_months > 0 && end < today) {
		int64_t ey, ty, k;
		unsigned em, ed, tm, td;

		date_to_ymd(end, &ey, &em, &ed);
		date_to_ymd(today, &ty, &tm, &td);
		k = ((ty - ey) * 12 + ((int64_t)tm - em)) / a->term_months - 1;
		if (k < 0)
			k = 0;
		while ((end = date_add_months(a->end_date, (int)(k * a->term_months))) < today)
			k++;
	}
	if (term_end)
		*term_end = end;
	if (a->terminated_on)
		return "terminated";
	if (a->start_date > today)
		return "scheduled";
	return end >= today ? "active" : "expired";
}

static enum err
may_write(struct ctx *c)
{
	if (c->actor.role == ROLE_ADMIN || c->actor.role == ROLE_CHANNEL_MANAGER ||
	    (c->actor.role == ROLE_NONE && c->actor.user_id == 0))
		return ERR_OK;
	return err_set(c->ei, ERR_FORBIDDEN, NULL,
	               "only admins and channel managers create or change agreements");
}

static enum err
check_range(struct ctx *c, const char *field, int64_t v, int64_t min, int64_t max)
{
	if (v < min || v > max)
		return err_set(c->ei, ERR_INVALID, field, "%s must be between %lld and %lld", field,
		               (long long)min, (long long)max);
	return ERR_OK;
}

/* Applies the given fields of in onto a; `creating` fills the defaults of
 * terms left out. */
static enum err
apply(struct ctx *c, const struct agreement_input *in, struct agreement *a, int creating)
{
	struct agreement_defaults d;
	enum err rc;

#define BPS(f)                                                                                     \
	if (in->has_##f) {                                                                         \
		if ((rc = check_range(c, #f, in->f, 0, BPS_MAX)))                                  \
			return rc;                                                                 \
		a->f = in->f;                                                                      \
	}
	if (in->has_type) {
		if (name_index(partner_types, in->type) < 0)
			return err_set(c->ei, ERR_INVALID, "type",
			               "type must be one of oem, reseller, referral, affiliate,"
			               " implementation");
		a->type = in->type;
	}
	BPS(discount_bps)
	BPS(fee_bps)
	BPS(split_bps)
	BPS(services_discount_bps)
#undef BPS
	if (in->has_referral_window_days) {
		if ((rc = check_range(c, "referral_window_days", in->referral_window_days, 1,
		                      REFERRAL_WINDOW_MAX)))
			return rc;
		a->referral_window_days = in->referral_window_days;
	}
	if (in->has_revenue_commitment)
		a->revenue_commitment = in->revenue_commitment;
	if (in->has_term_months) {
		if ((rc = check_range(c, "term_months", in->term_months, 1, TERM_MONTHS_MAX)))
			return rc;
		a->term_months = in->term_months;
	}
	if (in->has_notice_days) {
		if ((rc = check_range(c, "notice_days", in->notice_days, 0, NOTICE_DAYS_MAX)))
			return rc;
		a->notice_days = in->notice_days;
	}
	if (in->has_auto_renew)
		a->auto_renew = in->auto_renew;
	if (in->has_exclusive)
		a->exclusive = in->exclusive;
	if (in->has_start_date)
		a->start_date = in->start_date;
	if (in->has_end_date)
		a->end_date = in->end_date;

	if (creating) {
		if ((rc = settings_agreements(c, &d)))
			return rc;
		if (!in->has_term_months)
			a->term_months = d.term_months;
		if (!in->has_notice_days)
			a->notice_days = d.notice_days;
		if (!in->has_auto_renew)
			a->auto_renew = 1;
		if (!in->has_start_date)
			a->start_date = c->now / 86400;
		if (!in->has_end_date)
			a->end_date = date_add_months(a->start_date, (int)a->term_months);
		if (!strcmp(a->type, "reseller") && !in->has_discount_bps)
			a->discount_bps = d.reseller_discount_bps;
		if (!strcmp(a->type, "oem") && !in->has_discount_bps)
			a->discount_bps = d.oem_discount_bps;
		if (!strcmp(a->type, "oem") && !in->has_revenue_commitment)
			a->revenue_commitment = d.oem_commitment;
		if (!strcmp(a->type, "referral") && !in->has_fee_bps)
			a->fee_bps = d.referral_fee_bps;
		if (!strcmp(a->type, "referral") && !in->has_referral_window_days)
			a->referral_window_days = d.referral_window_days;
		if (!strcmp(a->type, "affiliate") && !in->has_split_bps)
			a->split_bps = d.affiliate_split_bps;
		if (!strcmp(a->type, "implementation") && !in->has_services_discount_bps)
			a->services_discount_bps = d.implementation_services_discount_bps;
	}
	if (a->start_date < date_from_ymd(DATE_YEAR_MIN, 1, 1) ||
	    a->start_date > date_from_ymd(DATE_YEAR_MAX, 12, 31))
		return err_set(c->ei, ERR_INVALID, "start_date",
		               "start_date must lie between %d and %d", DATE_YEAR_MIN,
		               DATE_YEAR_MAX);
	if (a->end_date > date_from_ymd(DATE_YEAR_MAX, 12, 31))
		return err_set(c->ei, ERR_INVALID, in->has_end_date ? "end_date" : "term_months",
		               "end_date must lie before %d", DATE_YEAR_MAX + 1);
	if (a->end_date <= a->start_date)
		return err_set(c->ei, ERR_INVALID, in->has_end_date ? "end_date" : "start_date",
		               "end_date must be after start_date");
	return ERR_OK;
}

static void
diff(struct changes *ch, const struct agreement *a, const struct agreement *b)
{
#define I64(f) changes_i64(ch, #f, a != NULL, a ? a->f : 0, 1, b->f)
#define BPS(f) changes_i64(ch, #f, a && a->f != BPS_NONE, a ? a->f : 0, b->f != BPS_NONE, b->f)
	changes_str(ch, "type", a ? a->type : NULL, b->type);
	BPS(discount_bps);
	BPS(fee_bps);
	BPS(split_bps);
	BPS(services_discount_bps);
	changes_i64(ch, "referral_window_days", a && a->referral_window_days,
	            a ? a->referral_window_days : 0, b->referral_window_days != 0,
	            b->referral_window_days);
	changes_money(ch, "revenue_commitment", a ? &a->revenue_commitment : NULL,
	              &b->revenue_commitment);
	I64(start_date);
	I64(end_date);
	I64(term_months);
	I64(notice_days);
	changes_bool(ch, "auto_renew", a ? a->auto_renew : 0, b->auto_renew);
	changes_bool(ch, "exclusive", a ? a->exclusive : 0, b->exclusive);
	changes_i64(ch, "terminated_on", a && a->terminated_on, a ? a->terminated_on : 0,
	            b->terminated_on != 0, b->terminated_on);
#undef I64
#undef BPS
}

enum err
agreement_create(struct ctx *c, int64_t partner_id, const struct agreement_input *in,
                 struct agreement *out)
{
	struct partner p;
	struct changes ch;
	enum err rc;

	memset(out, 0, sizeof *out);
	if ((rc = partner_get(c, partner_id, &p)) || (rc = may_write(c)))
		return rc;
	out->partner_id = partner_id;
	out->type = p.type;
	out->discount_bps = out->fee_bps = out->split_bps = out->services_discount_bps = BPS_NONE;
	if ((rc = apply(c, in, out, 1)))
		return rc;
	out->created_at = out->updated_at = c->now;
	if ((rc = store_agreement_insert(c, out)))
		return rc;
	changes_init(&ch);
	diff(&ch, NULL, out);
	return audit_write(c, "create", "agreement", out->id, &ch);
}

enum err
agreement_get(struct ctx *c, int64_t partner_id, int64_t id, struct agreement *out)
{
	enum err rc;
	struct partner p;

	if ((rc = partner_get(c, partner_id, &p)))
		return rc;
	rc = store_agreement_get(c, partner_id, id, out);
	if (rc == ERR_NOTFOUND)
		return err_set(c->ei, rc, NULL, "no agreement %lld for partner %lld", (long long)id,
		               (long long)partner_id);
	return rc;
}

enum err
agreement_update(struct ctx *c, int64_t partner_id, int64_t id, const struct agreement_input *in,
                 struct agreement *out)
{
	struct agreement old;
	struct changes ch;
	enum err rc;

	if ((rc = agreement_get(c, partner_id, id, &old)) || (rc = may_write(c)))
		return rc;
	if (old.terminated_on)
		return err_set(c->ei, ERR_CONFLICT, NULL, "a terminated agreement does not change");
	*out = old;
	if ((rc = apply(c, in, out, 0)))
		return rc;
	out->updated_at = c->now;
	changes_init(&ch);
	diff(&ch, &old, out);
	if (changes_empty(&ch)) {
		changes_release(&ch);
		*out = old;
		return ERR_OK;
	}
	if ((rc = store_agreement_update(c, out))) {
		changes_release(&ch);
		return rc;
	}
	return audit_write(c, "update", "agreement", id, &ch);
}

enum err
agreement_terminate(struct ctx *c, int64_t partner_id, int64_t id, struct agreement *out)
{
	struct agreement old;
	struct changes ch;
	int64_t today = c->now / 86400;
	enum err rc;

	if ((rc = agreement_get(c, partner_id, id, &old)) || (rc = may_write(c)))
		return rc;
	if (old.terminated_on)
		return err_set(c->ei, ERR_CONFLICT, NULL, "the agreement is already terminated");
	if (!strcmp(agreement_status(&old, today, NULL), "expired"))
		return err_set(c->ei, ERR_CONFLICT, NULL, "the agreement has expired");
	*out = old;
	out->terminated_on = today;
	out->updated_at = c->now;
	changes_init(&ch);
	diff(&ch, &old, out);
	if ((rc = store_agreement_update(c, out))) {
		changes_release(&ch);
		return rc;
	}
	return audit_write(c, "terminate", "agreement", id, &ch);
}

enum err
agreement_list(struct ctx *c, struct agreement_filter *f, struct agreement **items, size_t *n)
{
	struct partner p;
	enum err rc;

	if ((rc = partner_get(c, f->partner_id, &p)))
		return rc;
	f->today = c->now / 86400;
	return store_agreement_list(c, f, items, n);
}
