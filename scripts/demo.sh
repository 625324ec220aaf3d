#!/usr/bin/env bash
# `make demo`: the main jobs on the bundled Lambeth example, each writing into out/demo/.
set -euo pipefail
BIN=${1:-.venv/bin}
OUT=${2:-out/demo}
rm -rf "$OUT"
mkdir -p "$OUT"

echo "== 1. The sitting calendar: Lambeth's six panels in 2027 =="
"$BIN/panelsched" calendar models/lambeth.yaml --from 2027-01-01 --to 2027-03-31 \
  --out "$OUT/calendar" | tail -n 25
echo

echo "== 2. The plan: 327 example referrals booked into sittings and slots =="
"$BIN/panelsched" plan models/lambeth.yaml \
  --referrals examples/lambeth/referrals.csv \
  --availability examples/lambeth/availability.csv \
  --out "$OUT/plan"
echo

echo "== 3. The plan re-checked by the validator (no solver involved) =="
"$BIN/panelsched" validate models/lambeth.yaml --bookings "$OUT/plan/bookings.csv" \
  --referrals examples/lambeth/referrals.csv --availability examples/lambeth/availability.csv \
  --out "$OUT/plan-check" | tail -n 8 || true
echo

if [ -f examples/lambeth/records.csv ]; then
  echo "== 4. Process compliance: the example records checked against the rules =="
  "$BIN/panelsched" validate models/lambeth.yaml --records examples/lambeth/records.csv \
    --out "$OUT/records-check" | tail -n 30 || true
  echo
fi

echo "Outputs:"
find "$OUT" -type f | sort | sed 's/^/  /'
