#!/usr/bin/env bash
# Compares match.Plan with the MILP solver CBC on generated dispatch instances.
#
#   bench/match_cbc.sh [seconds]   200x30 seeds 1-5 and 2000x200 seed 1 against CBC, which
#                                  stops after [seconds] of CPU (default 300); 10000x1000
#                                  seed 1 by match.Plan alone
#   bench/match_cbc.sh golden      re-prove the optima in match/testdata/golden.json
#                                  (tiny instances and 200x30 seeds 1-5; takes minutes)
#
# Installs coinor-cbc from Debian when missing. For each instance, bench/matchmilp writes the
# exact MILP in CPLEX LP format, runs cbc, prices cbc's plan with match.Evaluate, runs
# match.Plan, and prints both: cost, bound and time, and our cost against the best bound.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v cbc >/dev/null 2>&1; then
  apt-get install -y coinor-cbc || { apt-get update && apt-get install -y coinor-cbc; }
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/matchmilp" ./bench/matchmilp

if [ "${1:-}" = golden ]; then
  golden=match/testdata/golden.json
  for seed in 1 2 3 4 5; do "$tmp/matchmilp" -seed "$seed" -orders 30 -teams 6 -cbc 600 -golden "$golden"; done
  for seed in 1 2 3; do "$tmp/matchmilp" -seed "$seed" -orders 60 -teams 10 -cbc 600 -golden "$golden"; done
  for seed in 1 2 3 4 5; do "$tmp/matchmilp" -seed "$seed" -orders 200 -teams 30 -cbc 3600 -golden "$golden"; done
  exit 0
fi

limit=${1:-300}
for seed in 1 2 3 4 5; do "$tmp/matchmilp" -seed "$seed" -orders 200 -teams 30 -cbc "$limit"; done
# cbc's default dual simplex does not finish the root LP of 2000x200 in ten minutes here;
# once as it comes, once with the root solved by barrier (about a minute). A run that
# ignores its limit is stopped at twice the limit plus a minute.
"$tmp/matchmilp" -seed 1 -orders 2000 -teams 200 -stats
"$tmp/matchmilp" -seed 1 -orders 2000 -teams 200 -cbc "$limit"
"$tmp/matchmilp" -seed 1 -orders 2000 -teams 200 -cbc "$limit" -barrier
# 10000x1000 is not given to cbc: its exact model has 6.9 M + 5.5 M binaries.
"$tmp/matchmilp" -seed 1 -orders 10000 -teams 1000 -stats
"$tmp/matchmilp" -seed 1 -orders 10000 -teams 1000 -plan
