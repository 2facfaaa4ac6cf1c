#!/usr/bin/env bash
# Create .venv and install the project into it, as start.sh does, without loading or serving data.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/find-python.sh

prepare_venv ""
echo "Installed; the command line is .venv/bin/c360"
