"""Audit events: /api/v1/audit-events (admin, read-only)."""

from helpers import (ADMIN, CHANNEL, FINANCE, NW_ADMIN, REP, TIME_RE, check, eq, expect_error,
                     expect_json, run_cli, walk)

EVENT_FIELDS = {"id", "at", "actor_id", "action", "entity", "entity_id", "changes"}


def events(s, query):
    j = expect_json(s.get(f"/api/v1/audit-events?{query}", as_user=ADMIN), 200)
    return j["items"]


def me(s, email):
    return expect_json(s.get("/api/v1/me", as_user=email), 200)["id"]


def test_partner_create_and_update_events(t):
    s = t.server
    name = f"Audited {t.unique()}"
    r = s.req("POST", "/api/v1/partners", body={"name": name, "type": "referral",
                                                "country": "fr", "region": "EMEA"},
              as_user=CHANNEL)
    p = expect_json(r, 201)
    pid = p["id"]
    expect_json(s.req("PATCH", f"/api/v1/partners/{pid}", body={"region": "APAC",
                                                                 "status": "active"},
                      as_user=ADMIN), 200)
    evs = events(s, f"entity=partner&entity_id={pid}")
    eq(len(evs), 2, f"events of partner {pid} ({[e['action'] for e in evs]})")
    upd, cre = evs
    for e in evs:
        eq(set(e), EVENT_FIELDS, "fields of an audit event")
        eq((e["entity"], e["entity_id"]), ("partner", pid), "entity, entity_id")
        check(TIME_RE.match(e["at"]), f"audit time {e['at']!r}")
    check(upd["id"] > cre["id"], "audit events are not newest first")
    eq((cre["action"], cre["actor_id"]), ("create", me(s, CHANNEL)), "create event action, actor")
    eq(cre["changes"].get("name"), [None, name], "create event changes.name")
    eq(cre["changes"].get("country"), [None, "FR"], "create event changes.country")
    eq(cre["changes"].get("type"), [None, "referral"], "create event changes.type")
    eq((upd["action"], upd["actor_id"]), ("update", me(s, ADMIN)), "update event action, actor")
    eq(upd["changes"], {"region": ["EMEA", "APAC"], "status": ["prospect", "active"]},
       "update event changes (only the changed fields)")
    # a PATCH that changes nothing writes nothing
    expect_json(s.req("PATCH", f"/api/v1/partners/{pid}", body={"region": "APAC"},
                      as_user=ADMIN), 200)
    eq(len(events(s, f"entity=partner&entity_id={pid}")), 2,
       "events after a PATCH that changed nothing")


def test_agreement_events(t):
    s = t.server
    pid = expect_json(s.req("POST", "/api/v1/partners", body={"name": f"Aud {t.unique()}",
                                                              "type": "reseller"},
                            as_user=ADMIN), 201)["id"]
    a = expect_json(s.req("POST", f"/api/v1/partners/{pid}/agreements", body={},
                          as_user=ADMIN), 201)
    expect_json(s.req("PATCH", f"/api/v1/partners/{pid}/agreements/{a['id']}",
                      body={"notice_days": 45}, as_user=ADMIN), 200)
    expect_json(s.req("POST", f"/api/v1/partners/{pid}/agreements/{a['id']}/terminate",
                      as_user=ADMIN), 200)
    evs = events(s, f"entity=agreement&entity_id={a['id']}")
    eq([e["action"] for e in evs][1:], ["update", "create"],
       "actions of an agreement's events, newest first")
    eq(len(evs), 3, "events of a created, updated and terminated agreement")
    eq(evs[1]["changes"], {"notice_days": [90, 45]}, "agreement update changes")


def test_filters(t):
    s = t.server
    admin_id = me(s, ADMIN)
    for e in events(s, f"actor_id={admin_id}&limit=100"):
        eq(e["actor_id"], admin_id, "?actor_id filter")
    for e in events(s, "action=update&limit=100"):
        eq(e["action"], "update", "?action filter")
    evs = events(s, "entity=user&limit=100")
    check(evs, "no user events")
    for e in evs:
        eq(e["entity"], "user", "?entity=user filter")
    eq(events(s, "entity_id=999999"), [], "?entity_id=999999")
    for q in ("entity=spaceship", "entity_id=abc", "actor_id=abc", "entity_id=0",
              "limit=0", "cursor=!!"):
        expect_error(s.get(f"/api/v1/audit-events?{q}", as_user=ADMIN), 400)


def test_newest_first_and_pagination(t):
    s = t.server
    items, _ = walk(lambda p: s.get(p, as_user=ADMIN), "/api/v1/audit-events", 7)
    ids = [e["id"] for e in items]
    eq(ids, sorted(set(ids), reverse=True), "audit ids walked with limit=7 (newest first, once)")
    check(len(ids) > 20, f"only {len(ids)} audit events")
    items2, _ = walk(lambda p: s.get(p, as_user=ADMIN), "/api/v1/audit-events", 500)
    eq([e["id"] for e in items2][:len(ids)], ids, "limit=500 walk agrees with limit=7")


def test_only_admin_reads_audit_403(t):
    s = t.server
    for who in (CHANNEL, REP, FINANCE, NW_ADMIN):
        expect_error(s.get("/api/v1/audit-events", as_user=who), 403)


def test_settings_change_is_audited(t):
    s = t.server
    cur = expect_json(s.get("/api/v1/settings/agreements", as_user=ADMIN), 200)
    new = dict(cur, notice_days=cur["notice_days"] + 1)
    try:
        expect_json(s.req("PUT", "/api/v1/settings/agreements", body=new, as_user=ADMIN), 200)
    finally:
        expect_json(s.req("PUT", "/api/v1/settings/agreements", body=cur, as_user=ADMIN), 200)
    evs = events(s, "entity=settings&limit=2")
    eq(len(evs), 2, "settings events after two PUTs")
    check(all(e["actor_id"] == me(s, ADMIN) for e in evs), "actor of the settings events")


def test_passwords_never_in_audit(t):
    s = t.server
    pw1, pw2 = "first-secret-password-1", "second-secret-password-2"
    email = f"{t.unique('aud')}@audit.example"
    u = expect_json(s.req("POST", "/api/v1/users", body={"email": email, "role": "finance",
                                                         "password": pw1}, as_user=ADMIN), 201)
    expect_json(s.req("PATCH", f"/api/v1/users/{u['id']}", body={"password": pw2},
                      as_user=ADMIN), 200)
    cli_email = f"{t.unique('audcli')}@audit.example"
    pw3 = "third-secret-password-3"
    p = run_cli(t.bin, ["user", "add", "--email", cli_email, "--role", "marketing",
                        "--db", s.db], stdin=pw3 + "\n")
    eq(p.returncode, 0, f"user add exit status ({p.stderr.strip()})")
    s.login(email, "a-wrong-password-123")
    expect_json(s.login(email, pw2), 201)
    evs = events(s, f"entity=user&entity_id={u['id']}")
    check(len(evs) >= 2, f"events of user {u['id']}: {len(evs)}")
    upd = [e for e in evs if e["action"] == "update"]
    check(upd, "no update event for the password change")
    items, pages = walk(lambda p: s.get(p, as_user=ADMIN), "/api/v1/audit-events", 500)
    text = str(pages)
    for secret in (pw1, pw2, pw3, "tandem-demo-2026", "a-wrong-password-123", "$argon2"):
        check(secret not in text, f"the audit log contains {secret!r}")
    for e in items:
        if "password" in e["changes"]:
            ch = e["changes"]["password"]
            check(not any(isinstance(x, str) and len(x) >= 12 for x in ch),
                  f"audit event {e['id']} shows a password value: {ch}")
