#!/usr/bin/env bash
# Lint the OpenAPI document with @redocly/cli (recommended ruleset).
# Run from the repository root: tests/openapi/lint.sh
# Installs @redocly/cli@2 into build/npm the first time; exits non-zero on any
# lint error (warnings are printed but do not fail the run).
set -euo pipefail

cd "$(dirname "$0")/../.."

SPEC=src/api/openapi.json
PREFIX=build/npm
REDOCLY="$PREFIX/node_modules/.bin/redocly"

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "lint.sh: node and npm are required (install them with the project's deps script)" >&2
  exit 1
fi

if [ ! -f "$SPEC" ]; then
  echo "lint.sh: $SPEC not found" >&2
  exit 1
fi

# The document must at least be valid JSON before redocly looks at it.
node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$SPEC"

if [ ! -x "$REDOCLY" ]; then
  mkdir -p "$PREFIX"
  npm install --prefix "$PREFIX" --no-audit --no-fund --loglevel=error @redocly/cli@2 >&2
fi

# Keep the run offline and quiet: no telemetry, no update check.
export REDOCLY_TELEMETRY=off
export REDOCLY_SUPPRESS_UPDATE_NOTICE=true

exec "$REDOCLY" lint --extends=recommended "$SPEC"
