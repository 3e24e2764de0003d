/* JSON renderings shared by the handlers. */
#include <stdarg.h>
#include <stdio.h>

#include "api/api.h"
#include "base/clock.h"

json_t *
json_str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

json_t *
json_time(int64_t t)
{
	char buf[TIME_LEN];

	time_format(t, buf);
	return json_string(buf);
}

json_t *
json_date(int64_t days)
{
	char buf[DATE_LEN];

	date_format(days, buf);
	return json_string(buf);
}

json_t *
json_money(const struct money *m)
{
	if (!m || !m->currency[0])
		return json_null();
	return json_pack("{sIss}", "amount", (json_int_t)m->amount, "currency", m->currency);
}

static json_t *
ref_or_null(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

void
resp_location(struct req *rq, struct resp *rs, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	resp_header(rs, "Location", arena_strdup(&rq->arena, buf));
}

json_t *
user_json(const struct user *u)
{
	return json_pack("{sIsssosssosbsoso}", "id", (json_int_t)u->id, "email", u->email, "name",
	                 json_str_or_null(u->name), "role", u->role, "partner_id",
	                 ref_or_null(u->partner_id), "active", u->active, "created_at",
	                 json_time(u->created_at), "updated_at", json_time(u->updated_at));
}

json_t *
partner_json(const struct partner *p)
{
	json_t *j = json_pack("{sIsssssssssososo}", "id", (json_int_t)p->id, "name", p->name,
	                      "type", p->type, "status", p->status, "tier", p->tier, "domain",
	                      json_str_or_null(p->domain), "country", json_str_or_null(p->country),
	                      "region", json_str_or_null(p->region));

	if (!j)
		return NULL;
	json_object_set_new(j, "account_manager_id", ref_or_null(p->account_manager_id));
	json_object_set_new(j, "credit_line", json_money(&p->credit_line));
	json_object_set_new(j, "designated_consultants", json_integer(p->designated_consultants));
	json_object_set_new(j, "created_at", json_time(p->created_at));
	json_object_set_new(j, "updated_at", json_time(p->updated_at));
	return j;
}
