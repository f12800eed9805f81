#!/usr/bin/env bash
# Load-tests the public pages with wrk against a demo server on SQLite, each
# as a ratio to /healthz on the same server in the same run:
#   /menu                    the public menu: the demo's ~106 active items,
#                            as the public gets it (kept for 5 s per filter)
#   /menu (signed in)        the same page for a signed-in user, built for
#                            every request: the cost of a cache miss
#   /track?code=…            the status page of a real order, placed below
#                            with curl POST /order; each request from another
#                            client address (X-Forwarded-For, --trust-proxy),
#                            so the per-address lookup limit is not what is
#                            measured
#   /track?code=… (1 client) the same page from one address: after 30
#                            lookups in 10 minutes every answer is the 429
#                            page, which is what a code-guesser gets
# Usage: bench/public.sh [seconds]   (needs wrk: apt-get install -y wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; [ -n "$pid" ] && wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT

# A free port: bind port 0 and read what the kernel chose.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"

go build -o "$tmp/vanguard" ./cmd/vanguard
"$tmp/vanguard" serve --demo --trust-proxy --addr "127.0.0.1:$port" --db "$tmp/data/vanguard.db" \
  >"$tmp/out" 2>/dev/null &
pid=$!
for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.1; done

# The menu's size, and a real order of two of its items at one of the sites.
curl -s "$base/menu" >"$tmp/menu.html"
items=$(grep -o 'name="item" value="[0-9]*"' "$tmp/menu.html" | wc -l)
# (No head in these pipes: with pipefail, a writer cut short by head fails.)
mapfile -t two < <(grep -o 'name="item" value="[0-9]*"' "$tmp/menu.html" | grep -o '[0-9][0-9]*' | awk 'NR <= 2')
curl -s "$base/order" >"$tmp/order.html"
site=$(sed -n '/id="site_id"/,/<\/select>/p' "$tmp/order.html" | grep -o '<option value="[0-9][0-9]*"' |
  grep -o '[0-9][0-9]*' | awk 'NR == 1')
from=$(TZ=Asia/Shanghai date -d '+7 days' +%F)
to=$(TZ=Asia/Shanghai date -d '+9 days' +%F)
loc=$(curl -s -o /dev/null -w '%{redirect_url}' -H 'X-Forwarded-For: 192.0.2.1' \
  --data-urlencode "item=${two[0]}" --data-urlencode "item=${two[1]}" --data-urlencode "site_id=$site" \
  --data-urlencode "date_from=$from" --data-urlencode "date_to=$to" --data-urlencode "beneficiaries=60" \
  --data-urlencode "requester_name=巴特尔" --data-urlencode "requester_phone=13912345678" "$base/order")
code=$(sed -n 's/.*[?&]code=\([a-z2-7]*\).*/\1/p' <<<"$loc")
[ -n "$code" ] || { echo "placing an order failed: Location '$loc'" >&2; exit 1; }
curl -s -H 'X-Forwarded-For: 192.0.2.1' "$base/track?code=$code" >"$tmp/track.html"
grep -q 'id="track-state-name"' "$tmp/track.html" || { echo "the status page did not answer" >&2; exit 1; }

# A signed-in volunteer's cookie, from the real login form.
cookie=$(curl -s -o /dev/null -D - -d 'username=volunteer&password=xianfeng-demo-2026' \
  "$base/login" | sed -n 's/^Set-Cookie: \(vg_session=[^;]*\).*/\1/p')
[ -n "$cookie" ] || { echo "signing in failed" >&2; exit 1; }

# Every request of the distinct-clients run comes from another 10.x.y.z.
cat >"$tmp/clients.lua" <<'EOF'
math.randomseed(os.time())
request = function()
  wrk.headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  return wrk.format()
end
EOF

echo "machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ && !m { m = $2 } END { print m }' /proc/cpuinfo); $(go version | cut -d' ' -f3)"
echo "menu: $items active items; /menu is $(wc -c <"$tmp/menu.html") bytes, the status page $(wc -c <"$tmp/track.html") bytes"
declare -A rps
run() {
  local name=$1
  shift
  echo "== $name"
  wrk -t2 -c64 -d"${secs}s" --latency "$@" >"$tmp/wrk" 2>&1
  grep -E 'Requests/sec|^ +Latency +[0-9]|^ +50%|^ +99%|Non-2xx' "$tmp/wrk"
  rps[$name]=$(sed -n 's/^Requests\/sec:\s*\([0-9.]*\).*/\1/p' "$tmp/wrk")
}
run healthz "$base/healthz"
run menu "$base/menu"
run menu-signed-in -H "Cookie: $cookie" "$base/menu"
run track -s "$tmp/clients.lua" "$base/track?code=$code"
run track-429 "$base/track?code=$code"

echo "== ratios to /healthz"
for name in menu menu-signed-in track track-429; do
  awk -v n="$name" -v a="${rps[$name]}" -v h="${rps[healthz]}" \
    'BEGIN { printf "%-15s %9.0f req/s  %5.1f %% of /healthz (%.0f req/s)\n", n, a, 100 * a / h, h }'
done
