"""The forward planner's commands, one module each, over the steps they share (:mod:`.steps`).

``init`` (:mod:`.new_planner`), ``add`` (:mod:`.referrals`), ``decide`` (:mod:`.outcomes`),
``cancel``, ``extra`` and ``reinstate`` (:mod:`.sittings`), and the corrections ``amend`` and
``remove_extra`` (:mod:`.corrections`), and ``make_room`` (:mod:`.room`) for a follow-up
booked after its due date. Each changing command is one transaction
(:meth:`~panelsched.forward.store.Store.transaction`): it takes its input already read (the
command line or the web reads the files), records what it says, creates the follow-ups the
rules ask for, books every waiting hearing without moving a booking already made (unless
``replan``), writes the audit trail, and returns a :class:`~.report.Report` saying who must be
told of which date and time. Bad input raises :class:`~panelsched.errors.InputError` before
anything is committed.
"""

from panelsched.forward.commands.corrections import amend, remove_extra
from panelsched.forward.commands.new_planner import init
from panelsched.forward.commands.outcomes import decide
from panelsched.forward.commands.referrals import add, refuse_known
from panelsched.forward.commands.report import FollowUpLine, Notice, Report
from panelsched.forward.commands.room import make_room
from panelsched.forward.commands.sittings import (
    NonWorkingDay,
    cancel,
    extra,
    parse_sitting_id,
    reinstate,
)

__all__ = [
    "FollowUpLine",
    "NonWorkingDay",
    "Notice",
    "Report",
    "add",
    "amend",
    "cancel",
    "decide",
    "extra",
    "init",
    "make_room",
    "parse_sitting_id",
    "refuse_known",
    "reinstate",
    "remove_extra",
]
