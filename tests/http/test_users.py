"""Users: /api/v1/users and who may manage whom."""

from helpers import (ADMIN, BF_ADMIN, CHANNEL, NW_ADMIN, NW_SALES, PARTNER_USERS, REP,
                     TIME_RE, VENDOR_USERS, check, eq, expect_error, expect_json,
                     run_cli, walk)

USER_FIELDS = {"id", "email", "name", "role", "partner_id", "active", "created_at",
               "updated_at"}
PW = "a-good-long-password"


def user_ids(s):
    items, _ = walk(lambda p: s.get(p, as_user=ADMIN), "/api/v1/users", 500)
    return {u["email"]: u["id"] for u in items}


def new_user(t, s, as_user=ADMIN, role="sales_rep", password=PW, **extra):
    email = f"{t.unique('u')}@users.example"
    body = {"email": email, "role": role, "password": password, "name": "Test User"}
    body.update(extra)
    r = s.req("POST", "/api/v1/users", body=body, as_user=as_user)
    j = expect_json(r, 201)
    return j, email


def test_admin_lists_users(t):
    s = t.server
    items, pages = walk(lambda p: s.get(p, as_user=ADMIN), "/api/v1/users", 3)
    emails = [u["email"] for u in items]
    for e in VENDOR_USERS + list(PARTNER_USERS):
        check(e in emails, f"GET /api/v1/users as admin does not list {e}")
    ids = [u["id"] for u in items]
    eq(ids, sorted(set(ids)), "user ids walked with limit=3 (ordered, each once)")
    for u in items:
        eq(set(u), USER_FIELDS, f"fields of user {u.get('id')}")
    for pg in pages:
        check("password" not in str(pg) and "argon2" not in str(pg),
              "a user list mentions a password or a hash")


def test_admin_creates_vendor_user(t):
    s = t.server
    email = f"{t.unique('New.User')}@Users.Example"
    body = {"email": email, "role": "sales_rep", "name": "New User", "password": PW}
    r = s.req("POST", "/api/v1/users", body=body, as_user=ADMIN)
    j = expect_json(r, 201)
    eq(set(j), USER_FIELDS, "fields of a created user")
    eq(j["email"].lower(), email.lower(), "created user's email")
    eq((j["role"], j["name"], j["partner_id"], j["active"]),
       ("sales_rep", "New User", None, True), "created user's role, name, partner_id, active")
    check(TIME_RE.match(j["created_at"]) and TIME_RE.match(j["updated_at"]),
          f"created user's times: {j['created_at']!r} {j['updated_at']!r}")
    check("password" not in r.text and PW not in r.text, "the answer mentions the password")
    loc = r.header("location") or ""
    check(loc.endswith(f"/api/v1/users/{j['id']}"), f"Location {loc!r}")
    eq(expect_json(s.get(f"/api/v1/users/{j['id']}", as_user=ADMIN), 200), j,
       "GET of the created user")
    expect_json(s.login(email.lower(), PW), 201)


def test_admin_creates_partner_user(t):
    s = t.server
    j, email = new_user(t, s, role="partner_marketing", partner_id=2)
    eq((j["role"], j["partner_id"]), ("partner_marketing", 2), "partner user role, partner_id")
    me = expect_json(s.get("/api/v1/me", token=s.new_token(email, PW)), 200)
    eq(me["partner_id"], 2, "/me partner_id of the new partner user")


def test_duplicate_email_409_case_insensitive(t):
    s = t.server
    j, email = new_user(t, s)
    for e in (email, email.upper(), email.capitalize()):
        r = s.req("POST", "/api/v1/users",
                  body={"email": e, "role": "marketing", "password": PW}, as_user=ADMIN)
        expect_error(r, 409)
    r = s.req("POST", "/api/v1/users",
              body={"email": "ADMIN@Tandem.Example", "role": "admin", "password": PW},
              as_user=ADMIN)
    expect_error(r, 409)


def test_create_user_validation_422(t):
    s = t.server
    base = {"email": "valid@users.example", "role": "sales_rep", "password": PW}

    def without(k):
        return {x: v for x, v in base.items() if x != k}

    cases = [
        (without("email"), "email"),
        (without("role"), "role"),
        (without("password"), "password"),
        (dict(base, password="x" * 11), "password"),
        (dict(base, role="superuser"), "role"),
        (dict(base, role="partner_sales"), "partner_id"),
        (dict(base, partner_id=1), "partner_id"),
        (dict(base, role="partner_sales", partner_id=999999), "partner_id"),
        (dict(base, email="not-an-email"), "email"),
        (dict(base, email="two@@users.example"), "email"),
        (dict(base, colour="red"), "colour"),
        (dict(base, email=12), "email"),
        (dict(base, partner_id="1", role="partner_sales"), "partner_id"),
    ]
    for body, field in cases:
        r = s.req("POST", "/api/v1/users", body=body, as_user=ADMIN)
        expect_error(r, 422, field=field)
    # none of them was created
    j = expect_json(s.get("/api/v1/users?q=valid", as_user=ADMIN), 200)
    check(all(u["email"] != "valid@users.example" for u in j["items"]),
          "a refused user was created")


def test_create_user_active_is_not_a_create_field(t):
    # API.md lists the fields create takes (email, role, name, partner_id,
    # password) and the served OpenAPI's UserCreate has additionalProperties
    # false without `active`: an unknown field answers 422.
    s = t.server
    email = f"{t.unique('act')}@users.example"
    r = s.req("POST", "/api/v1/users", body={"email": email, "role": "sales_rep",
                                             "password": PW, "active": False}, as_user=ADMIN)
    expect_error(r, 422, field="active")


def test_admin_patches_user(t):
    s = t.server
    j, email = new_user(t, s)
    uid = j["id"]
    r = s.req("PATCH", f"/api/v1/users/{uid}", body={"name": "Renamed"}, as_user=ADMIN)
    p = expect_json(r, 200)
    eq((p["name"], p["role"], p["email"], p["active"]), ("Renamed", "sales_rep", j["email"], True),
       "user after PATCH name")
    p = expect_json(s.req("PATCH", f"/api/v1/users/{uid}", body={"role": "marketing"},
                          as_user=ADMIN), 200)
    eq((p["name"], p["role"]), ("Renamed", "marketing"), "user after PATCH role")
    eq(expect_json(s.get(f"/api/v1/users/{uid}", as_user=ADMIN), 200), p, "GET after PATCH")
    for body, field in (({"role": "partner_sales"}, "role"), ({"role": "boss"}, "role"),
                        ({"email": "x@users.example"}, "email"), ({"partner_id": 1}, "partner_id"),
                        ({"password": "short"}, "password"), ({"active": "no"}, "active"),
                        ({"nickname": "x"}, "nickname")):
        expect_error(s.req("PATCH", f"/api/v1/users/{uid}", body=body, as_user=ADMIN), 422,
                     field=field)


def test_partner_admin_manages_own_partner_users(t):
    s = t.server
    ids = user_ids(s)
    items, _ = walk(lambda p: s.get(p, as_user=NW_ADMIN), "/api/v1/users", 2)
    check(items, "partner admin lists no users")
    for u in items:
        eq(u["partner_id"], 1, f"partner_id of user {u['email']} listed to partner 1's admin")
    listed = {u["email"] for u in items}
    for e, pid in PARTNER_USERS.items():
        if pid == 1:
            check(e in listed, f"partner 1's admin does not see {e}")
    expect_json(s.get("/api/v1/users?partner_id=1", as_user=NW_ADMIN), 200)
    # creates partner users; partner_id implied
    j, email = new_user(t, s, as_user=NW_ADMIN, role="partner_sales")
    eq(j["partner_id"], 1, "partner_id of a user created by partner 1's admin")
    j2, _ = new_user(t, s, as_user=NW_ADMIN, role="partner_consultant", partner_id=1)
    eq(j2["partner_id"], 1, "partner_id given explicitly")
    # manages them
    p = expect_json(s.req("PATCH", f"/api/v1/users/{j['id']}", body={"name": "Renamed NW"},
                          as_user=NW_ADMIN), 200)
    eq(p["name"], "Renamed NW", "name after the partner admin's PATCH")
    p = expect_json(s.req("PATCH", f"/api/v1/users/{j['id']}", body={"role": "partner_marketing"},
                          as_user=NW_ADMIN), 200)
    eq(p["role"], "partner_marketing", "role after the partner admin's PATCH")
    expect_json(s.get(f"/api/v1/users/{ids[NW_SALES]}", as_user=NW_ADMIN), 200)


def test_partner_admin_vendor_role_403(t):
    s = t.server
    for role in ("admin", "sales_rep", "finance", "channel_manager"):
        r = s.req("POST", "/api/v1/users", body={"email": f"{t.unique('v')}@users.example",
                                                 "role": role, "password": PW},
                  as_user=NW_ADMIN)
        expect_error(r, 403)
    j, _ = new_user(t, s, as_user=NW_ADMIN, role="partner_sales")
    expect_error(s.req("PATCH", f"/api/v1/users/{j['id']}", body={"role": "admin"},
                       as_user=NW_ADMIN), 403)


def test_partner_admin_other_partner_404(t):
    s = t.server
    ids = user_ids(s)
    bf = ids[BF_ADMIN]
    expect_error(s.get(f"/api/v1/users/{bf}", as_user=NW_ADMIN), 404)
    expect_error(s.req("PATCH", f"/api/v1/users/{bf}", body={"name": "x"}, as_user=NW_ADMIN), 404)
    expect_error(s.req("PATCH", f"/api/v1/users/{bf}", body={"active": False}, as_user=NW_ADMIN),
                 404)
    expect_error(s.get("/api/v1/users?partner_id=2", as_user=NW_ADMIN), 404)
    r = s.req("POST", "/api/v1/users", body={"email": f"{t.unique('x')}@users.example",
                                             "role": "partner_sales", "password": PW,
                                             "partner_id": 2}, as_user=NW_ADMIN)
    expect_error(r, 404)
    # vendor users are not the partner's either
    expect_error(s.get(f"/api/v1/users/{ids[ADMIN]}", as_user=NW_ADMIN), 404)
    expect_error(s.req("PATCH", f"/api/v1/users/{ids[ADMIN]}", body={"name": "x"},
                       as_user=NW_ADMIN), 404)
    # the other partner's admin is untouched
    u = expect_json(s.get(f"/api/v1/users/{bf}", as_user=ADMIN), 200)
    eq((u["active"], u["name"] != "x"), (True, True), "partner 2's admin after refused PATCHes")


def test_other_roles_may_not_manage_users_403(t):
    s = t.server
    ids = user_ids(s)
    for who in (CHANNEL, REP, NW_SALES):
        expect_error(s.get("/api/v1/users", as_user=who), 403)
        r = s.req("POST", "/api/v1/users", body={"email": f"{t.unique('n')}@users.example",
                                                 "role": "partner_sales", "partner_id": 1,
                                                 "password": PW}, as_user=who)
        expect_error(r, 403)
        expect_error(s.req("PATCH", f"/api/v1/users/{ids[who]}", body={"name": "Me"},
                           as_user=who), 403)
    # anyone reads themselves
    eq(expect_json(s.get(f"/api/v1/users/{ids[REP]}", as_user=REP), 200)["email"], REP,
       "a sales rep reading itself")
    expect_error(s.get(f"/api/v1/users/{ids[ADMIN]}", as_user=REP), 403)


def test_new_password_ends_sessions(t):
    s = t.server
    j, email = new_user(t, s)
    tok1, tok2 = s.new_token(email, PW), s.new_token(email, PW)
    new_pw = "another-long-password"
    r = s.req("PATCH", f"/api/v1/users/{j['id']}", body={"password": new_pw}, as_user=ADMIN)
    expect_json(r, 200)
    check(new_pw not in r.text and "password" not in r.json, "PATCH answer shows the password")
    expect_error(s.get("/api/v1/me", token=tok1), 401)
    expect_error(s.get("/api/v1/me", token=tok2), 401)
    expect_error(s.login(email, PW), 401)
    expect_json(s.get("/api/v1/me", token=s.new_token(email, new_pw)), 200)


def test_deactivating_ends_sessions(t):
    s = t.server
    j, email = new_user(t, s)
    tok = s.new_token(email, PW)
    p = expect_json(s.req("PATCH", f"/api/v1/users/{j['id']}", body={"active": False},
                          as_user=ADMIN), 200)
    eq(p["active"], False, "active after PATCH active:false")
    expect_error(s.get("/api/v1/me", token=tok), 401)
    r = s.login(email, PW)
    check(r.status in (401, 403), f"sign-in of a deactivated user: expected 401/403, got "
                                  f"{r.short()}")
    expect_error(r, r.status)
    lst = expect_json(s.get("/api/v1/users?active=false&limit=500", as_user=ADMIN), 200)
    check(j["id"] in [u["id"] for u in lst["items"]], "?active=false misses the deactivated user")
    expect_json(s.req("PATCH", f"/api/v1/users/{j['id']}", body={"active": True},
                      as_user=ADMIN), 200)
    expect_json(s.login(email, PW), 201)


def test_partner_admin_deactivates_own_user(t):
    s = t.server
    j, email = new_user(t, s, as_user=NW_ADMIN, role="partner_sales")
    tok = s.new_token(email, PW)
    expect_json(s.req("PATCH", f"/api/v1/users/{j['id']}", body={"active": False},
                      as_user=NW_ADMIN), 200)
    expect_error(s.get("/api/v1/me", token=tok), 401)


def test_inactive_partner_users_cannot_sign_in(t):
    s = t.server
    for pid in (9, 10):
        email = f"{t.unique('p' + str(pid))}@inactive.example"
        p = run_cli(t.bin, ["user", "add", "--email", email, "--role", "partner_sales",
                            "--partner", str(pid), "--db", s.db], stdin=PW + "\n")
        eq(p.returncode, 0, f"user add --partner {pid} exit status ({p.stderr.strip()})")
        expect_error(s.login(email, PW), 403)
        # a wrong password is still just a wrong password
        expect_error(s.login(email, PW + "-wrong"), 401)


def test_partner_made_inactive_blocks_its_sessions(t):
    s = t.server
    r = s.req("POST", "/api/v1/partners", body={"name": f"Soon Inactive {t.unique()}",
                                                "type": "reseller", "status": "active"},
              as_user=ADMIN)
    pid = expect_json(r, 201)["id"]
    j, email = new_user(t, s, role="partner_admin", partner_id=pid)
    tok = s.new_token(email, PW)
    expect_json(s.get("/api/v1/me", token=tok), 200)
    expect_json(s.req("PATCH", f"/api/v1/partners/{pid}", body={"status": "inactive"},
                      as_user=ADMIN), 200)
    r = s.get("/api/v1/me", token=tok)
    check(r.status in (401, 403), f"GET /api/v1/me by a user of a partner made inactive: "
                                  f"expected 401/403, got {r.short()}")
    expect_error(s.login(email, PW), 403)
    expect_json(s.req("PATCH", f"/api/v1/partners/{pid}", body={"status": "active"},
                      as_user=ADMIN), 200)
    expect_json(s.login(email, PW), 201)


def test_user_list_filters(t):
    s = t.server
    j = expect_json(s.get("/api/v1/users?role=partner_admin&limit=500", as_user=ADMIN), 200)
    check(j["items"] and all(u["role"] == "partner_admin" for u in j["items"]),
          f"?role=partner_admin: {[u['role'] for u in j['items']]}")
    j = expect_json(s.get("/api/v1/users?partner_id=2&limit=500", as_user=ADMIN), 200)
    check(j["items"] and all(u["partner_id"] == 2 for u in j["items"]),
          "?partner_id=2 lists other partners' users")
    j = expect_json(s.get("/api/v1/users?active=true&limit=500", as_user=ADMIN), 200)
    check(all(u["active"] for u in j["items"]), "?active=true lists inactive users")
    j = expect_json(s.get("/api/v1/users?q=nora", as_user=ADMIN), 200)
    check(NW_ADMIN in [u["email"] for u in j["items"]], "?q=nora does not find Nora North")
    for q in ("role=boss", "active=maybe", "partner_id=abc", "partner_id=0"):
        expect_error(s.get(f"/api/v1/users?{q}", as_user=ADMIN), 400)
