#!/usr/bin/env bash
# A private PostgreSQL cluster for tests and benchmarks: initdb in a temporary
# directory, a free port, 127.0.0.1 only, trust authentication for loopback.
# As root it runs as the `postgres` user (PostgreSQL refuses to run as root).
# Nothing outside the temporary directory is touched.
#
#   scripts/pg.sh run CMD [ARGS...]   start a cluster, run CMD with TANDEM_PG_URL and
#                                     TANDEM_PG_DIR set, stop and remove the cluster
#                                     when CMD ends (or on Ctrl-C); exits with CMD's status
#   scripts/pg.sh start               start one and print TANDEM_PG_URL=... and
#                                     TANDEM_PG_DIR=... lines (for eval); stop it yourself
#   scripts/pg.sh stop DIR            stop the cluster in DIR and remove DIR
#   scripts/pg.sh restart DIR [SECS]  stop it (fast), wait SECS (default 0) and start it
#                                     again on the same port
#
# The cluster favours speed over durability (fsync off): it is for tests.
# PG_DURABLE=1 keeps PostgreSQL's own settings (fsync, synchronous_commit),
# for benchmarks.
set -euo pipefail

die() {
	echo "pg.sh: $*" >&2
	exit 1
}

bindir() {
	local d
	if command -v pg_config >/dev/null 2>&1; then
		d=$(pg_config --bindir 2>/dev/null || true)
		[[ -x $d/initdb ]] && {
			echo "$d"
			return
		}
	fi
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
	[[ -n $d && -x $d/initdb ]] || die "initdb not found: install the postgresql package (scripts/deps.sh --test)"
	echo "$d"
}

# as_owner CMD...: runs CMD as the cluster's owner (postgres when we are root)
as_owner() {
	if [[ $(id -u) -eq 0 ]]; then
		if command -v runuser >/dev/null 2>&1; then
			runuser -u postgres -- "$@"
		else
			su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
		fi
	else
		"$@"
	fi
}

port_free() { # nothing listens on 127.0.0.1:$1
	! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
	local p i
	for ((i = 0; i < 200; i++)); do
		p=$((20000 + RANDOM % 40000))
		if port_free "$p"; then
			echo "$p"
			return 0
		fi
	done
	die "no free port found"
}

start() {
	local bin dir port attempt
	bin=$(bindir)
	if [[ $(id -u) -eq 0 ]]; then
		id postgres >/dev/null 2>&1 || die "running as root needs the postgres user (install postgresql)"
	fi
	dir=$(mktemp -d "${TMPDIR:-/tmp}/tandem-pg.XXXXXX")
	chmod 755 "$dir"
	mkdir "$dir/data" "$dir/sock"
	[[ $(id -u) -eq 0 ]] && chown -R postgres: "$dir"
	as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
		>"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		rm -rf "$dir"
		die "initdb failed"
	}
	cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/sock'
max_connections = 300
EOF
	[[ ${PG_DURABLE:-0} == 1 ]] || cat >>"$dir/data/postgresql.conf" <<EOF
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
	printf 'host all all 127.0.0.1/32 trust\n' >"$dir/data/pg_hba.conf"
	for ((attempt = 0; attempt < 5; attempt++)); do
		port=$(pick_port)
		echo "$port" >"$dir/port"
		[[ $(id -u) -eq 0 ]] && chown postgres: "$dir/port"
		if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
			-o "-p $port" start >/dev/null 2>&1; then
			echo "TANDEM_PG_URL=postgresql://postgres@127.0.0.1:$port/postgres"
			echo "TANDEM_PG_DIR=$dir"
			return 0
		fi
	done
	tail -n 20 "$dir/server.log" >&2 || true
	rm -rf "$dir"
	die "the cluster would not start"
}

stop() {
	local dir=$1 bin
	[[ -d $dir/data ]] || return 0
	bin=$(bindir)
	as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
}

restart() {
	local dir=$1 down=${2:-0} bin port
	[[ -d $dir/data ]] || die "no cluster in $dir"
	bin=$(bindir)
	port=$(cat "$dir/port")
	as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	sleep "$down"
	as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "-p $port" start \
		>/dev/null || die "the cluster would not start again"
}

case "${1:-}" in
start) start ;;
stop)
	[[ $# -eq 2 ]] || die "usage: scripts/pg.sh stop DIR"
	stop "$2"
	;;
restart)
	[[ $# -eq 2 || $# -eq 3 ]] || die "usage: scripts/pg.sh restart DIR [SECS]"
	restart "$2" "${3:-0}"
	;;
run)
	shift
	[[ $# -ge 1 ]] || die "usage: scripts/pg.sh run CMD [ARGS...]"
	out=$(start)
	TANDEM_PG_URL=$(sed -n 's/^TANDEM_PG_URL=//p' <<<"$out")
	TANDEM_PG_DIR=$(sed -n 's/^TANDEM_PG_DIR=//p' <<<"$out")
	export TANDEM_PG_URL TANDEM_PG_DIR
	trap 'stop "$TANDEM_PG_DIR"' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	rc=0
	"$@" || rc=$?
	exit "$rc"
	;;
*)
	sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
	;;
esac
