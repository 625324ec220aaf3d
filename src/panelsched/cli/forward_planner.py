"""``panelsched planner ...``: the forward planner's commands, week by week."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from panelsched.errors import InputError
from panelsched.io.model_file import read_model_file

if TYPE_CHECKING:
    from panelsched.forward import Actor, Report, Store
    from panelsched.forward.trail import AuditEntry

from panelsched.cli.common import (
    AwayOpt,
    FormatOpt,
    OutOpt,
    OutputFormat,
    PanelsOpt,
    check_folder,
    choose,
    chosen_panels,
    console,
    date_range,
    in_order,
    parse_required_day,
    print_wide,
    show_findings,
    writing,
)
from panelsched.cli.planner_group import (
    MoveLateOnlyOpt,
    MoveOpt,
    Planner,
    ReplanOpt,
    chosen_moves,
    planner_app,
    planner_command,
    print_report,
)


@planner_command("init", changes=True)
def planner_init(
    planner: Planner,
    model: Annotated[Path, typer.Option("--model", help="Panel model YAML to put in force.")],
) -> None:
    """Start a planner database with a model in force."""
    from panelsched.forward import init

    model_file = read_model_file(model)
    print_report(init(planner.db, model_file, planner.actor(model_file.authority)))


@planner_command("add", changes=True, books=True)
def planner_add(
    planner: Planner,
    referrals: Annotated[
        Path, typer.Option("--referrals", help="New referrals to book (CSV or XLSX).")
    ],
    availability: AwayOpt = None,
    replan: ReplanOpt = False,
    move_late_only: MoveLateOnlyOpt = False,
    move: MoveOpt = None,
) -> None:
    """Import new referrals and book them; bookings already made stay where they are
    (--move-late-only, --move N: cases booked late, and N others, may move earlier)."""
    from panelsched.forward import add, refuse_known
    from panelsched.forward.moves import KEEP
    from panelsched.io.inputs import load_new_referrals

    moves = chosen_moves(replan, move_late_only, move, KEEP)

    def make(store: Store, actor: Actor) -> Report:
        # Both files' problems at once, as the web upload reads them.
        loaded, periods = load_new_referrals(
            referrals, availability, store.model(), store.known_referrals()
        )
        refuse_known(store, loaded, str(referrals))
        return add(
            store,
            actor,
            loaded,
            periods,
            referrals_file=str(referrals),
            availability_file=str(availability) if availability else "",
            settings=planner.settings,
            moves=moves,
        )

    planner.change(make)


@planner_command("decide", changes=True, books=True)
def planner_decide(
    planner: Planner,
    records: Annotated[
        Path,
        typer.Option("--records", help="Outcomes: referral_id, panel, date, outcome, ..."),
    ],
) -> None:
    """Record what panels decided and book the follow-ups the rules ask for, at once."""
    from panelsched.forward import decide
    from panelsched.io.records import load_records

    planner.change(
        lambda store, actor: decide(
            store, actor, load_records(records, store.model()), settings=planner.settings
        )
    )


@planner_command("cancel", changes=True, books=True)
def planner_cancel(
    planner: Planner,
    sitting: Annotated[str, typer.Argument(help="The sitting, e.g. lam-crp@11/03/2027.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is cancelled.")],
    agreed_by: Annotated[
        str, typer.Option("--agreed-by", help="Who agreed: chair, vice-chair, head of service.")
    ] = "",
) -> None:
    """Cancel a sitting, book its cases elsewhere and list who moves."""
    from panelsched.forward import cancel

    planner.change(
        lambda store, actor: cancel(
            store, actor, sitting, reason, agreed_by=agreed_by, settings=planner.settings
        )
    )


@planner_command("extra", changes=True, books=True)
def planner_extra(
    planner: Planner,
    panel: Annotated[str, typer.Argument(help="The panel id, e.g. lam-crp.")],
    day: Annotated[str, typer.Argument(metavar="DATE", help="The date, 12/03/2027.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is added.")] = "",
    allow_non_working_day: Annotated[
        bool,
        typer.Option(
            "--allow-non-working-day", help="Accept a Saturday, a Sunday or a bank holiday."
        ),
    ] = False,
    replan: ReplanOpt = False,
    move_late_only: MoveLateOnlyOpt = False,
    move: MoveOpt = None,
) -> None:
    """Add an extra sitting, book waiting cases into it and offer it to the cases booked late
    (--move N: to N others too; --replan: any case may move)."""
    from panelsched.forward import extra
    from panelsched.forward.commands.sittings import NonWorkingDay
    from panelsched.forward.moves import LATE_ONLY

    when = parse_required_day(day, "DATE")
    moves = chosen_moves(replan, move_late_only, move, LATE_ONLY)

    def make(store: Store, actor: Actor) -> Report:
        try:
            return extra(
                store,
                actor,
                panel,
                when,
                reason=reason,
                moves=moves,
                allow_non_working_day=allow_non_working_day,
                settings=planner.settings,
            )
        except NonWorkingDay as refused:
            # The planner says what the day is; how to add it anyway is the command line's.
            raise InputError.one(
                "DATE", f"{refused.sentence}; give --allow-non-working-day to add it anyway"
            ) from None

    planner.change(make)


@planner_command("reinstate", changes=True, books=True)
def planner_reinstate(
    planner: Planner,
    panel: Annotated[str, typer.Argument(help="The panel id, e.g. lam-crp.")],
    day: Annotated[str, typer.Argument(metavar="DATE", help="The cancelled sitting's date.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is held after all.")],
    agreed_by: Annotated[
        str, typer.Option("--agreed-by", help="Who agreed: chair, vice-chair, head of service.")
    ] = "",
    replan: ReplanOpt = False,
    move_late_only: MoveLateOnlyOpt = False,
    move: MoveOpt = None,
) -> None:
    """Hold a cancelled sitting after all, book waiting cases into it and offer it to the
    cases booked late (--move N: to N others too; --replan: any case may move)."""
    from panelsched.forward import reinstate
    from panelsched.forward.moves import LATE_ONLY

    when = parse_required_day(day, "DATE")
    moves = chosen_moves(replan, move_late_only, move, LATE_ONLY)
    planner.change(
        lambda store, actor: reinstate(
            store,
            actor,
            panel,
            when,
            reason=reason,
            agreed_by=agreed_by,
            moves=moves,
            settings=planner.settings,
        )
    )


@planner_command("show")
def planner_show(
    planner: Planner,
    panel: PanelsOpt = None,
    weeks: Annotated[int, typer.Option("--weeks", min=1, help="How many weeks ahead.")] = 4,
) -> None:
    """The coming sittings: booked cases, free minutes, cut-offs and papers-out times."""
    from datetime import timedelta

    from panelsched.cli.forward_tables import coming_counts, coming_table, waiting_lines
    from panelsched.forward.views import awaiting_outcome, sitting_views

    diary, moment = planner.diary()
    chosen = chosen_panels(diary.authority.panel_ids, panel)
    start = moment.date()
    views = [
        v
        for v in sitting_views(diary, start, start + timedelta(weeks=weeks), chosen)
        if v.sitting.opens > moment
    ]
    print_wide(coming_table(diary, views, moment, weeks))
    waiting = diary.waiting()
    awaiting = awaiting_outcome(diary, moment)
    console.print(coming_counts(views, waiting, awaiting), highlight=False)
    for line in waiting_lines(diary, waiting):
        console.print(line, highlight=False, markup=False)


RiskFormat = Literal["table", "csv", "json"]


def _file_out(out: Path | None) -> None:
    """Refuse an ``--out`` that names a folder, before anything is read."""
    if out is not None and out.is_dir():
        raise InputError.one("--out", f"{out} is a folder; expected a file name")


def _give(format_: str, out: Path | None, data: bytes, table: Callable[[], None]) -> None:
    """Write ``data`` (CSV, or JSON with ``--format json``) to ``out`` whole when given; show
    ``table`` for ``--format table``, else print ``data`` when no file was asked for."""
    from panelsched.exports.atomic import replace_bytes

    if out is not None:
        with writing(out, into=False):
            replace_bytes(out, data)
    if format_ == "table":
        table()
    elif out is None:
        typer.echo(data.decode("utf-8"), nl=False)
    if out is not None:
        console.print(f"Wrote {out}", highlight=False, soft_wrap=True)


@planner_command("risks")
def planner_risks(
    planner: Planner,
    weeks: Annotated[
        int,
        typer.Option(
            "--weeks", min=1, max=104, help="How many weeks ahead the last sitting falls (1-104)."
        ),
    ] = 6,
    panel: PanelsOpt = None,
    format_: Annotated[
        RiskFormat,
        typer.Option("--format", parser=str, help="How to give the cases: table, csv or json."),
    ] = "table",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write the cases to this file (CSV for table or csv)."),
    ] = None,
) -> None:
    """Cases on a statutory clock whose last sitting in time is within --weeks (or has passed
    while they are open): booked in time, booked late, or not bookable in time and why."""
    from panelsched.cli.risk_tables import risks_csv, risks_json, risks_summary, risks_table
    from panelsched.forward.clock_risks import clock_risks

    choose(format_, "--format", RiskFormat)
    _file_out(out)
    diary, moment = planner.diary()
    chosen = chosen_panels(diary.authority.panel_ids, panel)
    risks = clock_risks(diary, moment, weeks, chosen)

    def table() -> None:
        if risks:
            print_wide(risks_table(risks, moment, weeks))
            console.print(risks_summary(risks), highlight=False, soft_wrap=True)
            return
        span = f"{weeks} week{'s' if weeks != 1 else ''}"
        console.print(
            f"No open case on a statutory clock has its last sitting within {span} of "
            f"{moment:%d/%m/%Y}.",
            highlight=False,
            soft_wrap=True,
        )

    _give(format_, out, risks_json(risks) if format_ == "json" else risks_csv(risks), table)


ClockFormat = Literal["table", "csv", "json"]


@planner_command("clocks")
def planner_clocks(
    planner: Planner,
    from_: Annotated[
        str | None,
        typer.Option("--from", help="First month of requests, 01/04/2027 (default: a year back)."),
    ] = None,
    to: Annotated[
        str | None, typer.Option("--to", help="Last month of requests (default: this month).")
    ] = None,
    format_: Annotated[
        ClockFormat,
        typer.Option("--format", parser=str, help="How to give the counts: table, csv or json."),
    ] = "table",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="Write the counts to this file (CSV for table or csv)."),
    ] = None,
) -> None:
    """Statutory clocks counted per month the clock started: cases started, decided in time,
    decided late (by how many days), paused and still open."""
    from panelsched.cli.clock_tables import clock_tables, clocks_csv, clocks_json
    from panelsched.forward.clock_counts import clock_counts, counted_span

    choose(format_, "--format", ClockFormat)
    _file_out(out)
    diary, moment = planner.diary()
    start, end = counted_span(*date_range(from_, to), moment.date())
    in_order(start, end)
    rows = clock_counts(diary, start, end, moment)
    if not rows:
        console.print("The model sets no statutory clocks: there is nothing to count.")
        return

    def tables() -> None:
        for each in clock_tables(rows):
            print_wide(each)
        console.print(
            f"Cases counted in the month their clock started, {start:%m/%Y} to {end:%m/%Y}; "
            f"outcomes as of {moment:%d/%m/%Y %H:%M}.",
            highlight=False,
            soft_wrap=True,
        )

    _give(format_, out, clocks_json(rows) if format_ == "json" else clocks_csv(rows), tables)


@planner_command("export")
def planner_export(
    planner: Planner,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the files into.")],
    from_: Annotated[
        str | None, typer.Option("--from", help="First date (default: this month's 1st).")
    ] = None,
    to: Annotated[
        str | None,
        typer.Option("--to", help="Last date (default: the last booking or 13 weeks ahead)."),
    ] = None,
) -> None:
    """Write planner.xlsx, planner.ics, planner.html (a self-contained page), outcomes.csv,
    and a calendar per panel and per person in calendars/panels/ and calendars/people/."""
    from panelsched.forward.diary_files import default_range, export

    diary, moment = planner.diary()
    start, end = date_range(from_, to)
    check_folder(out)
    span = default_range(diary, moment, start, end)
    with writing(out):
        paths = export(diary, span, out)
    names = [f"{p.name}/" if p.is_dir() else p.name for p in paths]
    console.print(
        f"Wrote {', '.join(names)} to {out}/ "
        f"(sittings {span.start:%d/%m/%Y} to {span.end:%d/%m/%Y}).",
        highlight=False,
        soft_wrap=True,
    )


@planner_command("amend", changes=True, books=True)
def planner_amend(
    planner: Planner,
    hearing: Annotated[
        str, typer.Argument(metavar="HEARING", help="The hearing as outputs name it: R-1, R-1#2.")
    ],
    outcome: Annotated[
        str, typer.Option("--outcome", help="The right outcome: approve, decline or defer.")
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why the recorded outcome was wrong.")],
    review_date: Annotated[
        str | None, typer.Option("--review-date", help="An approval's review date (S7).")
    ] = None,
    approval_end: Annotated[
        str | None, typer.Option("--approval-end", help="When an approval runs out (S7).")
    ] = None,
    deferral_reason: Annotated[
        str | None, typer.Option("--deferral-reason", help="Why the panel deferred (P16).")
    ] = None,
) -> None:
    """Correct a recorded outcome: follow-ups not yet heard are withdrawn, the new ones booked."""
    from panelsched.forward import amend

    cells: dict[str, date | str] = {}
    for name, option, value in (
        ("review_date", "--review-date", review_date),
        ("approval_end", "--approval-end", approval_end),
    ):
        if value is not None:
            cells[name] = parse_required_day(value, option)
    if deferral_reason is not None:
        cells["deferral_reason"] = deferral_reason.strip()
    planner.change(
        lambda store, actor: amend(
            store, actor, hearing, outcome, reason=reason, cells=cells, settings=planner.settings
        )
    )


@planner_command("remove-extra", changes=True, books=True)
def planner_remove_extra(
    planner: Planner,
    sitting: Annotated[str, typer.Argument(help="The extra sitting, e.g. lam-crp@12/03/2027.")],
    reason: Annotated[
        str, typer.Option("--reason", help="Why it is removed.")
    ] = "added by mistake",
) -> None:
    """Remove an extra sitting added by mistake (not shown as cancelled); its cases move."""
    from panelsched.forward import remove_extra

    planner.change(
        lambda store, actor: remove_extra(
            store, actor, sitting, reason=reason, settings=planner.settings
        )
    )


@planner_command("make-room", changes=True, books=True)
def planner_make_room(
    planner: Planner,
    keys: Annotated[
        list[str],
        typer.Argument(
            metavar="HEARING...", help="Follow-ups booked after their due date, e.g. R-7#2."
        ),
    ],
) -> None:
    """Book follow-ups that were booked after their due date (a deferral, an emergency's
    ratification) in time, by moving the fewest routine cases to other sittings still in time
    for them; nobody is made late, and everyone moved is listed to be told."""
    from panelsched.forward.commands import make_room

    planner.change(lambda store, actor: make_room(store, actor, keys, settings=planner.settings))


def _as_of(planner: Planner, entries: tuple[AuditEntry, ...]) -> tuple[AuditEntry, ...]:
    """With ``--now``, the changes made by then (replaying); else every one."""
    if planner.now is None:
        return entries
    from panelsched.forward.clock import parse_now

    moment = parse_now(planner.now)
    return tuple(e for e in entries if moment is None or e.at <= moment)


@planner_command("history")
def planner_history(
    planner: Planner,
    reference: Annotated[
        str,
        typer.Argument(metavar="REFERENCE", help="A case reference, R-1, or one hearing, R-1#2."),
    ],
) -> None:
    """Every change to a case, oldest first: who, when and what, from the audit trail."""
    from panelsched.cli.forward_tables import trail_table
    from panelsched.forward.trail import case_history

    entries = _as_of(planner, planner.read(lambda store: case_history(store, reference)))
    print_wide(trail_table(entries, f"History of {reference.strip()}"))


@planner_command("audit")
def planner_audit(
    planner: Planner,
    from_: Annotated[str | None, typer.Option("--from", help="First date of the changes.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Last date of the changes.")] = None,
    made_by: Annotated[
        str | None, typer.Option("--by", help="Only the changes of one person.")
    ] = None,
) -> None:
    """Every change to the planner, oldest first: who, when and what, from the audit trail."""
    from panelsched.cli.forward_tables import trail_table
    from panelsched.forward.trail import audit_entries

    start, end = date_range(from_, to)
    who = made_by.strip() if made_by is not None else None
    entries = _as_of(planner, planner.read(lambda store: audit_entries(store, start, end, who)))
    if not entries:
        console.print("No changes recorded for that choice.", highlight=False)
        return
    print_wide(trail_table(entries, f"Changes to the planner ({len(entries)})"))


@planner_command("validate")
def planner_validate(planner: Planner, out: OutOpt = None, format_: FormatOpt = "table") -> int:
    """Run the validator over the whole store; exit 1 when a rule was broken."""
    from panelsched.cli.findings import findings_table
    from panelsched.forward import validate_store

    choose(format_, "--format", OutputFormat)
    diary, moment = planner.diary()
    found = validate_store(diary, moment)
    title = f"{diary.authority.authority}: findings in the planner"
    table = findings_table(found, title, panels=False)
    return show_findings(found, out, format_, table, summary=False)


@planner_command("notify")
def planner_notify(
    planner: Planner,
    people: Annotated[
        Path, typer.Option("--people", help="Addresses: a CSV or XLSX of person,email[,role].")
    ],
    send: Annotated[
        bool, typer.Option("--send", help="Send by SMTP (settings from the environment).")
    ] = False,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write .eml files here instead, to send by hand.")
    ] = None,
    since: Annotated[
        str | None,
        typer.Option("--since", help="Changes before this moment were told by hand (kept)."),
    ] = None,
    templates: Annotated[
        Path | None, typer.Option("--templates", help="A folder of the council's own templates.")
    ] = None,
    smtp_config: Annotated[
        Path | None, typer.Option("--smtp-config", help="A TOML file with an [smtp] section.")
    ] = None,
    sender: Annotated[
        str | None, typer.Option("--from", help="The team mailbox the messages come from.")
    ] = None,
) -> int:
    """Tell people of every booking made, moved or cancelled, and of reminders due, once:
    e-mails with calendar invitations Outlook reads (exit 1 when one failed)."""
    from panelsched.exports.atomic import StoppedPartWay
    from panelsched.forward import Store
    from panelsched.io.cells import argument_moment
    from panelsched.notify import Templates, load_people, notify
    from panelsched.notify.delivery import choose_delivery
    from panelsched.notify.stopping import NotifyInterrupted

    delivery, address, where = choose_delivery(
        send=send, out=out, config=smtp_config, sender=sender
    )
    book = load_people(people)
    words = Templates(templates)
    moment = argument_moment(since, "--since") if since is not None else None
    with Store.open(planner.db) as store:
        now = planner.actor(store.model()).now
        try:
            result = notify(
                store, book, delivery, now, sender=address, templates=words, since=moment
            )
        except NotifyInterrupted as stopped:
            raise StoppedPartWay(stopped.words(where)) from None
    for line in result.lines(where):
        console.print(line, highlight=False, markup=False, soft_wrap=True)
    return 1 if result.failed else 0


# --------------------------------------------------------------------------- scenario
# `panelsched scenario ...`: capacity scenarios (src/panelsched/scenarios/), many replications.


# The group the commands above registered themselves in, for panelsched.cli.main.
__all__ = ["planner_app"]
