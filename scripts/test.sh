#!/usr/bin/env bash
# Runs every test of `make test` (which builds everything first) and ends with
# one line "N passed, M failed, K skipped". Each stage prints its own details.
# The unit and HTTP tests run on SQLite (optimised and ASan+UBSan builds) and
# again on PostgreSQL (optimised build) in a private cluster that
# scripts/pg.sh starts in a temporary directory and removes at the end.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
skipped=0
failures=()

# stage NAME COMMAND...: runs a command whose output ends with counts
count_cmocka() { # reads cmocka output on stdin, prints "P F"
    awk '/\[  PASSED  \]/ {p += $4} /\[  FAILED  \] [0-9]+ test/ {f += $4}
         END {print p + 0, f + 0}'
}

run_cmocka() { # bin [label]
    local bin=$1 label=${2:-$1} out
    out=$("$bin" 2>&1)
    local rc=$?
    echo "$out" | grep -E '^\[  (FAILED|ERROR|  LINE)|ERROR|LINE' || true
    read -r p f < <(echo "$out" | count_cmocka)
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    passed=$((passed + p))
    failed=$((failed + f))
    [ "$f" -eq 0 ] || failures+=("$label")
    printf '  %-40s %d passed, %d failed\n' "$label" "$p" "$f"
}

run_counted() { # a runner that ends with "N passed, M failed"
    local name=$1
    shift
    local log
    log=$(mktemp)
    "$@" 2>&1 | tee "$log" | grep -avE '^(ok|PASS)\b' | tail -n 40
    local rc=${PIPESTATUS[0]}
    local line
    line=$(grep -aE '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    rm -f "$log"
    local p=0 f=0 k=0
    if [ -n "$line" ]; then
        p=${line%% passed*}
        f=${line#*passed, }
        f=${f%% failed*}
        if [[ $line =~ ([0-9]+)\ skipped ]]; then k=${BASH_REMATCH[1]}; fi
    fi
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        echo "  $name ran no test"
        f=1
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + k))
    [ "$f" -eq 0 ] || failures+=("$name")
    printf '  %-40s %d passed, %d failed, %d skipped\n' "$name" "$p" "$f" "$k"
}

echo "== lint"
if scripts/lint.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=(lint); fi

echo "== PostgreSQL: a private cluster for the tests (scripts/pg.sh)"
TANDEM_PG_URL=
TANDEM_PG_DIR=
if pg_env=$(scripts/pg.sh start); then
    TANDEM_PG_URL=$(sed -n 's/^TANDEM_PG_URL=//p' <<<"$pg_env")
    TANDEM_PG_DIR=$(sed -n 's/^TANDEM_PG_DIR=//p' <<<"$pg_env")
    trap 'scripts/pg.sh stop "$TANDEM_PG_DIR"' EXIT
    echo "  $TANDEM_PG_URL ($TANDEM_PG_DIR)"
else
    echo "  the cluster did not start: the PostgreSQL runs below fail"
fi

echo "== unit tests on SQLite (optimised, then ASan+UBSan)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in build/test/test_* build/asan/test/test_*; do
    [[ -x $t && $t != *.d ]] && run_cmocka "$t"
done

echo "== unit tests on PostgreSQL (optimised; those that use a database, tests/unit/testdb.h)"
for t in build/test/test_*; do
    [[ -x $t && $t != *.d ]] || continue
    grep -q 'testdb\.h' "tests/unit/${t##*/}.c" 2>/dev/null || continue
    if [ -n "$TANDEM_PG_URL" ]; then
        TANDEM_TEST_PG=$TANDEM_PG_URL run_cmocka "$t" "$t (postgresql)"
    else
        failed=$((failed + 1))
        failures+=("$t (postgresql)")
    fi
done

echo "== HTTP tests against the real binary on SQLite (optimised, then ASan+UBSan)"
run_counted "http build/tandem" python3 tests/http/run.py --bin build/tandem
run_counted "http build/asan/tandem" python3 tests/http/run.py --bin build/asan/tandem

echo "== HTTP tests on PostgreSQL (optimised)"
if [ -n "$TANDEM_PG_URL" ]; then
    run_counted "http build/tandem (postgresql)" python3 tests/http/run.py --bin build/tandem \
        --pg "$TANDEM_PG_URL" --pg-dir "$TANDEM_PG_DIR"
else
    failed=$((failed + 1))
    failures+=("http build/tandem (postgresql)")
fi

echo "== OpenAPI document (redocly lint)"
if tests/openapi/lint.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=(openapi-lint); fi

echo "== fuzz targets (libFuzzer, ASan+UBSan, 5 s each; make fuzz runs them longer)"
run_counted "fuzz" tests/fuzz/run.sh 5

echo
[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
