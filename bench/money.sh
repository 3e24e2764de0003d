#!/usr/bin/env bash
# The money benchmark: how long Tandem takes to compute the forecast (grouped
# by partner, partner type and quarter), the statements of a month (and the
# CSV of the biggest one) and the quota-credit report over BENCH_OPPS
# opportunities, beside a plain SQL aggregate of the same numbers run by the
# sqlite3 CLI on the same database file.
#
# The database is the demo program (`tandem demo`) filled directly with SQL:
# BENCH_OPPS opportunities of the current quarter on one account, over the 12
# demo partners and direct deals (~30%), six stages with their default
# probabilities and forecast categories, amounts in USD (~10% EUR); the won
# ones closed this month, with an order each (the partner's discount, the
# referral fee or affiliate split of its newest agreement or the program's
# default) and, for the fees and splits, lines in the partner's draft
# statement of this month. The rows are the same from run to run (a hash of
# the row number, not random()).
#
# Each operation runs once unmeasured, then BENCH_RUNS times: Tandem's time is
# curl's time_total (request, computation, JSON, transfer over loopback); the
# SQL time is the wall time of one `sqlite3 DB 'SELECT ...'` process (process
# start and opening the file included: the baseline row shows how much that
# is). The numbers are checked: the HTTP answers must equal the SQL ones (the
# forecast's weighted figure is rounded half-even per opportunity, in SQL too).
#
# Run from the repo root: bench/money.sh. Settings, from the environment:
#   BENCH_OPPS=1000000   opportunities to generate
#   BENCH_RUNS=5         measured runs per operation (min and median reported)
#   BENCH_KEEP=1         keep the temporary directory (database, logs, bodies)
#   TANDEM=build/tandem  the server binary (built with make when it is the default)
#
# It prints figures only: the exit status is 0 whatever the times, and
# non-zero only when something broke (build, start-up, a request that did not
# answer 200, a server that died, numbers that differ from SQL's).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

OPPS=${BENCH_OPPS:-1000000}
RUNS=${BENCH_RUNS:-5}
TANDEM=${TANDEM:-build/tandem}
DEMO_EMAIL=admin@tandem.example

die() {
	echo "bench: $*" >&2
	exit 1
}

[[ $OPPS =~ ^[1-9][0-9]*$ ]] || die "BENCH_OPPS must be a whole number >= 1, not '$OPPS'"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a whole number >= 1, not '$RUNS'"
for tool in curl jq sqlite3 awk make; do
	command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"
done

# --- build -------------------------------------------------------------------
if [[ $TANDEM == build/tandem ]]; then
	BUILD_LOG=$(mktemp "${TMPDIR:-/tmp}/tandem-money-build.XXXXXX")
	if ! make build/tandem >"$BUILD_LOG" 2>&1; then
		tail -n 30 "$BUILD_LOG" >&2
		rm -f "$BUILD_LOG"
		die "the tree does not build ('make build/tandem' failed, above; parallel work in progress?)"
	fi
	rm -f "$BUILD_LOG"
fi
[[ -x $TANDEM ]] || die "$TANDEM is missing"

# --- temporary directory, server, clean-up -----------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/tandem-money.XXXXXX")
DB=$TMP/bench.db
TANDEM_PID=
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
	if [[ ${BENCH_KEEP:-0} == 1 || $STATUS_OK != 1 ]]; then
		echo "bench: kept $TMP (database, tandem.log, response bodies, SQL output)" >&2
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

# --- the calendar (UTC, as Tandem's) ------------------------------------------
NOW=$(date -u +%s)
TODAY=$((NOW / 86400))
YEAR=$(date -u -d "@$NOW" +%Y)
MONTH=$((10#$(date -u -d "@$NOW" +%m)))
QMONTH=$(((MONTH - 1) / 3 * 3 + 1))
day_of() { # year month: days since 1970-01-01 of its first day
	echo $(($(date -u -d "$(printf '%04d-%02d-01' "$1" "$2")" +%s) / 86400))
}
next_month() { # year month count: "year month" count months later
	local m=$(($2 - 1 + $3))
	echo $(($1 + m / 12)) $((m % 12 + 1))
}
Q_FROM=$(day_of "$YEAR" "$QMONTH")
# shellcheck disable=SC2046 # two words: year month
Q_TO=$(($(day_of $(next_month "$YEAR" "$QMONTH" 3)) - 1))
M_FROM=$(day_of "$YEAR" "$MONTH")
QUARTER=$(printf '%04d-Q%d' "$YEAR" $(((MONTH - 1) / 3 + 1)))
PERIOD=$(printf '%04d-%02d' "$YEAR" "$MONTH")
Q_DAYS=$((Q_TO - Q_FROM + 1))
M_DAYS_SO_FAR=$((TODAY - M_FROM + 1))

# hbe P D: the SQL for P / D rounded half to even (P >= 0), as money_muldiv
hbe() {
	printf '((%s) / %s + (2 * ((%s) %% %s) > %s OR (2 * ((%s) %% %s) = %s AND ((%s) / %s) %% 2 = 1)))' \
		"$1" "$2" "$1" "$2" "$2" "$1" "$2" "$2" "$1" "$2"
}
# mix X: one round of a 32-bit integer hash (SQLite has no XOR: a ^ b = (a | b) - (a & b))
mix() {
	printf '((((%s) >> 16) | (%s)) - (((%s) >> 16) & (%s))) * 73244475 %% 4294967296' "$1" "$1" "$1" "$1"
}
fin() {
	printf '((((%s) >> 16) | (%s)) - (((%s) >> 16) & (%s)))' "$1" "$1" "$1" "$1"
}

# --- the database -------------------------------------------------------------
"$TANDEM" demo --db "$DB" >"$TMP/demo.out" 2>&1 || {
	cat "$TMP/demo.out" >&2
	die "'$TANDEM demo' failed"
}

# h and g: two independent 32-bit hashes of the row number. From h, in mixed
# radix: partner or direct (10 x partners), stage (6), currency (10), then the
# day; from g: the amount, then the source (2) and the owner (vendor users).
GEN_START=$EPOCHREALTIME
sqlite3 -batch -bail "$DB" >"$TMP/gen.out" 2>&1 <<SQL || { cat "$TMP/gen.out" >&2; die "filling the database failed"; }
PRAGMA cache_size = -262144;
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TEMP TABLE pmap(k INTEGER PRIMARY KEY, id INTEGER NOT NULL, type TEXT NOT NULL);
INSERT INTO pmap SELECT row_number() OVER (ORDER BY id) - 1, id, type FROM partners;
CREATE TEMP TABLE umap(k INTEGER PRIMARY KEY, id INTEGER NOT NULL);
INSERT INTO umap SELECT row_number() OVER (ORDER BY id) - 1, id FROM users
	WHERE partner_id IS NULL AND role IN ('sales_rep', 'sales_manager', 'channel_manager');
CREATE TEMP TABLE stg(k INTEGER PRIMARY KEY, stage TEXT, probability INTEGER, category TEXT, closed INTEGER);
INSERT INTO stg VALUES (0, 'prospecting', 10, 'pipeline', 0), (1, 'qualification', 20, 'pipeline', 0),
	(2, 'proposal', 50, 'best_case', 0), (3, 'negotiation', 80, 'commit', 0),
	(4, 'closed_won', 100, 'omitted', 1), (5, 'closed_lost', 0, 'omitted', 1);
INSERT INTO accounts(name, name_key, domain, domains, country, status, owner_kind, external_id,
	created_at, updated_at)
	VALUES ('Benchmark Customer Inc', 'benchmark customer', 'bench-customer.example',
	'["bench-customer.example"]', 'US', 'customer', 'direct', 'bench-money', $NOW, $NOW);
INSERT INTO account_domains(account_id, domain)
	SELECT id, 'bench-customer.example' FROM accounts WHERE external_id = 'bench-money';

INSERT INTO opportunities(name, account_id, partner_id, registration_id, owner_user_id, stage,
	probability, forecast_category, amount, currency, expected_close, closed_on, source,
	created_at, updated_at)
WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < $OPPS),
	h0 AS (SELECT i, (i * 2654435761 + 1013904223) % 4294967296 AS x,
		(i * 2246822519 + 374761393) % 4294967296 AS y FROM seq),
	h1 AS (SELECT i, $(mix x) AS x, $(mix y) AS y FROM h0),
	h2 AS (SELECT i, $(mix x) AS x, $(mix y) AS y FROM h1),
	h AS (SELECT i, $(fin x) AS h, $(fin y) AS g FROM h2),
	r AS (SELECT i, h, g,
		CASE WHEN h % 10 < 3 THEN NULL ELSE (h / 10) % (SELECT COUNT(*) FROM pmap) END AS pk,
		(h / 10 / (SELECT COUNT(*) FROM pmap)) % 6 AS sk,
		h / 60 / (SELECT COUNT(*) FROM pmap) AS rest FROM h)
SELECT 'Bench opportunity ' || r.i,
	(SELECT id FROM accounts WHERE external_id = 'bench-money'),
	pmap.id, NULL, umap.id, stg.stage, stg.probability, stg.category,
	50000 + r.g % 9950001,
	CASE WHEN r.rest % 10 = 0 THEN 'EUR' ELSE 'USD' END,
	$Q_FROM + (r.rest / 10 / 8) % $Q_DAYS,
	CASE WHEN stg.closed THEN $M_FROM + (r.rest / 10 / 8) % $M_DAYS_SO_FAR END,
	CASE WHEN pmap.id IS NULL THEN 'direct'
		WHEN (r.g / 9950001) % 2 = 0 THEN 'partner_sourced' ELSE 'co_sell' END,
	$NOW - r.i % 86400, $NOW
FROM r CROSS JOIN stg ON stg.k = r.sk
	LEFT JOIN pmap ON pmap.k = r.pk
	LEFT JOIN umap ON umap.k = (r.g / 9950001 / 2) % MAX(1, (SELECT COUNT(*) FROM umap));

-- The economics of each partner: its newest agreement's, else the program's
-- defaults for the type (settings.c: referral fee 1250 bps, affiliate split 3000).
CREATE TEMP TABLE pa(partner_id INTEGER PRIMARY KEY, disc INTEGER, fee_bps INTEGER, split_bps INTEGER);
INSERT INTO pa SELECT p.id, COALESCE(a.discount_bps, 0),
	CASE WHEN p.type = 'referral' THEN COALESCE(a.fee_bps, 1250) ELSE 0 END,
	CASE WHEN p.type = 'affiliate' THEN COALESCE(a.split_bps, 3000) ELSE 0 END
	FROM partners p LEFT JOIN agreements a
	ON a.id = (SELECT MAX(x.id) FROM agreements x WHERE x.partner_id = p.id);

INSERT INTO orders(opportunity_id, partner_id, registration_id, owner_user_id, booked_at, currency,
	list_amount, discount_bps, net_amount, fee_bps, fee_amount, split_bps, split_amount,
	eligible, reasons)
SELECT id, partner_id, NULL, owner_user_id, booked_at, currency, amount, disc, net,
	fee_bps, $(hbe 'net * fee_bps' 10000), split_bps, $(hbe 'net * split_bps' 10000), 1, '[]'
FROM (SELECT o.id, o.partner_id, o.owner_user_id, o.closed_on * 86400 + o.id % 43200 AS booked_at,
		o.currency, o.amount, COALESCE(pa.disc, 0) AS disc,
		o.amount - $(hbe 'o.amount * COALESCE(pa.disc, 0)' 10000) AS net,
		COALESCE(pa.fee_bps, 0) AS fee_bps, COALESCE(pa.split_bps, 0) AS split_bps
	FROM opportunities o LEFT JOIN pa ON pa.partner_id = o.partner_id
	WHERE o.stage = 'closed_won' AND o.closed_on IS NOT NULL
	ORDER BY o.id);

INSERT INTO statements(partner_id, period, status, created_at, updated_at)
	SELECT DISTINCT partner_id, '$PERIOD', 'draft', $NOW, $NOW FROM orders
	WHERE partner_id IS NOT NULL AND (fee_amount > 0 OR split_amount > 0) ORDER BY partner_id;
INSERT INTO statement_lines(statement_id, order_id, kind, currency, basis, bps, amount)
	SELECT s.id, o.id, k.kind, o.currency, o.net_amount,
		CASE k.kind WHEN 'fee' THEN o.fee_bps ELSE o.split_bps END,
		CASE k.kind WHEN 'fee' THEN o.fee_amount ELSE o.split_amount END
	FROM orders o JOIN statements s ON s.partner_id = o.partner_id AND s.period = '$PERIOD'
	JOIN (SELECT 'fee' AS kind, 1 AS n UNION ALL SELECT 'split', 2) k
		ON (k.kind = 'fee' AND o.fee_amount > 0) OR (k.kind = 'split' AND o.split_amount > 0)
	ORDER BY o.id, k.n;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQL
GEN_SECS=$(awk -v a="$GEN_START" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')

read -r N_OPPS N_ORDERS N_STMTS N_LINES MAX_STMT MAX_LINES < <(sqlite3 -batch -separator ' ' "$DB" "
	SELECT (SELECT COUNT(*) FROM opportunities), (SELECT COUNT(*) FROM orders),
	(SELECT COUNT(*) FROM statements), (SELECT COUNT(*) FROM statement_lines),
	COALESCE((SELECT statement_id FROM statement_lines GROUP BY statement_id
		ORDER BY COUNT(*) DESC, statement_id LIMIT 1), 0),
	COALESCE((SELECT COUNT(*) FROM statement_lines GROUP BY statement_id
		ORDER BY COUNT(*) DESC LIMIT 1), 0)")
((N_OPPS == OPPS)) || die "generated $N_OPPS opportunities, not $OPPS"
DB_MB=$(du -m "$DB" | awk '{ print $1 }')

# --- the server -----------------------------------------------------------------
TOKEN=$("$TANDEM" token create --email "$DEMO_EMAIL" --db "$DB" 2>"$TMP/token.err") || {
	cat "$TMP/token.err" >&2
	die "'$TANDEM token create' failed"
}
TOKEN=$(printf '%s\n' "$TOKEN" | awk 'NF { t = $NF } END { print t }')
[[ $TOKEN =~ ^[A-Za-z0-9._~+/=-]+$ ]] || die "'$TANDEM token create' printed no token"
AUTH="Authorization: Bearer $TOKEN"

PORT=
for ((attempt = 0; attempt < 5; attempt++)); do
	p=$(pick_port)
	"$TANDEM" serve --db "$DB" --listen "127.0.0.1:$p" 2>>"$TMP/tandem.log" >>"$TMP/tandem.log.stdout" &
	TANDEM_PID=$!
	for ((i = 0; i < 100; i++)); do
		kill -0 "$TANDEM_PID" 2>/dev/null || break
		if curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$p/healthz" 2>/dev/null; then
			PORT=$p
			break 2
		fi
		sleep 0.1
	done
	stop "$TANDEM_PID"
	TANDEM_PID=
done
[[ -n $PORT ]] || {
	tail -n 20 "$TMP/tandem.log" >&2 || true
	die "tandem would not start (the end of its log is above)"
}
BASE=http://127.0.0.1:$PORT
rss_kb() { # VmRSS or VmHWM of the server, in kB
	awk -v k="$1:" '$1 == k { print $2 }' "/proc/$TANDEM_PID/status" 2>/dev/null || echo 0
}
RSS_START=$(rss_kb VmRSS)

# --- measuring ----------------------------------------------------------------
RESULTS=$TMP/results.txt # name tandem_min tandem_med server_med sql_min sql_med note
: >"$RESULTS"
PROBLEMS=()

stats() { # numbers on stdin (seconds) -> "min median" in ms
	sort -g | awk '{ v[NR] = $1 } END {
		if (!NR) { print "- -"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.3f %.3f\n", v[1] * 1000, m * 1000 }'
}

# http_time NAME PATH: sets H_MIN H_MED (ms), H_SRV (median server-side ms from
# the access log), H_SIZE, H_CODE; the last body is in $TMP/NAME.body
http_time() {
	local name=$1 path=$2 code t size i log0 times=()
	H_MIN=- H_MED=- H_SRV=- H_SIZE=0 H_CODE=000
	for ((i = 0; i <= RUNS; i++)); do
		((i == 1)) && log0=$(wc -l <"$TMP/tandem.log")
		read -r code t size < <(curl -sS -o "$TMP/$name.body" --max-time 600 -H "$AUTH" \
			-w '%{http_code} %{time_total} %{size_download}\n' "$BASE$path" ||
			echo "000 0 0")
		H_CODE=$code H_SIZE=$size
		if [[ $code != 200 ]]; then
			PROBLEMS+=("GET $path answered $code: $(head -c 300 "$TMP/$name.body" 2>/dev/null | tr '\n' ' ')")
			kill -0 "$TANDEM_PID" 2>/dev/null || {
				tail -n 20 "$TMP/tandem.log" >&2
				die "tandem died during GET $path (the end of its log is above)"
			}
			return 0
		fi
		((i == 0)) || times+=("$t")
	done
	read -r H_MIN H_MED < <(printf '%s\n' "${times[@]}" | stats)
	H_SRV=$(tail -n "+$((log0 + 1))" "$TMP/tandem.log" |
		awk '$3 == "GET" && $5 == 200 { print $6 / 1e6 }' | stats | awk '{ print $2 }')
}

# sql_time NAME MODE SQL: sets S_MIN S_MED (ms); the output is in $TMP/NAME.sql.out
# (MODE: list or csv)
sql_time() {
	local name=$1 mode=$2 sql=$3 i t0 t1 times=() opts=(-batch -bail)
	[[ $mode == csv ]] && opts+=(-csv -header)
	for ((i = 0; i <= RUNS; i++)); do
		t0=$EPOCHREALTIME
		sqlite3 "${opts[@]}" "$DB" "$sql" >"$TMP/$name.sql.out" 2>"$TMP/$name.sql.err" ||
			die "sqlite3 failed on the $name query: $(cat "$TMP/$name.sql.err")"
		t1=$EPOCHREALTIME
		((i == 0)) || times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')")
	done
	read -r S_MIN S_MED < <(printf '%s\n' "${times[@]}" | stats)
}

CHECKS=()
check_equal() { # label http_lines_file sql_lines_file
	local label=$1 a=$2 b=$3 n d
	n=$(wc -l <"$b")
	if cmp -s "$a" "$b"; then
		CHECKS+=("$label: equal ($n rows)")
	else
		CHECKS+=("$label: DIFFERENT (HTTP < > SQL, first differences below)")
		PROBLEMS+=("$label: the HTTP answer differs from the SQL aggregate")
		d=$TMP/${label//[^A-Za-z0-9]/_}.diff
		diff "$a" "$b" | head -n 10 | sed 's/^/    /' >"$d" || true
		while IFS= read -r l; do CHECKS+=("$l"); done <"$d"
	fi
}

record() { # name note
	echo "$1|$H_MIN|$H_MED|$H_SRV|$S_MIN|$S_MED|$2" >>"$RESULTS"
}

# --- the SQL aggregates -------------------------------------------------------
SPAN="((o.closed_on IS NULL AND o.expected_close BETWEEN $Q_FROM AND $Q_TO)
	OR o.closed_on BETWEEN $Q_FROM AND $Q_TO) AND (o.closed_on IS NULL OR o.stage = 'closed_won')"
FIGURES="SUM(CASE WHEN o.closed_on IS NULL AND o.forecast_category = 'pipeline' THEN o.amount ELSE 0 END),
	SUM(CASE WHEN o.closed_on IS NULL AND o.forecast_category = 'best_case' THEN o.amount ELSE 0 END),
	SUM(CASE WHEN o.closed_on IS NULL AND o.forecast_category = 'commit' THEN o.amount ELSE 0 END),
	SUM(CASE WHEN o.closed_on IS NULL AND o.forecast_category <> 'omitted'
		THEN $(hbe 'o.amount * o.probability' 100) ELSE 0 END),
	SUM(CASE WHEN o.closed_on IS NOT NULL THEN o.amount ELSE 0 END)"
# NOT INDEXED: by itself SQLite walks the opportunities_partner index to save
# the GROUP BY sort, reading the table in partner order, about 1.7 times slower
# at 1,000,000 rows than the plain scan it uses for the other groupings.
SQL_PARTNER="SELECT o.partner_id, COALESCE(p.name, 'Direct'), o.currency, $FIGURES
	FROM opportunities o NOT INDEXED LEFT JOIN partners p ON p.id = o.partner_id WHERE $SPAN
	GROUP BY o.partner_id, o.currency ORDER BY o.partner_id, o.currency"
SQL_TYPE="SELECT COALESCE(p.type, 'direct') AS k, COALESCE(p.type, 'direct'), o.currency, $FIGURES
	FROM opportunities o LEFT JOIN partners p ON p.id = o.partner_id WHERE $SPAN
	GROUP BY k, o.currency ORDER BY k, o.currency"
QDAY="COALESCE(o.closed_on, o.expected_close) * 86400"
QKEY="strftime('%Y', $QDAY, 'unixepoch') || '-Q' ||
		((CAST(strftime('%m', $QDAY, 'unixepoch') AS INTEGER) + 2) / 3)"
SQL_QUARTER="SELECT $QKEY AS k, $QKEY, o.currency, $FIGURES
	FROM opportunities o WHERE $SPAN GROUP BY k, o.currency ORDER BY k, o.currency"
SQL_STATEMENTS="SELECT s.id, s.partner_id, l.currency, COUNT(*), SUM(l.amount)
	FROM statements s JOIN statement_lines l ON l.statement_id = s.id
	WHERE s.period = '$PERIOD' GROUP BY s.id, l.currency ORDER BY s.id, l.currency LIMIT 500"
SQL_CSV="SELECT s.id AS statement_id, s.partner_id, s.period, s.status, l.order_id, l.kind,
	l.currency, l.basis, l.bps, l.amount FROM statement_lines l JOIN statements s ON s.id = l.statement_id
	WHERE l.statement_id = $MAX_STMT ORDER BY l.id"
SQL_CREDIT="SELECT owner_user_id, currency,
	SUM(CASE WHEN partner_id IS NULL THEN net_amount ELSE 0 END),
	SUM(CASE WHEN partner_id IS NOT NULL THEN net_amount ELSE 0 END), SUM(net_amount)
	FROM orders WHERE booked_at >= $((Q_FROM * 86400)) AND booked_at < $(((Q_TO + 1) * 86400))
	AND owner_user_id IS NOT NULL GROUP BY owner_user_id, currency ORDER BY owner_user_id, currency"

# jq: the forecast rows as "key|label|currency|pipeline|best_case|commit|weighted|closed_won"
# (key "" for the direct deals)
JQ_FORECAST='.rows[] | [(.key // ""), .label, .currency, .pipeline, .best_case, .commit, .weighted,
	.closed_won] | map(tostring) | join("|")'

echo "bench: generated $N_OPPS opportunities, $N_ORDERS orders, $N_STMTS statements with $N_LINES lines" \
	"in ${GEN_SECS}s; measuring ($RUNS runs each)..." >&2

LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
# baseline: what a trivial request and a trivial sqlite3 process cost
http_time healthz /healthz
sql_time baseline list "SELECT 1"
record "baseline: GET /healthz vs sqlite3 SELECT 1" ""

for g in partner type quarter; do
	http_time "forecast-$g" "/api/v1/forecast?group_by=$g&period=$QUARTER"
	case $g in
	partner) sql=$SQL_PARTNER ;;
	type) sql=$SQL_TYPE ;;
	quarter) sql=$SQL_QUARTER ;;
	esac
	sql_time "forecast-$g" list "$sql"
	record "forecast group_by=$g" "$H_SIZE B"
	if [[ $H_CODE == 200 ]]; then
		jq -r "$JQ_FORECAST" "$TMP/forecast-$g.body" >"$TMP/forecast-$g.http.out"
		check_equal "forecast group_by=$g" "$TMP/forecast-$g.http.out" "$TMP/forecast-$g.sql.out"
	fi
done

http_time statements "/api/v1/statements?period=$PERIOD&limit=500"
sql_time statements list "$SQL_STATEMENTS"
record "statements period=$PERIOD (SQL: totals only)" "$H_SIZE B, all $N_LINES lines"
if [[ $H_CODE == 200 ]]; then
	jq -r '.items[] | . as $s | ($s.totals | map({ key: .currency, value: .amount }) | from_entries) as $t
		| $s.lines | group_by(.basis.currency)[]
		| [$s.id, $s.partner_id, .[0].basis.currency, length, $t[.[0].basis.currency]]
		| map(tostring) | join("|")' "$TMP/statements.body" >"$TMP/statements.http.out"
	check_equal "statements period=$PERIOD" "$TMP/statements.http.out" "$TMP/statements.sql.out"
fi

if ((MAX_STMT > 0)); then
	http_time statement-csv "/api/v1/statements/$MAX_STMT.csv"
	sql_time statement-csv csv "$SQL_CSV"
	record "statement $MAX_STMT CSV ($MAX_LINES lines)" "$H_SIZE B"
	if [[ $H_CODE == 200 ]]; then
		# Tandem ends its CSV lines with CRLF, the sqlite3 CLI with LF
		tr -d '\r' <"$TMP/statement-csv.body" >"$TMP/statement-csv.http.out"
		check_equal "statement $MAX_STMT CSV" "$TMP/statement-csv.http.out" "$TMP/statement-csv.sql.out"
	fi
else
	PROBLEMS+=("no statement has lines: nothing to export as CSV")
fi

http_time quota-credit "/api/v1/reports/quota-credit?period=$QUARTER"
sql_time quota-credit list "$SQL_CREDIT"
record "reports/quota-credit period=$QUARTER" "$H_SIZE B"
if [[ $H_CODE == 200 ]]; then
	jq -r '.rows | sort_by(.user_id, .currency)[] | [.user_id, .currency, .direct, .partner, .credited]
		| map(tostring) | join("|")' "$TMP/quota-credit.body" >"$TMP/quota-credit.http.out"
	check_equal "quota-credit" "$TMP/quota-credit.http.out" "$TMP/quota-credit.sql.out"
fi

kill -0 "$TANDEM_PID" 2>/dev/null || {
	tail -n 20 "$TMP/tandem.log" >&2
	die "tandem died during the run (the end of its log is above)"
}
RSS_END=$(rss_kb VmRSS)
RSS_PEAK=$(rss_kb VmHWM)

# --- report ---------------------------------------------------------------------
echo "Tandem money benchmark: $N_OPPS opportunities (quarter $QUARTER), $N_ORDERS orders," \
	"$N_STMTS statements of $PERIOD with $N_LINES lines (biggest: $MAX_LINES)"
echo "  database: SQLite, ${DB_MB} MB, filled in ${GEN_SECS}s; $RUNS measured runs per operation" \
	"after one unmeasured"
echo "  machine: $(nproc) cores, load average $LOAD_START at the start of the measures," \
	"$(cut -d' ' -f1 /proc/loadavg) at the end (other work on the machine makes the figures noisy)"
echo "  Tandem: curl time_total of GET with a bearer token (server: the server's own time from its" \
	"access log)"
echo "  SQL:    wall time of one 'sqlite3 DB <query>' process on the same file (sqlite3 $(sqlite3 --version |
	awk '{ print $1 }'))"
echo
awk -F'|' '
function ms(v) { return v == "-" ? "-" : sprintf("%.1f", v) }
BEGIN {
	printf "%-44s %17s %9s %17s %8s  %s\n", "operation", "Tandem ms min/med", "server", \
		"SQL ms min/med", "ratio", "response"
}
{
	ratio = ($3 == "-" || $6 == "-" || $6 == 0) ? "-" : sprintf("%.1fx", $3 / $6)
	printf "%-44s %8s/%-8s %9s %8s/%-8s %8s  %s\n", $1, ms($2), ms($3), ms($4), ms($5), ms($6), \
		ratio, $7
}' "$RESULTS"
echo "  (ratio: Tandem median / SQL median)"
echo
echo "checks (HTTP answer against the SQL aggregate):"
for c in "${CHECKS[@]+"${CHECKS[@]}"}"; do
	echo "  $c"
done
echo
echo "tandem memory: RSS $((RSS_START / 1024)) MB after start, $((RSS_END / 1024)) MB at the end," \
	"peak $((RSS_PEAK / 1024)) MB"
awk '
	$3 == "GET" { req++; st[$5]++; next }
	$2 != "info" { other++; if (other <= 5) lines = lines "\n    " $0 }
	END {
		printf "tandem log: %d requests; statuses:", req
		for (s in st) printf " %s x%d", s, st[s]
		if (other) printf "; %d non-info lines:%s", other, lines
		print ""
	}' "$TMP/tandem.log"
for p in "${PROBLEMS[@]+"${PROBLEMS[@]}"}"; do
	echo "problem: $p"
done

((${#PROBLEMS[@]} == 0)) || exit 1
STATUS_OK=1
exit 0
