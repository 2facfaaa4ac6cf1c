#!/usr/bin/env bash
# Install the project with its test tools into .venv and run the test suite.
# Arguments go to pytest, for example: ./test.sh -k loader
set -euo pipefail
cd "$(dirname "$0")"
source scripts/find-python.sh

prepare_venv "[test]"
exec .venv/bin/python -m pytest "$@"
