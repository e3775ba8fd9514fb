#!/usr/bin/env bash
# The multi-node demo on a throwaway PostgreSQL cluster: initdb (as user postgres when run as root) in a temporary
# folder, a free loopback port, then `crossdock demo --db postgres://… --nodes 3`, which runs three hub nodes, kills
# one with SIGKILL after the bulk intake and fails unless every order is final and the books and the reconciliation
# balance. The cluster is stopped and removed at the end, whatever happened.
#
#   bash scripts/multinode-demo.sh [CROSSDOCK_BINARY] [NODES]
#     defaults: .build/debug/crossdock (run `swift build` first), 3
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
binary="${1:-$root/.build/debug/crossdock}"
nodes="${2:-3}"
[ -x "$binary" ] || { echo "error: $binary not found; run 'swift build' first" >&2; exit 1; }
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
[ -n "$bin" ] && [ -x "$bin/initdb" ] || { echo "error: PostgreSQL server binaries are needed: apt-get install postgresql" >&2; exit 1; }

work="$(mktemp -d /tmp/crossdock-demo-pg.XXXXXX)"
as_owner() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" -eq 0 ] && chown postgres "$work"
cleanup() {
    as_owner "$bin/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
as_owner "$bin/initdb" -D "$work/data" -U postgres -A trust >/dev/null
# Three nodes, each with its pool, plus the demo's own store: more than the default 100 connections.
as_owner "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
    -o "-p $port -k $work -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on" start >/dev/null
as_owner "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres crossdock_demo

"$binary" demo --db "postgres://postgres@127.0.0.1:$port/crossdock_demo?sslmode=disable" --nodes "$nodes"
