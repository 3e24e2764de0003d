"""The command line, as a new user tries it (API.md "Build and command line")."""

import os
import re

from helpers import (ADMIN, DEMO_PASSWORD, REP, check, eq, expect_json, expect_error,
                     run_cli)


def lines(s):
    return [l for l in s.splitlines() if l.strip()]


def test_version(t):
    p = run_cli(t.bin, ["--version"])
    eq(p.returncode, 0, "tandem --version exit status")
    check(re.search(r"\d+\.\d+", p.stdout), f"tandem --version prints no version: {p.stdout!r}")
    check("tandem" in p.stdout.lower(), f"tandem --version does not name tandem: {p.stdout!r}")


def test_help_lists_commands(t):
    for args in (["--help"], ["help"]):
        p = run_cli(t.bin, args)
        eq(p.returncode, 0, f"tandem {' '.join(args)} exit status")
        for cmd in ("serve", "migrate", "demo", "user", "token"):
            check(cmd in p.stdout, f"tandem {' '.join(args)} does not mention {cmd}: "
                                   f"{p.stdout[:300]!r}")


def test_help_serve(t):
    p = run_cli(t.bin, ["help", "serve"])
    eq(p.returncode, 0, "tandem help serve exit status")
    check("--listen" in p.stdout and "--db" in p.stdout,
          f"tandem help serve does not describe --listen and --db: {p.stdout!r}")


def test_unknown_command_exits_2(t):
    p = run_cli(t.bin, ["frobnicate"])
    eq(p.returncode, 2, "tandem frobnicate exit status")
    check("frobnicate" in p.stderr, f"stderr does not name the unknown command: {p.stderr!r}")
    p = run_cli(t.bin, ["help", "frobnicate"])
    eq(p.returncode, 2, "tandem help frobnicate exit status")


def test_unknown_option_exits_2(t):
    p = run_cli(t.bin, ["migrate", "--frobnicate", "--db", t.path("unknown-opt.db")])
    eq(p.returncode, 2, "tandem migrate --frobnicate exit status")


def test_missing_option_exits_2(t):
    db = t.path("missing-opt.db")
    cases = [
        (["user", "add", "--role", "admin", "--db", db], "--email"),
        (["user", "add", "--email", "x@example.com", "--db", db], "--role"),
        (["token", "create", "--db", db], "--email"),
        (["serve", "--listen"], "--listen"),
        (["migrate", "--db"], "--db"),
    ]
    for args, opt in cases:
        p = run_cli(t.bin, args, stdin="a-long-enough-password\n")
        eq(p.returncode, 2, f"tandem {' '.join(args)} exit status")
        check(opt in p.stderr, f"tandem {' '.join(args)}: stderr does not name {opt}: "
                               f"{p.stderr!r}")


def test_partner_role_without_partner_exits_2(t):
    p = run_cli(t.bin, ["user", "add", "--email", "np@example.com", "--role", "partner_sales",
                        "--db", t.path("np.db")], stdin="a-long-enough-password\n")
    eq(p.returncode, 2, "user add --role partner_sales without --partner exit status")


def test_user_add_short_password_exits_1_one_line(t):
    db = t.new_db("shortpw")
    p = run_cli(t.bin, ["user", "add", "--email", "short@example.com", "--role", "admin",
                        "--db", db], stdin="short\n")
    eq(p.returncode, 1, "user add with an 11-character password exit status")
    eq(len(lines(p.stderr)), 1, f"lines on stderr ({p.stderr!r})")
    check("12" in p.stderr or "password" in p.stderr,
          f"stderr does not explain the password rule: {p.stderr!r}")


def test_user_add_eleven_chars_refused_twelve_accepted(t):
    db = t.new_db("pwlen")
    p = run_cli(t.bin, ["user", "add", "--email", "eleven@example.com", "--role", "admin",
                        "--db", db], stdin="x" * 11 + "\n")
    eq(p.returncode, 1, "user add with 11 characters exit status")
    p = run_cli(t.bin, ["user", "add", "--email", "twelve@example.com", "--role", "admin",
                        "--db", db], stdin="x" * 12 + "\n")
    eq(p.returncode, 0, f"user add with 12 characters exit status ({p.stderr.strip()})")


def test_user_add_then_login(t):
    s = t.server
    email = f"{t.unique('cli')}@cli.example"
    pw = "cli-user-password-1"
    p = run_cli(t.bin, ["user", "add", "--email", email, "--role", "sales_rep", "--name",
                        "Cli User", "--db", s.db], stdin=pw + "\n")
    eq(p.returncode, 0, f"user add exit status ({p.stderr.strip()})")
    r = s.login(email, pw)
    j = expect_json(r, 201)
    eq(j["user"]["email"], email, "the signed-in user's email")
    eq(j["user"]["role"], "sales_rep", "the signed-in user's role")
    eq(j["user"]["name"], "Cli User", "the signed-in user's name")
    r = s.login(email, pw + "x")
    expect_error(r, 401)


def test_user_add_duplicate_email_exits_1(t):
    s = t.server
    p = run_cli(t.bin, ["user", "add", "--email", "ADMIN@Tandem.Example", "--role", "admin",
                        "--db", s.db], stdin="another-password-1\n")
    eq(p.returncode, 1, f"user add of an existing e-mail (other case) exit status")
    eq(len(lines(p.stderr)), 1, f"lines on stderr ({p.stderr!r})")


def test_token_create_authenticates(t):
    s = t.server
    p = run_cli(t.bin, ["token", "create", "--email", REP, "--db", s.db])
    eq(p.returncode, 0, f"token create exit status ({p.stderr.strip()})")
    tok = p.stdout.strip()
    check(tok and len(lines(p.stdout)) == 1, f"token create should print one token: {p.stdout!r}")
    j = expect_json(s.get("/api/v1/me", token=tok), 200)
    eq(j["email"], REP, "GET /api/v1/me with the CLI token: email")


def test_token_create_options_in_any_order_and_days(t):
    s = t.server
    p = run_cli(t.bin, ["token", "create", "--db", s.db, "--days", "1", "--email", REP])
    eq(p.returncode, 0, f"token create --db first exit status ({p.stderr.strip()})")
    expect_json(s.get("/api/v1/me", token=p.stdout.strip()), 200)
    p = run_cli(t.bin, ["token", "create", "--email", REP, "--days", "0", "--db", s.db])
    eq(p.returncode, 2, "token create --days 0 exit status")


def test_token_create_unknown_user_exits_1(t):
    s = t.server
    p = run_cli(t.bin, ["token", "create", "--email", "nobody@nowhere.example", "--db", s.db])
    eq(p.returncode, 1, "token create for an unknown e-mail exit status")
    eq(len(lines(p.stderr)), 1, f"lines on stderr ({p.stderr!r})")
    eq(p.stdout.strip(), "", "stdout of a failed token create")


def test_migrate_twice_idempotent_and_no_demo_data(t):
    db = t.new_db("migrate-twice")
    for i in (1, 2):
        p = run_cli(t.bin, ["migrate", "--db", db])
        eq(p.returncode, 0, f"migrate run {i} exit status ({p.stderr.strip()})")
    if t.engine == "sqlite":
        check(os.path.exists(db), "migrate did not create the database file")
    # migrate never loads the demo program: its admin does not exist
    p = run_cli(t.bin, ["token", "create", "--email", ADMIN, "--db", db])
    eq(p.returncode, 1, "token create for the demo admin on a migrated-only db exit status")


def test_demo_on_existing_demo_db_exits_0(t):
    db = t.demo_db_copy()
    p = run_cli(t.bin, ["demo", "--db", db])
    eq(p.returncode, 0, f"demo on an existing demo db exit status ({p.stderr.strip()})")
    p = run_cli(t.bin, ["token", "create", "--email", ADMIN, "--db", db])
    eq(p.returncode, 0, "token create after demo twice")


def test_demo_prints_logins(t):
    db = t.new_db("demo-print")
    p = run_cli(t.bin, ["demo", "--db", db])
    eq(p.returncode, 0, f"demo exit status ({p.stderr.strip()})")
    for email in (ADMIN, "admin@northwind-systems.example", "sales@lumen-partners.example"):
        check(email in p.stdout, f"demo output does not list {email}")
    check(DEMO_PASSWORD in p.stdout, "demo output does not give the demo password")


def test_tandem_db_env(t):
    work = t.path(t.unique("envdir"))
    os.makedirs(work)
    db = os.path.join(t.tmp, t.unique("env") + ".db")
    p = run_cli(t.bin, ["migrate"], env={"TANDEM_DB": db}, cwd=work)
    eq(p.returncode, 0, f"TANDEM_DB=... tandem migrate exit status ({p.stderr.strip()})")
    check(os.path.exists(db), "TANDEM_DB: the named database was not created")
    check(not os.path.exists(os.path.join(work, "tandem.db")),
          "TANDEM_DB: ./tandem.db was created instead")
    p = run_cli(t.bin, ["user", "add", "--email", "env@example.com", "--role", "admin"],
                stdin="env-password-123\n", env={"TANDEM_DB": db}, cwd=work)
    eq(p.returncode, 0, f"TANDEM_DB=... tandem user add exit status ({p.stderr.strip()})")
    p = run_cli(t.bin, ["token", "create", "--email", "env@example.com"],
                env={"TANDEM_DB": db}, cwd=work)
    eq(p.returncode, 0, f"TANDEM_DB=... tandem token create exit status ({p.stderr.strip()})")
    # --db wins over TANDEM_DB
    other = os.path.join(t.tmp, t.unique("env-other") + ".db")
    p = run_cli(t.bin, ["migrate", "--db", other], env={"TANDEM_DB": db}, cwd=work)
    eq(p.returncode, 0, "migrate --db with TANDEM_DB set exit status")
    check(os.path.exists(other), "--db given with TANDEM_DB set: --db's file was not created")


def test_serve_bad_listen_exits_nonzero(t):
    p = run_cli(t.bin, ["serve", "--db", t.path("badlisten.db"), "--listen", "nonsense"],
                timeout=20)
    check(p.returncode in (1, 2), f"serve --listen nonsense exit status {p.returncode}")
    check(p.stderr.strip(), "serve --listen nonsense printed nothing on stderr")
