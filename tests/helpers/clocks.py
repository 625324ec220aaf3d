"""A one-panel SEN model with the 6-week EHC assessment-decision clock (issue 26), shared by the
clock tests: the panel sits on Wednesdays 13:00-14:00 (two 30-minute slots), cut-off Monday
13:00; the clock runs 6 weeks from the request, with 2 working days after the panel, and may be
paused for a school closure of 4 weeks or more (SEND Regulations 2014, reg. 5).
"""

from __future__ import annotations

SEN_MODEL = """\
authority: Testshire
holidays: ENG
panels:
  - id: sen
    name: SEN panel
    cadence: FREQ=WEEKLY;BYDAY=WE
    time: "13:00-14:00"
    slot_minutes: 30
    cutoff: "MO 13:00"
    clocks:
      - id: ehc-assessment-decision
        name: 6-week assessment decision
        applies_to: {request_type: [ehc-needs-assessment]}
        starts: requested
        length: 6 weeks
        after_panel: 2 working days
        pauses: [school-closure-4-weeks]
        source: SEND Regulations 2014, reg. 5
"""

__all__ = ["SEN_MODEL"]
