"""Pipeline and money: opportunities, convert, orders and partner economics,
statements, forecast, quota credit, tiers."""

import datetime
import time

from helpers import (ADMIN, BF_SALES, FINANCE, KESTREL_ADMIN, LUMEN_SALES, NW_ADMIN, NW_SALES,
                     REP, SALES_MANAGER, check, eq, expect_error, expect_json, today)

REG = "/api/v1/deal-registrations"
OPP = "/api/v1/opportunities"


def usd(cents):
    return {"amount": cents, "currency": "USD"}


def registered_opportunity(s, partner_user, name, cents, close_days=30):
    """Register, approve, convert: the partner's opportunity."""
    r = expect_json(s.req("POST", REG, as_user=partner_user, body={
        "customer": {"name": name}, "amount": usd(cents),
        "expected_close": (today() + datetime.timedelta(days=close_days)).isoformat()}), 201)
    expect_json(s.req("POST", f"{REG}/{r['id']}/approve", body={}, as_user=SALES_MANAGER), 200)
    c = s.req("POST", f"{REG}/{r['id']}/convert", as_user=partner_user)
    o = expect_json(c, 201)
    eq(c.header("location"), f"{OPP}/{o['id']}", "Location of the converted opportunity")
    return r, o


def win(s, opp_id, as_user=ADMIN, on=None):
    o = expect_json(s.req("PATCH", f"{OPP}/{opp_id}", body={"stage": "closed_won"},
                          as_user=as_user), 200)
    eq(o["closed_on"], (on or today()).isoformat(), "closed_on")
    orders = expect_json(s.get("/api/v1/orders?limit=500", as_user=ADMIN), 200)["items"]
    mine = [x for x in orders if x["opportunity_id"] == opp_id]
    eq(len(mine), 1, "one order booked")
    return mine[0]


def test_convert_and_close(t):
    s = t.server
    r, o = registered_opportunity(s, NW_SALES, f"Convert {t.unique()} Ltd", 1000000)
    eq(o["partner_id"], 1, "partner")
    eq(o["registration_id"], r["id"], "registration")
    eq(o["source"], "partner_sourced", "source")
    eq(o["stage"], "prospecting", "default stage")
    eq((o["probability"], o["forecast_category"]), (10, "pipeline"), "stage defaults")
    expect_error(s.req("POST", f"{REG}/{r['id']}/convert", as_user=NW_SALES), 409)
    reg = expect_json(s.get(f"{REG}/{r['id']}", as_user=NW_SALES), 200)
    eq(reg["opportunity_id"], o["id"], "the registration links its opportunity")
    p = expect_json(s.req("PATCH", f"{OPP}/{o['id']}", body={"stage": "negotiation"},
                          as_user=NW_SALES), 200)
    eq((p["probability"], p["forecast_category"]), (80, "commit"), "negotiation defaults")
    order = win(s, o["id"], as_user=NW_SALES)
    eq(order["registration_id"], r["id"], "order's registration")
    reg = expect_json(s.get(f"{REG}/{r['id']}", as_user=NW_SALES), 200)
    eq(reg["status"], "won", "the registration is won")
    expect_error(s.req("PATCH", f"{OPP}/{o['id']}", body={"name": "late"}, as_user=ADMIN), 409)
    expect_error(s.req("PUT", f"{OPP}/{o['id']}/checklist", body={"checklist": []},
                       as_user=ADMIN), 409)
    # only an approved registration converts
    sub = expect_json(s.req("POST", REG, as_user=NW_SALES, body={
        "customer": {"name": f"Not Approved {t.unique()}"}, "amount": usd(5),
        "expected_close": today().isoformat()}), 201)
    expect_error(s.req("POST", f"{REG}/{sub['id']}/convert", as_user=NW_SALES), 409)
    expect_error(s.req("POST", f"{REG}/{sub['id']}/convert", as_user=BF_SALES), 404)


def test_economics_per_partner_type(t):
    s = t.fresh_server()
    try:
        # reseller: 35% off list (demo partner 1, tier registered: no uplift)
        _, o = registered_opportunity(s, NW_SALES, "Reseller Deal Inc", 10000000)
        order = win(s, o["id"])
        eq(order["discount_bps"], 3500, "reseller discount")
        eq(order["net_amount"], usd(6500000), "reseller net")
        eq((order["fee_bps"], order["split_bps"]), (0, 0), "no fee or split")
        eq(order["eligible"], True, "eligible")
        # OEM: the agreement's own 55% (demo partner 3)
        _, o = registered_opportunity(s, KESTREL_ADMIN, "OEM Deal GmbH", 10000000)
        order = win(s, o["id"])
        eq(order["discount_bps"], 5500, "OEM discount")
        eq(order["net_amount"], usd(4500000), "OEM net")
        # referral: 12.5% fee on the net, within 180 days of approval (partner 2)
        _, o = registered_opportunity(s, BF_SALES, "Referral Deal plc", 10000000)
        order = win(s, o["id"])
        eq((order["discount_bps"], order["net_amount"]), (0, usd(10000000)), "referral net")
        eq((order["fee_bps"], order["fee_amount"]), (1250, usd(1250000)), "referral fee")
        # affiliate: 30% split (partner 4)
        _, o = registered_opportunity(s, LUMEN_SALES, "Affiliate Deal LLC", 10000000)
        order = win(s, o["id"])
        eq((order["split_bps"], order["split_amount"]), (3000, usd(3000000)), "affiliate split")
        # rounding half to even, on the minor unit: 35% of 10 = 3.5 -> 4; of 30 = 10.5 -> 10
        for cents, net in ((10, 6), (30, 20), (1, 1), (3, 2)):
            _, o = registered_opportunity(s, NW_SALES, f"Rounding {cents} Co", cents)
            order = win(s, o["id"])
            eq(order["net_amount"], usd(net), f"net of {cents} cents at 35% off")
        # a partner deal without an approved registration earns nothing
        acc = expect_json(s.req("POST", "/api/v1/accounts", as_user=REP,
                                body={"name": "Unregistered Customer"}), 201)
        o = expect_json(s.req("POST", OPP, as_user=REP, body={
            "name": "Unregistered", "account_id": acc["id"], "partner_id": 1,
            "amount": usd(10000000), "expected_close": today().isoformat()}), 201)
        order = win(s, o["id"])
        eq(order["eligible"], False, "eligible")
        eq(order["reasons"], ["no_approved_registration"], "reasons")
        eq((order["discount_bps"], order["net_amount"]), (0, usd(10000000)), "no discount")
        # payouts joined the partners' draft statements of this month
        period = today().strftime("%Y-%m")
        st = expect_json(s.get(f"/api/v1/statements?period={period}&limit=500",
                               as_user=FINANCE), 200)["items"]
        by = {x["partner_id"]: x for x in st}
        eq(by[2]["lines"][0]["kind"], "fee", "referral line")
        eq(by[2]["totals"], [usd(1250000)], "referral statement total")
        eq(by[4]["lines"][0]["kind"], "split", "affiliate line")
        check(1 not in by, "a reseller has no payout statement")
    finally:
        s.stop_checked()


def test_referral_window_passed(t):
    a = t.fresh_server()
    try:
        _, o = registered_opportunity(a, BF_SALES, "Late Referral Inc", 10000000, close_days=300)
    finally:
        a.stop_checked()
    b = t.fresh_server(env={"TANDEM_CLOCK_OFFSET": str(200 * 86400)}, db=a.db)
    try:
        order = win(b, o["id"], on=today() + datetime.timedelta(days=200))
        eq(order["reasons"], ["referral_window_passed"], "reasons")
        eq((order["fee_bps"], order["fee_amount"]), (0, usd(0)), "no fee after the window")
        eq(order["eligible"], True, "still an eligible order")
    finally:
        b.stop_checked()


def test_statements_lifecycle_and_csv(t):
    s = t.fresh_server()
    try:
        _, o = registered_opportunity(s, BF_SALES, "Statement Deal", 2000000)
        win(s, o["id"])
        period = today().strftime("%Y-%m")
        quarter = f"{today().year}-Q{(today().month - 1) // 3 + 1}"
        st = expect_json(s.get(f"/api/v1/statements?partner_id=2&period={quarter}",
                               as_user=FINANCE), 200)["items"]
        eq(len(st), 1, "the month's statement is inside its quarter")
        sid = st[0]["id"]
        eq((st[0]["period"], st[0]["status"]), (period, "draft"), "period and status")
        expect_error(s.get("/api/v1/statements?period=2026-13", as_user=FINANCE), 400)
        expect_error(s.req("POST", f"/api/v1/statements/{sid}/pay", body={}, as_user=FINANCE), 409)
        expect_error(s.req("POST", f"/api/v1/statements/{sid}/approve", body={}, as_user=REP), 403)
        expect_error(s.req("POST", f"/api/v1/statements/{sid}/approve", body={},
                           as_user=BF_SALES), 403)
        a = expect_json(s.req("POST", f"/api/v1/statements/{sid}/approve", body={},
                              as_user=FINANCE), 200)
        eq(a["status"], "approved", "approved")
        check(a["approved_at"], "approved_at")
        # an approved statement no longer changes: the next payout goes to the next period
        _, o2 = registered_opportunity(s, BF_SALES, "After Approval", 2000000)
        win(s, o2["id"])
        again = expect_json(s.get(f"/api/v1/statements/{sid}", as_user=BF_SALES), 200)
        eq(len(again["lines"]), 1, "the approved statement kept its lines")
        p = expect_json(s.req("POST", f"/api/v1/statements/{sid}/pay", as_user=ADMIN), 200)
        eq(p["status"], "paid", "paid")
        r = s.get(f"/api/v1/statements/{sid}.csv", as_user=BF_SALES)
        eq(r.status, 200, "CSV export")
        check((r.header("content-type") or "").startswith("text/csv"), "CSV content type")
        lines = r.text.strip().splitlines()
        eq(lines[0], "statement_id,partner_id,period,status,order_id,kind,currency,basis,bps,"
                     "amount", "CSV header")
        check(lines[1].endswith(",fee,USD,2000000,1250,250000"), f"CSV line {lines[1]}")
        expect_error(s.get(f"/api/v1/statements/{sid}", as_user=NW_SALES), 404)
        expect_error(s.get(f"/api/v1/statements/{sid}.csv", as_user=NW_SALES), 404)
        expect_error(s.get("/api/v1/statements?partner_id=2", as_user=NW_SALES), 404)
    finally:
        s.stop_checked()


def test_forecast_sums(t):
    s = t.fresh_server()
    try:
        acc = expect_json(s.req("POST", "/api/v1/accounts", as_user=REP,
                                body={"name": "Forecast Customer"}), 201)
        close = today().isoformat()
        mk = lambda **kw: expect_json(s.req("POST", OPP, as_user=REP, body=dict(
            {"name": "F", "account_id": acc["id"], "expected_close": close}, **kw)), 201)
        mk(amount=usd(1000), stage="qualification")                   # pipeline, 20%
        mk(amount=usd(1001), stage="proposal")                        # best case, 50% -> 500.5
        mk(amount=usd(3000), stage="negotiation", partner_id=1)       # commit, 80%
        mk(amount={"amount": 5000, "currency": "EUR"}, stage="proposal")
        won = mk(amount=usd(7000), stage="prospecting")
        expect_json(s.req("PATCH", f"{OPP}/{won['id']}", body={"stage": "closed_won"},
                          as_user=REP), 200)
        lost = mk(amount=usd(9999), stage="prospecting")
        expect_json(s.req("PATCH", f"{OPP}/{lost['id']}", body={"stage": "closed_lost"},
                          as_user=REP), 200)
        f = expect_json(s.get("/api/v1/forecast?group_by=partner", as_user=FINANCE), 200)
        quarter = f"{today().year}-Q{(today().month - 1) // 3 + 1}"
        eq(f["period"], quarter, "default period")
        rows = {(r["key"], r["currency"]): r for r in f["rows"]}
        d = rows[(None, "USD")]
        eq(d["label"], "Direct", "direct label")
        eq((d["pipeline"], d["best_case"], d["commit"]), (1000, 1001, 0), "direct categories")
        eq(d["weighted"], 200 + 500, "weighted, half to even per opportunity")
        eq(d["closed_won"], 7000, "won counts in closed_won only")
        eq(rows[(None, "EUR")]["best_case"], 5000, "currencies are never added")
        nw = rows[(1, "USD")]
        eq((nw["label"], nw["commit"], nw["weighted"]), ("Northwind Systems", 3000, 2400),
           "partner row")
        t_ = expect_json(s.get("/api/v1/forecast?group_by=type", as_user=FINANCE), 200)
        keys = {(r["key"], r["currency"]) for r in t_["rows"]}
        check(("reseller", "USD") in keys and ("direct", "USD") in keys, f"type rows {keys}")
        q = expect_json(s.get(f"/api/v1/forecast?group_by=quarter&period={quarter}",
                              as_user=FINANCE), 200)
        eq({r["key"] for r in q["rows"]}, {quarter}, "quarter rows")
        mine = expect_json(s.get("/api/v1/forecast", as_user=NW_ADMIN), 200)["rows"]
        eq([r["key"] for r in mine], [1], "a partner sees its own row only")
        expect_error(s.get("/api/v1/forecast?group_by=planet", as_user=FINANCE), 400)
        expect_error(s.get("/api/v1/forecast?period=2026-11", as_user=FINANCE), 400)
    finally:
        s.stop_checked()


def test_risk_flags_and_checklist(t):
    s = t.server
    acc = expect_json(s.req("POST", "/api/v1/accounts", as_user=REP,
                            body={"name": f"Risky {t.unique()}"}), 201)
    past = (today() - datetime.timedelta(days=3)).isoformat()
    po = (today() - datetime.timedelta(days=10)).isoformat()
    o = expect_json(s.req("POST", OPP, as_user=REP, body={
        "name": "Risky", "account_id": acc["id"], "partner_id": 1, "source": "co_sell",
        "amount": usd(60000000), "expected_close": past, "customer_po_on": po}), 201)
    eq(sorted(o["risk_flags"]), ["close_date_passed", "credit_line_below_amount",
                                 "po_not_ordered"], "risk flags")
    lst = expect_json(s.get(f"{OPP}?risk=po_not_ordered&limit=500", as_user=REP), 200)["items"]
    check(o["id"] in [x["id"] for x in lst], "?risk= lists it")
    p = expect_json(s.req("PATCH", f"{OPP}/{o['id']}", as_user=REP,
                          body={"partner_order_on": today().isoformat()}), 200)
    check("po_not_ordered" not in p["risk_flags"], "the partner ordered")
    c = expect_json(s.req("PUT", f"{OPP}/{o['id']}/checklist", as_user=REP, body={"checklist": [
        {"item": "credit", "owner_user_id": 6, "due": today().isoformat(), "done": False},
        {"item": "legal_redlines", "done": True}]}), 200)
    eq(c["checklist"][0], {"item": "credit", "owner_user_id": 6, "due": today().isoformat(),
                           "done": False}, "checklist item")
    expect_error(s.req("PUT", f"{OPP}/{o['id']}/checklist", as_user=REP,
                       body={"checklist": [{"item": "coffee"}]}), 422, "checklist")
    expect_error(s.get(f"{OPP}?risk=bogus", as_user=REP), 400)
    expect_error(s.req("POST", OPP, as_user=FINANCE, body={
        "name": "x", "account_id": acc["id"], "amount": usd(5), "expected_close": past}), 403)
    expect_error(s.req("POST", OPP, as_user=REP, body={"name": "x", "account_id": acc["id"],
                                                       "amount": usd(0),
                                                       "expected_close": past}), 422,
                 "amount.amount")
    expect_error(s.req("POST", OPP, as_user=REP, body={"name": "x", "account_id": acc["id"],
                                                       "amount": usd(5), "expected_close": past,
                                                       "stage": "dreaming"}), 422, "stage")
    expect_error(s.get(f"{OPP}/{o['id']}", as_user=BF_SALES), 404)


def test_tier_changes_with_bookings(t):
    s = t.fresh_server()
    try:
        tier = expect_json(s.get("/api/v1/partners/1/tier", as_user=NW_ADMIN), 200)
        eq(tier["tier"], "registered", "starting tier")
        eq(tier["next"]["name"], "silver", "next tier")
        # net 26,000,000 cents after 35% off 40,000,000: over silver's 25,000,000
        _, o = registered_opportunity(s, NW_SALES, "Big Deal Corp", 40000000)
        win(s, o["id"])
        tier = expect_json(s.get("/api/v1/partners/1/tier", as_user=NW_ADMIN), 200)
        eq(tier["tier"], "silver", "tier after the booking")
        eq(tier["bookings"], [usd(26000000)], "trailing bookings")
        eq(tier["next"]["missing"], usd(100000000 - 26000000), "missing to gold")
        eq([h["tier"] for h in tier["history"]], ["registered", "silver"], "history")
        p = expect_json(s.get("/api/v1/partners/1", as_user=NW_ADMIN), 200)
        eq(p["tier"], "silver", "the partner's tier")
        # the uplift applies to the next order: 3500 + 250
        _, o = registered_opportunity(s, NW_SALES, "Next Deal Corp", 10000)
        order = win(s, o["id"])
        eq(order["discount_bps"], 3750, "discount with the silver uplift")
        expect_error(s.get("/api/v1/partners/2/tier", as_user=NW_ADMIN), 404)
    finally:
        s.stop_checked()


def test_quota_credit(t):
    s = t.fresh_server()
    try:
        acc = expect_json(s.req("POST", "/api/v1/accounts", as_user=REP,
                                body={"name": "Quota Customer"}), 201)
        o = expect_json(s.req("POST", OPP, as_user=REP, body={
            "name": "Direct", "account_id": acc["id"], "owner_user_id": 4,
            "amount": usd(1000), "expected_close": today().isoformat()}), 201)
        win(s, o["id"])
        _, po = registered_opportunity(s, NW_SALES, "Partner Quota Deal", 1000)
        expect_json(s.req("PATCH", f"{OPP}/{po['id']}", body={"owner_user_id": 4},
                          as_user=ADMIN), 200)
        win(s, po["id"])
        rows = expect_json(s.get("/api/v1/reports/quota-credit", as_user=SALES_MANAGER),
                           200)["rows"]
        eq(rows, [{"user_id": 4, "currency": "USD", "direct": 1000, "partner": 650,
                   "credited": 1650}], "net basis, partner deals credited")
        expect_error(s.get("/api/v1/reports/quota-credit", as_user=NW_ADMIN), 403)
    finally:
        s.stop_checked()


def test_money_isolation(t):
    s = t.server
    for path in ("/api/v1/orders?limit=500", "/api/v1/statements?limit=500",
                 f"{OPP}?limit=500"):
        items = expect_json(s.get(path, as_user=BF_SALES), 200)["items"]
        check(all(x["partner_id"] == 2 for x in items), f"{path} leaks another partner")
    expect_error(s.get("/api/v1/orders?partner_id=1", as_user=BF_SALES), 404)
    rows = expect_json(s.get("/api/v1/forecast", as_user=BF_SALES), 200)["rows"]
    check(all(r["key"] == 2 for r in rows), f"forecast rows {rows}")
