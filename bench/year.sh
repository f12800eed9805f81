#!/usr/bin/env bash
# The committee's year at scale (issue 14): p95 over N requests of the
# statistics for the whole tree and for one unit's subtree, and of the annual
# report; the time and the server's peak memory of the year's order register
# as xlsx; and beside them a plain full-scan GROUP BY over the same rows, with
# the ratios.
#
# Usage: bench/year.sh [DSN-or-sqlite-path]
#   default DSN: postgres://postgres@127.0.0.1:5432/province?sslmode=disable
# Environment:
#   DATA      the data folder `vanguard generate` used (its audit.key): default ./data
#   PASSWORD  the admin's password given to generate --admin-password (required)
#   YEAR      the generated year (default 2026); N requests per page (default 20)
#   PORT      (default 18091); VANGUARD_BIN a built binary (default: go build)
# A page that does not exist yet answers 404 and is reported as "missing".
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:-postgres://postgres@127.0.0.1:5432/province?sslmode=disable}
data=${DATA:-data}
year=${YEAR:-2026}
n=${N:-20}
port=${PORT:-18091}
base="http://127.0.0.1:$port"
: "${PASSWORD:?set PASSWORD to the admin password given to vanguard generate}"
tmp=$(mktemp -d)
pid=
stop() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=; fi; }
trap 'stop; rm -rf "$tmp"' EXIT

bin=${VANGUARD_BIN:-}
if [ -z "$bin" ]; then
  bin="$tmp/vanguard"
  go build -o "$bin" ./cmd/vanguard
fi

# sql runs one statement on the database and prints the bare result.
sql() {
  case "$db" in
    postgres://*|postgresql://*) psql -X -q -A -t -d "$db" -c "$1" ;;
    *) sqlite3 -readonly "$db" "$1" ;;
  esac
}

start() {
  "$bin" serve --db "$db" --data "$data" --addr "127.0.0.1:$port" --job-workers -1 >"$tmp/serve.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    curl -sf "$base/healthz" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { cat "$tmp/serve.log" >&2; echo "the server did not start" >&2; exit 1; }
    sleep 0.1
  done
  cookie=$(curl -s -o /dev/null -D - --data-urlencode "username=admin" --data-urlencode "password=$PASSWORD" \
    "$base/login" | sed -n 's/^[Ss]et-[Cc]ookie: \(vg_session=[^;]*\).*/\1/p')
  [ -n "$cookie" ] || { echo "could not sign in as admin (PASSWORD?)" >&2; exit 1; }
}

hwm() { awk '/VmHWM/ {print $2}' "/proc/$pid/status"; } # kB

# p95 URL: N timed requests; prints the median and the p95 in ms, or "missing".
p95() {
  local url=$1 code t
  : >"$tmp/times"
  for i in $(seq 1 "$n"); do
    read -r code t < <(curl -s -o /dev/null -H "Cookie: $cookie" -w '%{http_code} %{time_total}\n' "$base$url")
    if [ "$code" = 404 ]; then echo missing; return; fi
    [ "$code" = 200 ] || { echo "HTTP $code"; return; }
    echo "$t" >>"$tmp/times"
  done
  sort -g "$tmp/times" | awk -v n="$n" '{ v[NR] = $1 * 1000 } END {
    i = int(n * 0.95 + 0.999); if (i > NR) i = NR
    printf "%.0f %.0f\n", v[int((NR + 1) / 2)], v[i] }'
}

# groupby: the best of three runs of a full-scan GROUP BY over the year's hours, in ms.
groupby() {
  local q="SELECT a.org_id, count(*), sum(h.minutes) FROM activity_hours h JOIN activities a ON a.id = h.activity_id GROUP BY 1"
  local best=
  for _ in 1 2 3; do
    local t
    case "$db" in
      postgres://*|postgresql://*)
        t=$(psql -X -q -d "$db" -c '\timing on' -c "$q" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1) ;;
      *)
        t=$( { /usr/bin/time -f '%e' sqlite3 -readonly "$db" "$q" >/dev/null; } 2>&1 | tail -1 | awk '{ print $1 * 1000 }') ;;
    esac
    if [ -z "$best" ] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
  done
  printf '%.0f\n' "$best"
}

ratio() { case "$1" in missing|HTTP*) echo "-" ;; *) awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f×", a / (b > 0 ? b : 1) }' ;; esac; }

unit=$(sql "SELECT id FROM orgs WHERE kind = 'unit' ORDER BY id LIMIT 1")
rows=$(sql "SELECT count(*) FROM activity_hours")
echo "database: $db ($rows person-times); year $year; $n requests per page; unit $unit"
gb=$(groupby)
echo "plain full-scan GROUP BY of activity_hours ⋈ activities by org: ${gb} ms (best of 3)"

start
declare -A result
for page in "/stats?year=$year" "/stats?year=$year&org=$unit" "/reports/annual?year=$year" \
  "/healthz" "/activities"; do
  r=$(p95 "$page")
  result[$page]=$r
  case "$r" in
    missing|HTTP*) printf '%-40s %s\n' "$page" "$r" ;;
    *) read -r med p <<<"$r"
       printf '%-40s median %6s ms  p95 %6s ms  p95/GROUP BY %s\n' "$page" "$med" "$p" "$(ratio "$p" "$gb")" ;;
  esac
done
stop

# The order register on a fresh server, so that VmHWM is the export's peak.
start
before=$(hwm)
url="/ledgers/orders.xlsx?from=$year-01-01&to=$year-12-31"
read -r code t size < <(curl -s -o "$tmp/orders.xlsx" -H "Cookie: $cookie" -w '%{http_code} %{time_total} %{size_download}\n' "$base$url")
after=$(hwm)
case "$code" in
  404) printf '%-40s missing\n' "$url" ;;
  200) awk -v t="$t" -v s="$size" -v b="$before" -v a="$after" -v u="$url" -v g="$gb" 'BEGIN {
         printf "%-40s %.1f s, %.1f MB; server VmHWM %.0f MB (%.0f MB before); time/GROUP BY %.1f×\n",
           u, t, s / 1e6, a / 1024, b / 1024, t * 1000 / (g > 0 ? g : 1) }' ;;
  *) printf '%-40s HTTP %s\n' "$url" "$code" ;;
esac
