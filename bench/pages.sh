#!/usr/bin/env bash
# Load-tests pages with wrk against a demo server on SQLite.
# Usage: bench/pages.sh [seconds]   (needs wrk: apt-get install -y wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
port=18080
tmp=$(mktemp -d)
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT

go build -o "$tmp/vanguard" ./cmd/vanguard
"$tmp/vanguard" serve --demo --addr 127.0.0.1:$port --db "$tmp/data/vanguard.db" >"$tmp/out" 2>/dev/null &
pid=$!
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

# A signed-in committee admin's cookie, from the real login form.
cookie=$(curl -s -o /dev/null -D - -d 'username=admin&password=xianfeng-demo-2026' \
  "http://127.0.0.1:$port/login" | sed -n 's/^Set-Cookie: \(vg_session=[^;]*\).*/\1/p')

run() {
  echo "== $1"
  shift
  wrk -t2 -c64 -d"${secs}s" --latency "$@" | grep -E 'Requests/sec|Latency|50%|99%|Non-2xx'
}
run "GET /healthz" "http://127.0.0.1:$port/healthz"
run "GET /login (public page)" "http://127.0.0.1:$port/login"
run "GET / (signed-in home page)" -H "Cookie: $cookie" "http://127.0.0.1:$port/"
run "GET /admin/audit (the demo's ~20 rows)" -H "Cookie: $cookie" "http://127.0.0.1:$port/admin/audit"
