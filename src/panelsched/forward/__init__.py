"""The forward planner: a lasting diary of sittings, bookings, decisions and reviews.

An administrator does not plan once. Each week referrals arrive (:func:`add`), panels sit and
decide (:func:`decide`), sittings are cancelled, added or held after all (:func:`cancel`,
:func:`extra`, :func:`reinstate`), and the follow-ups the rules ask for are booked at once
(:mod:`.followups`); mistakes are put right with :func:`amend` and :func:`remove_extra`, and
:mod:`.trail` reads the history back.
The diary is a SQLite file (:class:`Store`); every command is one transaction with an audit
trail, and no booking already made moves beyond what the command allows (:mod:`.moves`)::

    store = Store.open("planner.db")
    referrals = load_referrals("referrals.csv", store.model())   # read at the edge
    report = add(store, Actor(now, "admin"), referrals, referrals_file="referrals.csv")
    for notice in report.notices: ...   # who must be told of which date and time
"""

from panelsched.forward.booking import Settings
from panelsched.forward.checking import validate_store
from panelsched.forward.clock import default_user, local_now
from panelsched.forward.commands import (
    Notice,
    Report,
    add,
    amend,
    cancel,
    decide,
    extra,
    init,
    parse_sitting_id,
    refuse_known,
    reinstate,
    remove_extra,
)
from panelsched.forward.diary import Diary, Hearing, StoredBooking
from panelsched.forward.diary_files import ExportRange, export
from panelsched.forward.store import DEFAULT_DB, Actor, Store

__all__ = [
    "DEFAULT_DB",
    "Actor",
    "Diary",
    "ExportRange",
    "Hearing",
    "Notice",
    "Report",
    "Settings",
    "Store",
    "StoredBooking",
    "add",
    "amend",
    "cancel",
    "decide",
    "default_user",
    "export",
    "extra",
    "init",
    "local_now",
    "parse_sitting_id",
    "refuse_known",
    "reinstate",
    "remove_extra",
    "validate_store",
]
