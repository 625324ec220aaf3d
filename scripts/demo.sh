#!/usr/bin/env bash
# `make demo`: the main jobs on the bundled Lambeth example, each writing into out/demo/.
set -euo pipefail
BIN=${1:-.venv/bin}
OUT=${2:-out/demo}
rm -rf "$OUT"
mkdir -p "$OUT"

# The first N lines of what a command printed, and how many more there were.
first() {
  awk -v n="$1" 'NR <= n { print } END { if (NR > n) printf "  ... and %d more lines\n", NR - n }'
}
# The first N and the last M lines, with how many were left out between them.
ends() {
  awk -v n="$1" -v m="$2" '{ line[NR] = $0 } END {
    for (i = 1; i <= NR; i++) {
      if (i <= n || i > NR - m) print line[i]
      else if (i == n + 1) printf "  ... %d more lines ...\n", NR - n - m
    }
  }'
}

echo "== 1. The sitting calendar: Lambeth's six panels in 2027 =="
"$BIN/panelsched" calendar models/lambeth.yaml --from 2027-01-01 --to 2027-03-31 \
  --out "$OUT/calendar" | ends 14 6
echo

echo "== 2. The plan: 327 example referrals booked into sittings and slots =="
"$BIN/panelsched" plan models/lambeth.yaml \
  --referrals examples/lambeth/referrals.csv \
  --availability examples/lambeth/availability.csv \
  --out "$OUT/plan"
echo

echo "== Plots: the year's sittings by how full, and a week's agendas =="
"$BIN/panelsched" plot calendar models/lambeth.yaml --from 2027-01-01 --to 2027-12-31 \
  --bookings "$OUT/plan/bookings.csv" --out "$OUT/plots/calendar.png"
"$BIN/panelsched" plot agenda models/lambeth.yaml --bookings "$OUT/plan/bookings.csv" \
  --date 2027-03-10 --week --out "$OUT/plots/agenda.png"
echo

echo "== 3. The plan re-checked by the validator (no solver involved) =="
"$BIN/panelsched" validate models/lambeth.yaml --bookings "$OUT/plan/bookings.csv" \
  --referrals examples/lambeth/referrals.csv --availability examples/lambeth/availability.csv \
  --out "$OUT/plan-check" | tail -n 8 || true
echo "(Its errors are the cases the plan books late, each explained in unplaced.csv: the"
echo " validator confirms the lateness independently and finds nothing else.)"
echo

if [ -f examples/lambeth/records.csv ]; then
  echo "== 4. Process compliance: the example records checked against the rules =="
  "$BIN/panelsched" validate models/lambeth.yaml --records examples/lambeth/records.csv \
    --out "$OUT/records-check" | tail -n 30 || true
  echo
fi

echo "== 5. The forward planner: a diary kept week by week =="
DB="$OUT/planner/planner.db"
mkdir -p "$OUT/planner"
rm -f "$DB"
"$BIN/panelsched" planner init --model models/lambeth.yaml --db "$DB" --by demo \
  --now "2027-01-04 08:00"
"$BIN/panelsched" planner add --referrals examples/lambeth/referrals.csv \
  --availability examples/lambeth/availability.csv --db "$DB" --by demo \
  --now "2027-01-04 08:00" --time-limit 5 | sed -n "1,3p"
# A fortnight on: the panels have sat. outcomes.csv lists the cases heard, to fill in.
"$BIN/panelsched" planner export --out "$OUT/planner/week3" --db "$DB" --now "2027-01-18 08:00"
"$BIN/python" scripts/fill_outcomes.py "$OUT/planner/week3/outcomes.csv" \
  "$OUT/planner/outcomes-filled.csv"
"$BIN/panelsched" planner decide --records "$OUT/planner/outcomes-filled.csv" --db "$DB" \
  --by demo --now "2027-01-18 08:00" --time-limit 5 | sed -n "1,20p"
# Cancelling a sitting moves its cases: the administrator tells each person listed.
"$BIN/panelsched" planner cancel lam-crp@2027-01-28 --reason "chair unwell" \
  --agreed-by vice-chair --db "$DB" --by demo --now "2027-01-18 09:00" | first 22
"$BIN/panelsched" planner show --panel lam-crp --weeks 2 --db "$DB" --now "2027-01-18 09:00"
"$BIN/panelsched" planner export --out "$OUT/planner" --db "$DB" --now "2027-01-18 09:00"
"$BIN/panelsched" planner validate --db "$DB" --now "2027-01-18 09:00" \
  --out "$OUT/planner/check" | tail -n 3 || true
echo

echo "Outputs:"
find "$OUT" -type f -not -path "*/calendars/*" | sort | sed 's/^/  /'
# A calendar per panel and per person: counted, not listed.
find "$OUT" -type d -path "*/calendars/*" | sort | while read -r folder; do
  echo "  $folder/ ($(find "$folder" -name '*.ics' | wc -l) calendars)"
done
