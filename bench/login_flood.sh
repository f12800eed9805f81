#!/usr/bin/env bash
# Floods the login form (issue 12, fault 1) and prints the server's peak
# memory and the slowest answer. For each case a fresh `vanguard serve
# --trust-proxy` on an empty SQLite data folder (default argon2id: 64 MiB per
# hash) gets N parallel anonymous POST /login with distinct names:
#   one address        every request from 127.0.0.1: past the per-address
#                      limit they are refused 429 before any hashing
#   distinct addresses each from another X-Forwarded-For address, so only
#                      the bound on concurrent hashing holds memory down
# Target: peak RSS (VmHWM) under 400 MB and every answer under 5 s.
# Usage: bench/login_flood.sh [N]   (default 200)
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-200}
tmp=$(mktemp -d)
pid=
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; fi; }
trap 'stop; rm -rf "$tmp"' EXIT

go build -o "$tmp/vanguard" ./cmd/vanguard
go build -o "$tmp/loginflood" ./bench/loginflood
echo "machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ && !m { m = $2 } END { print m }' /proc/cpuinfo); $(go version | cut -d' ' -f3)"

for mode in one-address distinct-addresses; do
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  base="http://127.0.0.1:$port"
  rm -rf "$tmp/data"
  "$tmp/vanguard" serve --trust-proxy --addr "127.0.0.1:$port" --db "$tmp/data/vanguard.db" >"$tmp/out" 2>"$tmp/log" &
  pid=$!
  for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done
  echo "== $mode (server at start: $(awk '/^VmRSS/ { print $2, $3 }' /proc/$pid/status))"
  xff=false
  [ "$mode" = distinct-addresses ] && xff=true
  "$tmp/loginflood" -url "$base" -n "$n" -pid "$pid" -xff=$xff
  stop
done
