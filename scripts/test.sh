#!/usr/bin/env bash
# Sets up .venv and runs the whole test suite. The browser test needs Debian's
# chromium: installed here when missing and we are root; otherwise that test skips
# and says why. PostgreSQL tests use $KUTIP_TEST_PG, a local server, or skip.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "kutip: installing Debian's chromium for the browser test" >&2
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "kutip: could not install chromium; the browser test will be skipped" >&2
fi
exec .venv/bin/python -m pytest "$@"
