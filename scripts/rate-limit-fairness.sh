#!/usr/bin/env bash
# Does one partner hammering the API raise another partner's latency? On a fresh SQLite hub seeded with the BENCH-
# catalogue, partner "quiet" places orders over 1 connection (wrk, scripts/orders.lua) while partner "noisy" places
# orders over 64, three times:
#   alone              quiet with nothing else running;
#   noisy, limited     noisy hammering under a stored policy `partner:noisy` (LIMIT, default 50/1s);
#   noisy, unlimited   noisy hammering with no policy, for comparison.
# Prints quiet's throughput and latency in each, noisy's answers, and quiet's p99 ratios to "alone" from this one run.
# Usage: scripts/rate-limit-fairness.sh [seconds=15] [limit=50/1s] [binary=.build-release/release/crossdock] [database]
# database: a PostgreSQL URL (postgres://…, an empty database the script may fill) instead of a fresh SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
limit=${2:-50/1s}
bin=${3:-.build-release/release/crossdock}
command -v wrk >/dev/null || { echo "error: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
dir=$(mktemp -d)
pid=""
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; fi; }
trap 'stop; rm -rf "$dir"' EXIT

db=${4:-sqlite:$dir/hub.sqlite}
admin=$("$bin" keys create --db "$db" --name admin --scopes admin | tail -1)
quiet=$("$bin" keys create --db "$db" --name quiet --scopes orders:write --partner quiet | tail -1)
noisy=$("$bin" keys create --db "$db" --name noisy --scopes orders:write --partner noisy | tail -1)

start() {
    "$bin" serve --db "$db" --port 0 --log-level error --availability-window-ms 0 > "$dir/serve.log" 2>&1 &
    pid=$!
    for _ in $(seq 300); do grep -q "listening on" "$dir/serve.log" && break; sleep 0.1; done
    url=$(grep -o "http://[0-9.:]*" "$dir/serve.log" | head -1)
}

# wrk's latency line for a percentile, in ms.
percentile() {
    awk -v p="$2" '$1 == p { v = $2
        if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 }
        print v }' "$1"
}

measure() {  # name, whether noisy runs
    local name=$1 with_noisy=$2 noisy_pid=""
    if [ "$with_noisy" = yes ]; then
        CROSSDOCK_KEY="$noisy" CROSSDOCK_CHANNEL=noisy wrk -t1 -c64 -d"$((seconds + 2))s" -s scripts/orders.lua "$url" > "$dir/noisy.txt" 2>&1 &
        noisy_pid=$!
        sleep 1
    fi
    CROSSDOCK_KEY="$quiet" CROSSDOCK_CHANNEL=quiet wrk -t1 -c1 -d"${seconds}s" --latency -s scripts/orders.lua "$url" > "$dir/quiet.txt" 2>&1
    [ -z "$noisy_pid" ] || wait "$noisy_pid" || true
    local p50 p99 rps
    p50=$(percentile "$dir/quiet.txt" 50%)
    p99=$(percentile "$dir/quiet.txt" 99%)
    rps=$(awk '/^Requests\/sec/ { print $2 }' "$dir/quiet.txt")
    printf "%-17s quiet: %8s orders/s  p50 %6.2f ms  p99 %6.2f ms  (%s)" "$name" "$rps" "$p50" "$p99" "$(grep non-201 "$dir/quiet.txt")"
    if [ -n "$noisy_pid" ]; then
        printf "   noisy: %s requests/s, %s" "$(awk '/^Requests\/sec/ { print $2 }' "$dir/noisy.txt")" "$(grep non-201 "$dir/noisy.txt")"
    fi
    printf "\n"
    echo "$p99" > "$dir/p99-$name"
}

start
"$bin" bench --url "$url" --key "$admin" --orders 50 --concurrency 4 > /dev/null
"$bin" limits set --db "$db" partner:noisy "$limit" > /dev/null
sleep 1.2  # the hub reads policies again at most a second after it last did
measure alone no
measure "noisy, limited" yes
"$bin" limits remove --db "$db" partner:noisy > /dev/null
sleep 1.2
measure "noisy, unlimited" yes
stop

alone=$(cat "$dir/p99-alone")
for name in "noisy, limited" "noisy, unlimited"; do
    awk -v a="$alone" -v b="$(cat "$dir/p99-$name")" -v n="$name" 'BEGIN { printf "quiet p99, %s / alone: %.2fx\n", n, b / a }'
done
