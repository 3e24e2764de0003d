"""Agreements (/api/v1/partners/{id}/agreements) and the `agreements` settings."""

import copy
import datetime

from helpers import (ADMIN, CHANNEL, FINANCE, MARKETING, NW_ADMIN, NW_SALES, REP,
                     SALES_MANAGER, TIME_RE, add_months, check, eq, expect_error, expect_json,
                     request, today, walk)

AGREEMENT_FIELDS = {"id", "partner_id", "type", "discount_bps", "fee_bps", "split_bps",
                    "services_discount_bps", "referral_window_days", "revenue_commitment",
                    "start_date", "end_date", "term_months", "auto_renew", "notice_days",
                    "exclusive", "status", "created_at", "updated_at"}
TERMS = ("discount_bps", "fee_bps", "split_bps", "services_discount_bps",
         "referral_window_days", "revenue_commitment")

DEFAULT_SETTINGS = {
    "types": {"reseller": {"discount_bps": 3500}, "oem": {"discount_bps": 5000},
              "referral": {"fee_bps": 1250, "referral_window_days": 180},
              "affiliate": {"split_bps": 3000},
              "implementation": {"services_discount_bps": 2000}},
    "oem_revenue_commitment": {"amount": 100000000, "currency": "USD"},
    "term_months": 12, "notice_days": 90,
}

# API.md's table of default terms per type; every other term is null.
DEFAULT_TERMS = {
    "reseller": {"discount_bps": 3500},
    "oem": {"discount_bps": 5000,
            "revenue_commitment": {"amount": 100000000, "currency": "USD"}},
    "referral": {"fee_bps": 1250, "referral_window_days": 180},
    "affiliate": {"split_bps": 3000},
    "implementation": {"services_discount_bps": 2000},
}


def iso(d):
    return d.isoformat()


def new_partner(t, s, ptype="reseller"):
    r = s.req("POST", "/api/v1/partners", body={"name": f"Agr {ptype} {t.unique()}",
                                                "type": ptype, "status": "active"},
              as_user=ADMIN)
    return expect_json(r, 201)["id"]


def create(s, pid, body=None, as_user=ADMIN):
    r = s.req("POST", f"/api/v1/partners/{pid}/agreements", body={} if body is None else body,
              as_user=as_user)
    return expect_json(r, 201), r


def check_terms(a, ptype, what):
    want = DEFAULT_TERMS[ptype]
    for k in TERMS:
        eq(a[k], want.get(k), f"{what}: {k}")


def test_defaults_per_type(t):
    s = t.server
    d = today()
    for ptype in DEFAULT_TERMS:
        pid = new_partner(t, s, ptype)
        a, r = create(s, pid)
        what = f"{ptype} agreement created with {{}}"
        eq(set(a), AGREEMENT_FIELDS, f"{what}: fields")
        eq((a["partner_id"], a["type"]), (pid, ptype), f"{what}: partner_id, type")
        check_terms(a, ptype, what)
        eq((a["term_months"], a["auto_renew"], a["notice_days"], a["exclusive"], a["status"]),
           (12, True, 90, False, "active"),
           f"{what}: term_months, auto_renew, notice_days, exclusive, status")
        eq(a["start_date"], iso(d), f"{what}: start_date (today, UTC)")
        eq(a["end_date"], iso(add_months(d, 12)), f"{what}: end_date (start + 12 months)")
        check(TIME_RE.match(a["created_at"]) and TIME_RE.match(a["updated_at"]),
              f"{what}: times")
        loc = r.header("location") or ""
        check(loc.endswith(f"/api/v1/partners/{pid}/agreements/{a['id']}"), f"Location {loc!r}")
        eq(expect_json(s.get(f"/api/v1/partners/{pid}/agreements/{a['id']}", as_user=ADMIN),
                       200), a, f"{what}: GET")


def test_no_body_creates_with_defaults(t):
    s = t.server
    pid = new_partner(t, s, "referral")
    r = s.req("POST", f"/api/v1/partners/{pid}/agreements", as_user=ADMIN)
    a = expect_json(r, 201)
    check_terms(a, "referral", "agreement created without a body")


def test_type_given_overrides_partner_type(t):
    s = t.server
    pid = new_partner(t, s, "reseller")
    for ptype in DEFAULT_TERMS:
        a, _ = create(s, pid, {"type": ptype})
        eq(a["type"], ptype, "agreement type")
        check_terms(a, ptype, f"{ptype} agreement of a reseller partner")


def test_explicit_terms(t):
    s = t.server
    pid = new_partner(t, s, "oem")
    start = today() - datetime.timedelta(days=100)
    body = {"discount_bps": 5500, "revenue_commitment": {"amount": 250000, "currency": "EUR"},
            "start_date": iso(start), "term_months": 24, "auto_renew": False,
            "notice_days": 30, "exclusive": True}
    a, _ = create(s, pid, body)
    for k, v in body.items():
        eq(a[k], v, f"agreement {k}")
    eq(a["end_date"], iso(add_months(start, 24)), "end_date = start + 24 months")
    eq(a["status"], "active", "status")
    # boundaries of bps
    for v in (0, 10000):
        a, _ = create(s, pid, {"discount_bps": v})
        eq(a["discount_bps"], v, f"discount_bps {v}")


def test_status_from_dates(t):
    s = t.server
    pid = new_partner(t, s)
    d = today()
    start = d + datetime.timedelta(days=30)
    a, _ = create(s, pid, {"start_date": iso(start), "term_months": 6})
    eq(a["status"], "scheduled", "status of an agreement starting in 30 days")
    eq(a["end_date"], iso(add_months(start, 6)), "end_date of the scheduled agreement")
    a, _ = create(s, pid, {"start_date": "2020-01-01", "end_date": "2021-01-01",
                           "auto_renew": False})
    eq(a["status"], "expired", "status of a 2020 agreement without auto-renewal")
    a, _ = create(s, pid, {"start_date": "2020-01-01", "auto_renew": True})
    eq(a["status"], "active", "status of a 2020 agreement with auto-renewal")
    check(a["end_date"] >= iso(d), f"end_date {a['end_date']} of an auto-renewed agreement")
    a, _ = create(s, pid, {"start_date": iso(d - datetime.timedelta(days=10)),
                           "end_date": iso(d), "auto_renew": False})
    eq(a["status"], "active", "status of an agreement ending today")
    a, _ = create(s, pid, {"start_date": iso(d)})
    eq(a["status"], "active", "status of an agreement starting today")


def test_far_future_start_date(t):
    # An agreement starting on the last representable day: either refused
    # (422) or answered with an end_date after its start_date.
    s = t.server
    pid = new_partner(t, s)
    r = s.req("POST", f"/api/v1/partners/{pid}/agreements",
              body={"start_date": "9999-12-31", "term_months": 120}, as_user=ADMIN)
    if r.status == 422:
        expect_error(r, 422)
        return
    a = expect_json(r, 201)
    check(a["end_date"] > a["start_date"],
          f"POST {r.path} {{start_date 9999-12-31, term_months 120}}: answered end_date "
          f"{a['end_date']} before start_date {a['start_date']}: {r.short()}")


def test_auto_renewal_from_long_ago(t):
    # An auto-renewing agreement never expires (API.md: status derived from the
    # dates with auto-renewal), however old its start; a server may refuse such
    # dates (422) but must not call it expired.
    s = t.server
    pid = new_partner(t, s)
    d = today()
    for start, term in (("1990-01-01", 1), ("1950-06-15", 1), ("1900-01-01", 1)):
        r = s.req("POST", f"/api/v1/partners/{pid}/agreements",
                  body={"start_date": start, "term_months": term, "auto_renew": True},
                  as_user=ADMIN)
        if r.status == 422:
            expect_error(r, 422)
            continue
        a = expect_json(r, 201)
        check(a["status"] == "active" and a["end_date"] >= iso(d),
              f"POST {r.path} {{start_date {start}, term_months {term}, auto_renew true}}: "
              f"expected status active with end_date >= {iso(d)}, got status {a['status']} "
              f"end_date {a['end_date']}")


def test_terminate(t):
    s = t.server
    pid = new_partner(t, s)
    a, _ = create(s, pid)
    path = f"/api/v1/partners/{pid}/agreements/{a['id']}"
    r = s.req("POST", path + "/terminate", body={}, as_user=CHANNEL)
    tm = expect_json(r, 200)
    eq(tm["status"], "terminated", "status after terminate")
    for k in AGREEMENT_FIELDS - {"status", "updated_at", "end_date"}:
        eq(tm[k], a[k], f"{k} after terminate")
    eq(expect_json(s.get(path, as_user=ADMIN), 200)["status"], "terminated", "GET after terminate")
    expect_error(s.req("POST", path + "/terminate", body={}, as_user=ADMIN), 409)
    expect_error(s.req("POST", path + "/terminate", as_user=ADMIN), 409)
    expect_error(s.req("PATCH", path, body={"notice_days": 10}, as_user=ADMIN), 409)
    expect_error(s.req("PATCH", path, body={}, as_user=ADMIN), 409)
    j = expect_json(s.get(f"/api/v1/partners/{pid}/agreements?status=terminated", as_user=ADMIN),
                    200)
    eq([x["id"] for x in j["items"]], [a["id"]], "?status=terminated")
    # a scheduled agreement can be terminated too; terminate takes no body
    b, _ = create(s, pid, {"start_date": iso(today() + datetime.timedelta(days=5))})
    r = s.req("POST", f"/api/v1/partners/{pid}/agreements/{b['id']}/terminate", as_user=ADMIN)
    eq(expect_json(r, 200)["status"], "terminated", "terminating a scheduled agreement")
    c, _ = create(s, pid)
    r = s.req("POST", f"/api/v1/partners/{pid}/agreements/{c['id']}/terminate",
              body={"reason": "x"}, as_user=ADMIN)
    expect_error(r, 422, field="reason")
    r = s.req("POST", f"/api/v1/partners/{pid}/agreements/{c['id']}/terminate",
              raw=b"{}", content_type="text/plain", as_user=ADMIN)
    expect_error(r, 415)
    eq(expect_json(s.get(f"/api/v1/partners/{pid}/agreements/{c['id']}", as_user=ADMIN),
                   200)["status"], "active", "agreement after refused terminates")


def test_patch_subset(t):
    s = t.server
    pid = new_partner(t, s)
    a, _ = create(s, pid)
    path = f"/api/v1/partners/{pid}/agreements/{a['id']}"
    u = expect_json(s.req("PATCH", path, body={"notice_days": 60, "discount_bps": 4000},
                          as_user=ADMIN), 200)
    for k in AGREEMENT_FIELDS - {"notice_days", "discount_bps", "updated_at"}:
        eq(u[k], a[k], f"{k} after PATCH of notice_days and discount_bps")
    eq((u["notice_days"], u["discount_bps"]), (60, 4000), "patched fields")
    future = today() + datetime.timedelta(days=40)
    u = expect_json(s.req("PATCH", path, body={"start_date": iso(future),
                                               "end_date": iso(add_months(future, 12))},
                          as_user=CHANNEL), 200)
    eq(u["status"], "scheduled", "status after moving the start date to the future")
    eq(expect_json(s.get(path, as_user=ADMIN), 200), u, "GET after PATCH")
    # moving only the start past the end is refused
    expect_error(s.req("PATCH", path, body={"start_date": "2199-01-01"}, as_user=ADMIN), 422,
                 field="start_date")
    u2 = expect_json(s.req("PATCH", path, body={"exclusive": True, "auto_renew": False},
                           as_user=ADMIN), 200)
    eq((u2["exclusive"], u2["auto_renew"], u2["start_date"]), (True, False, u["start_date"]),
       "after PATCH of exclusive and auto_renew")


def test_validation_422(t):
    s = t.server
    pid = new_partner(t, s)
    d = today()
    cases = [
        ({"discount_bps": 10001}, "discount_bps"),
        ({"discount_bps": -1}, "discount_bps"),
        ({"fee_bps": 20000}, "fee_bps"),
        ({"split_bps": -5}, "split_bps"),
        ({"services_discount_bps": 10001}, "services_discount_bps"),
        ({"discount_bps": 35.5}, "discount_bps"),
        ({"discount_bps": "3500"}, "discount_bps"),
        ({"referral_window_days": 0}, "referral_window_days"),
        ({"start_date": "2026-13-01"}, "start_date"),
        ({"start_date": "2026-02-30"}, "start_date"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"start_date": "2026-1-5"}, "start_date"),
        ({"end_date": "31/12/2027"}, "end_date"),
        ({"start_date": iso(d), "end_date": iso(d - datetime.timedelta(days=1))}, "end_date"),
        ({"start_date": iso(d), "end_date": iso(d)}, "end_date"),
        ({"type": "distributor"}, "type"),
        ({"term_months": 0}, "term_months"),
        ({"term_months": 121}, "term_months"),
        ({"notice_days": -1}, "notice_days"),
        ({"auto_renew": "yes"}, "auto_renew"),
        ({"exclusive": 1}, "exclusive"),
        ({"status": "active"}, "status"),
        ({"partner_id": 2}, "partner_id"),
        ({"colour": "red"}, "colour"),
    ]
    for body, field in cases:
        r = s.req("POST", f"/api/v1/partners/{pid}/agreements", body=body, as_user=ADMIN)
        expect_error(r, 422, field=field)
    for cur in ("XYZ", "usd", "US", 5):
        e = expect_error(s.req("POST", f"/api/v1/partners/{pid}/agreements",
                               body={"revenue_commitment": {"amount": 5, "currency": cur}},
                               as_user=ADMIN), 422)
        check(e["field"] and e["field"].startswith("revenue_commitment"),
              f"revenue_commitment currency {cur!r}: field {e['field']!r}")
    j = expect_json(s.get(f"/api/v1/partners/{pid}/agreements", as_user=ADMIN), 200)
    eq(j["items"], [], "agreements created by refused requests")
    # the same rules on PATCH
    a, _ = create(s, pid)
    path = f"/api/v1/partners/{pid}/agreements/{a['id']}"
    for body, field in cases:
        if field in ("partner_id",):
            continue
        expect_error(s.req("PATCH", path, body=body, as_user=ADMIN), 422, field=field)
    expect_error(s.req("PATCH", path, body={"end_date": "2000-01-01"}, as_user=ADMIN), 422,
                 field="end_date")
    eq(expect_json(s.get(path, as_user=ADMIN), 200), a, "agreement after refused PATCHes")


def test_roles_403(t):
    s = t.server
    a = expect_json(s.get("/api/v1/partners/1/agreements", as_user=ADMIN), 200)["items"][0]
    path = f"/api/v1/partners/1/agreements/{a['id']}"
    for who in (SALES_MANAGER, REP, MARKETING, FINANCE, NW_ADMIN, NW_SALES):
        expect_error(s.req("POST", "/api/v1/partners/1/agreements", body={}, as_user=who), 403)
        expect_error(s.req("PATCH", path, body={"notice_days": 1}, as_user=who), 403)
        expect_error(s.req("POST", path + "/terminate", body={}, as_user=who), 403)
    eq(expect_json(s.get(path, as_user=ADMIN), 200), a, "agreement after refused writes")
    # reads: every vendor role, and the partner's own users
    for who in (SALES_MANAGER, REP, MARKETING, FINANCE, NW_ADMIN, NW_SALES):
        eq(expect_json(s.get(path, as_user=who), 200)["id"], a["id"], f"GET as {who}")
        j = expect_json(s.get("/api/v1/partners/1/agreements", as_user=who), 200)
        check(a["id"] in [x["id"] for x in j["items"]], f"list as {who}")


def test_not_found_404(t):
    s = t.server
    a2 = expect_json(s.get("/api/v1/partners/2/agreements", as_user=ADMIN), 200)["items"][0]
    for path in ("/api/v1/partners/999999/agreements",
                 "/api/v1/partners/1/agreements/999999",
                 f"/api/v1/partners/1/agreements/{a2['id']}",  # partner 2's, under partner 1
                 "/api/v1/partners/1/agreements/abc",
                 "/api/v1/partners/1/agreements/0"):
        expect_error(s.get(path, as_user=ADMIN), 404)
    expect_error(s.req("PATCH", f"/api/v1/partners/1/agreements/{a2['id']}",
                       body={"notice_days": 1}, as_user=ADMIN), 404)
    expect_error(s.req("POST", f"/api/v1/partners/1/agreements/{a2['id']}/terminate",
                       body={}, as_user=ADMIN), 404)
    eq(expect_json(s.get(f"/api/v1/partners/2/agreements/{a2['id']}", as_user=ADMIN), 200)
       ["status"], a2["status"], "partner 2's agreement after refused writes")


def test_list_filters_and_pagination(t):
    s = t.server
    pid = new_partner(t, s)
    made = [create(s, pid)[0]["id"] for _ in range(3)]
    made.append(create(s, pid, {"type": "oem"})[0]["id"])
    made.append(create(s, pid, {"start_date": "2020-01-01", "auto_renew": False})[0]["id"])
    items, _ = walk(lambda p: s.get(p, as_user=ADMIN), f"/api/v1/partners/{pid}/agreements", 2)
    eq([a["id"] for a in items], made, "agreements walked with limit=2")
    j = expect_json(s.get(f"/api/v1/partners/{pid}/agreements?type=oem", as_user=ADMIN), 200)
    eq([a["id"] for a in j["items"]], [made[3]], "?type=oem")
    j = expect_json(s.get(f"/api/v1/partners/{pid}/agreements?status=expired", as_user=ADMIN),
                    200)
    eq([a["id"] for a in j["items"]], [made[4]], "?status=expired")
    j = expect_json(s.get(f"/api/v1/partners/{pid}/agreements?status=active", as_user=ADMIN), 200)
    eq([a["id"] for a in j["items"]], made[:4], "?status=active")
    for q in ("status=bogus", "type=distributor", "status=ACTIVE"):
        expect_error(s.get(f"/api/v1/partners/{pid}/agreements?{q}", as_user=ADMIN), 400)


# ------------------------------------------------------------------ settings

def test_settings_agreements_defaults_and_readers(t):
    s = t.server
    j = expect_json(s.get("/api/v1/settings/agreements", as_user=ADMIN), 200)
    eq(j, DEFAULT_SETTINGS, "GET /api/v1/settings/agreements")
    for who in (CHANNEL, SALES_MANAGER, REP, MARKETING, FINANCE):
        expect_json(s.get("/api/v1/settings/agreements", as_user=who), 200)
    for who in (NW_ADMIN, NW_SALES):
        expect_error(s.get("/api/v1/settings/agreements", as_user=who), 403)
        expect_error(s.get("/api/v1/settings/tiers", as_user=who), 403)
    expect_error(request(s.port, "GET", "/api/v1/settings/agreements"), 401)
    expect_error(s.get("/api/v1/settings/nonsense", as_user=ADMIN), 404)
    tiers = expect_json(s.get("/api/v1/settings/tiers", as_user=ADMIN), 200)
    eq([x["name"] for x in tiers["tiers"]], ["registered", "silver", "gold", "platinum"],
       "tier names")


def test_settings_put_roles_403(t):
    s = t.server
    for who in (CHANNEL, SALES_MANAGER, FINANCE, NW_ADMIN):
        expect_error(s.req("PUT", "/api/v1/settings/agreements", body=DEFAULT_SETTINGS,
                           as_user=who), 403)


def test_settings_put_validation_422(t):
    s = t.server
    before = expect_json(s.get("/api/v1/settings/agreements", as_user=ADMIN), 200)

    def variant(fn):
        v = copy.deepcopy(DEFAULT_SETTINGS)
        fn(v)
        return v

    cases = [
        (variant(lambda v: v.pop("notice_days")), "notice_days"),
        (variant(lambda v: v.pop("term_months")), "term_months"),
        (variant(lambda v: v.pop("oem_revenue_commitment")), "oem_revenue_commitment"),
        (variant(lambda v: v.pop("types")), "types"),
        (variant(lambda v: v["types"].pop("oem")), None),
        (variant(lambda v: v["types"]["referral"].pop("referral_window_days")), None),
        (variant(lambda v: v["types"]["reseller"].update(discount_bps=10001)), None),
        (variant(lambda v: v["types"]["affiliate"].update(split_bps=-1)), None),
        (variant(lambda v: v.update(term_months=0)), "term_months"),
        (variant(lambda v: v.update(notice_days="90")), "notice_days"),
        (variant(lambda v: v.update(colour="red")), "colour"),
        (variant(lambda v: v["types"].update(distributor={"discount_bps": 1})), None),
        (variant(lambda v: v["oem_revenue_commitment"].update(currency="XYZ")), None),
        ({}, None),
    ]
    for body, field in cases:
        e = expect_error(s.req("PUT", "/api/v1/settings/agreements", body=body, as_user=ADMIN),
                         422)
        check(e["field"], f"PUT /api/v1/settings/agreements {body}: no field named in {e}")
        if field:
            eq(e["field"], field, f"error field of PUT with {field} wrong or missing")
    eq(expect_json(s.get("/api/v1/settings/agreements", as_user=ADMIN), 200), before,
       "settings after refused PUTs")


def test_settings_change_the_next_agreement(t):
    s = t.server
    new = {
        "types": {"reseller": {"discount_bps": 4100}, "oem": {"discount_bps": 6000},
                  "referral": {"fee_bps": 1000, "referral_window_days": 90},
                  "affiliate": {"split_bps": 2500},
                  "implementation": {"services_discount_bps": 1500}},
        "oem_revenue_commitment": {"amount": 5000000, "currency": "EUR"},
        "term_months": 24, "notice_days": 30,
    }
    pids = {pt: new_partner(t, s, pt) for pt in DEFAULT_TERMS}
    try:
        r = s.req("PUT", "/api/v1/settings/agreements", body=new, as_user=ADMIN)
        eq(expect_json(r, 200), new, "answer of PUT /api/v1/settings/agreements")
        eq(expect_json(s.get("/api/v1/settings/agreements", as_user=CHANNEL), 200), new,
           "GET after PUT")
        d = today()
        want = {"reseller": {"discount_bps": 4100},
                "oem": {"discount_bps": 6000,
                        "revenue_commitment": {"amount": 5000000, "currency": "EUR"}},
                "referral": {"fee_bps": 1000, "referral_window_days": 90},
                "affiliate": {"split_bps": 2500},
                "implementation": {"services_discount_bps": 1500}}
        for pt, pid in pids.items():
            a, _ = create(s, pid)
            for k in TERMS:
                eq(a[k], want[pt].get(k), f"{pt} agreement after the settings change: {k}")
            eq((a["term_months"], a["notice_days"], a["end_date"]),
               (24, 30, iso(add_months(d, 24))),
               f"{pt} agreement after the settings change: term_months, notice_days, end_date")
    finally:
        r = s.req("PUT", "/api/v1/settings/agreements", body=DEFAULT_SETTINGS, as_user=ADMIN)
    eq(expect_json(r, 200), DEFAULT_SETTINGS, "PUT of the default settings back")
    a, _ = create(s, pids["reseller"])
    check_terms(a, "reseller", "reseller agreement after restoring the settings")
