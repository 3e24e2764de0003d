"""Storage on both engines: concurrent writers through two processes, a
reconnect after PostgreSQL restarts, `tandem copy` between engines and
`tandem backup` of a live SQLite database (docs/operations.md)."""

import datetime
import os
import sqlite3
import subprocess
import threading
import time

from helpers import (ADMIN, FINANCE, MARKETING, NW_SALES, SALES_MANAGER, Skip, check, eq, expect_error,
                     expect_json, pg_url, run_cli, today, walk)

REG = "/api/v1/deal-registrations"
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def submit(s, name, domain=None):
    customer = {"name": name}
    if domain:
        customer["domain"] = domain
    return expect_json(s.req("POST", REG, as_user=NW_SALES, body={
        "customer": customer, "amount": {"amount": 990000, "currency": "EUR"},
        "expected_close": (today() + datetime.timedelta(days=45)).isoformat()}), 201)


def test_concurrent_approvals_through_two_processes(t):
    """Many approvals of one registration at once, half through each of two
    servers on the same database: exactly one wins (200), every other one
    sees the approved registration (409), and one approval is audited. An
    approval reads and writes under the database's write lock, so none is
    lost or doubled."""
    a = t.fresh_server(env={"TANDEM_THREADS": "8"})
    b = t.fresh_server(env={"TANDEM_THREADS": "8"}, db=a.db)
    try:
        reg = submit(a, f"Race {t.unique()} GmbH")
        tokens = {a: a.token(SALES_MANAGER), b: b.token(SALES_MANAGER)}
        n = 24
        gate = threading.Barrier(n)
        statuses = []
        lock = threading.Lock()

        def approve(s):
            gate.wait(10)
            r = s.req("POST", f"{REG}/{reg['id']}/approve", body={}, token=tokens[s])
            with lock:
                statuses.append(r.status)

        threads = [threading.Thread(target=approve, args=(a if i % 2 else b,)) for i in range(n)]
        for th in threads:
            th.start()
        for th in threads:
            th.join(60)
        eq(len(statuses), n, "answers")
        eq(sorted(statuses), [200] + [409] * (n - 1), "one approval wins, the others conflict")
        for s in (a, b):
            j = expect_json(s.get(f"{REG}/{reg['id']}", as_user=ADMIN), 200)
            eq(j["status"], "approved", "the registration's status")
        ev = expect_json(a.get(f"/api/v1/audit-events?entity=registration&entity_id={reg['id']}"
                               f"&action=approve", as_user=ADMIN), 200)["items"]
        eq(len(ev), 1, f"approvals audited: {ev}")
    finally:
        b.stop_checked()
        a.stop_checked()


def test_sessions_and_rate_limit_across_processes(t):
    """Two servers on one database share sessions and the sign-in limit: a
    token from one works on the other and a sign-out on either ends it; ten
    failures spread over both lock the e-mail on both."""
    a = t.fresh_server()
    b = t.fresh_server(db=a.db)
    try:
        tok = a.new_token(FINANCE)
        expect_json(b.get("/api/v1/me", token=tok), 200)
        r = b.req("DELETE", "/api/v1/sessions/current", token=tok)
        eq(r.status, 204, "sign-out through the other server")
        expect_error(a.get("/api/v1/me", token=tok), 401)
        for i in range(10):
            expect_error((a, b)[i % 2].login(MARKETING, f"wrong-password-{i:03d}"), 401)
        expect_error(a.login(MARKETING), 429)
        expect_error(b.login(MARKETING), 429)
    finally:
        b.stop_checked()
        a.stop_checked()


def test_reconnect_after_database_restart(t):
    """The server keeps working across a PostgreSQL restart: the first request
    after it may answer 503, the next ones succeed; while the database is down
    requests answer 503 (and /healthz too), and it recovers on its own."""
    if not t.pg:
        raise Skip("PostgreSQL only: SQLite has no server to restart")
    if not t.pg_dir:
        raise Skip("no cluster directory to restart (run.py --pg-dir or TANDEM_PG_DIR)")
    pg_sh = os.path.join(REPO, "scripts", "pg.sh")
    # one worker thread, so that the requests below all meet its one connection
    s = t.fresh_server(env={"TANDEM_THREADS": "1"})
    try:
        tok = s.token(ADMIN)
        expect_json(s.get("/api/v1/partners/1", token=tok), 200)
        p = subprocess.run([pg_sh, "restart", t.pg_dir], capture_output=True, text=True,
                           timeout=120)
        eq(p.returncode, 0, f"scripts/pg.sh restart: {p.stderr.strip()}")
        first = s.get("/api/v1/partners/1", token=tok)
        if first.status != 200:
            expect_error(first, 503)
        for i in range(5):
            expect_json(s.get("/api/v1/partners/1", token=tok), 200)
        expect_json(s.get("/healthz"), 200)
        # down for a while: 503 meanwhile, then it recovers without a restart
        down = subprocess.Popen([pg_sh, "restart", t.pg_dir, "3"], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        expect_error(s.get("/api/v1/partners/1", token=tok), 503)
        expect_error(s.get("/healthz"), 503)
        _, err = down.communicate(timeout=120)
        eq(down.returncode, 0, f"scripts/pg.sh restart 3: {err.strip()}")
        for i in range(3):
            expect_json(s.get("/api/v1/partners/1", token=tok), 200)
        r = s.req("POST", "/api/v1/partners", token=tok,
                  body={"name": f"After Restart {t.unique()}", "type": "referral"})
        expect_json(r, 201)
        check(s.alive(), "the server survived the restarts")
    finally:
        s.stop_checked()


# Everything a vendor admin reads back, to compare a program with its copy.
READS = ["/api/v1/partners", "/api/v1/users", "/api/v1/accounts", REG,
         "/api/v1/opportunities", "/api/v1/orders", "/api/v1/statements"]
SINGLE = ["/api/v1/settings/engagement", "/api/v1/settings/agreements", "/api/v1/me",
          "/api/v1/forecast"]


def read_program(s, token):
    out = {}
    for path in READS:
        items, _ = walk(lambda p: s.get(p, token=token), path, 100)
        out[path] = items
    out["audit"], _ = walk(lambda p: s.get(p, token=token), "/api/v1/audit-events", 100)
    for pid in (p["id"] for p in out["/api/v1/partners"]):
        path = f"/api/v1/partners/{pid}/agreements"
        out[path], _ = walk(lambda p: s.get(p, token=token), path, 100)
    for path in SINGLE:
        out[path] = expect_json(s.get(path, token=token), 200)
    return out


def same(a, b, what):
    for k in a:
        if a[k] != b.get(k):
            raise AssertionError(f"{what}: {k} differs: {str(a[k])[:300]} / {str(b.get(k))[:300]}")


def test_copy_between_engines_round_trip(t):
    """`tandem copy` from a live SQLite program to PostgreSQL (to another
    SQLite file when the run has no PostgreSQL) and back to SQLite: the API
    reads back the same program from each copy, tokens included, and new
    records continue after the copied ids."""
    src = t.fresh_server(db=t.demo_db_copy(engine="sqlite"))
    mid_db = t.new_db("copy-mid")
    back_db = t.sqlite_db("copy-back")
    try:
        reg = submit(src, f"Copied {t.unique()} Oy", "copied.test")
        expect_json(src.req("POST", f"{REG}/{reg['id']}/approve", body={},
                            as_user=SALES_MANAGER), 200)
        expect_json(src.req("POST", "/api/v1/accounts", as_user=ADMIN,
                            body={"name": "Copied Account AB", "domain": "copied-account.test"}),
                    201)
        tok = src.token(ADMIN)
        before = read_program(src, tok)
        # the source keeps serving: the copy reads one snapshot of it
        p = run_cli(t.bin, ["copy", "--from", src.db, "--to", mid_db], timeout=300)
        eq(p.returncode, 0, f"copy to {t.engine}: {p.stderr.strip()}")
        check("partners" in p.stdout and "copied" in p.stdout, f"copy's report: {p.stdout}")
    finally:
        src.stop_checked()
    # the target now holds data: a second copy into it is refused
    again = run_cli(t.bin, ["copy", "--from", src.db, "--to", mid_db])
    eq(again.returncode, 1, f"a copy into a non-empty database: {again.stdout}")
    check("empty" in again.stderr, f"the refusal says why: {again.stderr}")
    p = run_cli(t.bin, ["copy", "--from", mid_db, "--to", back_db], timeout=300)
    eq(p.returncode, 0, f"copy back to SQLite: {p.stderr.strip()}")
    for db in (mid_db, back_db):
        s = t.fresh_server(db=db)
        try:
            same(before, read_program(s, tok), f"the program read from {db}")
            ids = [x["id"] for x in before["/api/v1/partners"]]
            r = s.req("POST", "/api/v1/partners", token=tok,
                      body={"name": f"After Copy {t.unique()}", "type": "oem"})
            j = expect_json(r, 201)
            check(j["id"] > max(ids), f"a new partner's id {j['id']} after the copied {max(ids)}")
            found = expect_json(s.req("POST", "/api/v1/conflict-check", as_user=NW_SALES,
                                      body={"customer": {"name": "Copied Account",
                                                         "domain": "copied-account.test"}}),
                                200)["conflicts"]
            check(found, "the copied account is in the copy's conflict index")
        finally:
            s.stop_checked()


def test_copy_usage_errors(t):
    for args, status in ((["copy", "--from", t.sqlite_db()], 2),
                         (["copy", "--to", t.sqlite_db()], 2),
                         (["copy", "--from", "x.db", "--to", "x.db"], 1),
                         (["copy", "--from", t.path("missing.db"), "--to", t.sqlite_db()], 1),
                         (["copy", "--db", "a.db", "--from", "b.db", "--to", "c.db"], 2)):
        p = run_cli(t.bin, args)
        eq(p.returncode, status, f"tandem {' '.join(args)} ({p.stderr.strip()})")
        check(p.stderr.strip(), f"tandem {' '.join(args)} says why")


def test_backup_while_serving(t):
    """`tandem backup FILE` copies a SQLite database while a server writes to
    it: the copy is a consistent database that serves the program."""
    db = t.demo_db_copy(engine="sqlite")
    s = t.fresh_server(db=db)
    stop = threading.Event()
    created = []

    def write():
        tok = s.token(ADMIN)
        while not stop.is_set():
            r = s.req("POST", "/api/v1/partners", token=tok,
                      body={"name": f"Busy {len(created)} {t.unique()}", "type": "affiliate"})
            if r.status == 201:
                created.append(r.json["id"])

    th = threading.Thread(target=write)
    out = t.sqlite_db("backup")
    try:
        th.start()
        time.sleep(0.3)
        p = run_cli(t.bin, ["backup", out, "--db", db])
        during = len(created)
        time.sleep(0.2)
        stop.set()
        th.join(30)
        eq(p.returncode, 0, f"backup while serving: {p.stderr.strip()}")
        check(created and len(created) > during, "the server kept writing during the backup")
        again = run_cli(t.bin, ["backup", out, "--db", db])
        eq(again.returncode, 1, "a backup onto an existing file")
    finally:
        stop.set()
        s.stop_checked()
    with sqlite3.connect(out) as c:
        eq(c.execute("PRAGMA integrity_check").fetchone()[0], "ok", "the backup's integrity")
        n = c.execute("SELECT COUNT(*) FROM partners").fetchone()[0]
    check(12 <= n <= 12 + len(created), f"{n} partners in the backup")
    check(not os.path.exists(out + ".partial"), "no partial file is left")
    b = t.fresh_server(db=out)
    try:
        items, _ = walk(lambda p: b.get(p, as_user=ADMIN), "/api/v1/partners", 100)
        eq(len(items), n, "the backup serves its partners")
    finally:
        b.stop_checked()


def test_backup_refusals(t):
    p = run_cli(t.bin, ["backup", t.sqlite_db(), "--db", t.path("nothing-here.db")])
    eq(p.returncode, 1, "backup of a missing database")
    url = pg_url(t.pg, "postgres") if t.pg else "postgresql://127.0.0.1:1/tandem"
    p = run_cli(t.bin, ["backup", t.sqlite_db(), "--db", url])
    eq(p.returncode, 1, "backup of a PostgreSQL database")
    check("pg_dump" in p.stderr, f"it points to pg_dump: {p.stderr}")
    p = run_cli(t.bin, ["backup", "--db", t.sqlite_db()])
    eq(p.returncode, 2, "backup without a file")


def test_import_rejects_non_utf8_rows(t):
    """A CSV row that is not UTF-8 (a Latin-1 export) is rejected as a bad row
    on both engines; SQLite would store the bytes and PostgreSQL refuse them."""
    db = t.demo_db_copy()
    path = t.path(t.unique("latin1") + ".csv")
    with open(path, "wb") as f:
        f.write(b"name,domain\nCaf\xe9 Latin One,latin-one.test\nUTF-8 Caf\xc3\xa9 Two,two.test\n")
    p = run_cli(t.bin, ["import", "accounts", path, "--db", db])
    eq(p.returncode, 1, f"exit status with a rejected row ({p.stderr.strip()})")
    eq(p.stdout.strip().splitlines()[-1], "imported 1, updated 0, rejected 1", "summary")
    check("line 2: not UTF-8" in p.stderr, f"the bad line is named: {p.stderr}")
    s = t.fresh_server(db=db)
    try:
        items, _ = walk(lambda q: s.get(q, as_user=ADMIN), "/api/v1/accounts", 100)
        names = [a["name"] for a in items]
        check("UTF-8 Café Two" in names, f"the good row is there: {names[-3:]}")
    finally:
        s.stop_checked()
