#!/usr/bin/env bash
# The main job on the bundled samples: extract them (a table in the terminal),
# store them in ./kutip.db, and serve the web UI and REST API (Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/kutip extract samples --format table
.venv/bin/kutip ingest samples --db "${KUTIP_DB:-sqlite:///kutip.db}"
exec .venv/bin/kutip serve --db "${KUTIP_DB:-sqlite:///kutip.db}" --host "${KUTIP_HOST:-127.0.0.1}" --port "${KUTIP_PORT:-8000}"
