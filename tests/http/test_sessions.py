"""Sign in, sign out, /me and the login rate limit."""

import datetime

from helpers import (ADMIN, CHANNEL, DEMO_PASSWORD, FINANCE, MARKETING, NW_SALES,
                     PARTNER_USERS, REP, SALES_MANAGER, TIME_RE, VENDOR_USERS, check, eq,
                     expect_error, expect_json, request)

USER_FIELDS = {"id", "email", "name", "role", "partner_id", "active", "created_at",
               "updated_at"}


def parse_time(s):
    return datetime.datetime.strptime(s, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=datetime.timezone.utc)


def test_login_success_shape(t):
    s = t.server
    r = s.login(ADMIN)
    j = expect_json(r, 201)
    check(set(j) >= {"token", "expires_at", "user"}, f"login answer fields: {sorted(j)}")
    check(isinstance(j["token"], str) and len(j["token"]) >= 20, "login token is too short")
    check(TIME_RE.match(j["expires_at"]), f"expires_at {j['expires_at']!r} is not a UTC time")
    days = (parse_time(j["expires_at"]) - datetime.datetime.now(datetime.timezone.utc))
    check(abs(days.total_seconds() - 30 * 86400) < 3600,
          f"a session expires in {days}, expected 30 days")
    u = j["user"]
    eq(set(u), USER_FIELDS, "fields of the login's user")
    eq(u["email"], ADMIN, "login user email")
    eq(u["role"], "admin", "login user role")
    eq(u["partner_id"], None, "login user partner_id")
    check("password" not in r.text and "argon2" not in r.text,
          "the login answer mentions a password or its hash")
    eq(expect_json(s.get("/api/v1/me", token=j["token"]), 200)["id"], u["id"], "/me id")


def test_login_email_case_insensitive(t):
    s = t.server
    j = expect_json(s.login("Channel@TANDEM.example"), 201)
    eq(j["user"]["email"], CHANNEL, "user signed in with an upper-case e-mail")


def test_login_wrong_password_and_unknown_email_401(t):
    s = t.server
    e1 = expect_error(s.login(FINANCE, "wrong-password-123"), 401)
    e2 = expect_error(s.login("nobody@nowhere.example", "wrong-password-123"), 401)
    eq(e1["message"], e2["message"],
       "wrong password and unknown e-mail must not be told apart (messages)")


def test_login_validation_422(t):
    s = t.server
    cases = [({}, "email"), ({"email": ADMIN}, "password"), ({"password": DEMO_PASSWORD},
                                                            "email"),
             ({"email": ADMIN, "password": DEMO_PASSWORD, "remember": True}, "remember"),
             ({"email": 42, "password": DEMO_PASSWORD}, "email"),
             ({"email": ADMIN, "password": 12345678901234}, "password")]
    for body, field in cases:
        r = request(s.port, "POST", "/api/v1/sessions", body=body)
        expect_error(r, 422, field=field)


def test_me_returns_the_caller(t):
    s = t.server
    for email in VENDOR_USERS + list(PARTNER_USERS):
        j = expect_json(s.get("/api/v1/me", as_user=email), 200)
        eq(j["email"], email, f"/me email for {email}")
        eq(set(j), USER_FIELDS, f"/me fields for {email}")
        eq(j["partner_id"], PARTNER_USERS.get(email), f"/me partner_id for {email}")
        eq(j["active"], True, f"/me active for {email}")


def test_logout_revokes_only_that_token(t):
    s = t.server
    keep = s.token(REP)
    tok = s.new_token(REP)
    expect_json(s.get("/api/v1/me", token=tok), 200)
    r = s.req("DELETE", "/api/v1/sessions/current", token=tok)
    check(r.status == 204, f"DELETE /api/v1/sessions/current: expected 204, got {r.short()}")
    eq(r.body, b"", "body of a 204")
    expect_error(s.get("/api/v1/me", token=tok), 401)
    expect_error(s.get("/api/v1/partners", token=tok), 401)
    expect_error(s.req("DELETE", "/api/v1/sessions/current", token=tok), 401)
    expect_json(s.get("/api/v1/me", token=keep), 200)


def test_login_rate_limit_429(t):
    s = t.fresh_server()
    try:
        before = s.new_token(MARKETING)  # a session from before the failures
        for i in range(10):
            expect_error(s.login(MARKETING, f"wrong-password-{i:03d}"), 401)
        r = s.login(MARKETING)  # the right password, the 11th attempt
        expect_error(r, 429)
        ra = r.header("retry-after")
        check(ra is not None and ra.isdigit() and 0 < int(ra) <= 900,
              f"Retry-After {ra!r}, expected seconds in 1..900")
        expect_error(s.login(MARKETING, "wrong-password-xyz"), 429)
        # other e-mails are not affected, right or wrong
        expect_json(s.login(FINANCE), 201)
        expect_error(s.login(SALES_MANAGER, "wrong-password-abc"), 401)
        expect_json(s.login(SALES_MANAGER), 201)
        # requests with valid credentials are never throttled
        expect_json(s.get("/api/v1/me", token=before), 200)
        # the limit is per e-mail, whatever its case
        for i in range(10):
            e = NW_SALES if i % 2 else NW_SALES.upper()
            expect_error(s.login(e, f"wrong-password-{i:03d}"), 401)
        expect_error(s.login(NW_SALES), 429)
        # an unknown e-mail is limited the same way (no user enumeration)
        for i in range(10):
            expect_error(s.login("ghost@nowhere.example", f"wrong-password-{i:03d}"), 401)
        expect_error(s.login("ghost@nowhere.example", "wrong-password-zzz"), 429)
    except BaseException:
        s.stop()
        raise
    s.stop_checked()
