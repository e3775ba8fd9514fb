#!/usr/bin/env bash
# Durable intake measured with wrk as a separate load generator: starts `crossdock serve` on a fresh SQLite file,
# seeds the BENCH- catalog through the API (`crossdock bench --url`), then runs wrk with scripts/orders.lua.
# Usage: scripts/bench-wrk.sh [connections=64] [seconds=15] [binary=.build-release/release/crossdock]
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-64}
seconds=${2:-15}
bin=${3:-.build-release/release/crossdock}
dir=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
"$bin" serve --db "sqlite:$dir/hub.sqlite" --port 0 --log-level error > "$dir/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$dir/serve.log" && break; sleep 0.1; done
url=$(grep -o "http://[0-9.:]*" "$dir/serve.log" | head -1)
key=$(grep -A1 'No API keys existed' "$dir/serve.log" | tail -1)
"$bin" bench --url "$url" --key "$key" --orders 200 --concurrency 16 | grep -E "seeded|intake"
CROSSDOCK_KEY="$key" wrk -t1 -c"$connections" -d"${seconds}s" --latency -s scripts/orders.lua "$url"
