# shellcheck shell=bash
# Sourced by the benchmarks (bench/run.sh, bench/conflict_http.sh): the
# database to measure on.
#   TANDEM_BENCH_DB unset      a SQLite file in the benchmark's temporary directory
#   TANDEM_BENCH_DB=postgresql://user@host:port/postgres
#                              a new database on that PostgreSQL server, created with
#                              psql and dropped at the end (bench/engines.sh runs both)
BENCH_DB=
BENCH_ENGINE=sqlite
BENCH_PG_NAME=

# bench_db_open TMPDIR: sets BENCH_DB (what --db gets) and BENCH_ENGINE
bench_db_open() {
	local url=${TANDEM_BENCH_DB:-}
	if [[ -z $url ]]; then
		BENCH_DB=$1/bench.db
		BENCH_ENGINE=sqlite
		return 0
	fi
	[[ $url == postgres://* || $url == postgresql://* ]] ||
		die "TANDEM_BENCH_DB must be a postgresql:// URL of a server (unset: SQLite)"
	command -v psql >/dev/null 2>&1 || die "psql is not installed (apt-get install postgresql-client)"
	BENCH_PG_NAME=tandem_bench_$$
	psql -X -q -v ON_ERROR_STOP=1 -d "$url" -c "CREATE DATABASE $BENCH_PG_NAME" >/dev/null ||
		die "cannot create database $BENCH_PG_NAME on $url"
	# the same URL naming the new database
	BENCH_DB=$(sed -E "s#^(postgres(ql)?://[^/?]*)(/[^?]*)?#\\1/$BENCH_PG_NAME#" <<<"$url")
	BENCH_ENGINE=postgresql
}

bench_db_close() {
	[[ -n $BENCH_PG_NAME ]] || return 0
	psql -X -q -d "$TANDEM_BENCH_DB" -c "DROP DATABASE IF EXISTS $BENCH_PG_NAME WITH (FORCE)" \
		>/dev/null 2>&1 || true
	BENCH_PG_NAME=
}
