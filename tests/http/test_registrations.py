"""Deal registrations under the rules of engagement, and the conflict engine
through /api/v1/deal-registrations, /api/v1/conflict-check, /api/v1/accounts."""

import datetime
import time

from helpers import (ADMIN, BF_ADMIN, BF_SALES, CHANNEL, FINANCE, NW_ADMIN, NW_SALES, REP,
                     SALES_MANAGER, check, eq, expect_error, expect_json, today)

REG = "/api/v1/deal-registrations"


def future(days=60):
    return (today() + datetime.timedelta(days=days)).isoformat()


def body(name, domain=None, country=None, **extra):
    b = {"customer": {"name": name}, "amount": {"amount": 2500000, "currency": "USD"},
         "expected_close": future()}
    if domain:
        b["customer"]["domain"] = domain
    if country:
        b["customer"]["country"] = country
    b.update(extra)
    return b


def submit(s, as_user, name, domain=None, country=None, status=201, **extra):
    r = s.req("POST", REG, body=body(name, domain, country, **extra), as_user=as_user)
    return expect_json(r, status)


def kinds(reg):
    return {(c["kind"], c["level"]) for c in reg["conflicts"]}


def test_submit_as_partner(t):
    s = t.server
    u = t.unique()
    r = s.req("POST", REG, as_user=NW_SALES,
              body=body(f"Zephyr {u} Analytics", f"zephyr-{u}.test", "Germany",
                        contact={"name": "Jane Buyer", "email": "Jane@Zephyr.test"},
                        products=["Platform", "Support"], notes="Met at a fair.\nFollow up."))
    j = expect_json(r, 201)
    eq(r.header("location"), f"{REG}/{j['id']}", "Location")
    eq(j["partner_id"], 1, "partner_id implied")
    eq(j["status"], "submitted", "status")
    eq(j["customer"], {"name": f"Zephyr {u} Analytics", "domain": f"zephyr-{u}.test",
                       "country": "DE"}, "customer normalised")
    eq(j["contact"]["email"], "jane@zephyr.test", "contact e-mail")
    eq(j["products"], ["Platform", "Support"], "products")
    eq(j["amount"], {"amount": 2500000, "currency": "USD"}, "amount")
    eq(j["conflicts"], [], "a new customer has no conflicts")
    for k in ("decided_at", "decided_by", "protected_until", "winner_id", "opportunity_id"):
        eq(j[k], None, k)
    eq(j["escalated"], False, "escalated")
    got = expect_json(s.get(f"{REG}/{j['id']}", as_user=NW_ADMIN), 200)
    eq(got["id"], j["id"], "read back")


def test_submit_errors(t):
    s = t.server
    expect_error(s.req("POST", REG, as_user=NW_SALES, body={"amount": {"amount": 1,
                 "currency": "USD"}, "expected_close": future()}), 422, "customer")
    expect_error(s.req("POST", REG, as_user=NW_SALES, body=body("")), 422, "customer.name")
    b = body("Acme")
    b["amount"] = {"amount": 0, "currency": "USD"}
    expect_error(s.req("POST", REG, as_user=NW_SALES, body=b), 422, "amount.amount")
    b = body("Acme")
    b["expected_close"] = (today() - datetime.timedelta(days=1)).isoformat()
    expect_error(s.req("POST", REG, as_user=NW_SALES, body=b), 422, "expected_close")
    expect_error(s.req("POST", REG, as_user=NW_SALES, body=body("Acme", country="Atlantis")),
                 422, "customer.country")
    expect_error(s.req("POST", REG, as_user=NW_SALES, body=body("Acme", "jane@gmail.com")),
                 422, "customer.domain")
    expect_error(s.req("POST", REG, as_user=NW_SALES, body=body("Acme", extra_field=1)), 422,
                 "extra_field")
    expect_error(s.req("POST", REG, as_user=NW_SALES, body=body("Acme", products="x")), 422,
                 "products")
    # a partner names another partner: 404; a vendor must name one
    expect_error(s.req("POST", REG, as_user=NW_SALES, body=body("Acme", partner_id=2)), 404)
    expect_error(s.req("POST", REG, as_user=REP, body=body("Acme")), 422, "partner_id")
    j = submit(s, REP, f"Vendor Entered {t.unique()}", partner_id=2)
    eq(j["partner_id"], 2, "registered on behalf of partner 2")
    # only active partners register: partner 9 is inactive
    expect_error(s.req("POST", REG, as_user=ADMIN, body=body("Acme", partner_id=9)), 409)
    expect_error(s.req("POST", REG, as_user=FINANCE, body=body("Acme", partner_id=1)), 403)
    expect_error(s.req("POST", REG, as_user=NW_SALES, body=body("Acme"),
                       content_type="text/plain"), 415)


def test_duplicate_registration_first_wins(t):
    """Both partners acquire the same lead: the earliest submission wins; the
    later one is flagged duplicate with a link to the winner; approving it
    while the winner is protected is refused unless an admin overrides."""
    s = t.server
    u = t.unique()
    first = submit(s, NW_SALES, f"Acme Rockets {u} Inc", f"acme-rockets-{u}.test", "US")
    later = submit(s, BF_SALES, f"ACME ROCKETS {u} Incorporated",
                   f"https://www.acme-rockets-{u}.test/contact", "United States")
    check(("duplicate_registration", "certain") in kinds(later),
          f"later registration's conflicts: {later['conflicts']}")
    c = [c for c in later["conflicts"] if c["kind"] == "duplicate_registration"][0]
    eq(c["record_type"], "deal_registration", "record_type")
    check("same_domain" in c["reasons"], f"reasons {c['reasons']}")
    check(0 < c["score"] <= 1, f"score {c['score']}")
    # the partner learns that there is one, never which or whose
    eq(c["record_id"], None, "record_id for the partner")
    eq(later["winner_id"], None, "winner_id hidden from the partner")
    text = s.get(f"{REG}/{later['id']}", as_user=BF_SALES).text
    check("Northwind" not in text and f'"record_id":{first["id"]}' not in text,
          "the other partner leaks into the partner's view")
    # the vendor sees the record and the winner
    v = expect_json(s.get(f"{REG}/{later['id']}", as_user=SALES_MANAGER), 200)
    ids = [c["record_id"] for c in v["conflicts"] if c["kind"] == "duplicate_registration"]
    check(first["id"] in ids, f"vendor view conflicts {v['conflicts']}")
    eq(v["winner_id"], first["id"], "winner_id for the vendor")
    # decisions
    a = expect_json(s.req("POST", f"{REG}/{first['id']}/approve", body={"note": "ok"},
                          as_user=SALES_MANAGER), 200)
    eq(a["status"], "approved", "status")
    eq(a["protected_until"], (today() + datetime.timedelta(days=90)).isoformat(),
       "protected 90 days")
    eq(a["note"], "ok", "note")
    check(a["decided_by"] is not None and a["decided_at"], "decided by and at")
    expect_error(s.req("POST", f"{REG}/{later['id']}/approve", body={}, as_user=SALES_MANAGER),
                 409)
    expect_error(s.req("POST", f"{REG}/{later['id']}/approve", body={"override": True},
                       as_user=SALES_MANAGER), 403)
    o = expect_json(s.req("POST", f"{REG}/{later['id']}/approve", body={"override": True},
                          as_user=ADMIN), 200)
    eq(o["status"], "approved", "approved with override")
    eq(o["winner_id"], first["id"], "the overridden one links to the winner")
    ev = expect_json(s.get(f"/api/v1/audit-events?entity=registration&entity_id={later['id']}",
                           as_user=ADMIN), 200)["items"]
    check(any(e["action"] == "approve_override" for e in ev), f"audit {ev}")


def test_decisions(t):
    s = t.server
    j = submit(s, NW_SALES, f"Decided {t.unique()} GmbH")
    rid = j["id"]
    expect_error(s.req("POST", f"{REG}/{rid}/approve", body={}, as_user=NW_ADMIN), 403)
    expect_error(s.req("POST", f"{REG}/{rid}/approve", body={}, as_user=REP), 403)
    expect_error(s.req("POST", f"{REG}/{rid}/reject", body={}, as_user=SALES_MANAGER), 422,
                 "reason")
    r = expect_json(s.req("POST", f"{REG}/{rid}/reject", body={"reason": "not qualified"},
                          as_user=SALES_MANAGER), 200)
    eq(r["status"], "rejected", "status")
    eq(r["reason"], "not qualified", "reason")
    expect_error(s.req("POST", f"{REG}/{rid}/approve", body={}, as_user=ADMIN), 409)
    expect_error(s.req("POST", f"{REG}/{rid}/reject", body={"reason": "x"}, as_user=ADMIN), 409)
    expect_error(s.req("POST", f"{REG}/{rid}/withdraw", body={}, as_user=NW_SALES), 409)
    expect_error(s.req("POST", f"{REG}/999999/approve", body={}, as_user=ADMIN), 404)
    expect_error(s.req("POST", f"{REG}/{rid}/approve", body={"bogus": 1}, as_user=ADMIN), 422,
                 "bogus")
    ev = expect_json(s.get(f"/api/v1/audit-events?entity=registration&entity_id={rid}",
                           as_user=ADMIN), 200)["items"]
    eq([e["action"] for e in ev], ["reject", "submit"], "audit trail, newest first")
    eq(ev[0]["changes"]["status"], ["submitted", "rejected"], "audited change")


def test_extend_and_withdraw(t):
    s = t.server
    j = submit(s, NW_SALES, f"Extended {t.unique()} Ltd")
    rid = j["id"]
    expect_error(s.req("POST", f"{REG}/{rid}/extend", body={}, as_user=NW_SALES), 409)
    a = expect_json(s.req("POST", f"{REG}/{rid}/approve", body={}, as_user=SALES_MANAGER), 200)
    e = expect_json(s.req("POST", f"{REG}/{rid}/extend", as_user=NW_SALES), 200)
    eq(e["extensions"], 1, "extensions")
    until = datetime.date.fromisoformat(a["protected_until"]) + datetime.timedelta(days=90)
    eq(e["protected_until"], until.isoformat(), "extended by 90 days")
    expect_error(s.req("POST", f"{REG}/{rid}/extend", body={}, as_user=NW_SALES), 409)
    expect_error(s.req("POST", f"{REG}/{rid}/extend", body={}, as_user=REP), 403)
    expect_error(s.req("POST", f"{REG}/{rid}/withdraw", body={}, as_user=SALES_MANAGER), 403)
    expect_error(s.req("POST", f"{REG}/{rid}/withdraw", body={}, as_user=BF_SALES), 404)
    w = expect_json(s.req("POST", f"{REG}/{rid}/withdraw", body={}, as_user=NW_SALES), 200)
    eq(w["status"], "withdrawn", "withdrawn")
    # a withdrawn registration no longer conflicts
    chk = expect_json(s.req("POST", "/api/v1/conflict-check", as_user=BF_SALES,
                            body={"customer": {"name": j["customer"]["name"]}}), 200)
    eq([c for c in chk["conflicts"] if c["kind"] == "duplicate_registration"], [],
       "conflicts of a withdrawn registration")


def test_direct_account_conflict(t):
    """The company (direct) has the lead first: the registration is flagged
    direct conflict; the manager may reject it or hand it to the partner."""
    s = t.server
    u = t.unique()
    acc = expect_json(s.req("POST", "/api/v1/accounts", as_user=REP,
                            body={"name": f"Globex {u} Corporation",
                                  "domain": f"https://globex-{u}.test", "country": "US"}), 201)
    eq(acc["owner"]["kind"], "direct", "a vendor's account is direct")
    j = submit(s, NW_SALES, f"Globex {u}", f"sales@globex-{u}.test")
    check(("direct_account", "certain") in kinds(j), f"conflicts {j['conflicts']}")
    c = [c for c in j["conflicts"] if c["kind"] == "direct_account"][0]
    eq(c["record_type"], "account", "record_type")
    eq(c["record_id"], None, "the partner does not learn the account")
    check(f"Globex {u} Corporation" not in s.get(f"{REG}/{j['id']}", as_user=NW_SALES).text,
          "the direct account's name leaks to the partner")
    v = expect_json(s.get(f"{REG}/{j['id']}", as_user=SALES_MANAGER), 200)
    check(acc["id"] in [c["record_id"] for c in v["conflicts"]], f"vendor view {v['conflicts']}")
    # hand the deal to the partner: approve it (flag, not block)
    a = expect_json(s.req("POST", f"{REG}/{j['id']}/approve", body={"note": "handed over"},
                          as_user=SALES_MANAGER), 200)
    eq(a["status"], "approved", "approved despite a direct conflict")


def test_partner_account_protected(t):
    """Each other's existing accounts: a partner-owned customer is protected;
    others see that it is taken, not its details."""
    s = t.server
    u = t.unique()
    acc = expect_json(s.req("POST", "/api/v1/accounts", as_user=BF_ADMIN,
                            body={"name": f"Initech {u} LLC", "domain": f"initech-{u}.test"}), 201)
    eq(acc["owner"]["kind"], "partner", "owner kind")
    eq(acc["owner"]["partner_id"], 2, "owner partner implied")
    j = submit(s, NW_SALES, f"Initech {u}", f"initech-{u}.test")
    c = [c for c in j["conflicts"] if c["kind"] == "partner_account"]
    check(c and c[0]["level"] == "certain", f"conflicts {j['conflicts']}")
    eq(c[0]["record_id"], None, "record_id for the other partner")
    check(f"Initech {u} LLC" not in s.get(f"{REG}/{j['id']}", as_user=NW_SALES).text,
          "the other partner's account name leaks")
    # the owner's own registration of its customer is no conflict
    own = submit(s, BF_SALES, f"Initech {u}", f"initech-{u}.test")
    eq([x for x in own["conflicts"] if x["kind"] == "partner_account"], [],
       "a partner's own account")
    expect_error(s.req("POST", f"{REG}/{j['id']}/approve", body={}, as_user=SALES_MANAGER), 409)
    a = expect_json(s.req("POST", f"{REG}/{j['id']}/approve", body={"override": True},
                          as_user=ADMIN), 200)
    eq(a["status"], "approved", "override")


def test_conflict_check_registers_nothing(t):
    s = t.server
    u = t.unique()
    submit(s, NW_SALES, f"Umbrella {u} plc", f"umbrella-{u}.test", "GB")
    before = len(expect_json(s.get(f"{REG}?limit=500", as_user=ADMIN), 200)["items"])
    r = s.req("POST", "/api/v1/conflict-check", as_user=BF_SALES,
              body={"customer": {"name": f"Umbrella {u}", "domain": f"umbrella-{u}.test"}})
    j = expect_json(r, 200)
    eq(set(j), {"conflicts"}, "answer shape")
    check(j["conflicts"] and j["conflicts"][0]["level"] == "certain", f"conflicts {j}")
    eq(j["conflicts"][0]["record_id"], None, "record_id for a partner")
    after = len(expect_json(s.get(f"{REG}?limit=500", as_user=ADMIN), 200)["items"])
    eq(after, before, "registrations after a conflict check")
    v = expect_json(s.req("POST", "/api/v1/conflict-check", as_user=CHANNEL,
                          body={"customer": {"name": f"Umbrella {u}"}}), 200)
    check(v["conflicts"] and v["conflicts"][0]["record_id"], f"vendor check {v}")
    expect_error(s.req("POST", "/api/v1/conflict-check", as_user=REP, body={"customer": {}}),
                 422, "customer.name")
    expect_error(s.req("POST", "/api/v1/conflict-check", as_user=REP, body={}), 422, "customer")


def test_acronym_and_homonym(t):
    s = t.server
    u = t.unique()
    acc = expect_json(s.req("POST", "/api/v1/accounts", as_user=REP,
                            body={"name": "International Business Machines Corporation",
                                  "country": "US"}), 201)
    j = expect_json(s.req("POST", "/api/v1/conflict-check", as_user=REP,
                          body={"customer": {"name": "I.B.M."}}), 200)
    hit = [c for c in j["conflicts"] if c["record_id"] == acc["id"]]
    check(hit and "acronym" in hit[0]["reasons"], f"initials meet the full name: {j}")
    check(hit[0]["level"] in ("probable", "possible"), f"acronym level {hit[0]}")
    expect_json(s.req("POST", "/api/v1/accounts", as_user=REP,
                      body={"name": f"Frontier {u}", "domain": f"frontier-a-{u}.test",
                            "country": "US"}), 201)
    h = expect_json(s.req("POST", "/api/v1/conflict-check", as_user=REP,
                          body={"customer": {"name": f"Frontier {u}", "country": "DE",
                                             "domain": f"frontier-b-{u}.test"}}), 200)
    check(h["conflicts"], f"a homonym is still shown for review: {h}")
    for c in h["conflicts"]:
        check(c["level"] != "certain", f"a homonym with other domain and country is certain: {c}")
        check("different_country" in c["reasons"], f"reasons {c['reasons']}")
    same = expect_json(s.req("POST", "/api/v1/conflict-check", as_user=REP,
                             body={"customer": {"name": f"frontier {u}", "country": "US"}}), 200)
    check(same["conflicts"] and same["conflicts"][0]["level"] == "certain",
          f"same name, same country is certain: {same}")


def test_registration_isolation(t):
    s = t.server
    mine = submit(s, NW_SALES, f"Isolated {t.unique()} Oy")
    expect_error(s.get(f"{REG}/{mine['id']}", as_user=BF_SALES), 404)
    expect_error(s.req("POST", f"{REG}/{mine['id']}/withdraw", body={}, as_user=BF_ADMIN), 404)
    lst = expect_json(s.get(f"{REG}?limit=500", as_user=BF_SALES), 200)["items"]
    check(all(r["partner_id"] == 2 for r in lst), "a partner lists another's registrations")
    expect_error(s.get(f"{REG}?partner_id=1", as_user=BF_SALES), 404)
    vendor = expect_json(s.get(f"{REG}?partner_id=1&limit=500", as_user=FINANCE), 200)["items"]
    check(mine["id"] in [r["id"] for r in vendor], "vendor filter by partner")
    expect_error(s.get(f"{REG}?status=bogus", as_user=ADMIN), 400)
    expect_error(s.get(f"{REG}?escalated=maybe", as_user=ADMIN), 400)


def test_engagement_settings(t):
    s = t.fresh_server()
    try:
        cur = expect_json(s.get("/api/v1/settings/engagement", as_user=SALES_MANAGER), 200)
        eq(cur["protection_days"], 90, "default protection")
        eq(cur["extension_days"], 90, "default extension")
        eq(cur["max_extensions"], 1, "default extensions")
        eq(cur["escalation_business_days"], 2, "default escalation")
        eq(cur["business_days"], ["mon", "tue", "wed", "thu", "fri"], "business days")
        eq(cur["first_registration_wins"], True, "first wins")
        eq(cur["direct_conflict"], "flag", "direct conflict policy")
        new = dict(cur, protection_days=30, direct_conflict="reject")
        expect_error(s.req("PUT", "/api/v1/settings/engagement", body=new, as_user=SALES_MANAGER),
                     403)
        expect_error(s.req("PUT", "/api/v1/settings/engagement",
                           body=dict(new, time_zone="Mars/Olympus"), as_user=ADMIN), 422,
                     "time_zone")
        expect_error(s.req("PUT", "/api/v1/settings/engagement",
                           body=dict(new, business_days=["mon", "funday"]), as_user=ADMIN), 422,
                     "business_days")
        expect_json(s.req("PUT", "/api/v1/settings/engagement", body=new, as_user=ADMIN), 200)
        j = submit(s, NW_SALES, "Protected Thirty AB")
        a = expect_json(s.req("POST", f"{REG}/{j['id']}/approve", body={},
                              as_user=SALES_MANAGER), 200)
        eq(a["protected_until"], (today() + datetime.timedelta(days=30)).isoformat(),
           "protection from the setting")
        # direct_conflict "reject": a certain direct conflict turns the registration down
        expect_json(s.req("POST", "/api/v1/accounts", as_user=REP,
                          body={"name": "Direct Only Ltd", "domain": "direct-only.test"}), 201)
        d = submit(s, NW_SALES, "Direct Only", "direct-only.test")
        eq(d["status"], "rejected", "rejected by the direct-conflict policy")
        check(d["reason"], "a reason is recorded")
    finally:
        s.stop_checked()


def test_expiry_and_escalation_on_timer(t):
    """A registration expires at the end of its window and an undecided one
    is escalated, without anyone asking: a timer in the server."""
    a = t.fresh_server()
    try:
        approved = submit(a, NW_SALES, "Timer Expiry Corp")
        expect_json(a.req("POST", f"{REG}/{approved['id']}/approve", body={},
                          as_user=SALES_MANAGER), 200)
        waiting = submit(a, NW_SALES, "Timer Escalation Corp")
    finally:
        a.stop_checked()
    # the same database, 95 days later, timers every second
    b = t.fresh_server(env={"TANDEM_CLOCK_OFFSET": str(95 * 86400), "TANDEM_TIMER_SECONDS": "1"},
                       db=a.db)
    try:
        deadline = time.time() + 10
        while time.time() < deadline:
            e = expect_json(b.get(f"{REG}/{approved['id']}", as_user=ADMIN), 200)
            w = expect_json(b.get(f"{REG}/{waiting['id']}", as_user=ADMIN), 200)
            if e["status"] == "expired" and w["escalated"]:
                break
            time.sleep(0.2)
        eq(e["status"], "expired", "approved registration after its window")
        eq(w["escalated"], True, "undecided registration after 2 business days")
        check(w["escalated_at"], "escalated_at")
        lst = expect_json(b.get(f"{REG}?escalated=true", as_user=SALES_MANAGER), 200)["items"]
        check(waiting["id"] in [r["id"] for r in lst], "?escalated=true lists it")
        ev = expect_json(b.get(f"/api/v1/audit-events?entity=registration&entity_id="
                               f"{approved['id']}&action=expire", as_user=ADMIN), 200)["items"]
        check(ev and ev[0]["actor_id"] is None, f"expiry audited with no actor: {ev}")
    finally:
        b.stop_checked()


def test_other_process_writes_reach_the_index(t):
    """A registration submitted through one process is a conflict in another
    within a second (the change sequence)."""
    a = t.fresh_server()
    b = t.fresh_server(db=a.db)
    try:
        u = t.unique()
        submit(a, NW_SALES, f"Two Process {u} SARL", f"two-process-{u}.test", "FR")
        t0 = time.time()
        found = []
        while time.time() - t0 < 3:
            found = expect_json(b.req("POST", "/api/v1/conflict-check", as_user=BF_SALES,
                                      body={"customer": {"name": f"Two Process {u}",
                                                         "domain": f"two-process-{u}.test"}}),
                                200)["conflicts"]
            if found:
                break
            time.sleep(0.05)
        check(found, "the other process never saw the registration")
        check(time.time() - t0 < 1.5, f"it took {time.time() - t0:.2f}s")
    finally:
        b.stop_checked()
        a.stop_checked()


def test_prospect_calls_the_other_owner_keeps(t):
    """One acquires a prospect, then the prospect calls the other: ownership
    stays with the registered owner; the other's registration shows the
    conflict and cannot be approved over the owner's protection."""
    s = t.server
    u = t.unique()
    owner = submit(s, NW_SALES, f"Caller {u} Systems", f"caller-{u}.test", "CA")
    expect_json(s.req("POST", f"{REG}/{owner['id']}/approve", body={}, as_user=SALES_MANAGER),
                200)
    other = submit(s, BF_SALES, f"Caller {u} Systems Inc", f"https://caller-{u}.test", "CA")
    check(("duplicate_registration", "certain") in kinds(other), f"{other['conflicts']}")
    v = expect_json(s.get(f"{REG}/{other['id']}", as_user=SALES_MANAGER), 200)
    eq(v["winner_id"], owner["id"], "the owner is the winner")
    expect_error(s.req("POST", f"{REG}/{other['id']}/approve", body={}, as_user=SALES_MANAGER),
                 409)
    # the other party hands it off: it withdraws, and the owner keeps its protection
    expect_json(s.req("POST", f"{REG}/{other['id']}/withdraw", body={}, as_user=BF_SALES), 200)
    still = expect_json(s.get(f"{REG}/{owner['id']}", as_user=NW_SALES), 200)
    eq(still["status"], "approved", "the owner's registration stands")


def test_lost_customer_is_released(t):
    """One loses a customer that is a prospect for the other: releasing the
    account (the owner becomes direct) opens it to register."""
    s = t.server
    u = t.unique()
    acc = expect_json(s.req("POST", "/api/v1/accounts", as_user=BF_ADMIN,
                            body={"name": f"Churned {u} BV", "domain": f"churned-{u}.test"}), 201)
    j = submit(s, NW_SALES, f"Churned {u}", f"churned-{u}.test")
    expect_error(s.req("POST", f"{REG}/{j['id']}/approve", body={}, as_user=SALES_MANAGER), 409)
    rel = expect_json(s.req("PATCH", f"/api/v1/accounts/{acc['id']}", as_user=CHANNEL,
                            body={"owner": {"kind": "direct"}}), 200)
    eq(rel["owner"], {"kind": "direct", "user_id": None, "partner_id": None}, "released")
    expect_error(s.get(f"/api/v1/accounts/{acc['id']}", as_user=BF_ADMIN), 404)
    a = expect_json(s.req("POST", f"{REG}/{j['id']}/approve", body={"note": "released"},
                          as_user=SALES_MANAGER), 200)
    eq(a["status"], "approved", "open to register once released")
    kinds_now = {c["kind"] for c in a["conflicts"]}
    check("partner_account" not in kinds_now, f"conflicts after release: {a['conflicts']}")
