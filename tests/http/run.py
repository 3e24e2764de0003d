#!/usr/bin/env python3
"""Black-box HTTP tests of Tandem against the real binary on loopback.

    python3 tests/http/run.py --bin build/tandem [--pg URL [--pg-dir DIR]] [-k SUBSTRING] [-v]

Runs every test_* function of the test_*.py modules beside this file (in
file order), prints one line per failing test with the reason, and ends with
"N passed, M failed, K skipped"; exits 1 if any failed.  With --pg URL (a
PostgreSQL server, e.g. from scripts/pg.sh) every database of the run is a new
PostgreSQL database on that server instead of a SQLite file; --pg-dir (or
TANDEM_PG_DIR) names the private cluster's directory for the tests that
restart it.  Standard library only."""

import argparse
import importlib
import os
import sys
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import helpers  # noqa: E402

MODULES = ["test_cli", "test_platform", "test_sessions", "test_users", "test_partners",
           "test_agreements", "test_audit", "test_isolation"]


def collect():
    names = [m for m in MODULES if os.path.exists(os.path.join(HERE, m + ".py"))]
    names += sorted(f[:-3] for f in os.listdir(HERE)
                    if f.startswith("test_") and f.endswith(".py") and f[:-3] not in names)
    tests = []
    for name in names:
        mod = importlib.import_module(name)
        for attr, fn in vars(mod).items():
            if attr.startswith("test_") and callable(fn):
                tests.append((f"{name}.{attr}", fn))
    return tests


def one_line(s, n=1500):
    s = " ".join(str(s).split())
    return s if len(s) <= n else s[:n] + "..."


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin", required=True, help="the tandem binary")
    ap.add_argument("-k", action="append", default=[], metavar="SUBSTRING",
                    help="run only tests whose name contains SUBSTRING (repeatable)")
    ap.add_argument("-v", "--verbose", action="store_true", help="print passing tests too")
    ap.add_argument("--keep", action="store_true", help="keep the temp directory")
    ap.add_argument("--pg", metavar="URL",
                    help="run on PostgreSQL: postgresql://user@host:port/postgres")
    ap.add_argument("--pg-dir", metavar="DIR", default=os.environ.get("TANDEM_PG_DIR"),
                    help="the cluster directory of scripts/pg.sh (restart tests)")
    args = ap.parse_args()

    if not os.access(args.bin, os.X_OK):
        print(f"FAIL setup: {args.bin} is not an executable")
        print("0 passed, 1 failed")
        return 1

    tests = collect()
    if args.k:
        tests = [(n, f) for n, f in tests if any(k in n for k in args.k)]
    suite = helpers.Suite(args.bin, pg=args.pg, pg_dir=args.pg_dir if args.pg else None)
    passed = failed = skipped = 0
    t0 = time.time()
    for name, fn in tests:
        t1 = time.time()
        try:
            fn(suite)
        except helpers.Skip as e:
            skipped += 1
            print(f"skip {name}: {one_line(e)}", flush=True)
        except AssertionError as e:
            failed += 1
            print(f"FAIL {name}: {one_line(e)}", flush=True)
        except Exception as e:  # an error in the test or a dead connection
            failed += 1
            tb = traceback.extract_tb(e.__traceback__)
            where = f" ({os.path.basename(tb[-1].filename)}:{tb[-1].lineno})" if tb else ""
            print(f"FAIL {name}: {type(e).__name__}: {one_line(e)}{where}", flush=True)
        else:
            passed += 1
            if args.verbose:
                print(f"ok   {name} ({time.time() - t1:.2f}s)", flush=True)

    # The shared server must stop cleanly too: SIGTERM, exit 0, no sanitizer report.
    shared = suite.finish()
    if shared is not None:
        name = "runner.shared_server_shutdown"
        try:
            shared.stop_checked()
        except AssertionError as e:
            failed += 1
            print(f"FAIL {name}: {one_line(e)}", flush=True)
        else:
            passed += 1
            if args.verbose:
                print(f"ok   {name}", flush=True)
    if args.keep:
        print(f"temp directory kept: {suite.tmp}")
    else:
        suite.cleanup()
    print(f"time {time.time() - t0:.1f}s, binary {args.bin}, database {suite.engine}")
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
