#!/usr/bin/env bash
# Runs each libFuzzer target for SECONDS (default 60), one after the other:
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]     e.g. tests/fuzz/run.sh 5 router csv
#
# Builds the targets first (make fuzz-build). Each starts from its working
# corpus in build/fuzz/corpus/<target> (kept between runs) and the seeds in
# tests/fuzz/corpus/<target>. Prints one line per target and ends with
# "N passed, M failed": a crash, a leak, a timeout or any sanitizer finding
# fails the target, with the reproducer's path and the top of the report.
# Reproduce with: build/fuzz/fuzz_<target> <reproducer>
set -uo pipefail
cd "$(dirname "$0")/../.."

secs=${1:-60}
shift || true
case $secs in '' | *[!0-9]*)
    echo "usage: tests/fuzz/run.sh [SECONDS] [TARGET...]" >&2
    exit 2
    ;;
esac

if ! command -v "${FUZZ_CC:-clang}" >/dev/null; then
    echo "FAIL setup: ${FUZZ_CC:-clang} not found (make test-deps installs it)"
    echo "0 passed, 1 failed"
    exit 1
fi
if ! make --no-print-directory -s fuzz-build >build/fuzz-build.log 2>&1; then
    tail -n 30 build/fuzz-build.log
    echo "FAIL setup: the fuzz targets do not build (build/fuzz-build.log)"
    echo "0 passed, 1 failed"
    exit 1
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for src in tests/fuzz/fuzz_*.c; do
        t=${src#tests/fuzz/fuzz_}
        targets+=("${t%.c}")
    done
fi

# no abort_on_error: libFuzzer writes the reproducer from ASan's death callback
export ASAN_OPTIONS=${FUZZ_ASAN_OPTIONS:-detect_leaks=1:symbolize=1}
export UBSAN_OPTIONS=${FUZZ_UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

passed=0
failed=0
for t in "${targets[@]}"; do
    bin=build/fuzz/fuzz_$t
    work=build/fuzz/corpus/$t
    art=build/fuzz/artifacts/$t
    log=build/fuzz/logs/$t.log
    if [ ! -x "$bin" ]; then
        echo "FAIL $t: no $bin"
        failed=$((failed + 1))
        continue
    fi
    mkdir -p "$work" "$art" "$(dirname "$log")" "tests/fuzz/corpus/$t"
    # libFuzzer adds new inputs to the first directory: the working corpus
    "$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$art/" "$work" "tests/fuzz/corpus/$t" \
        >"$log" 2>&1
    rc=$?
    stats=$(awk '
        /^#[0-9]+[ \t]+(DONE|pulse|NEW|REDUCE|INITED)/ {
            for (i = 1; i <= NF; i++) {
                if ($i == "cov:") cov = $(i + 1)
                if ($i == "ft:") ft = $(i + 1)
                if ($i == "corp:") corp = $(i + 1)
            }
        }
        /^stat::number_of_executed_units:/ { runs = $2 }
        /^stat::average_exec_per_sec:/ { eps = $2 }
        END { printf "%s runs, %s exec/s, cov %s, ft %s, corpus %s",
              runs + 0, eps + 0, cov ? cov : "?", ft ? ft : "?", corp ? corp : "?" }' "$log")
    if [ "$rc" -eq 0 ]; then
        passed=$((passed + 1))
        printf 'ok   %-12s %ss: %s\n' "$t" "$secs" "$stats"
    else
        failed=$((failed + 1))
        repro=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
        kind=$(grep -a -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|fuzz check failed|^SUMMARY' "$log" | sed -E 's/^==[0-9]+==//; s/ on address.*//' | cut -c1-300)
        printf 'FAIL %-12s (exit %d) %s\n' "$t" "$rc" "${kind:-see $log}"
        [ -n "$repro" ] && echo "     reproducer: $repro  (run: $bin $repro)"
        grep -a -m8 -E '^ +#[0-9]+ 0x[0-9a-f]+ in ' "$log" | grep -vE 'in (__asan|__sanitizer|__ubsan|fuzzer::|abort|raise|__GI_|__pthread)|nptl/|libc' |
            head -n 6 | sed 's/^ */     /'
        echo "     log: $log"
    fi
done
# fuzz_api's databases of runs that are over (libFuzzer leaves without atexit)
for d in /tmp/tandem-fuzz-*-*; do
    [ -d "$d" ] || continue
    pid=${d#/tmp/tandem-fuzz-}
    pid=${pid%%-*}
    case $pid in '' | *[!0-9]*) continue ;; esac
    kill -0 "$pid" 2>/dev/null || rm -rf "$d"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
