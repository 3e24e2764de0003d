"""Helpers for Tandem's black-box HTTP tests: start and stop the real binary,
send requests, check answers.  Standard library only."""

import datetime
import glob
import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import tempfile
import time

DEMO_PASSWORD = "tandem-demo-2026"

# The demo logins (API.md / `tandem demo`).
ADMIN = "admin@tandem.example"
CHANNEL = "channel@tandem.example"
SALES_MANAGER = "salesmanager@tandem.example"
REP = "rep@tandem.example"
MARKETING = "marketing@tandem.example"
FINANCE = "finance@tandem.example"
NW_ADMIN = "admin@northwind-systems.example"  # partner_admin, partner 1
NW_SALES = "sales@northwind-systems.example"  # partner_sales, partner 1
NW_MARKETING = "marketing@northwind-systems.example"
BF_ADMIN = "admin@bluefin-analytics.example"  # partner_admin, partner 2
BF_SALES = "sales@bluefin-analytics.example"
KESTREL_ADMIN = "admin@kestrel-cloud.example"  # partner 3
ATLAS_CONSULTANT = "consultant@atlas-implementation.example"  # partner 5
LUMEN_SALES = "sales@lumen-partners.example"  # partner 4

VENDOR_USERS = [ADMIN, CHANNEL, SALES_MANAGER, REP, MARKETING, FINANCE]
PARTNER_USERS = {
    NW_ADMIN: 1, NW_SALES: 1, NW_MARKETING: 1, BF_ADMIN: 2, BF_SALES: 2,
    KESTREL_ADMIN: 3, LUMEN_SALES: 4, ATLAS_CONSULTANT: 5,
}

# The error codes of API.md's table.
ERROR_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    409: "conflict", 413: "payload_too_large", 415: "unsupported_media_type",
    422: "validation_failed", 429: "rate_limited", 503: "unavailable",
}

CURSOR_RE = re.compile(r"^[A-Za-z0-9_-]+$")
TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

HTTP_TIMEOUT = 30


class Fail(AssertionError):
    pass


class Skip(Exception):
    """Raised by a test that does not apply to this run (the reason is
    printed, and the test counted as skipped)."""


def check(cond, msg):
    if not cond:
        raise Fail(msg)


def eq(actual, expected, what):
    if actual != expected:
        raise Fail(f"{what}: expected {expected!r}, got {actual!r}")


def today():
    """The server's today: the UTC date."""
    return datetime.datetime.now(datetime.timezone.utc).date()


def add_months(d, months):
    y, m = divmod(d.month - 1 + months, 12)
    y += d.year
    m += 1
    for day in (d.day, 30, 29, 28):
        try:
            return datetime.date(y, m, min(d.day, day))
        except ValueError:
            continue
    raise ValueError(d)


# ---------------------------------------------------------------- requests

class Response:
    def __init__(self, method, path, status, headers, body):
        self.method = method
        self.path = path
        self.status = status
        self.header_list = headers
        self.headers = {k.lower(): v for k, v in headers}
        self.body = body
        self.text = body.decode("utf-8", "replace")
        try:
            self.json = json.loads(self.text) if body else None
        except ValueError:
            self.json = None

    def header(self, name):
        return self.headers.get(name.lower())

    def short(self, n=300):
        t = self.text if len(self.text) <= n else self.text[:n] + "..."
        return f"{self.status} {t}"

    def where(self):
        return f"{self.method} {self.path}"

    def __repr__(self):
        return f"<{self.where()} -> {self.short(120)}>"


def request(port, method, path, body=None, token=None, headers=None, raw=None,
            content_type="application/json"):
    """One request on a new connection.  body: a Python value sent as JSON;
    raw: bytes sent as they are.  Returns a Response."""
    hdrs = {}
    data = None
    if raw is not None:
        data = raw
    elif body is not None:
        data = json.dumps(body).encode()
    if data is not None and content_type is not None:
        hdrs["Content-Type"] = content_type
    if token is not None:
        hdrs["Authorization"] = f"Bearer {token}"
    if headers:
        hdrs.update(headers)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT)
    try:
        try:
            conn.request(method, path, body=data, headers=hdrs)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer before reading the whole body
        resp = conn.getresponse()
        payload = resp.read()
        return Response(method, path, resp.status, resp.getheaders(), payload)
    finally:
        conn.close()


def parse_raw_response(method, path, data):
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = []
    for line in lines[1:]:
        k, _, v = line.partition(":")
        headers.append((k.strip(), v.strip()))
    hd = {k.lower(): v for k, v in headers}
    if "content-length" in hd:
        body = body[: int(hd["content-length"])]
    return Response(method, path, status, headers, body)


def raw_exchange(port, method, path, head_lines, body_chunks, early_wait=3.0):
    """Sends the head, and if the server has not answered within early_wait
    seconds, the body chunks; returns the first response.  For bodies the
    server may refuse early (413, 415) without reading them."""
    s = socket.create_connection(("127.0.0.1", port), timeout=HTTP_TIMEOUT)
    try:
        head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        head += "".join(h + "\r\n" for h in head_lines) + "\r\n"
        s.sendall(head.encode())
        r, _, _ = select.select([s], [], [], early_wait)
        if not r:
            try:
                for c in body_chunks:
                    s.sendall(c)
                    r, _, _ = select.select([s], [], [], 0)
                    if r:
                        break
            except (BrokenPipeError, ConnectionResetError):
                pass
        data = b""
        deadline = time.time() + HTTP_TIMEOUT
        while time.time() < deadline:
            try:
                chunk = s.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            data += chunk
            if b"\r\n\r\n" in data:
                h, _, b = data.partition(b"\r\n\r\n")
                m = re.search(rb"(?i)content-length:\s*(\d+)", h)
                if m and len(b) >= int(m.group(1)):
                    break
        if not data:
            raise Fail(f"{method} {path}: no answer from the server")
        return parse_raw_response(method, path, data)
    finally:
        s.close()


def expect(r, status, what=""):
    if r.status != status:
        raise Fail(f"{r.where()}{' ' + what if what else ''}: expected {status}, got {r.short()}")
    return r.json


def expect_json(r, status):
    expect(r, status)
    ct = r.header("content-type") or ""
    check(ct.startswith("application/json"),
          f"{r.where()}: Content-Type {ct!r}, expected application/json")
    check(r.json is not None, f"{r.where()}: body is not JSON: {r.short()}")
    return r.json


_ANY = object()


def expect_error(r, status, field=_ANY, code=None):
    """Checks the status and the exact error shape of API.md:
    {"error": {"code", "message", "field"}}, code from the table."""
    code = code or ERROR_CODES.get(status)
    want = f"{status} {code}" + ("" if field is _ANY else f" field={field!r}")
    if r.status != status:
        raise Fail(f"{r.where()}: expected {want}, got {r.short()}")
    j = r.json
    ct = r.header("content-type") or ""
    check(ct.startswith("application/json"),
          f"{r.where()}: error Content-Type {ct!r}, expected application/json")
    check(isinstance(j, dict) and set(j) == {"error"},
          f"{r.where()}: error body is not {{\"error\": ...}}: {r.short()}")
    e = j["error"]
    check(isinstance(e, dict) and set(e) == {"code", "message", "field"},
          f"{r.where()}: error object must have exactly code, message, field: {r.short()}")
    if code is not None:
        check(e["code"] == code, f"{r.where()}: expected {want}, got {r.short()}")
    else:
        check(e["code"] in ERROR_CODES.values(),
              f"{r.where()}: error code {e['code']!r} is not in API.md's table")
    check(isinstance(e["message"], str) and e["message"],
          f"{r.where()}: error message must be a non-empty string: {r.short()}")
    check(e["field"] is None or isinstance(e["field"], str),
          f"{r.where()}: error field must be a string or null: {r.short()}")
    if field is not _ANY:
        check(e["field"] == field, f"{r.where()}: expected {want}, got {r.short()}")
    return e


def walk(get, path, limit, max_pages=1000):
    """Follows next_cursor through a list; returns (items, pages)."""
    items, pages = [], []
    cursor = None
    sep = "&" if "?" in path else "?"
    for _ in range(max_pages):
        p = f"{path}{sep}limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        r = get(p)
        j = expect_json(r, 200)
        check(set(j) >= {"items", "next_cursor"}, f"GET {p}: not a list answer: {r.short()}")
        pages.append(j)
        items.extend(j["items"])
        cursor = j["next_cursor"]
        if cursor is None:
            return items, pages
        check(isinstance(cursor, str) and CURSOR_RE.match(cursor),
              f"GET {p}: next_cursor {cursor!r} is not [A-Za-z0-9_-]+")
    raise Fail(f"GET {path}: more than {max_pages} pages")


# ---------------------------------------------------------------- processes

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def sanitizer_env(extra=None):
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1:abort_on_error=1")
    env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1")
    env.pop("TANDEM_DB", None)
    env.pop("TANDEM_LISTEN", None)
    if extra:
        env.update(extra)
    return env


def run_cli(binary, args, stdin=None, env=None, cwd=None, timeout=60):
    """Runs `tandem ARGS`; returns CompletedProcess with text stdout/stderr."""
    return subprocess.run([binary] + list(args), input=stdin, capture_output=True, text=True,
                          env=sanitizer_env(env), cwd=cwd, timeout=timeout)


SANITIZER_MARKS = ("AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
                   "runtime error:")


class Server:
    """`tandem serve` on a free loopback port, on its own copy of a database
    (db_path: a SQLite file or a postgresql:// URL)."""

    def __init__(self, binary, db_path, log_path, env=None):
        self.env = env
        self.binary = binary
        self.db = db_path
        self.log_path = log_path
        self.port = free_port()
        self.proc = None
        self.tokens = {}

    def start(self, timeout=20):
        self.log = open(self.log_path, "wb")
        self.proc = subprocess.Popen(
            [self.binary, "serve", "--db", self.db, "--listen", f"127.0.0.1:{self.port}"],
            stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=sanitizer_env(self.env))
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise Fail(f"tandem serve exited with {self.proc.returncode}: {self.log_tail()}")
            try:
                r = request(self.port, "GET", "/healthz")
                if r.status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.05)
        raise Fail(f"tandem serve did not answer /healthz within {timeout}s: {self.log_tail()}")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, n=1500):
        try:
            with open(self.log_path, "rb") as f:
                data = f.read().decode("utf-8", "replace")
        except OSError:
            return ""
        return data[-n:]

    def sanitizer_report(self):
        try:
            with open(self.log_path, "rb") as f:
                data = f.read().decode("utf-8", "replace")
        except OSError:
            return None
        for mark in SANITIZER_MARKS:
            i = data.find(mark)
            if i >= 0:
                return data[max(0, i - 200): i + 800]
        return None

    def stop(self, grace=5.0):
        """SIGTERM; returns (exit status or None if it had to be killed, seconds)."""
        if self.proc is None:
            return 0, 0.0
        t0 = time.time()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            rc = self.proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = None
        self.log.close()
        return rc, time.time() - t0

    def stop_checked(self, grace=5.0):
        """Stops the server; fails unless it exits 0 within `grace` seconds
        and its log shows no sanitizer report."""
        was_alive = self.alive()
        rc, secs = self.stop(grace)
        rep = self.sanitizer_report()
        check(rep is None, f"sanitizer report in the server log: {rep}")
        check(was_alive, f"the server had already exited ({rc}): {self.log_tail(600)}")
        check(rc is not None, f"the server did not exit within {grace}s of SIGTERM")
        check(rc == 0, f"the server exited with {rc} after SIGTERM: {self.log_tail(600)}")

    # -- requests on this server

    def req(self, method, path, body=None, token=None, as_user=None, **kw):
        if as_user is not None:
            token = self.token(as_user)
        return request(self.port, method, path, body=body, token=token, **kw)

    def get(self, path, as_user=None, token=None):
        return self.req("GET", path, as_user=as_user, token=token)

    def login(self, email, password=DEMO_PASSWORD):
        return request(self.port, "POST", "/api/v1/sessions",
                       body={"email": email, "password": password})

    def new_token(self, email, password=DEMO_PASSWORD):
        r = self.login(email, password)
        j = expect_json(r, 201)
        check(isinstance(j.get("token"), str) and j["token"],
              f"POST /api/v1/sessions as {email}: no token in {r.short()}")
        return j["token"]

    def token(self, email):
        """A session token for email, logged in once per server."""
        if email not in self.tokens:
            self.tokens[email] = self.new_token(email)
        return self.tokens[email]


def pg_url(url, dbname):
    """url (postgresql://user@host:port/db?params) naming database dbname."""
    scheme, _, rest = url.partition("://")
    auth = re.split(r"[/?]", rest, 1)[0]
    query = rest[len(auth):].partition("?")
    query = "?" + query[2] if query[1] else ""
    return f"{scheme}://{auth}/{dbname}{query}"


class Suite:
    """What every test gets: the binary, a temp directory, the shared server
    (started on first use) and fresh servers on demand.  With pg (the URL of
    a PostgreSQL server whose maintenance database it names), every database
    is a new PostgreSQL database on that server instead of a SQLite file;
    pg_dir is the private cluster's directory (scripts/pg.sh), for tests that
    restart it."""

    def __init__(self, binary, pg=None, pg_dir=None):
        self.bin = os.path.abspath(binary)
        self.tmp = tempfile.mkdtemp(prefix="tandem-http-")
        self.pg = pg
        self.pg_dir = pg_dir
        self._pg_dbs = []
        self._template = None
        self._sqlite_template = None
        self._shared = None
        self._fresh = []
        self._n = 0
        self.shared_failed = None

    @property
    def engine(self):
        return "postgresql" if self.pg else "sqlite"

    def path(self, name):
        return os.path.join(self.tmp, name)

    def unique(self, prefix="t"):
        self._n += 1
        return f"{prefix}{self._n}-{int(time.time() * 1000) % 100000000}"

    def psql(self, sql, db=None):
        """Runs sql with psql on the server (db: a URL, default the
        maintenance database); returns the output."""
        p = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                            "-d", db or self.pg, "-c", sql],
                           capture_output=True, text=True, timeout=60)
        check(p.returncode == 0, f"psql {sql!r}: {p.stderr.strip()[:500]}")
        return p.stdout

    def _pg_create(self, template=None):
        self._n += 1
        name = f"http_{os.getpid()}_{self._n}"
        self.psql(f"CREATE DATABASE {name}" + (f" TEMPLATE {template}" if template else ""))
        self._pg_dbs.append(name)
        return name

    def new_db(self, prefix="db"):
        """A new, empty database of this run's engine (not yet migrated): a
        SQLite path or a PostgreSQL URL."""
        if self.pg:
            return pg_url(self.pg, self._pg_create())
        return self.path(self.unique(prefix) + ".db")

    def sqlite_db(self, prefix="db"):
        """A new SQLite path, whatever the engine of the run."""
        return self.path(self.unique(prefix) + ".db")

    def template_db(self):
        """A database with the demo program, made once with `tandem demo`."""
        if self._template is None:
            if self.pg:
                db = pg_url(self.pg, self._pg_create())
            else:
                d = self.path("template")
                os.makedirs(d, exist_ok=True)
                db = os.path.join(d, "t.db")
            p = run_cli(self.bin, ["demo", "--db", db])
            check(p.returncode == 0,
                  f"tandem demo exited {p.returncode}: {p.stderr.strip()[:500]}")
            if self.pg:
                # no session (autovacuum included) may use a template being copied
                self.psql(f"ALTER DATABASE {db.rsplit('/', 1)[1]} ALLOW_CONNECTIONS false")
            self._template = db
        return self._template

    def sqlite_template_db(self):
        """A SQLite file with the demo program, whatever the engine of the run."""
        if not self.pg:
            return self.template_db()
        if self._sqlite_template is None:
            d = self.path("sqlite-template")
            os.makedirs(d, exist_ok=True)
            db = os.path.join(d, "t.db")
            p = run_cli(self.bin, ["demo", "--db", db])
            check(p.returncode == 0,
                  f"tandem demo exited {p.returncode}: {p.stderr.strip()[:500]}")
            self._sqlite_template = db
        return self._sqlite_template

    def demo_db_copy(self, engine=None):
        """A new database holding the demo program: a copy of the template
        file, or a PostgreSQL database created from the template database.
        engine="sqlite" asks for a SQLite file whatever the run's engine."""
        if engine == "sqlite" and self.pg:
            src = self.sqlite_template_db()
        else:
            src = self.template_db()
        if self.pg and engine != "sqlite":
            return pg_url(self.pg, self._pg_create(template=src.rsplit("/", 1)[1]))
        d = self.path(self.unique("db"))
        os.makedirs(d)
        for f in glob.glob(src + "*"):
            shutil.copy(f, os.path.join(d, os.path.basename(f)))
        return os.path.join(d, "t.db")

    def log_path(self):
        return self.path(self.unique("server") + ".log")

    @property
    def server(self):
        """The shared server, on a demo database."""
        if self.shared_failed:
            raise Fail(f"the shared server is not usable: {self.shared_failed}")
        if self._shared is None:
            db = self.demo_db_copy()
            s = Server(self.bin, db, self.log_path())
            try:
                s.start()
            except Fail as e:
                self.shared_failed = str(e)
                raise
            self._shared = s
        elif not self._shared.alive():
            self.shared_failed = (f"it exited with {self._shared.proc.returncode}: "
                                  f"{self._shared.log_tail(800)}")
            raise Fail(f"the shared server is not usable: {self.shared_failed}")
        return self._shared

    def fresh_server(self, env=None, db=None):
        """A new server on its own copy of the demo database (or on db), with
        extra environment.  The caller stops it (stop_checked)."""
        db = db or self.demo_db_copy()
        s = Server(self.bin, db, self.log_path(), env=env)
        self._fresh.append(s)
        return s.start()

    def finish(self):
        """Stops what is still running; returns the shared server or None."""
        for s in self._fresh:
            if s.alive():
                s.stop()
        return self._shared

    def cleanup(self):
        if self._shared is not None and self._shared.alive():
            self._shared.stop()
        for name in self._pg_dbs:
            try:
                self.psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            except (Fail, OSError, subprocess.SubprocessError):
                pass
        shutil.rmtree(self.tmp, ignore_errors=True)
