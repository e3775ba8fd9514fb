#!/usr/bin/env bash
# The console in a real browser: runs `crossdock demo --keep` on a throwaway SQLite database, makes a read-only key,
# and drives Chromium (Debian's chromium and chromium-driver) with selenium (from the venv scripts/api-venv.sh makes)
# through Tests/Browser/console_browser.py: sign in, search a PO the demo created, open its trace and find each
# system's step, replay a dead letter with the button and see it delivered, and check that a read-only key has no
# buttons. Screenshots of each page land in SCREENSHOT_DIR.
#
#   bash scripts/console-browser.sh [CROSSDOCK_BINARY] [SCREENSHOT_DIR]
#     defaults: .build/debug/crossdock (run `swift build` first), .build/console-screenshots
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="${1:-$root/.build/debug/crossdock}"
shots="${2:-$root/.build/console-screenshots}"
venv="${CROSSDOCK_API_VENV:-$root/.venv-api}"
[ -x "$binary" ] || { echo "error: $binary not found; run 'swift build' first" >&2; exit 1; }
command -v chromium >/dev/null && command -v chromedriver >/dev/null \
    || { echo "error: chromium and chromedriver are needed: apt-get install chromium chromium-driver" >&2; exit 1; }
"$venv/bin/python" -c "import selenium" 2>/dev/null || bash "$root/scripts/api-venv.sh" "$venv"

work="$(mktemp -d)"
demo_pid=""
cleanup() {
    if [ -n "$demo_pid" ]; then kill -TERM "$demo_pid" 2>/dev/null || true; wait "$demo_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

"$binary" demo --orders 40 --seed 11 --db "sqlite:$work/demo.sqlite" --keep >"$work/demo.log" 2>&1 &
demo_pid=$!
# The demo runs its orders first (about a minute here, longer on a loaded machine).
for _ in $(seq 1 1200); do
    grep -q "^press Ctrl-C to stop" "$work/demo.log" 2>/dev/null && break
    kill -0 "$demo_pid" 2>/dev/null || { tail -40 "$work/demo.log" >&2; echo "error: the demo stopped" >&2; exit 1; }
    sleep 0.5
done
grep -q "^press Ctrl-C to stop" "$work/demo.log" || { tail -40 "$work/demo.log" >&2; echo "error: the demo did not finish" >&2; exit 1; }
console="$(grep -m1 -o 'http://[0-9.:]*/console' "$work/demo.log")"
console_key="$(grep -m1 -o 'sign in with cdk_[A-Za-z0-9_-]*' "$work/demo.log" | awk '{print $4}')"
admin_key="$(grep -m1 -o 'Bearer cdk_[A-Za-z0-9_-]*' "$work/demo.log" | awk '{print $2}')"
read_only_key="$("$binary" keys create --db "sqlite:$work/demo.sqlite" --name browser-read-only --scopes orders:read,events:read | tail -1)"
echo "demo kept at $console"

mkdir -p "$shots"
"$venv/bin/python" "$root/Tests/Browser/console_browser.py" "$console" "$console_key" "$admin_key" "$read_only_key" "$shots"

# Ctrl-C stops the kept demo cleanly.
kill -INT "$demo_pid"
status=0
wait "$demo_pid" || status=$?
demo_pid=""
[ "$status" -eq 0 ] || { tail -20 "$work/demo.log" >&2; echo "error: the demo exited $status on SIGINT" >&2; exit 1; }
