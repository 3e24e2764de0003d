"""The security boundary: partner users see only their own partner's records,
and get 404 (never 403, never a hint) for another partner's."""

import itertools
import json
import re
import urllib.parse

from helpers import (ADMIN, ATLAS_CONSULTANT, BF_ADMIN, BF_SALES, KESTREL_ADMIN, LUMEN_SALES,
                     NW_ADMIN, NW_MARKETING, NW_SALES, PARTNER_USERS, check, eq, expect_error,
                     expect_json, walk)


def agreements_of(s, pid):
    items, _ = walk(lambda p: s.get(p, as_user=ADMIN), f"/api/v1/partners/{pid}/agreements", 500)
    return items


def all_partners(s):
    items, _ = walk(lambda p: s.get(p, as_user=ADMIN), "/api/v1/partners", 500)
    return items


def all_users(s):
    items, _ = walk(lambda p: s.get(p, as_user=ADMIN), "/api/v1/users", 500)
    return items


def same_404(r_other, r_missing, other_id, missing_id):
    """The answer for another partner's record must be the answer for no record."""
    e1 = expect_error(r_other, 404)
    e2 = expect_error(r_missing, 404)
    m1 = re.sub(r"\b%d\b" % other_id, "N", e1["message"])
    m2 = re.sub(r"\b%d\b" % missing_id, "N", e2["message"])
    eq((e1["field"], m1), (e2["field"], m2),
       f"{r_other.where()} vs {r_missing.where()}: 404 answers differ, which tells that the "
       f"record exists")


def test_other_partner_404(t):
    s = t.server
    a2 = agreements_of(s, 2)[0]["id"]
    a1 = agreements_of(s, 1)[0]["id"]
    for who in (NW_ADMIN, NW_SALES, NW_MARKETING):
        same_404(s.get("/api/v1/partners/2", as_user=who),
                 s.get("/api/v1/partners/999999", as_user=who), 2, 999999)
        same_404(s.req("PATCH", "/api/v1/partners/2", body={"region": "x"}, as_user=who),
                 s.req("PATCH", "/api/v1/partners/999999", body={"region": "x"}, as_user=who),
                 2, 999999)
        same_404(s.get("/api/v1/partners/2/agreements", as_user=who),
                 s.get("/api/v1/partners/999999/agreements", as_user=who), 2, 999999)
        expect_error(s.get(f"/api/v1/partners/2/agreements/{a2}", as_user=who), 404)
        expect_error(s.get(f"/api/v1/partners/1/agreements/{a2}", as_user=who), 404)
        expect_error(s.req("POST", "/api/v1/partners/2/agreements", body={}, as_user=who), 404)
        expect_error(s.req("PATCH", f"/api/v1/partners/2/agreements/{a2}",
                           body={"notice_days": 1}, as_user=who), 404)
        expect_error(s.req("POST", f"/api/v1/partners/2/agreements/{a2}/terminate", body={},
                           as_user=who), 404)
        # the partner's own agreement is readable
        expect_json(s.get(f"/api/v1/partners/1/agreements/{a1}", as_user=who), 200)
    # and nothing changed
    p2 = expect_json(s.get("/api/v1/partners/2", as_user=ADMIN), 200)
    check(p2["region"] != "x", "partner 2 was changed by partner 1's user")
    eq(expect_json(s.get(f"/api/v1/partners/2/agreements/{a2}", as_user=ADMIN), 200)["status"],
       "active", "partner 2's agreement after partner 1's attempts")


def test_other_partner_users_404(t):
    s = t.server
    users = all_users(s)
    bf = [u["id"] for u in users if u["partner_id"] == 2]
    check(bf, "partner 2 has no users")
    for uid in bf:
        same_404(s.get(f"/api/v1/users/{uid}", as_user=NW_ADMIN),
                 s.get("/api/v1/users/999999", as_user=NW_ADMIN), uid, 999999)
        same_404(s.req("PATCH", f"/api/v1/users/{uid}", body={"name": "x"}, as_user=NW_ADMIN),
                 s.req("PATCH", "/api/v1/users/999999", body={"name": "x"}, as_user=NW_ADMIN),
                 uid, 999999)
    expect_error(s.get("/api/v1/users?partner_id=2", as_user=NW_ADMIN), 404)
    expect_error(s.get("/api/v1/users?partner_id=999999", as_user=NW_ADMIN), 404)
    # a partner user without user management gets the same answer for a
    # user of another partner as for no user at all
    for who in (NW_SALES,):
        r1 = s.get(f"/api/v1/users/{bf[0]}", as_user=who)
        r2 = s.get("/api/v1/users/999999", as_user=who)
        check(r1.status in (403, 404), f"{r1.where()} as {who}: {r1.short()}")
        eq(r1.status, r2.status, f"GET of another partner's user vs no user as {who}")


def test_lists_hold_only_own_rows(t):
    s = t.server
    for who, pid in PARTNER_USERS.items():
        items, _ = walk(lambda p: s.get(p, as_user=who), "/api/v1/partners", 2)
        eq([p["id"] for p in items], [pid], f"partners listed to {who}")
        for q in ("q=bluefin", "q=northwind", "status=active", "type=referral", "country=GB",
                  "region=EMEA", "account_manager_id=2"):
            j = expect_json(s.get(f"/api/v1/partners?{q}&limit=500", as_user=who), 200)
            check(all(p["id"] == pid for p in j["items"]),
                  f"GET /api/v1/partners?{q} as {who}: {[p['id'] for p in j['items']]}")
    for who in (NW_ADMIN, BF_ADMIN, KESTREL_ADMIN):
        pid = PARTNER_USERS[who]
        items, _ = walk(lambda p: s.get(p, as_user=who), "/api/v1/users", 1)
        check(items, f"{who} lists no users")
        for u in items:
            eq(u["partner_id"], pid, f"partner_id of user {u['id']} listed to {who}")
        for q in ("q=bluefin", "q=north", "role=partner_admin", "active=true",
                  f"partner_id={pid}"):
            j = expect_json(s.get(f"/api/v1/users?{q}&limit=500", as_user=who), 200)
            check(all(u["partner_id"] == pid for u in j["items"]),
                  f"GET /api/v1/users?{q} as {who}: {[u['partner_id'] for u in j['items']]}")


def test_cursor_from_another_list_leaks_nothing(t):
    # a cursor is opaque: reusing the admin's cursor as a partner user must not
    # widen what the partner user sees
    s = t.server
    j = expect_json(s.get("/api/v1/partners?limit=1", as_user=ADMIN), 200)
    cur = j["next_cursor"]
    r = s.get(f"/api/v1/partners?limit=500&cursor={cur}", as_user=BF_SALES)
    if r.status == 200:
        check(all(p["id"] == 2 for p in r.json["items"]),
              f"partner 2's user with the admin's cursor sees {[p['id'] for p in r.json['items']]}")
    else:
        expect_error(r, 400)


def _fill(s):
    """Every GET route of the served OpenAPI document, with each path
    parameter filled with every value that names a record (and some that name
    none)."""
    partners = [p["id"] for p in all_partners(s)]
    users = [u["id"] for u in all_users(s)]
    # the nested route: the demo partners' agreements under every demo partner
    # (other tests add many partners; their agreements add nothing new here)
    demo = [p for p in partners if p <= 12]
    agreements = []
    for pid in demo:
        agreements += [(pid, a["id"]) for a in agreements_of(s, pid)]
    spec = s.get("/api/v1/openapi.json").json
    groups = ["agreements", "tiers"]
    try:
        groups = spec["components"]["parameters"]["SettingsGroup"]["schema"]["enum"]
    except (KeyError, TypeError):
        pass
    out = []
    for path, ops in spec["paths"].items():
        if "get" not in ops or path == "/api/v1/openapi.json":
            continue
        params = re.findall(r"\{([^}]+)\}", path)
        if not params:
            out.append(path)
        elif path == "/api/v1/partners/{id}/agreements/{agreement_id}":
            pids = demo + [999999]
            aids = sorted({a for _, a in agreements}) + [999999]
            for pid, aid in itertools.product(pids, aids):
                out.append(f"/api/v1/partners/{pid}/agreements/{aid}")
        elif params == ["id"] and path.startswith("/api/v1/partners/"):
            out += [path.replace("{id}", str(i)) for i in partners + [999999]]
        elif params == ["id"] and path.startswith("/api/v1/users/"):
            out += [path.replace("{id}", str(i)) for i in users + [999999]]
        elif params == ["group"]:
            out += [path.replace("{group}", g) for g in groups]
        else:
            # a route this test does not know yet: try small ids everywhere
            vals = [str(i) for i in range(1, 21)]
            for combo in itertools.product(vals, repeat=len(params)):
                p = path
                for name, v in zip(params, combo):
                    p = p.replace("{" + name + "}", v)
                out.append(p)
    return out


def test_every_get_route_hides_other_partners(t):
    s = t.server
    partners = {p["id"]: p for p in all_partners(s)}
    users = all_users(s)
    paths = _fill(s)
    check(len(paths) > 50, f"only {len(paths)} GET paths to try")
    # list routes also with search and filter parameters that name another partner
    extra = []
    for pid, p in partners.items():
        extra.append(f"/api/v1/partners?q={urllib.parse.quote(p['name'])}")
        extra.append(f"/api/v1/users?partner_id={pid}")
    for who in (NW_SALES, NW_ADMIN, BF_ADMIN, ATLAS_CONSULTANT, LUMEN_SALES):
        own = PARTNER_USERS[who]
        secrets = []
        for pid, p in partners.items():
            if pid == own:
                continue
            secrets.append(p["name"])
            if p.get("domain"):
                secrets.append(p["domain"])
        for u in users:
            if u["partner_id"] not in (None, own):
                secrets.append(u["email"])
        statuses = {}
        for path in paths + extra:
            r = s.get(path, as_user=who)
            statuses[r.status] = statuses.get(r.status, 0) + 1
            check(r.status < 500, f"GET {path} as {who}: {r.short()}")
            text = r.text
            if r.json is not None:
                text += json.dumps(r.json, ensure_ascii=False)
            for sec in secrets:
                check(sec not in text,
                      f"GET {path} as {who} (partner {own}) shows {sec!r}: {r.short(200)}")
        check(statuses.get(200), f"no GET route answered 200 to {who}: {statuses}")
