#!/usr/bin/env bash
# Sustained overload: every event is subscribed to by an endpoint that is down, so the delivery backlog only
# grows; wrk pushes orders for SECONDS. Prints the hub's RSS every 5 s, the backlog and how intake answered.
# Usage: scripts/overload-rss.sh [seconds=60] [max-backlog=20000] [binary=.build-release/release/crossdock]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
backlog=${2:-20000}
bin=${3:-.build-release/release/crossdock}
dir=$(mktemp -d)
trap 'kill $pid $sampler 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$dir"' EXIT
"$bin" serve --db "sqlite:$dir/hub.sqlite" --port 0 --log-level error --max-backlog "$backlog" > "$dir/serve.log" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$dir/serve.log" && break; sleep 0.1; done
url=$(grep -o "http://[0-9.:]*" "$dir/serve.log" | head -1)
key=$(grep -A1 'No API keys existed' "$dir/serve.log" | tail -1)
"$bin" bench --url "$url" --key "$key" --orders 200 --concurrency 16 | grep -E "seeded" || true
curl -s -X POST "$url/v1/subscriptions" -H "Authorization: Bearer $key" -H "Content-Type: application/json" \
  -d '{"url":"http://127.0.0.1:9/down","eventTypes":["*"]}' > /dev/null
(while kill -0 $pid 2>/dev/null; do
   echo "t=$(date +%s) rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$pid/status) backlog=$(curl -s "$url/metrics" | awk '/^crossdock_delivery_backlog/ {s+=$2} END {print s+0}')"
   sleep 5
 done) &
sampler=$!
CROSSDOCK_KEY="$key" wrk -t1 -c64 -d"${seconds}s" -s scripts/orders.lua "$url" | grep -E "Requests/sec|non-201|requests in"
sleep 1
