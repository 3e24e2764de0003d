#!/usr/bin/env bash
# Conflict checks through HTTP at 100,000 accounts, compared with the bare
# libmicrohttpd server of the platform benchmark (bench/bare.c). The goal of
# the issue: "through HTTP at 100,000 accounts, conflict checks run at >= 20%
# of the bare libmicrohttpd throughput with p99 <= 10 ms at 32 connections".
#
# It loads the demo program and N generated company accounts
# (bench/gen_accounts.py: name,domain,country) into a new database, starts
# `tandem serve` and the bare server, checks the answers with curl, then
# measures alternately (bare, tandem, bare, tandem, ...) with wrk:
#   bare:   GET /api/v1/partners/1 (a fixed JSON record)
#   tandem: POST /api/v1/conflict-check as a partner sales user, cycling
#           through a few hundred request bodies (bench/conflict_check.lua):
#           ~50% names of the CSV spelt differently, ~25% acronyms or partial
#           names, ~25% absent names.
#
# Run from the repo root: bench/conflict_http.sh
# Settings, from the environment:
#   BENCH_ACCOUNTS=100000  accounts imported
#   BENCH_QUERIES=400      distinct request bodies
#   BENCH_ROUNDS=3         rounds of (bare, tandem)
#   BENCH_SECONDS=5        seconds per wrk run
#   BENCH_CONNECTIONS=32   wrk connections (wrk threads: BENCH_THREADS=2)
#   BENCH_WARMUP=1         seconds of unmeasured warm-up per server (0: none)
#   BENCH_KEEP=1           keep the temporary directory (database, logs)
#   TANDEM=build/tandem    the server binary to measure
#   TANDEM_BENCH_DB=postgresql://user@host:port/postgres  measure on a new database
#                          of that PostgreSQL server instead of SQLite (bench/db.sh;
#                          bench/engines.sh runs both engines in one run)
#
# It prints figures only: the exit status is 0 whatever the figures, and
# non-zero only when something broke (build, import, start-up, a wrong answer
# to the checks before measuring, a server that died, wrk that failed).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

ACCOUNTS=${BENCH_ACCOUNTS:-100000}
QUERIES=${BENCH_QUERIES:-400}
ROUNDS=${BENCH_ROUNDS:-3}
SECONDS_PER_RUN=${BENCH_SECONDS:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
WARMUP=${BENCH_WARMUP:-1}
TANDEM=${TANDEM:-build/tandem}
CC=${CC:-gcc}
GOAL_RATIO=20 # percent of bare
GOAL_P99=10   # ms
CHECK_PATH=/api/v1/conflict-check
BARE_PATH=/api/v1/partners/1
PARTNER_EMAIL=sales@northwind-systems.example
LUA=bench/conflict_check.lua
GEN=bench/gen_accounts.py

# shellcheck source=bench/db.sh
. bench/db.sh

die() {
	echo "conflict bench: $*" >&2
	exit 1
}

for v in ACCOUNTS QUERIES ROUNDS SECONDS_PER_RUN CONNECTIONS THREADS WARMUP; do
	[[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number, not '${!v}'"
done
((ACCOUNTS >= 1)) || die "BENCH_ACCOUNTS must be at least 1"
((QUERIES >= 4)) || die "BENCH_QUERIES must be at least 4"
((ROUNDS >= 1)) || die "BENCH_ROUNDS must be at least 1"
((SECONDS_PER_RUN >= 1)) || die "BENCH_SECONDS must be at least 1"
((THREADS >= 1 && CONNECTIONS >= THREADS)) ||
	die "need BENCH_THREADS >= 1 and BENCH_CONNECTIONS >= BENCH_THREADS"

for tool in curl wrk awk python3 pkg-config make timeout "$CC"; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (wrk: apt-get install wrk)"
done
[[ -f $LUA && -f $GEN ]] || die "$LUA or $GEN is missing"

# --- build tandem and the bare server ----------------------------------------
if [[ $TANDEM == build/tandem ]]; then
	make --no-print-directory build/tandem >/dev/null || die "make build/tandem failed"
fi
[[ -x $TANDEM ]] || die "$TANDEM is missing"
mkdir -p build/bench
BARE=build/bench/bare
# shellcheck disable=SC2046 # pkg-config output is a list of words
"$CC" -std=c17 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror \
	$(pkg-config --cflags libmicrohttpd) bench/bare.c -o "$BARE" \
	$(pkg-config --libs libmicrohttpd) -lpthread ||
	die "cannot build bench/bare.c"

# --- temporary directory, servers, clean-up ----------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tandem-conflict-bench.XXXXXX")
TANDEM_PID=
BARE_PID=
STATUS_OK=0

# shellcheck disable=SC2317 # stop and cleanup run from the EXIT trap
stop() { # pid: SIGTERM, then SIGKILL after a grace period
	local pid=$1 i
	[[ -n $pid ]] || return 0
	kill -TERM "$pid" 2>/dev/null || return 0
	for ((i = 0; i < 150; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# shellcheck disable=SC2317
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	stop "$TANDEM_PID"
	stop "$BARE_PID"
	bench_db_close
	if [[ ${BENCH_KEEP:-0} == 1 || $STATUS_OK != 1 ]]; then
		echo "conflict bench: kept $TMP (database, CSV, bodies, tandem.log, bare.log, wrk output)" >&2
	else
		rm -rf "$TMP"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now() { date +%s.%N; }

port_free() { # nothing answers on 127.0.0.1:$1
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
	local p i
	for ((i = 0; i < 100; i++)); do
		p=$((20000 + RANDOM % 40000))
		if port_free "$p"; then
			echo "$p"
			return 0
		fi
	done
	die "no free port found"
}

wait_healthz() { # pid port name log: tandem builds its conflict index first
	local pid=$1 port=$2 name=$3 log=$4 i
	for ((i = 0; i < 600; i++)); do
		if ! kill -0 "$pid" 2>/dev/null; then
			return 1 # it died: probably the port was taken meanwhile
		fi
		if curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$port/healthz" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	echo "conflict bench: $name did not answer GET /healthz on port $port in 60 s; its log:" >&2
	tail -n 20 "$log" >&2 || true
	exit 1
}

# start_server VAR_PID VAR_PORT name log cmd... ; the port is substituted for
# @PORT@ in cmd; retries with another port when the server dies early.
start_server() {
	local pidvar=$1 portvar=$2 name=$3 log=$4 attempt port pid
	shift 4
	for ((attempt = 0; attempt < 5; attempt++)); do
		port=$(pick_port)
		"${@//@PORT@/$port}" 2>"$log" >>"$log.stdout" &
		pid=$!
		printf -v "$pidvar" %s "$pid"
		if wait_healthz "$pid" "$port" "$name" "$log"; then
			printf -v "$portvar" %s "$port"
			return 0
		fi
		wait "$pid" 2>/dev/null || true
		printf -v "$pidvar" %s ""
	done
	echo "conflict bench: $name would not start; its log:" >&2
	tail -n 20 "$log" >&2 || true
	exit 1
}

# --- database: demo program, N accounts, a partner user's token -------------
bench_db_open "$TMP"
DB=$BENCH_DB
"$TANDEM" demo --db "$DB" >"$TMP/demo.out" 2>&1 || {
	cat "$TMP/demo.out" >&2
	die "'$TANDEM demo' failed"
}

CSV=$TMP/accounts.csv
BODIES=$TMP/bodies.tsv
CHECKS=$TMP/checks.tsv
python3 "$GEN" --accounts "$ACCOUNTS" --queries "$QUERIES" --csv "$CSV" --bodies "$BODIES" \
	--check "$CHECKS" || die "$GEN failed"

t0=$(now)
import_rc=0
"$TANDEM" import accounts "$CSV" --db "$DB" >"$TMP/import.out" 2>&1 || import_rc=$?
t1=$(now)
IMPORT_SUMMARY=$(grep -E '^imported [0-9]+, updated [0-9]+, rejected [0-9]+' "$TMP/import.out" | tail -n 1 || true)
if [[ -z $IMPORT_SUMMARY ]]; then
	tail -n 20 "$TMP/import.out" >&2
	die "'$TANDEM import accounts' printed no summary (exit $import_rc)"
fi
read -r IMPORTED UPDATED REJECTED < <(awk '{ gsub(/,/, ""); print $2, $4, $6 }' <<<"$IMPORT_SUMMARY")
IMPORT_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
IMPORT_RATE=$(awk -v n="$ACCOUNTS" -v s="$IMPORT_SECS" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
if ((REJECTED > 0)); then
	echo "conflict bench: warning: the import rejected $REJECTED rows (exit $import_rc); the first:" >&2
	grep -m 5 '^line ' "$TMP/import.out" >&2 || true
elif ((import_rc != 0)); then
	tail -n 20 "$TMP/import.out" >&2
	die "'$TANDEM import accounts' failed (exit $import_rc)"
fi
((IMPORTED + UPDATED > 0)) || die "the import loaded no account"

TOKEN=$("$TANDEM" token create --email "$PARTNER_EMAIL" --db "$DB" 2>"$TMP/token.err") || {
	cat "$TMP/token.err" >&2
	die "'$TANDEM token create' failed"
}
TOKEN=$(printf '%s\n' "$TOKEN" | awk 'NF { t = $NF } END { print t }')
[[ $TOKEN =~ ^[A-Za-z0-9._~+/=-]+$ ]] || die "'$TANDEM token create' printed no token"

TANDEM_PORT=
BARE_PORT=
t0=$(now)
start_server TANDEM_PID TANDEM_PORT tandem "$TMP/tandem.log" \
	"$TANDEM" serve --db "$DB" --listen 127.0.0.1:@PORT@
t1=$(now)
START_SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
start_server BARE_PID BARE_PORT bare "$TMP/bare.log" "$BARE" @PORT@

TANDEM_URL="http://127.0.0.1:$TANDEM_PORT$CHECK_PATH"
BARE_URL="http://127.0.0.1:$BARE_PORT$BARE_PATH"
AUTH="Authorization: Bearer $TOKEN"

# --- check the answers before measuring -------------------------------------
post_check() { # body file: sets CODE, NCONF (conflicts in the answer, -1: none)
	local body=$1 out=$2
	CODE=$(curl -sS -o "$out" --max-time 10 -w '%{http_code}' -X POST \
		-H "$AUTH" -H 'Content-Type: application/json' --data-binary "$body" \
		"$TANDEM_URL" || echo 000)
	NCONF=$(python3 -c '
import json, sys
try:
    c = json.load(open(sys.argv[1])).get("conflicts")
    print(len(c) if isinstance(c, list) else -1)
except Exception:
    print(-1)' "$out")
}

PRESENT_BODY=$(sed -n 1p "$CHECKS" | cut -f2-)
ABSENT_BODY=$(sed -n 2p "$CHECKS" | cut -f2-)
post_check "$PRESENT_BODY" "$TMP/check-present.json"
if [[ $CODE != 200 || $NCONF -lt 1 ]]; then
	echo "conflict bench: POST $CHECK_PATH $PRESENT_BODY" >&2
	echo "  answered $CODE with $(head -c 600 "$TMP/check-present.json")" >&2
	die "a name of the CSV (variant spelling, same domain) must answer 200 with conflicts"
fi
PRESENT_SAMPLE=$(head -c 300 "$TMP/check-present.json")
post_check "$ABSENT_BODY" "$TMP/check-absent.json"
if [[ $CODE != 200 || $NCONF -ne 0 ]]; then
	echo "conflict bench: POST $CHECK_PATH $ABSENT_BODY" >&2
	echo "  answered $CODE with $(head -c 600 "$TMP/check-absent.json")" >&2
	die "an absent name must answer 200 with an empty conflicts list"
fi
NOAUTH=$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' -X POST \
	-H 'Content-Type: application/json' --data-binary "$ABSENT_BODY" "$TANDEM_URL" || true)
[[ $NOAUTH == 401 ]] ||
	echo "conflict bench: note: POST $CHECK_PATH without a token answered $NOAUTH (expected 401)"
BARE_CODE=$(curl -sS -o /dev/null --max-time 5 -w '%{http_code}' "$BARE_URL" || echo 000)
[[ $BARE_CODE == 200 ]] || die "GET $BARE_URL on bare answered $BARE_CODE, not 200"

# Every body of the mix once, sequentially on one keep-alive connection: the
# statuses, how many answers list conflicts, and the latency, per kind.
PROBE=$(python3 - "$BODIES" "$TANDEM_PORT" "$TOKEN" "$CHECK_PATH" <<'EOF'
import http.client, json, sys, time
path, port, token, url = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
hdr = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
stats, bad = {}, []
for line in open(path, encoding="utf-8"):
    kind, body = line.rstrip("\n").split("\t", 1)
    t = time.perf_counter()
    conn.request("POST", url, body.encode(), hdr)
    r = conn.getresponse()
    data = r.read()
    ms = (time.perf_counter() - t) * 1000
    s = stats.setdefault(kind, {"n": 0, "hit": 0, "conf": 0, "ms": [], "codes": {}})
    s["n"] += 1
    s["ms"].append(ms)
    s["codes"][r.status] = s["codes"].get(r.status, 0) + 1
    if r.status == 200:
        n = len(json.loads(data)["conflicts"])
        s["hit"] += n > 0
        s["conf"] += n
    elif len(bad) < 3:
        bad.append(f"{r.status} for {body}: {data[:200].decode(errors='replace')}")
for kind in ("present", "partial", "acronym", "absent"):
    s = stats.get(kind)
    if not s:
        continue
    ms = sorted(s["ms"])
    codes = " ".join(f"{c}x{n}" for c, n in sorted(s["codes"].items()))
    print(f"  {kind:8} {s['n']:4} bodies: {s['hit']:4} with conflicts ({100 * s['hit'] / s['n']:5.1f}%),"
          f" {s['conf'] / s['n']:5.1f} conflicts per answer; statuses {codes};"
          f" single-request latency median {ms[len(ms) // 2]:.2f} ms, max {ms[-1]:.2f} ms")
for b in bad:
    print("  non-200: " + b)
EOF
) || die "the probe of the request bodies failed"

# --- measure -----------------------------------------------------------------
# wrk_run name out seconds wrk-args...: sets W_RPS W_P50 W_P99 (ms, -1 when
# missing), W_BAD (non-2xx/3xx responses) and W_ERR (socket errors).
wrk_run() {
	local name=$1 out=$2 secs=$3
	shift 3
	local wrk_rc=0
	CONFLICT_BODIES=$BODIES CONFLICT_TOKEN=$TOKEN \
		timeout -k 5 $((secs + 30)) wrk --latency --timeout 5s -t"$THREADS" -c"$CONNECTIONS" \
		-d"${secs}s" "$@" >"$out" 2>&1 || wrk_rc=$?
	if [[ $name == tandem ]]; then
		kill -0 "$TANDEM_PID" 2>/dev/null || {
			tail -n 20 "$TMP/tandem.log" >&2
			die "tandem died during the run (the end of its log is above)"
		}
	else
		kill -0 "$BARE_PID" 2>/dev/null || die "the bare server died during the run"
	fi
	if ((wrk_rc != 0)); then
		cat "$out" >&2
		die "wrk failed against $name (exit $wrk_rc)"
	fi
	read -r W_RPS W_P50 W_P99 W_BAD W_ERR < <(awk '
	function ms(v,   n, u) {
		n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
		if (u == "us") return n / 1000
		if (u == "ms") return n
		if (u == "s")  return n * 1000
		if (u == "m")  return n * 60000
		if (u == "h")  return n * 3600000
		return -1
	}
	$1 == "50%" { p50 = ms($2) }
	$1 == "99%" { p99 = ms($2) }
	$1 == "Requests/sec:" { rps = $2 + 0 }
	/Non-2xx or 3xx responses:/ { non2xx = $NF + 0 }
	/Socket errors:/ {
		for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+,?$/) err += $i + 0
	}
	END { printf "%.2f %.3f %.3f %d %d\n", rps, (p50 == "" ? -1 : p50), (p99 == "" ? -1 : p99), non2xx, err }
	' "$out")
}

N_PRESENT=$(grep -c '^present' "$BODIES" || true)
N_PARTIAL=$(grep -c -E '^(partial|acronym)' "$BODIES" || true)
N_ABSENT=$(grep -c '^absent' "$BODIES" || true)

echo "Tandem conflict-check benchmark"
echo "  machine: $(nproc) cores; wrk -t$THREADS -c$CONNECTIONS, ${SECONDS_PER_RUN}s per run," \
	"$ROUNDS rounds (bare, tandem alternating), ${WARMUP}s warm-up each"
echo "  accounts: $ACCOUNTS generated ($GEN); import: $IMPORT_SUMMARY" \
	"in ${IMPORT_SECS}s ($IMPORT_RATE rows/s)"
echo "  tandem:  $TANDEM serve on 127.0.0.1:$TANDEM_PORT (answered /healthz ${START_SECS}s after start;" \
	"$(grep -m 1 -o 'conflict index: [0-9]* records' "$TMP/tandem.log" || echo 'conflict index size not logged'))"
echo "           POST $CHECK_PATH as $PARTNER_EMAIL, $(wc -l <"$BODIES") bodies cycled ($LUA):" \
	"$N_PRESENT present (variant spellings), $N_PARTIAL acronyms/partial, $N_ABSENT absent"
echo "  bare:    $BARE on 127.0.0.1:$BARE_PORT, GET $BARE_PATH (fixed JSON record)"
echo "  database: $BENCH_ENGINE ($DB)"
echo "  NOTE: tandem access logging is ON (one stderr line per request, written to a file in $TMP)"
echo "  check:   $PRESENT_BODY"
echo "           -> 200 $PRESENT_SAMPLE"
echo "  probe (each body once, one connection):"
echo "$PROBE"
echo

if ((WARMUP > 0)); then
	wrk_run bare "$TMP/wrk-warmup-bare.txt" "$WARMUP" "$BARE_URL"
	wrk_run tandem "$TMP/wrk-warmup-tandem.txt" "$WARMUP" -s "$LUA" "$TANDEM_URL"
fi

RESULTS="$TMP/results.txt" # round bare_rps bare_p50 bare_p99 tandem_rps tandem_p50 tandem_p99
: >"$RESULTS"
WARNINGS=()
T_BAD_TOTAL=0
T_ERR_TOTAL=0
for ((r = 1; r <= ROUNDS; r++)); do
	wrk_run bare "$TMP/wrk-bare-$r.txt" "$SECONDS_PER_RUN" "$BARE_URL"
	b_rps=$W_RPS b_p50=$W_P50 b_p99=$W_P99 b_bad=$W_BAD b_err=$W_ERR
	wrk_run tandem "$TMP/wrk-tandem-$r.txt" "$SECONDS_PER_RUN" -s "$LUA" "$TANDEM_URL"
	t_rps=$W_RPS t_p50=$W_P50 t_p99=$W_P99 t_bad=$W_BAD t_err=$W_ERR
	T_BAD_TOTAL=$((T_BAD_TOTAL + t_bad))
	T_ERR_TOTAL=$((T_ERR_TOTAL + t_err))
	((b_bad == 0)) || WARNINGS+=("round $r: bare had $b_bad non-2xx responses")
	((t_bad == 0)) || WARNINGS+=("round $r: tandem had $t_bad non-2xx responses")
	((b_err == 0)) || WARNINGS+=("round $r: bare had $b_err socket errors")
	((t_err == 0)) || WARNINGS+=("round $r: tandem had $t_err socket errors")
	echo "$r $b_rps $b_p50 $b_p99 $t_rps $t_p50 $t_p99" >>"$RESULTS"
	echo "  round $r/$ROUNDS done: bare $b_rps req/s, tandem $t_rps req/s" >&2
done

# --- report ------------------------------------------------------------------
awk -v goal="$GOAL_RATIO" -v goal_p99="$GOAL_P99" -v n_acc="$ACCOUNTS" '
function median(a, n,   i, j, t, b) {
	for (i = 1; i <= n; i++) b[i] = a[i]
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && b[j - 1] > b[j]; j--) { t = b[j]; b[j] = b[j - 1]; b[j - 1] = t }
	return n % 2 ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2
}
function lat(v) { return v < 0 ? "n/a" : sprintf("%.3f", v) }
function pct(v) { return v < 0 ? "n/a" : sprintf("%.1f%%", v) }
{
	n++
	br[n] = $2; bp50[n] = $3; bp99[n] = $4
	tr[n] = $5; tp50[n] = $6; tp99[n] = $7
	ratio[n] = $2 > 0 ? 100 * $5 / $2 : -1
}
END {
	printf "%-7s %12s %9s %9s   %12s %9s %9s   %7s\n", "round", "bare req/s", "p50 ms", "p99 ms", \
		"tandem req/s", "p50 ms", "p99 ms", "ratio"
	for (i = 1; i <= n; i++)
		printf "%-7s %12.1f %9s %9s   %12.1f %9s %9s   %7s\n", i, br[i], lat(bp50[i]), lat(bp99[i]), \
			tr[i], lat(tp50[i]), lat(tp99[i]), pct(ratio[i])
	mr = median(ratio, n); mp99 = median(tp99, n)
	printf "%-7s %12.1f %9s %9s   %12.1f %9s %9s   %7s\n", "median", median(br, n), \
		lat(median(bp50, n)), lat(median(bp99, n)), median(tr, n), lat(median(tp50, n)), \
		lat(mp99), pct(mr)
	print ""
	printf "median req/s:   bare %.1f, tandem conflict check %.1f; median of the per-round ratios %s\n", \
		median(br, n), median(tr, n), pct(mr)
	printf "latency (median over rounds): bare p50 %s ms, p99 %s ms; tandem p50 %s ms, p99 %s ms\n", \
		lat(median(bp50, n)), lat(median(bp99, n)), lat(median(tp50, n)), lat(mp99)
	print ""
	printf "conflict check at %d accounts: %s of bare libmicrohttpd (goal >= %d%%), p99 %s ms (goal <= %d ms)\n", \
		n_acc, (mr < 0 ? "n/a" : sprintf("%.1f%%", mr)), goal, \
		(mp99 < 0 ? "n/a" : sprintf("%.1f", mp99)), goal_p99
}' "$RESULTS"

# --- what wrk and the access log say -----------------------------------------
echo
echo "wrk, tandem (measured rounds): $T_BAD_TOTAL non-2xx responses, $T_ERR_TOTAL socket errors"
LOGSUM=$(awk '
	$3 == "GET" || $3 == "POST" || $3 == "PUT" || $3 == "PATCH" || $3 == "DELETE" {
		req++; st[$5]++; next
	}
	$2 != "info" { other++ }
	END {
		printf "%d access-log lines; statuses:", req
		for (s in st) printf " %s x%d", s, st[s]
		if (other) printf "; %d non-info lines", other
		print ""
	}' "$TMP/tandem.log")
echo "tandem log: $LOGSUM (logging on; the log is in the temporary directory)"
# The last field of an access-log line is the server's time for the request (us).
SERVER_TIMES=$(awk -v p="$CHECK_PATH" '$3 == "POST" && $4 == p && $6 ~ /^[0-9]+$/ { print $6 }' \
	"$TMP/tandem.log" | sort -n | awk '
	function at(q,   i) { i = int(n * q); if (i < 1) i = 1; return v[i] / 1000 }
	{ v[++n] = $1; if ($1 > 10000) slow++ }
	END {
		if (!n) { print "none logged"; exit }
		printf "%d requests, median %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms, %d over 10 ms\n",
			n, at(0.5), at(0.99), at(0.999), v[n] / 1000, slow
	}')
echo "tandem log, server time of POST $CHECK_PATH (from request to queued answer): $SERVER_TIMES"
if grep -q -v -E '^[0-9TZ:-]+ info ' "$TMP/tandem.log"; then
	echo "tandem log, lines other than info (first 5):"
	grep -v -E '^[0-9TZ:-]+ info ' "$TMP/tandem.log" | head -n 5 | sed 's/^/  /'
fi
for w in "${WARNINGS[@]+"${WARNINGS[@]}"}"; do
	echo "warning: $w (the figures above include those responses)"
done

STATUS_OK=1
exit 0
