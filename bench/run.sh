#!/usr/bin/env bash
# The platform benchmark: how fast Tandem serves an authenticated read
# (GET /api/v1/partners/1) compared with a bare libmicrohttpd server that
# answers every request with a fixed JSON record of about the same size
# (bench/bare.c), on the same machine, with the same daemon flags and the same
# thread pool. The two are measured alternately in one run (bare, tandem,
# bare, tandem, ...) so that drift of the machine hits both alike.
#
# Run from the repo root with `make bench` (builds build/tandem first).
# Settings, from the environment:
#   BENCH_ROUNDS=3        rounds of (bare, tandem)
#   BENCH_SECONDS=5       seconds per wrk run
#   BENCH_CONNECTIONS=32  wrk connections (wrk threads: BENCH_THREADS=2)
#   BENCH_WARMUP=1        seconds of unmeasured warm-up per server (0: none)
#   BENCH_KEEP=1          keep the temporary directory (database, logs)
#   TANDEM=build/tandem   the server binary to measure
#   TANDEM_BENCH_DB=postgresql://user@host:port/postgres  measure on a new database
#                         of that PostgreSQL server instead of SQLite (bench/db.sh;
#                         bench/engines.sh runs both engines in one run)
#
# It prints figures only: the exit status is 0 whatever the figures, and
# non-zero only when something broke (build, start-up, a failed request, a
# server that died, wrk that failed).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

ROUNDS=${BENCH_ROUNDS:-3}
SECONDS_PER_RUN=${BENCH_SECONDS:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
THREADS=${BENCH_THREADS:-2}
WARMUP=${BENCH_WARMUP:-1}
TANDEM=${TANDEM:-build/tandem}
CC=${CC:-gcc}
GOAL=50
PARTNER_PATH=/api/v1/partners/1
DEMO_EMAIL=admin@tandem.example

# shellcheck source=bench/db.sh
. bench/db.sh

die() {
	echo "bench: $*" >&2
	exit 1
}

for v in ROUNDS SECONDS_PER_RUN CONNECTIONS THREADS WARMUP; do
	[[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number, not '${!v}'"
done
((ROUNDS >= 1)) || die "BENCH_ROUNDS must be at least 1"
((SECONDS_PER_RUN >= 1)) || die "BENCH_SECONDS must be at least 1"
((THREADS >= 1 && CONNECTIONS >= THREADS)) ||
	die "need BENCH_THREADS >= 1 and BENCH_CONNECTIONS >= BENCH_THREADS"

for tool in curl wrk awk pkg-config "$CC"; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed (wrk: apt-get install wrk)"
done
[[ -x $TANDEM ]] || die "$TANDEM is missing: run 'make build/tandem' (or 'make bench')"

# --- build the bare server ---------------------------------------------------
mkdir -p build/bench
BARE=build/bench/bare
# shellcheck disable=SC2046 # pkg-config output is a list of words
"$CC" -std=c17 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror \
	$(pkg-config --cflags libmicrohttpd) bench/bare.c -o "$BARE" \
	$(pkg-config --libs libmicrohttpd) -lpthread ||
	die "cannot build bench/bare.c"

# --- temporary directory, servers, clean-up ----------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tandem-bench.XXXXXX")
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
		echo "bench: kept $TMP (database, tandem.log, bare.log, wrk output)" >&2
	else
		rm -rf "$TMP"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

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

wait_healthz() { # pid port name log
	local pid=$1 port=$2 name=$3 log=$4 i
	for ((i = 0; i < 100; i++)); do
		if ! kill -0 "$pid" 2>/dev/null; then
			return 1 # it died: probably the port was taken meanwhile
		fi
		if curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$port/healthz" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	echo "bench: $name did not answer GET /healthz on port $port in 10 s; its log:" >&2
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
	echo "bench: $name would not start; its log:" >&2
	tail -n 20 "$log" >&2 || true
	exit 1
}

bench_db_open "$TMP"
"$TANDEM" demo --db "$BENCH_DB" >"$TMP/demo.out" 2>&1 || {
	cat "$TMP/demo.out" >&2
	die "'$TANDEM demo' failed"
}
TOKEN=$("$TANDEM" token create --email "$DEMO_EMAIL" --db "$BENCH_DB" 2>"$TMP/token.err") || {
	cat "$TMP/token.err" >&2
	die "'$TANDEM token create' failed"
}
TOKEN=$(printf '%s\n' "$TOKEN" | awk 'NF { t = $NF } END { print t }')
[[ $TOKEN =~ ^[A-Za-z0-9._~+/=-]+$ ]] || die "'$TANDEM token create' printed no token"

TANDEM_PORT=
BARE_PORT=
start_server TANDEM_PID TANDEM_PORT tandem "$TMP/tandem.log" \
	"$TANDEM" serve --db "$BENCH_DB" --listen 127.0.0.1:@PORT@
start_server BARE_PID BARE_PORT bare "$TMP/bare.log" "$BARE" @PORT@

TANDEM_URL="http://127.0.0.1:$TANDEM_PORT$PARTNER_PATH"
BARE_URL="http://127.0.0.1:$BARE_PORT$PARTNER_PATH"
AUTH="Authorization: Bearer $TOKEN"

# --- check the requests before measuring ------------------------------------
check() { # name url [header]; sets SIZE (bytes of the body)
	local name=$1 url=$2 code ctype
	shift 2
	local hdr=()
	[[ $# -gt 0 ]] && hdr=(-H "$1")
	read -r code ctype SIZE < <(curl -sS -o "$TMP/$name.body" --max-time 5 "${hdr[@]}" \
		-w '%{http_code} %{content_type} %{size_download}\n' "$url" || echo "000 - 0")
	if [[ $code != 200 ]]; then
		echo "bench: GET $url on $name answered $code, not 200:" >&2
		head -c 500 "$TMP/$name.body" >&2 2>/dev/null || true
		echo >&2
		exit 1
	fi
	[[ $ctype == application/json* ]] ||
		die "GET $url on $name answered Content-Type '$ctype', not application/json"
}
check tandem "$TANDEM_URL" "$AUTH"
TANDEM_SIZE=$SIZE
check bare "$BARE_URL"
BARE_SIZE=$SIZE
# Without the token Tandem must refuse: the measured request does authenticate.
NOAUTH=$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' "$TANDEM_URL" || true)
[[ $NOAUTH == 401 ]] ||
	echo "bench: note: GET $PARTNER_PATH without a token answered $NOAUTH (expected 401)"

# --- measure -----------------------------------------------------------------
# wrk_run name url out seconds [header]: sets W_RPS W_P50 W_P99 (ms, -1 when
# missing), W_BAD (non-2xx/3xx responses) and W_ERR (socket errors).
wrk_run() {
	local name=$1 url=$2 out=$3 secs=$4
	shift 4
	local hdr=()
	[[ $# -gt 0 ]] && hdr=(-H "$1")
	local wrk_rc=0
	wrk --latency -t"$THREADS" -c"$CONNECTIONS" -d"${secs}s" "${hdr[@]}" "$url" >"$out" 2>&1 ||
		wrk_rc=$?
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

echo "Tandem platform benchmark"
echo "  machine: $(nproc) cores; wrk -t$THREADS -c$CONNECTIONS, ${SECONDS_PER_RUN}s per run," \
	"$ROUNDS rounds (bare, tandem alternating), ${WARMUP}s warm-up each"
echo "  bare:    $BARE on 127.0.0.1:$BARE_PORT, fixed $BARE_SIZE-byte JSON body"
echo "  tandem:  $TANDEM serve on 127.0.0.1:$TANDEM_PORT, GET $PARTNER_PATH with a bearer token" \
	"($TANDEM_SIZE-byte JSON body)"
echo "  database: $BENCH_ENGINE ($BENCH_DB)"
echo "  NOTE: tandem access logging is ON (one stderr line per request, written to a file in $TMP)"
echo

if ((WARMUP > 0)); then
	wrk_run bare "$BARE_URL" "$TMP/wrk-warmup-bare.txt" "$WARMUP"
	wrk_run tandem "$TANDEM_URL" "$TMP/wrk-warmup-tandem.txt" "$WARMUP" "$AUTH"
fi

RESULTS="$TMP/results.txt" # round bare_rps bare_p50 bare_p99 tandem_rps tandem_p50 tandem_p99
: >"$RESULTS"
WARNINGS=()
for ((r = 1; r <= ROUNDS; r++)); do
	wrk_run bare "$BARE_URL" "$TMP/wrk-bare-$r.txt" "$SECONDS_PER_RUN"
	b_rps=$W_RPS b_p50=$W_P50 b_p99=$W_P99 b_bad=$W_BAD b_err=$W_ERR
	wrk_run tandem "$TANDEM_URL" "$TMP/wrk-tandem-$r.txt" "$SECONDS_PER_RUN" "$AUTH"
	t_rps=$W_RPS t_p50=$W_P50 t_p99=$W_P99 t_bad=$W_BAD t_err=$W_ERR
	((b_bad == 0)) || WARNINGS+=("round $r: bare had $b_bad non-2xx responses")
	((t_bad == 0)) || WARNINGS+=("round $r: tandem had $t_bad non-2xx responses")
	((b_err == 0)) || WARNINGS+=("round $r: bare had $b_err socket errors")
	((t_err == 0)) || WARNINGS+=("round $r: tandem had $t_err socket errors")
	echo "$r $b_rps $b_p50 $b_p99 $t_rps $t_p50 $t_p99" >>"$RESULTS"
	echo "  round $r/$ROUNDS done: bare $b_rps req/s, tandem $t_rps req/s" >&2
done

# --- report ------------------------------------------------------------------
awk -v goal="$GOAL" '
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
	mr = median(ratio, n)
	printf "%-7s %12.1f %9s %9s   %12.1f %9s %9s   %7s\n", "median", median(br, n), \
		lat(median(bp50, n)), lat(median(bp99, n)), median(tr, n), lat(median(tp50, n)), \
		lat(median(tp99, n)), pct(mr)
	print ""
	printf "median req/s:   bare %.1f, tandem %.1f; median of the per-round ratios %s\n", \
		median(br, n), median(tr, n), pct(mr)
	printf "latency (median over rounds): bare p50 %s ms, p99 %s ms; tandem p50 %s ms, p99 %s ms\n", \
		lat(median(bp50, n)), lat(median(bp99, n)), lat(median(tp50, n)), lat(median(tp99, n))
	print ""
	if (mr < 0)
		printf "tandem read at n/a of bare libmicrohttpd (goal >= %d%%)\n", goal
	else
		printf "tandem read at %.1f%% of bare libmicrohttpd (goal >= %d%%)\n", mr, goal
}' "$RESULTS"

# --- what the access log says ------------------------------------------------
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
echo
echo "tandem log: $LOGSUM (logging on; the log is in the temporary directory)"
for w in "${WARNINGS[@]+"${WARNINGS[@]}"}"; do
	echo "warning: $w (the figures above include those responses)"
done

STATUS_OK=1
exit 0
