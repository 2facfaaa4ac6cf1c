# Print the path of a Python 3.12 or newer, looking at PATH first, then at pyenv's versions.
# Sourced by start.sh and test.sh; C360_PYTHON overrides the search.
find_python() {
  local candidate
  for candidate in "${C360_PYTHON:-}" python3.13 python3.12 python3 \
      "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python3 /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9]; do
    [ -n "$candidate" ] || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      command -v "$candidate"
      return 0
    fi
  done
  echo "Python 3.12 or newer was not found; install it or set C360_PYTHON to its path." >&2
  return 1
}

# Create .venv with that Python unless it exists, then install the project with the given extras.
prepare_venv() {
  local extras=$1 python
  if [ ! -x .venv/bin/python ]; then
    python=$(find_python)
    echo "Creating .venv with $python"
    "$python" -m venv .venv
  fi
  # pip's build warnings are noise on success; the log is shown when the install fails.
  local log=.venv/install.log
  if ! { .venv/bin/python -m pip install --quiet --upgrade pip &&
         .venv/bin/python -m pip install --quiet --editable ".${extras}"; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "Installing the project into .venv failed; the output is above and in $log." >&2
    return 1
  fi
}
