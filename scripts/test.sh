#!/usr/bin/env bash
# Runs every test of `make test` (which builds everything first) and ends with
# one line "N passed, M failed". Each stage prints its own details.
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0
failed=0
failures=()

# stage NAME COMMAND...: runs a command whose output ends with counts
count_cmocka() { # reads cmocka output on stdin, prints "P F"
    awk '/\[  PASSED  \]/ {p += $4} /\[  FAILED  \] [0-9]+ test/ {f += $4}
         END {print p + 0, f + 0}'
}

run_cmocka() {
    local bin=$1 out
    out=$("$bin" 2>&1)
    local rc=$?
    echo "$out" | grep -E '^\[  (FAILED|ERROR|  LINE)|ERROR|LINE' || true
    read -r p f < <(echo "$out" | count_cmocka)
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    passed=$((passed + p))
    failed=$((failed + f))
    [ "$f" -eq 0 ] || failures+=("$bin")
    printf '  %-40s %d passed, %d failed\n' "$bin" "$p" "$f"
}

run_counted() { # a runner that ends with "N passed, M failed"
    local name=$1
    shift
    local log
    log=$(mktemp)
    "$@" 2>&1 | tee "$log" | grep -vE '^(ok|PASS)\b' | tail -n 40
    local rc=${PIPESTATUS[0]}
    local line
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    rm -f "$log"
    local p=0 f=0
    if [ -n "$line" ]; then
        p=${line%% passed*}
        f=${line#*passed, }
        f=${f%% failed*}
    fi
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        echo "  $name ran no test"
        f=1
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    [ "$f" -eq 0 ] || failures+=("$name")
    printf '  %-40s %d passed, %d failed\n' "$name" "$p" "$f"
}

echo "== lint"
if scripts/lint.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=(lint); fi

echo "== unit tests (optimised, then ASan+UBSan)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in build/test/test_* build/asan/test/test_*; do
    [ -x "$t" ] && run_cmocka "$t"
done

echo "== HTTP tests against the real binary (optimised, then ASan+UBSan)"
run_counted "http build/tandem" python3 tests/http/run.py --bin build/tandem
run_counted "http build/asan/tandem" python3 tests/http/run.py --bin build/asan/tandem

echo "== OpenAPI document (redocly lint)"
if tests/openapi/lint.sh; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=(openapi-lint); fi

echo
[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
