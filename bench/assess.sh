#!/usr/bin/env bash
# Assessment points (党建考核加分) at scale: the time of a recomputation of
# every unit's score for the year (POST /assessment/recompute, level 2), then
# the median and p95 over N requests of the ranking, of one unit's breakdown
# and of the records behind each line of it.
#
# The recomputation WRITES the year's scores, so this runs on a copy of a
# generated database, never on the one others measure:
#   createdb -h 127.0.0.1 -U postgres -T province province_assess
#   PASSWORD='…' DATA=/tmp/province-data bench/assess.sh 'postgres://postgres@127.0.0.1:5432/province_assess?sslmode=disable'
#   dropdb -h 127.0.0.1 -U postgres province_assess
# Environment: DATA (the data folder `vanguard generate` used), PASSWORD (the
# admin's), YEAR (2026), N requests per page (20), R recomputations (3),
# PORT (18092), VANGUARD_BIN a built binary (default: go build).
set -euo pipefail
cd "$(dirname "$0")/.."
db=${1:?give the DSN of a copy of the generated database}
case "$db" in */province\?*|*/province) echo "refusing to write scores into the shared province database" >&2; exit 2 ;; esac
data=${DATA:-data}
year=${YEAR:-2026}
n=${N:-20}
recomputes=${R:-3}
port=${PORT:-18092}
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

echo "database: $db; year $year; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq 1 "$recomputes"); do
  read -r code t < <(curl -s -o /dev/null -H "Cookie: $cookie" -w '%{http_code} %{time_total}\n' \
    --data "year=$year&level=2" "$base/assessment/recompute")
  printf 'POST /assessment/recompute (level 2)     HTTP %s  %.2f s\n' "$code" "$t"
done

# stat URL: N timed requests; prints the median and the p95 in ms.
stat() {
  local url=$1 code t
  : >"$tmp/times"
  for _ in $(seq 1 "$n"); do
    read -r code t < <(curl -s -o /dev/null -H "Cookie: $cookie" -w '%{http_code} %{time_total}\n' "$base$url")
    [ "$code" = 200 ] || { printf '%-48s HTTP %s\n' "$url" "$code"; return; }
    echo "$t" >>"$tmp/times"
  done
  sort -g "$tmp/times" | awk -v n="$n" -v u="$url" '{ v[NR] = $1 * 1000 } END {
    i = int(n * 0.95 + 0.999); if (i > NR) i = NR
    printf "%-48s median %6.0f ms  p95 %6.0f ms\n", u, v[int((NR + 1) / 2)], v[i] }'
}

unit=$(psql -X -q -A -t -d "$db" -c "SELECT id FROM orgs WHERE kind = 'unit' ORDER BY id LIMIT 1")
stat "/assessment?year=$year"
stat "/assessment/orgs/$unit?year=$year"
for rule in own_activity group_service person_times hours batch evaluation declined overdue complaint; do
  stat "/assessment/orgs/$unit/records?year=$year&rule=$rule"
done
echo "load average $(cut -d' ' -f1-3 /proc/loadavg)"
