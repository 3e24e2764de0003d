#!/usr/bin/env bash
# Installs the Debian packages Tandem needs to build, run and test, when they are
# missing. Non-interactive; uses sudo only when not root. Safe to run repeatedly.
set -euo pipefail

build_pkgs=(gcc make pkg-config python3 iso-codes publicsuffix
    libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev
    libpsl-dev libutf8proc-dev libpq-dev libcurl4-gnutls-dev)
test_pkgs=(libcmocka-dev clang libclang-rt-14-dev clang-format sqlite3 curl nodejs npm wrk postgresql)

want=("${build_pkgs[@]}")
[ "${1:-}" = "--test" ] && want+=("${test_pkgs[@]}")

missing=()
for p in "${want[@]}"; do
    # a node install that ships its own npm satisfies npm
    [ "$p" = npm ] && command -v npm >/dev/null && continue
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
        || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
