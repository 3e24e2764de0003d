"""HTTP basics: health, OpenAPI, headers, routing errors, bodies, queries."""

import http.client
import json
import re
import threading
import time

from helpers import (ADMIN, ERROR_CODES, NW_ADMIN, REP, check, eq, expect, expect_error, expect_json,
                     raw_exchange, request)

MIB = 1 << 20


def check_security_headers(r):
    eq(r.header("x-content-type-options"), "nosniff", f"{r.where()} X-Content-Type-Options")
    csp = r.header("content-security-policy")
    check(csp, f"{r.where()}: no Content-Security-Policy header")
    cc = r.header("cache-control") or ""
    check("no-store" in cc, f"{r.where()}: Cache-Control {cc!r}, expected no-store")


def test_healthz(t):
    s = t.server
    r = s.get("/healthz")
    j = expect_json(r, 200)
    eq(j, {"status": "ok"}, "GET /healthz body")


def test_openapi_public_and_31(t):
    s = t.server
    r = s.get("/api/v1/openapi.json")
    j = expect_json(r, 200)
    check(isinstance(j.get("openapi"), str) and j["openapi"].startswith("3.1."),
          f"openapi version {j.get('openapi')!r}, expected 3.1.x")
    check(isinstance(j.get("paths"), dict) and j["paths"], "openapi.json has no paths")
    for p in ("/healthz", "/api/v1/sessions", "/api/v1/me", "/api/v1/users",
              "/api/v1/partners", "/api/v1/partners/{id}/agreements"):
        check(p in j["paths"], f"openapi.json does not describe {p}")
    # with a token it is the same document
    r2 = s.get("/api/v1/openapi.json", as_user=REP)
    expect(r2, 200)
    eq(r2.json, j, "openapi.json with and without a token")


def test_security_headers_everywhere(t):
    s = t.server
    tok = s.token(ADMIN)
    samples = [
        s.get("/healthz"),
        s.get("/api/v1/openapi.json"),
        s.get("/api/v1/partners", token=tok),
        s.get("/api/v1/me"),  # 401
        s.get("/api/v1/partners/999999", token=tok),  # 404
        s.get("/api/v1/nothing-here", token=tok),  # 404 unknown route
        s.req("PUT", "/api/v1/partners", body={}, token=tok),  # 405
        s.req("POST", "/api/v1/partners", raw=b"{}", content_type="text/plain", token=tok),
        s.req("POST", "/api/v1/partners", raw=b"{nope", token=tok),  # 400
    ]
    for r in samples:
        check_security_headers(r)


def test_unknown_route_404(t):
    s = t.server
    tok = s.token(ADMIN)
    for path in ("/api/v1/nothing-here", "/api/v1/partners/1/nothing", "/api/v2/partners",
                 "/nothing", "/api/v1/partners/1/agreements/1/nothing"):
        expect_error(s.get(path, token=tok), 404)


def test_non_numeric_and_bad_ids_404(t):
    s = t.server
    tok = s.token(ADMIN)
    for path in ("/api/v1/partners/abc", "/api/v1/partners/0", "/api/v1/partners/-1",
                 "/api/v1/partners/1.5", "/api/v1/partners/999999999",
                 "/api/v1/partners/99999999999999999999999",
                 "/api/v1/users/abc", "/api/v1/users/999999",
                 "/api/v1/partners/abc/agreements", "/api/v1/partners/999999/agreements",
                 "/api/v1/partners/1/agreements/abc", "/api/v1/partners/1/agreements/999999",
                 "/api/v1/settings/nonsense"):
        expect_error(s.get(path, token=tok), 404)
    expect_error(s.req("PATCH", "/api/v1/partners/999999", body={"region": "x"}, token=tok), 404)
    expect_error(s.req("PATCH", "/api/v1/users/999999", body={"name": "x"}, token=tok), 404)
    expect_error(s.req("POST", "/api/v1/partners/999999/agreements", body={}, token=tok), 404)
    expect_error(s.req("POST", "/api/v1/partners/1/agreements/999999/terminate", body={},
                       token=tok), 404)


def test_method_not_allowed_405(t):
    s = t.server
    tok = s.token(ADMIN)
    spec = s.get("/api/v1/openapi.json").json
    cases = [("PUT", "/api/v1/partners", "/api/v1/partners"),
             ("DELETE", "/api/v1/partners/1", "/api/v1/partners/{id}"),
             ("POST", "/healthz", "/healthz"),
             ("GET", "/api/v1/sessions", "/api/v1/sessions"),
             ("POST", "/api/v1/me", "/api/v1/me"),
             ("DELETE", "/api/v1/users/1", "/api/v1/users/{id}"),
             ("POST", "/api/v1/audit-events", "/api/v1/audit-events"),
             ("GET", "/api/v1/partners/1/agreements/1/terminate",
              "/api/v1/partners/{id}/agreements/{agreement_id}/terminate")]
    for method, path, pattern in cases:
        for token in (tok, None):
            r = s.req(method, path, body={} if method in ("POST", "PUT") else None, token=token)
            check(r.status == 405, f"{method} {path}: expected 405, got {r.short()}")
            expect_error(r, 405, code=None)  # the shape; the code is one of the table's
            allow = r.header("allow")
            check(allow, f"{method} {path}: 405 without an Allow header")
            got = {m.strip().upper() for m in allow.split(",") if m.strip()}
            want = {m.upper() for m in spec["paths"][pattern] if m != "parameters"}
            eq(got, want, f"{method} {path}: Allow header methods (openapi: {sorted(want)})")


def test_unauthenticated_401(t):
    s = t.server
    for path in ("/api/v1/me", "/api/v1/partners", "/api/v1/partners/1", "/api/v1/users",
                 "/api/v1/audit-events", "/api/v1/settings/agreements",
                 "/api/v1/partners/1/agreements"):
        expect_error(s.get(path), 401)
        expect_error(s.get(path, token="tdm_not-a-real-token"), 401)
        expect_error(request(s.port, "GET", path, headers={"Authorization": "Bearer "}), 401)
    tok = s.token(ADMIN)
    expect_error(request(s.port, "GET", "/api/v1/me", headers={"Authorization": f"Basic {tok}"}),
                 401)
    expect_error(request(s.port, "GET", "/api/v1/me", headers={"Authorization": tok}), 401)
    expect_error(s.req("POST", "/api/v1/partners", body={"name": "X", "type": "oem"}), 401)
    expect_error(s.req("DELETE", "/api/v1/sessions/current"), 401)


def test_malformed_json_400(t):
    s = t.server
    tok = s.token(ADMIN)
    for raw in (b"{", b'{"name": "x",}', b"not json", b'{"name": "x"} trailing', b"\xff\xfe{}"):
        for method, path in (("POST", "/api/v1/partners"), ("PATCH", "/api/v1/partners/1"),
                             ("POST", "/api/v1/users"), ("PATCH", "/api/v1/users/2"),
                             ("POST", "/api/v1/partners/1/agreements"),
                             ("PUT", "/api/v1/settings/agreements"),
                             ("POST", "/api/v1/sessions")):
            r = s.req(method, path, raw=raw, token=tok)
            expect_error(r, 400)


def test_wrong_content_type_415(t):
    s = t.server
    tok = s.token(ADMIN)
    body = json.dumps({"name": "Plain Text Partner", "type": "reseller"}).encode()
    for ct in ("text/plain", "application/x-www-form-urlencoded", "application/jsonx",
               "multipart/form-data; boundary=x"):
        for method, path in (("POST", "/api/v1/partners"), ("PATCH", "/api/v1/partners/1"),
                             ("POST", "/api/v1/sessions"), ("POST", "/api/v1/users"),
                             ("PUT", "/api/v1/settings/agreements"),
                             ("POST", "/api/v1/partners/1/agreements")):
            r = s.req(method, path, raw=body, content_type=ct, token=tok)
            expect_error(r, 415)
    # no Content-Type at all on a write with a body
    r = s.req("POST", "/api/v1/partners", raw=body, content_type=None, token=tok)
    expect_error(r, 415)
    # nothing was created by any of these
    lst = s.get("/api/v1/partners?q=Plain%20Text%20Partner", token=tok).json
    eq(lst["items"], [], "partners created by refused 415 requests")


def test_json_with_charset_accepted(t):
    s = t.server
    tok = s.token(ADMIN)
    r = s.req("POST", "/api/v1/partners", raw=json.dumps(
        {"name": f"Charset {t.unique()}", "type": "reseller"}).encode(),
        content_type="application/json; charset=utf-8", token=tok)
    expect_json(r, 201)


def test_media_type_and_auth_scheme_case_insensitive(t):
    s = t.server
    tok = s.token(ADMIN)
    r = s.req("POST", "/api/v1/partners", raw=json.dumps(
        {"name": f"Case {t.unique()}", "type": "oem"}).encode(),
        content_type="Application/JSON", token=tok)
    expect_json(r, 201)
    r = request(s.port, "GET", "/api/v1/me", headers={"Authorization": f"bearer {tok}"})
    expect_json(r, 200)


def test_keep_alive_and_concurrent_writes(t):
    s = t.server
    tok = s.token(ADMIN)
    prefix = t.unique("Conc")
    errors = []
    made = []

    def work(i):
        c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        try:
            for j in range(10):
                body = json.dumps({"name": f"{prefix} {i}-{j}", "type": "referral"})
                c.request("POST", "/api/v1/partners", body=body,
                          headers={"Content-Type": "application/json",
                                   "Authorization": f"Bearer {tok}"})
                r = c.getresponse()
                data = r.read()
                if r.status != 201:
                    errors.append(f"POST #{i}-{j}: {r.status} {data[:200]!r}")
                else:
                    made.append(json.loads(data)["id"])
                c.request("GET", "/api/v1/partners/1",
                          headers={"Authorization": f"Bearer {tok}"})
                r = c.getresponse()
                data = r.read()
                if r.status != 200:
                    errors.append(f"GET #{i}-{j}: {r.status} {data[:200]!r}")
        except Exception as e:  # noqa: BLE001
            errors.append(f"worker {i}: {type(e).__name__}: {e}")
        finally:
            c.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    check(not errors, f"{len(errors)} failed requests on 8 keep-alive connections: {errors[:3]}")
    eq(len(set(made)), 80, "distinct partners created concurrently")
    j = expect_json(s.get(f"/api/v1/partners?q={prefix}&limit=500", token=tok), 200)
    eq(sorted(p["id"] for p in j["items"]), sorted(made), "the concurrently created partners")


def _big_body(size):
    head = b'{"name": "Big Partner", "type": "reseller", "region": "'
    tail = b'"}'
    return head + b"x" * (size - len(head) - len(tail)) + tail


def test_body_over_1mib_413(t):
    s = t.server
    tok = s.token(ADMIN)
    body = _big_body(MIB + 1)
    chunks = [body[i:i + 65536] for i in range(0, len(body), 65536)]
    for method, path in (("POST", "/api/v1/partners"), ("PATCH", "/api/v1/partners/1"),
                         ("POST", "/api/v1/users")):
        r = raw_exchange(s.port, method, path,
                         [f"Authorization: Bearer {tok}", "Content-Type: application/json",
                          f"Content-Length: {len(body)}"], chunks)
        expect_error(r, 413)
        check(s.alive(), "the server died on a body over 1 MiB")


def test_chunked_body_over_1mib_413(t):
    s = t.server
    tok = s.token(ADMIN)
    body = _big_body(MIB + 4096)
    chunks = []
    for i in range(0, len(body), 65536):
        c = body[i:i + 65536]
        chunks.append(b"%x\r\n" % len(c) + c + b"\r\n")
    chunks.append(b"0\r\n\r\n")
    r = raw_exchange(s.port, "POST", "/api/v1/partners",
                     [f"Authorization: Bearer {tok}", "Content-Type: application/json",
                      "Transfer-Encoding: chunked"], chunks, early_wait=0)
    expect_error(r, 413)


def test_body_of_exactly_1mib_accepted(t):
    s = t.server
    tok = s.token(ADMIN)
    name = f"Exactly One MiB {t.unique()}"
    head = json.dumps({"name": name, "type": "reseller"}).encode()
    body = head[:-1] + b" " * (MIB - len(head)) + b"}"
    eq(len(body), MIB, "test body size")
    r = s.req("POST", "/api/v1/partners", raw=body, token=tok)
    j = expect_json(r, 201)
    eq(j["name"], name, "name of the partner created with a 1 MiB body")


def test_login_body_limit_413(t):
    # POST /api/v1/sessions has a small limit; a 1 MiB + 1 login is refused.
    s = t.server
    body = json.dumps({"email": "a@b.example", "password": "x" * (MIB + 1)}).encode()
    r = raw_exchange(s.port, "POST", "/api/v1/sessions",
                     ["Content-Type: application/json", f"Content-Length: {len(body)}"],
                     [body[i:i + 65536] for i in range(0, len(body), 65536)])
    expect_error(r, 413)


def test_unknown_query_parameter_400(t):
    s = t.server
    tok = s.token(ADMIN)
    for path in ("/api/v1/partners?colour=red", "/api/v1/partners/1?x=1", "/api/v1/me?x=1",
                 "/api/v1/users?x=1", "/api/v1/users/1?x=1", "/api/v1/audit-events?x=1",
                 "/api/v1/partners/1/agreements?x=1", "/api/v1/partners/1/agreements/1?x=1",
                 "/api/v1/settings/agreements?x=1", "/api/v1/partners?Status=active"):
        expect_error(s.get(path, token=tok), 400)


def test_bad_limit_and_cursor_400(t):
    s = t.server
    tok = s.token(ADMIN)
    lists = ["/api/v1/partners", "/api/v1/users", "/api/v1/audit-events",
             "/api/v1/partners/1/agreements"]
    for base in lists:
        for q in ("limit=0", "limit=501", "limit=-1", "limit=abc", "limit=1.5", "limit=",
                  "cursor=!!!", "cursor=abc", "cursor=c", "cursor=%20",
                  "cursor=cAAAAAAAAAAAAAAAAAAAAAAAAAAA"):
            r = s.get(f"{base}?{q}", token=tok)
            if q in ("limit=", "cursor=%20") and r.status == 200:
                continue  # an empty value read as absent is acceptable
            expect_error(r, 400)
        for q in ("limit=1", "limit=500"):
            j = expect_json(s.get(f"{base}?{q}", token=tok), 200)
            n = int(q.split("=")[1])
            check(len(j["items"]) <= n, f"GET {base}?{q}: {len(j['items'])} items")


def test_list_default_limit_50(t):
    s = t.server
    tok = s.token(ADMIN)
    for path in ("/api/v1/audit-events", "/api/v1/partners", "/api/v1/users"):
        total = 0
        cursor = None
        while True:
            r = s.get(f"{path}?limit=500" + (f"&cursor={cursor}" if cursor else ""), token=tok)
            j = expect_json(r, 200)
            total += len(j["items"])
            cursor = j["next_cursor"]
            if cursor is None:
                break
        j = expect_json(s.get(path, token=tok), 200)
        eq(len(j["items"]), min(50, total), f"GET {path} item count with the default limit")
        eq(j["next_cursor"] is not None, total > 50,
           f"GET {path} ({total} records): next_cursor given with the default limit")


def test_error_codes_match_statuses(t):
    # a sample of each class: the code always matches the status's row
    s = t.server
    for r, status in ((s.get("/api/v1/me"), 401),
                      (s.get("/api/v1/partners/999999", as_user=ADMIN), 404),
                      (s.get("/api/v1/audit-events", as_user=REP), 403),
                      (s.get("/api/v1/partners?limit=0", as_user=ADMIN), 400)):
        e = expect_error(r, status)
        eq(e["code"], ERROR_CODES[status], f"{r.where()} code")


def test_graceful_shutdown_finishes_requests_in_flight(t):
    """SIGTERM while a sign-in (argon2id, tens of milliseconds) is in
    flight: the answer still arrives, then the server exits 0."""
    import signal

    s = t.fresh_server()
    out = {}

    def login():
        out["r"] = s.login(NW_ADMIN)

    th = threading.Thread(target=login)
    th.start()
    time.sleep(0.01)
    s.proc.send_signal(signal.SIGTERM)
    th.join(30)
    check("r" in out, "the request in flight got no answer")
    eq(out["r"].status, 201, "the sign-in in flight")
    s.stop_checked()
    check("received SIGTERM" in s.log_tail(4000), "the shutdown is logged")


def test_access_log_line_per_request(t):
    s = t.fresh_server()
    try:
        s.get("/healthz")
        s.get("/api/v1/partners")
        r = s.req("GET", "/api/v1/partners?limit=1", token="tdm_secret-looking-token")
        eq(r.status, 401, "a bad token")
    finally:
        s.stop_checked()
    log = s.log_tail(100000)
    check(re.search(r"GET /healthz 200 \d+", log), f"access line for /healthz: {log[-500:]}")
    check(re.search(r"GET /api/v1/partners 401 \d+", log), "access line with the status")
    check("tdm_secret-looking-token" not in log and "limit=1" not in log,
          "tokens and query strings stay out of the log")


def test_metrics(t):
    s = t.fresh_server(env={"TANDEM_METRICS_TOKEN": "scrape-secret-0123456789"})
    try:
        s.get("/api/v1/partners", as_user=ADMIN)
        r = s.req("GET", "/metrics", as_user=ADMIN)
        eq(r.status, 200, "admin scrape")
        check((r.header("content-type") or "").startswith("text/plain"), "text format")
        check('tandem_http_requests_total{method="GET",route="/api/v1/partners",status="200"}'
              in r.text, f"request counter: {r.text[:400]}")
        check("tandem_http_request_duration_seconds_bucket" in r.text, "histogram")
        check("tandem_conflict_index_records" in r.text, "index gauge")
        check("tandem_db_seconds_total" in r.text, "database time")
        ok = s.req("GET", "/metrics", token="scrape-secret-0123456789")
        eq(ok.status, 200, "scrape token")
        expect_error(s.req("GET", "/metrics", token="scrape-secret-wrong"), 401)
        expect_error(s.req("GET", "/metrics"), 401)
        expect_error(s.req("GET", "/metrics", as_user=REP), 403)
        expect_error(s.req("GET", "/metrics", as_user=NW_ADMIN), 403)
    finally:
        s.stop_checked()
    check("scrape-secret" not in s.log_tail(100000), "no token in the log")
