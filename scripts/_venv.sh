# Sourced by scripts/run and scripts/test: make .venv and install the given
# requirements file when it changed since the last install.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
req="$1"
VENV="${FELT_VENV:-.venv}"
if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV"
fi
stamp="$VENV/.installed-$(basename "$req")"
hash=$(cat requirements*.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
    echo "$hash" > "$stamp"
fi
PY="$VENV/bin/python"
