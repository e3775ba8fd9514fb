#!/usr/bin/env bash
# Installs the independent API contract tools into a throwaway Python venv:
#   schemathesis (runs generated requests from /openapi.yaml against a live hub, scripts/schemathesis.sh)
#   jsonschema   (validates every emitted event's data against its published schema, in the integration tests)
#
#   bash scripts/api-venv.sh [VENV_DIR]      # default: <repo>/.venv-api
#
# Pinned: schemathesis 4.32.5 (MIT), jsonschema 4.26.0 (MIT), selenium 4.51.0 (Apache-2.0: drives Chromium in
# scripts/console-browser.sh). Test tooling only, never shipped.
# Idempotent: does nothing when the venv already has exactly these versions.
# The tests find the venv through $CROSSDOCK_API_VENV or <repo>/.venv-api; CI sets CROSSDOCK_REQUIRE_VALIDATORS=1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${1:-${CROSSDOCK_API_VENV:-$root/.venv-api}}"
python="${PYTHON:-python3}"
packages=(schemathesis==4.32.5 jsonschema==4.26.0 selenium==4.51.0)

installed() {
    [ -x "$venv/bin/python" ] || return 1
    local frozen
    frozen="$("$venv/bin/python" -m pip freeze 2>/dev/null | tr '[:upper:]_' '[:lower:]-')" || return 1
    for p in "${packages[@]}"; do
        grep -qx "$(echo "$p" | tr '[:upper:]_' '[:lower:]-')" <<<"$frozen" || return 1
    done
}

if installed; then
    echo "API tools already installed in $venv"
    exit 0
fi

if ! command -v "$python" >/dev/null 2>&1; then
    echo "error: $python not found; install Python 3.10 or later" >&2
    exit 1
fi

if [ ! -x "$venv/bin/python" ]; then
    if ! "$python" -m venv "$venv"; then
        echo "error: '$python -m venv $venv' failed." >&2
        echo "       On Debian/Ubuntu install the venv module first: sudo apt-get install python3-venv" >&2
        rm -rf "$venv"
        exit 1
    fi
fi

"$venv/bin/python" -m pip install --quiet --disable-pip-version-check "${packages[@]}"
"$venv/bin/python" -c "import jsonschema, schemathesis, selenium" >/dev/null
echo "API tools installed in $venv: ${packages[*]}"
