"""Partners: /api/v1/partners."""

import urllib.parse

from helpers import (ADMIN, CHANNEL, CURSOR_RE, FINANCE, MARKETING, NW_ADMIN, NW_SALES, REP,
                     SALES_MANAGER, TIME_RE, check, eq, expect_error, expect_json, walk)

PARTNER_FIELDS = {"id", "name", "type", "status", "tier", "domain", "country", "region",
                  "account_manager_id", "credit_line", "designated_consultants", "created_at",
                  "updated_at"}


def create(t, s, as_user=ADMIN, **fields):
    body = {"name": f"Partner {t.unique()}", "type": "reseller"}
    body.update(fields)
    r = s.req("POST", "/api/v1/partners", body=body, as_user=as_user)
    return expect_json(r, 201)


def q(s):
    return urllib.parse.quote(s)


def test_list_demo_partners(t):
    s = t.server
    j = expect_json(s.get("/api/v1/partners?limit=500", as_user=ADMIN), 200)
    eq(j["next_cursor"], None, "next_cursor of a list that fits")
    byid = {p["id"]: p for p in j["items"]}
    for i in range(1, 13):
        check(i in byid, f"demo partner {i} missing from the list")
    eq(byid[1]["name"], "Northwind Systems", "partner 1's name")
    eq(byid[9]["status"], "inactive", "partner 9's status")
    eq(byid[10]["status"], "terminated", "partner 10's status")
    ids = [p["id"] for p in j["items"]]
    eq(ids, sorted(ids), "partners are ordered by id")
    for p in j["items"]:
        eq(set(p), PARTNER_FIELDS, f"fields of partner {p['id']}")
    # every vendor role reads them all
    for who in (CHANNEL, SALES_MANAGER, REP, MARKETING, FINANCE):
        jj = expect_json(s.get("/api/v1/partners?limit=500", as_user=who), 200)
        eq(len(jj["items"]), len(j["items"]), f"number of partners {who} reads")


def test_pagination_walks_every_partner_once(t):
    s = t.server
    all_ = expect_json(s.get("/api/v1/partners?limit=500", as_user=ADMIN), 200)["items"]
    want = [p["id"] for p in all_]
    n = len(want)
    for limit in sorted({1, 2, 3, 5, 7, n - 1, n, n + 1}):
        if limit < 1:
            continue
        items, pages = walk(lambda p: s.get(p, as_user=ADMIN), "/api/v1/partners", limit)
        eq([p["id"] for p in items], want, f"ids walked with limit={limit}")
        for i, pg in enumerate(pages):
            last = i == len(pages) - 1
            check(len(pg["items"]) <= limit, f"limit={limit}: page {i} has {len(pg['items'])}")
            if not last:
                eq(len(pg["items"]), limit, f"limit={limit}: size of page {i} (not the last)")
                check(CURSOR_RE.match(pg["next_cursor"]), f"cursor {pg['next_cursor']!r}")
            else:
                check(pg["items"], f"limit={limit}: the last page is empty (next_cursor was "
                                   f"not null though nothing followed)")
        eq(len(pages), -(-n // limit), f"number of pages with limit={limit} for {n} partners")


def test_pagination_with_filter(t):
    s = t.server
    want = [p["id"] for p in expect_json(
        s.get("/api/v1/partners?status=active&limit=500", as_user=ADMIN), 200)["items"]]
    items, _ = walk(lambda p: s.get(p, as_user=ADMIN), "/api/v1/partners?status=active", 2)
    eq([p["id"] for p in items], want, "?status=active walked with limit=2")


def test_create_with_defaults(t):
    s = t.server
    name = f"Defaults {t.unique()}"
    r = s.req("POST", "/api/v1/partners", body={"name": name, "type": "affiliate"},
              as_user=ADMIN)
    p = expect_json(r, 201)
    eq(set(p), PARTNER_FIELDS, "fields of a created partner")
    check(isinstance(p["id"], int) and p["id"] > 0, f"id {p['id']!r}")
    eq((p["name"], p["type"], p["status"], p["tier"], p["designated_consultants"]),
       (name, "affiliate", "prospect", "registered", 0),
       "name, type, status, tier, designated_consultants")
    eq((p["domain"], p["country"], p["region"], p["account_manager_id"], p["credit_line"]),
       (None, None, None, None, None), "optional fields left out")
    check(TIME_RE.match(p["created_at"]) and TIME_RE.match(p["updated_at"]),
          f"times {p['created_at']!r} {p['updated_at']!r}")
    loc = r.header("location") or ""
    check(loc.endswith(f"/api/v1/partners/{p['id']}"), f"Location {loc!r}")
    path = urllib.parse.urlparse(loc).path or loc
    eq(expect_json(s.get(path, as_user=ADMIN), 200), p, "GET of the Location")


def test_create_full(t):
    s = t.server
    p = create(t, s, as_user=CHANNEL, type="oem", status="onboarding", domain="full.example",
               country="DE", region="EMEA", account_manager_id=2,
               credit_line={"amount": 123456, "currency": "EUR"}, designated_consultants=3)
    eq((p["type"], p["status"], p["domain"], p["country"], p["region"],
        p["account_manager_id"], p["credit_line"], p["designated_consultants"]),
       ("oem", "onboarding", "full.example", "DE", "EMEA", 2,
        {"amount": 123456, "currency": "EUR"}, 3), "created partner")


def test_country_names_and_codes(t):
    s = t.server
    for given, code in (("France", "FR"), ("fr", "FR"), ("FR", "FR"), ("united states", "US"),
                        ("United States", "US"), ("us", "US"), ("Germany", "DE")):
        p = create(t, s, country=given)
        eq(p["country"], code, f"country given as {given!r}")
    p = create(t, s, country="")
    eq(p["country"], None, "country given as \"\"")


def test_domain_normalised(t):
    s = t.server
    for given, want in (("https://www.Shop.Example.co.uk/path", "example.co.uk"),
                        ("WWW.Acme-Widgets.COM", "acme-widgets.com"),
                        ("http://sub.domain.example.org:8080/x?y=1", "example.org"),
                        ("sales@Mail.Northwind.example", "northwind.example")):
        p = create(t, s, domain=given)
        eq(p["domain"], want, f"domain given as {given!r}")


def test_empty_strings_are_absent(t):
    s = t.server
    p = create(t, s, region="", domain="")
    eq((p["region"], p["domain"]), (None, None), "region and domain given as \"\"")


def test_patch_subset(t):
    s = t.server
    p = create(t, s, region="APAC", country="JP")
    r = s.req("PATCH", f"/api/v1/partners/{p['id']}", body={"region": "EMEA"}, as_user=ADMIN)
    u = expect_json(r, 200)
    for k in PARTNER_FIELDS - {"region", "updated_at"}:
        eq(u[k], p[k], f"{k} after PATCH of region only")
    eq(u["region"], "EMEA", "region after PATCH")
    check(u["updated_at"] >= p["updated_at"], "updated_at went back")
    u = expect_json(s.req("PATCH", f"/api/v1/partners/{p['id']}",
                          body={"status": "active", "country": "france",
                                "credit_line": {"amount": 500, "currency": "USD"},
                                "designated_consultants": 2}, as_user=CHANNEL), 200)
    eq((u["status"], u["country"], u["credit_line"], u["designated_consultants"], u["region"]),
       ("active", "FR", {"amount": 500, "currency": "USD"}, 2, "EMEA"), "after a second PATCH")
    u2 = expect_json(s.req("PATCH", f"/api/v1/partners/{p['id']}", body={}, as_user=ADMIN), 200)
    eq({k: u2[k] for k in PARTNER_FIELDS - {"updated_at"}},
       {k: u[k] for k in PARTNER_FIELDS - {"updated_at"}}, "after an empty PATCH")
    u3 = expect_json(s.req("PATCH", f"/api/v1/partners/{p['id']}",
                           body={"credit_line": None, "region": None}, as_user=ADMIN), 200)
    eq((u3["credit_line"], u3["region"]), (None, None), "credit_line and region set to null")
    eq(expect_json(s.get(f"/api/v1/partners/{p['id']}", as_user=ADMIN), 200), u3,
       "GET after PATCH")


def test_name_length_counts_characters(t):
    s = t.server
    p = create(t, s, name="é" * 199 + "x")
    eq(p["name"], "é" * 199 + "x", "a 200-character name of accented letters")
    expect_error(s.req("POST", "/api/v1/partners", body={"name": "é" * 201, "type": "oem"},
                       as_user=ADMIN), 422, field="name")
    p = create(t, s, name="Ünïcödé ✓ パートナー")
    eq(expect_json(s.get(f"/api/v1/partners/{p['id']}", as_user=ADMIN), 200)["name"],
       "Ünïcödé ✓ パートナー", "a name with non-Latin characters")


def test_tier_is_read_only(t):
    s = t.server
    r = s.req("POST", "/api/v1/partners", body={"name": "Tiered", "type": "oem",
                                                "tier": "gold"}, as_user=ADMIN)
    expect_error(r, 422, field="tier")
    p = create(t, s)
    expect_error(s.req("PATCH", f"/api/v1/partners/{p['id']}", body={"tier": "gold"},
                       as_user=ADMIN), 422, field="tier")


def test_create_validation_422(t):
    s = t.server
    base = {"name": "Valid Name", "type": "reseller"}
    cases = [
        ({"type": "reseller"}, "name"),
        ({"name": "No Type"}, "type"),
        (dict(base, name=""), "name"),
        (dict(base, name=None), "name"),
        (dict(base, name=123), "name"),
        (dict(base, name="x" * 201), "name"),
        (dict(base, type="distributor"), "type"),
        (dict(base, type="RESELLER"), "type"),
        (dict(base, status="dormant"), "status"),
        (dict(base, country="Atlantis"), "country"),
        (dict(base, country="XX"), "country"),
        (dict(base, domain="not a domain"), "domain"),
        (dict(base, designated_consultants=-1), "designated_consultants"),
        (dict(base, designated_consultants="3"), "designated_consultants"),
        (dict(base, account_manager_id=7), "account_manager_id"),  # a partner user
        (dict(base, account_manager_id=999999), "account_manager_id"),
        (dict(base, colour="blue"), "colour"),
        (dict(base, id=5), "id"),
    ]
    for body, field in cases:
        expect_error(s.req("POST", "/api/v1/partners", body=body, as_user=ADMIN), 422,
                     field=field)
    for cl in ({"amount": 100, "currency": "XYZ"}, {"amount": 100, "currency": "usd1"},
               {"amount": 1.5, "currency": "USD"}, {"amount": 100}, {"currency": "USD"},
               "100 USD"):
        e = expect_error(s.req("POST", "/api/v1/partners", body=dict(base, credit_line=cl),
                               as_user=ADMIN), 422)
        check(e["field"] and e["field"].startswith("credit_line"),
              f"credit_line {cl!r}: field {e['field']!r}, expected credit_line…")
    j = expect_json(s.get("/api/v1/partners?q=Valid%20Name", as_user=ADMIN), 200)
    eq(j["items"], [], "partners created by refused requests")


def test_patch_validation_422(t):
    s = t.server
    p = create(t, s)
    for body, field in (({"name": ""}, "name"), ({"name": None}, "name"),
                        ({"type": "distributor"}, "type"), ({"status": "dormant"}, "status"),
                        ({"status": None}, "status"), ({"country": "Atlantis"}, "country"),
                        ({"colour": "red"}, "colour"), ({"created_at": "2020-01-01T00:00:00Z"},
                                                        "created_at")):
        expect_error(s.req("PATCH", f"/api/v1/partners/{p['id']}", body=body, as_user=ADMIN),
                     422, field=field)
    eq(expect_json(s.get(f"/api/v1/partners/{p['id']}", as_user=ADMIN), 200), p,
       "partner after refused PATCHes")


def test_write_roles_403(t):
    s = t.server
    body = {"name": f"Forbidden {t.unique()}", "type": "reseller"}
    for who in (SALES_MANAGER, REP, MARKETING, FINANCE, NW_ADMIN, NW_SALES):
        expect_error(s.req("POST", "/api/v1/partners", body=body, as_user=who), 403)
    for who in (SALES_MANAGER, REP, MARKETING, FINANCE):
        expect_error(s.req("PATCH", "/api/v1/partners/2", body={"region": "x"}, as_user=who),
                     403)
    # a partner user may not change its own partner either (role, not scope)
    expect_error(s.req("PATCH", "/api/v1/partners/1", body={"region": "x"}, as_user=NW_ADMIN),
                 403)
    eq(expect_json(s.get("/api/v1/partners/1", as_user=ADMIN), 200)["region"], "North America",
       "partner 1's region after refused PATCHes")
    j = expect_json(s.get(f"/api/v1/partners?q={q(body['name'])}", as_user=ADMIN), 200)
    eq(j["items"], [], "partners created by refused requests")


def test_partner_user_reads_own_partner(t):
    s = t.server
    for who in (NW_ADMIN, NW_SALES):
        j = expect_json(s.get("/api/v1/partners", as_user=who), 200)
        eq([p["id"] for p in j["items"]], [1], f"partners listed to {who}")
        eq(expect_json(s.get("/api/v1/partners/1", as_user=who), 200)["name"],
           "Northwind Systems", f"GET /partners/1 as {who}")


def ids_of(s, query, as_user=ADMIN):
    items, _ = walk(lambda p: s.get(p, as_user=as_user), f"/api/v1/partners?{query}", 500)
    return items


def test_filters(t):
    s = t.server
    items = ids_of(s, "status=inactive")
    check(9 in [p["id"] for p in items] and all(p["status"] == "inactive" for p in items),
          f"?status=inactive: {[(p['id'], p['status']) for p in items]}")
    items = ids_of(s, "type=oem")
    check({3, 11} <= {p["id"] for p in items} and all(p["type"] == "oem" for p in items),
          f"?type=oem: {[(p['id'], p['type']) for p in items]}")
    for cq in ("FR", "fr", "France"):
        items = ids_of(s, f"country={cq}")
        check(8 in [p["id"] for p in items] and all(p["country"] == "FR" for p in items),
              f"?country={cq}: {[(p['id'], p['country']) for p in items]}")
    items = ids_of(s, "status=active&type=reseller")
    check({1, 12} <= {p["id"] for p in items}
          and all(p["status"] == "active" and p["type"] == "reseller" for p in items),
          f"?status=active&type=reseller: {[(p['id'], p['status'], p['type']) for p in items]}")
    items = ids_of(s, "region=EMEA")
    check(2 in [p["id"] for p in items] and all(p["region"] == "EMEA" for p in items),
          "?region=EMEA")
    items = ids_of(s, "account_manager_id=2")
    check(1 in [p["id"] for p in items] and all(p["account_manager_id"] == 2 for p in items),
          "?account_manager_id=2")
    items = ids_of(s, "tier=registered")
    check(1 in [p["id"] for p in items] and all(p["tier"] == "registered" for p in items),
          "?tier=registered")


def test_bad_filter_values_400(t):
    s = t.server
    for query in ("status=dormant", "type=distributor", "country=Atlantis",
                  "account_manager_id=abc", "account_manager_id=0", "status=ACTIVE"):
        expect_error(s.get(f"/api/v1/partners?{query}", as_user=ADMIN), 400)


def test_search_q(t):
    s = t.server
    for query, want in (("meridien", 8), ("Méridien", 8), ("MERIDIEN", 8), ("numerique", 8),
                        ("northwind", 1), ("NORTHWIND", 1), ("distribucion", 9),
                        ("cedar & pine", 7), ("bluefin", 2)):
        items = ids_of(s, f"q={q(query)}")
        check(want in [p["id"] for p in items],
              f"?q={query} does not find partner {want}: {[p['name'] for p in items]}")
    items = ids_of(s, "q=" + q("zzz-no-such-partner"))
    eq(items, [], "?q=zzz-no-such-partner")
    items = ids_of(s, "q=meridien&status=active")
    eq(items, [], "?q=meridien&status=active (Méridien is a prospect)")
    # a new partner is found at once, accents either way
    name = f"Société Générale d'Écoles {t.unique()}"
    p = create(t, s, name=name)
    items = ids_of(s, "q=" + q("societe generale d'ecoles"))
    check(p["id"] in [x["id"] for x in items], f"?q= does not find the new partner {name!r}")
    # q with SQL LIKE characters matches them literally
    items = ids_of(s, "q=" + q("%"))
    check(all("%" in x["name"] for x in items), "?q=% matches names without %")
    items = ids_of(s, "q=" + q("_"))
    check(all("_" in x["name"] for x in items), "?q=_ matches names without _")
