#!/usr/bin/env bash
# Both engines in one run: the platform benchmark (bench/run.sh, an
# authenticated read against bare libmicrohttpd) and the conflict-check
# benchmark (bench/conflict_http.sh, 100,000 accounts), each on SQLite and on
# PostgreSQL, alternating engines so that drift of the machine hits both.
# PostgreSQL is a private cluster (scripts/pg.sh) in a temporary directory,
# with PostgreSQL's own durability settings (fsync and synchronous_commit on;
# the test cluster turns them off), removed at the end.
#
# Run from the repo root: bench/engines.sh (builds build/tandem first).
# The settings of the two benchmarks apply (BENCH_ROUNDS, BENCH_SECONDS,
# BENCH_CONNECTIONS, BENCH_ACCOUNTS, ...); ENGINES_SKIP_CONFLICT=1 runs the
# read benchmark only. Full outputs are kept in a directory printed at the end.
# With TANDEM_PG_URL set (a server URL, e.g. inside `scripts/pg.sh run`) that
# server is used instead of a private cluster.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

die() {
	echo "engines bench: $*" >&2
	exit 1
}

make --no-print-directory build/tandem >/dev/null || die "make build/tandem failed"
if [[ -z ${TANDEM_PG_URL:-} ]]; then
	# re-run inside a private cluster, stopped and removed when this ends
	exec env PG_DURABLE=1 scripts/pg.sh run "$0" "$@"
fi
OUT=$(mktemp -d "${TMPDIR:-/tmp}/tandem-engines.XXXXXX")

run() { # name engine script
	local name=$1 engine=$2 script=$3 db=
	[[ $engine == postgresql ]] && db=$TANDEM_PG_URL
	echo "== $name on $engine" >&2
	TANDEM_BENCH_DB=$db "$script" >"$OUT/$name-$engine.txt" 2>"$OUT/$name-$engine.err" || {
		tail -n 20 "$OUT/$name-$engine.err" >&2
		die "$script on $engine failed (outputs in $OUT)"
	}
}

run read sqlite bench/run.sh
run read postgresql bench/run.sh
if [[ ${ENGINES_SKIP_CONFLICT:-0} != 1 ]]; then
	run conflict postgresql bench/conflict_http.sh
	run conflict sqlite bench/conflict_http.sh
fi

echo "Tandem on SQLite and PostgreSQL ($(nproc) cores; PostgreSQL $(psql -X -A -t -d "$TANDEM_PG_URL" \
	-c 'SHOW server_version' 2>/dev/null || echo '?') on 127.0.0.1, private cluster)"
for name in read conflict; do
	for engine in sqlite postgresql; do
		f=$OUT/$name-$engine.txt
		[[ -f $f ]] || continue
		echo
		echo "-- $name benchmark on $engine"
		grep -E '^(median|round|[0-9]+ )|^median req/s|^latency|^tandem read|^conflict|import:|accounts:|answered /healthz|p99' "$f" |
			grep -vE '^  round' || true
	done
done
echo
echo "full outputs: $OUT"
