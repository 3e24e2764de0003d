#!/usr/bin/env bash
# House rules that a compiler does not check: banned calls, and dependencies
# that point down only (cli, http -> api, web -> domain -> store -> base).
set -uo pipefail
cd "$(dirname "$0")/.."
fail=0

banned='\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|gmtime|localtime)[[:space:]]*\('
if grep -nE "$banned" src/*.c src/*/*.c src/*/*.h tests/unit/*.c bench/*.c 2>/dev/null; then
    echo "lint: banned calls above (use snprintf, the string builder, base/clock.h)"
    fail=1
fi
up='#include[[:space:]]+"(http|api|web|cli)/'
if grep -nE "$up" src/domain/* src/store/* src/base/*; then
    echo "lint: a lower layer includes an upper-layer header"
    fail=1
fi
if grep -nE '#include[[:space:]]+"domain/' src/store/* src/base/*; then
    echo "lint: store/ or base/ includes domain/"
    fail=1
fi
if grep -nE '#include[[:space:]]+"store/' src/base/*; then
    echo "lint: base/ includes store/"
    fail=1
fi
if grep -nE '#include[[:space:]]+<(sqlite3|libpq-fe|microhttpd)\.h>' src/domain/* src/base/* src/api/*; then
    echo "lint: an engine header outside store/ or http/"
    fail=1
fi
if grep -nE '\b(float|double)\b' src/*/*.c src/*/*.h | grep -vE '^\S+:[0-9]+:\s*(/\*|\*)' |
    grep -v 'json_real('; then
    echo "lint: floating point in src/ (money is integer minor units; a score is"
    echo "      rendered with json_real only)"
    fail=1
fi
if command -v clang-format >/dev/null; then
    if ! clang-format --dry-run --Werror src/*.c src/*/*.c src/*/*.h tests/unit/*.c \
        tests/unit/*.h 2>&1 | head -n 20 | grep -q .; then :; else
        clang-format --dry-run --Werror src/*.c src/*/*.c src/*/*.h tests/unit/*.c \
            tests/unit/*.h 2>&1 | head -n 20
        echo "lint: not formatted; run clang-format -i on the files above"
        fail=1
    fi
fi
[ $fail -eq 0 ] && echo "lint: clean"
exit $fail
