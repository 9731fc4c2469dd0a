# Sourced by scripts/demo and scripts/test: make .venv with Python >= 3.11 and install elinara.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

find_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  echo "elinara needs Python 3.11 or newer: install it, or set PYTHON=/path/to/python3.11" >&2
  return 1
}

ensure_venv() {
  local extras="${1:-}"
  if [ ! -x .venv/bin/python ]; then
    "$(find_python)" -m venv .venv
    .venv/bin/python -m pip install --quiet --upgrade pip
  fi
  # Install again only when pyproject.toml changed (a stamp per set of extras).
  local stamp=".venv/.installed${extras//[^a-z]/-}"
  local digest
  digest="$(sha256sum pyproject.toml | cut -d' ' -f1)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$digest" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}" 2>.venv/install.log ||
      { cat .venv/install.log >&2; return 1; }
    echo "$digest" >"$stamp"
  fi
}
