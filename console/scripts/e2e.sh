#!/usr/bin/env bash
# The console's whole check, as CI runs it: install from the lockfile, generated types fresh,
# type check, build (with the initial-download budget), unit tests, browser tests against the
# real api binary (QINQING_API_BIN, default ../target/debug/api: build it first).
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
if [ ! -x "$CHROMIUM" ]; then
  # No browser is downloaded by npm here: Debian's Chromium is the browser of the tests.
  echo "console: installing Debian's chromium"
  apt-get update -qq && apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null
fi
export CHROMIUM

api_bin="${QINQING_API_BIN:-../target/debug/api}"
if [ ! -x "$api_bin" ]; then
  echo "console: the api binary $api_bin is missing (cargo build first, or set QINQING_API_BIN)" >&2
  exit 1
fi

npm ci --no-audit --no-fund
npm run check    # src/api/schema.d.ts matches ../api/openapi.json; vue-tsc
npm run build    # vite build, then scripts/check-size.mjs (fails above 400 KB gzipped)
npm test         # vitest
npm run e2e      # Playwright: screenshots in test-results/screenshots/, report in test-results/report/
