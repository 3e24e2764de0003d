#!/usr/bin/env bash
# The conflict engine's benchmarks: quality on the development set of company
# names (../shared/data/matching, never copied into the repo) and speed on
# 1,000,000 synthetic accounts beside a brute-force scan. Builds both with the
# project's flags (bench/bench.mk) and runs them. Run from anywhere:
#   bench/match.sh                 # or: make bench-match
# Settings, from the environment:
#   MATCH_DATA=../shared/data/matching   the development set
#   MATCH_RECORDS=1000000 MATCH_QUERIES=20000 MATCH_SCANS=200
#   MATCH_VERBOSE=1                      list misses and false conflicts
# It prints figures only: the exit status is non-zero only when something
# broke (build, missing data, out of memory).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

DATA=${MATCH_DATA:-../shared/data/matching}
RECORDS=${MATCH_RECORDS:-1000000}
QUERIES=${MATCH_QUERIES:-20000}
SCANS=${MATCH_SCANS:-200}

for v in RECORDS QUERIES SCANS; do
	[[ ${!v} =~ ^[0-9]+$ ]] || { echo "match.sh: MATCH_$v must be a whole number" >&2; exit 1; }
done
[ -d "$DATA" ] || { echo "match.sh: no data in $DATA (set MATCH_DATA)" >&2; exit 1; }

make --no-print-directory build/bench/match_quality build/bench/match_speed

echo "== quality: build/bench/match_quality $DATA"
build/bench/match_quality "$DATA" ${MATCH_VERBOSE:+-v}
echo
echo "== speed: build/bench/match_speed $RECORDS $QUERIES $SCANS"
build/bench/match_speed "$RECORDS" "$QUERIES" "$SCANS"
