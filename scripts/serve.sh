#!/usr/bin/env bash
# `make serve`: the forward planner in the browser, on the bundled Lambeth example.
# Builds a fresh diary under out/serve/ (as scripts/demo.sh does: init, then add the example
# referrals), adds a demo administrator with a new random password, prints it, and serves on
# http://127.0.0.1:8000/ as of Monday 18 January 2027 09:00, a fortnight in, so there are
# cases heard to record outcomes for and sittings ahead to cancel.
set -euo pipefail
BIN=${1:-.venv/bin}
OUT=${2:-out/serve}
PORT=${PORT:-8000}
NOW="2027-01-18 09:00"
rm -rf "$OUT"
mkdir -p "$OUT"
DB="$OUT/planner.db"
"$BIN/panelsched" planner init --model models/lambeth.yaml --db "$DB" --by demo \
  --now "2027-01-04 08:00"
"$BIN/panelsched" planner add --referrals examples/lambeth/referrals.csv \
  --availability examples/lambeth/availability.csv --db "$DB" --by demo \
  --now "2027-01-04 08:00" --time-limit 5 | sed -n "1,3p"
PASSWORD_FILE="$OUT/demo-password.txt"
(umask 077 && "$BIN/python" -c "import secrets; print(secrets.token_urlsafe(12))" >"$PASSWORD_FILE")
"$BIN/panelsched" users add demo --role administrator --db "$DB" \
  --password-file "$PASSWORD_FILE"
echo
echo "Sign in at http://127.0.0.1:$PORT/ as: demo"
echo "Password: $(cat "$PASSWORD_FILE")"
echo
exec "$BIN/panelsched" serve --db "$DB" --port "$PORT" --now "$NOW" --time-limit 5
