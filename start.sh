#!/usr/bin/env bash
# Set up Customer 360 Graph on this machine, load the real Berka bank data, mine links through
# the job queue, and serve the web application on 127.0.0.1 until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")"
source scripts/find-python.sh

prepare_venv ""
export C360_DATA_DIR=${C360_DATA_DIR:-$PWD/var}
exec .venv/bin/c360 up --load-berka "${C360_BERKA_DIR:-../shared/data/berka}"
