"""Demo helper: fill in outcomes.csv as a panel administrator would after the sittings.

Every fifth case is deferred (with its reason), the rest approved with a review in 26 weeks;
NEET cases are still NEET. Usage: fill_outcomes.py IN.csv OUT.csv
"""

import csv
import sys
from datetime import date, timedelta

from panelsched.exports.csv_text import csv_text

# newline="": a carriage return inside a quoted cell stays in its cell.
with open(sys.argv[1], encoding="utf-8", newline="") as source:
    rows = list(csv.DictReader(source))
for number, row in enumerate(rows):
    heard = date.fromisoformat(row["date"])
    if number % 5 == 4:
        row["outcome"], row["deferral_reason"] = "defer", "assessment not ready"
    else:
        row["outcome"] = "approve"
        row["review_date"] = (heard + timedelta(weeks=26)).isoformat()
    if row["panel"] == "lam-neet":
        row["still_neet"] = "yes"
columns = list(rows[0])
with open(sys.argv[2], "w", encoding="utf-8", newline="") as out:
    # The project's writer: Python's own leaves a lone carriage return unquoted.
    out.write(csv_text([columns, *([row[c] for c in columns] for row in rows)]))
