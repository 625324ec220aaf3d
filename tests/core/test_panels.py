"""Panel models: what loads, and one clear message naming file, panel and key for what does not."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from panelsched.cli import app
from panelsched.core.panels import Authority
from panelsched.core.sittings import generate_sittings
from panelsched.errors import InputError
from panelsched.io.model_file import load_model

MODELS = Path(__file__).resolve().parents[2] / "models"

PANEL = {
    "id": "crp",
    "name": "Resource Panel",
    "cadence": '"FREQ=WEEKLY;BYDAY=TH"',
    "time": '"13:00-16:00"',
    "slot_minutes": "15",
}
HEAD = {"authority": "Testshire", "holidays": "ENG", "timezone": "Europe/London"}


def model_text(head: dict[str, str | None] | None = None, **keys: str | None) -> str:
    """A one-panel model as YAML text; a key given as None is left out."""
    top = {k: v for k, v in (HEAD | (head or {})).items() if v is not None}
    panel = {k: v for k, v in (PANEL | keys).items() if v is not None}
    lines = [f"{k}: {v}" for k, v in top.items()]
    lines.append("panels:")
    for n, (k, v) in enumerate(panel.items()):
        lines.append(f"{'  - ' if n == 0 else '    '}{k}: {v}")
    return "\n".join(lines) + "\n"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "model.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# --- what loads -------------------------------------------------------------------------------


def test_a_wait_ceiling_is_read_in_days(tmp_path: Path) -> None:
    # S14: max_wait_days, none unless given.
    assert load_model(write(tmp_path, model_text())).panels[0].max_wait_days is None
    (panel,) = load_model(write(tmp_path, model_text(max_wait_days="56"))).panels
    assert panel.max_wait_days == 56


def test_a_minimal_model_loads_with_defaults(tmp_path: Path) -> None:
    model = load_model(write(tmp_path, model_text()))
    (panel,) = model.panels
    assert model.authority == "Testshire"
    assert model.source_file == str(tmp_path / "model.yaml")
    assert panel.time == (time(13, 0), time(16, 0))
    assert panel.on_holiday == "skip"
    assert panel.anchor is None
    assert panel.cutoff is None and panel.papers is None
    assert panel.cancelled == () and panel.extra == () and panel.breaks == ()
    # complex_slot_minutes defaults to slot_minutes.
    assert panel.slot_for(complex_case=True) == 15


def test_every_key_of_the_issue_example_loads(tmp_path: Path) -> None:
    text = model_text(
        anchor="2027-01-07",
        slot_minutes="15",
        complex_slot_minutes="20",
        cutoff='"MO 13:00"',
        papers='"2 working days 12:00"',
        on_holiday="next_working_day",
        cancelled="[2027-12-30]",
        extra="[2027-12-22]",
        breaks='["15:00-15:10"]',
        assumed='"the source is silent on the slot"',
    )
    panel = load_model(write(tmp_path, text)).panels[0]
    assert panel.anchor == date(2027, 1, 7)
    assert panel.cancelled == (date(2027, 12, 30),)
    assert panel.extra == (date(2027, 12, 22),)
    assert panel.cutoff is not None and str(panel.cutoff) == "MO 13:00"
    assert panel.papers is not None and panel.papers.kind == "working_days"
    assert (panel.slot_for(False), panel.slot_for(True), panel.longest_slot) == (15, 20, 20)
    # 13:00-16:00 is 180 minutes, less a 10-minute break.
    assert panel.capacity_minutes == 170


def test_unquoted_times_stay_text(tmp_path: Path) -> None:
    # YAML 1.1 reads 13:00 as the base-60 number 780; the loader keeps such values as text,
    # so unquoted times work as written.
    text = model_text(time="13:00-16:00", cutoff="MO 13:00", breaks="[15:00-15:10]")
    panel = load_model(write(tmp_path, text)).panels[0]
    assert panel.time == (time(13, 0), time(16, 0))
    assert panel.breaks == ((time(15, 0), time(15, 10)),)
    assert panel.cutoff is not None and panel.cutoff.at == time(13, 0)


@pytest.mark.parametrize(
    "cadence",
    [
        '"freq=weekly;byday=th"',
        '"RRULE:FREQ=WEEKLY;BYDAY=TH"',
        '"FREQ=WEEKLY; BYDAY=TH"',
        '"FREQ=WEEKLY;BYDAY=TH;"',
    ],
)
def test_cadence_spellings(tmp_path: Path, cadence: str) -> None:
    model = load_model(write(tmp_path, model_text(cadence=cadence)))
    # Thursdays from Friday 1 Jan 2027 to Thursday 14 Jan: the 7th and the 14th.
    got = generate_sittings(model, date(2027, 1, 1), date(2027, 1, 14))
    assert [s.date for s in got] == [date(2027, 1, 7), date(2027, 1, 14)]
    # Kept in one spelling, so exports and messages show the rule the same way.
    assert model.panels[0].cadence == "FREQ=WEEKLY;BYDAY=TH"


def test_time_accepts_an_en_dash(tmp_path: Path) -> None:
    panel = load_model(write(tmp_path, model_text(time='"09:30–13:00"'))).panels[0]
    assert panel.time == (time(9, 30), time(13, 0))


@pytest.mark.parametrize("path", sorted(MODELS.glob("*.yaml")), ids=lambda p: p.name)
def test_every_shipped_model_loads(path: Path) -> None:
    model = load_model(path)
    assert model.panels
    assert len(set(model.panel_ids)) == len(model.panels)


def test_authority_lookups(tmp_path: Path) -> None:
    model = load_model(write(tmp_path, model_text()))
    assert model.panel_ids == ("crp",)
    assert model.panel("crp").name == "Resource Panel"
    assert str(model.zone) == "Europe/London"
    with pytest.raises(KeyError):
        model.panel("nope")


def test_models_are_frozen(tmp_path: Path) -> None:
    model = load_model(write(tmp_path, model_text()))
    with pytest.raises(ValueError, match="frozen"):
        model.panels[0].slot_minutes = 20  # type: ignore[misc]
    assert isinstance(model, Authority)


# --- what does not load -----------------------------------------------------------------------

TWO_PANELS_ONE_ID = model_text() + "\n".join(
    [
        "  - id: crp",
        "    name: Another Panel",
        '    cadence: "FREQ=WEEKLY;BYDAY=WE"',
        '    time: "10:00-12:00"',
        "    slot_minutes: 30",
        "",
    ]
)
SECOND_PANEL_WITHOUT_ID = model_text() + "\n".join(
    [
        "  - name: Another Panel",
        '    cadence: "FREQ=WEEKLY;BYDAY=WE"',
        '    time: "10:00-12:00"',
        "    slot_minutes: 30",
        "",
    ]
)

BAD_MODELS = [
    pytest.param(
        model_text(cadence='"FREQ=WEEKLY;BYDAY=TH;BYFOO=1"'),
        "crp",
        "cadence",
        "unknown RRULE part 'BYFOO'; expected some of BYDAY, BYMONTH",
        id="unknown RRULE part",
    ),
    pytest.param(
        model_text(cadence='"BYDAY=TH"'),
        "crp",
        "cadence",
        "the RRULE needs FREQ= one of DAILY, MONTHLY, WEEKLY, YEARLY",
        id="missing FREQ",
    ),
    pytest.param(
        model_text(cadence='"FREQ=FORTNIGHTLY;BYDAY=TH"'),
        "crp",
        "cadence",
        "the RRULE needs FREQ= one of DAILY, MONTHLY, WEEKLY, YEARLY",
        id="unknown FREQ",
    ),
    pytest.param(
        model_text(cadence='"FREQ=WEEKLY;BYDAY=THURSDAY"'),
        "crp",
        "cadence",
        "'FREQ=WEEKLY;BYDAY=THURSDAY' is not a valid RRULE",
        id="bad BYDAY value",
    ),
    pytest.param(
        model_text(cadence='"FREQ=WEEKLY;BYDAY"'),
        "crp",
        "cadence",
        "'BYDAY' is not a NAME=VALUE part of an RRULE",
        id="RRULE part without a value",
    ),
    pytest.param(
        model_text(cadence='"FREQ=WEEKLY;BYDAY=TH;BYDAY=FR"'),
        "crp",
        "cadence",
        "the RRULE part 'BYDAY' is given twice",
        id="RRULE part given twice",
    ),
    pytest.param(
        model_text(cadence='"FREQ=WEEKLY;INTERVAL=0;BYDAY=TH"', anchor="2027-01-07"),
        "crp",
        "cadence",
        "INTERVAL=0 is not a whole number of 1 or more",
        id="INTERVAL=0",
    ),
    pytest.param(
        model_text(cadence='"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"'),
        "crp",
        "cadence",
        "'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30' never falls on any date",
        id="a rule that never sits",
    ),
    pytest.param(
        model_text(cadence='"FREQ=WEEKLY;BYDAY=2TU"'),
        "crp",
        "cadence",
        "an ordinal weekday like 2TU needs FREQ=MONTHLY or YEARLY, not FREQ=WEEKLY",
        id="ordinal weekday in a weekly rule",
    ),
    pytest.param(
        model_text(cutoff='"next tuesday"'),
        "crp",
        "cutoff",
        "'next tuesday' is not an offset; expected a weekday and time like 'MO 13:00', a count "
        "of working days like '3 working days 17:00', or a count of calendar days like "
        "'2 days 12:00'",
        id="next tuesday as a cut-off",
    ),
    pytest.param(
        model_text(papers='"MO 25:00"'),
        "crp",
        "papers",
        "'25:00' is not a time of day",
        id="papers at 25:00",
    ),
    pytest.param(
        model_text(cutoff='"0 days 13:00"'),
        "crp",
        "cutoff",
        "'0 days 13:00' falls at or after the sitting starts at 13:00; expected a moment before "
        "the sitting",
        id="same-day cut-off at the start",
    ),
    pytest.param(
        model_text(time='"16:00-13:00"'),
        "crp",
        "time",
        "'16:00-13:00' ends before it starts; expected a range like '13:00-16:00'",
        id="window ends before it starts",
    ),
    pytest.param(
        model_text(time='"13:00"'),
        "crp",
        "time",
        "'13:00' is not a time range; expected one like '13:00-16:00'",
        id="window without an end",
    ),
    pytest.param(
        # Unquoted: plain YAML 1.1 would make this the number 780 and the message would say so.
        model_text(time="13:00"),
        "crp",
        "time",
        "'13:00' is not a time range; expected one like '13:00-16:00'",
        id="unquoted time 13:00",
    ),
    pytest.param(
        model_text(time="1pm-4pm"),
        "crp",
        "time",
        "'1pm' is not a time like 13:00",
        id="window in am/pm",
    ),
    pytest.param(
        TWO_PANELS_ONE_ID,
        "crp",
        "id",
        "two panels have this id; ids must be unique",
        id="two panels with one id",
    ),
    pytest.param(
        model_text(id='"Lam CRP"'),
        "Lam CRP",
        "id",
        "expected lower-case letters, digits and hyphens, like lam-crp",
        id="id with spaces and capitals",
    ),
    pytest.param(
        model_text(cadence='"FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"'),
        "crp",
        "anchor",
        "a cadence with INTERVAL>1 needs an anchor date that fixes which weeks or months it "
        "sits in",
        id="INTERVAL=2 without anchor",
    ),
    pytest.param(
        model_text(cadence='"FREQ=MONTHLY"'),
        "crp",
        "anchor",
        "FREQ=MONTHLY without BYDAY or BYMONTHDAY takes its day from the anchor; give an anchor "
        "date or name the day",
        id="monthly without a day or anchor",
    ),
    pytest.param(
        model_text(cadence='"FREQ=WEEKLY;BYDAY=TH;COUNT=10"'),
        "crp",
        "anchor",
        "a cadence with COUNT needs an anchor date to count from",
        id="COUNT without anchor",
    ),
    pytest.param(
        model_text(colour="red"),
        "crp",
        "colour",
        "unknown key; check its spelling against the README",
        id="unknown panel key",
    ),
    pytest.param(
        model_text(head={"council": "Testshire"}),
        None,
        "council",
        "unknown key; check its spelling against the README",
        id="unknown top-level key",
    ),
    pytest.param(
        model_text(head={"holidays": "UK"}),
        None,
        "holidays",
        "Input should be 'ENG', 'WLS', 'SCT' or 'NIR'",
        id="bad holidays subdivision",
    ),
    pytest.param(
        model_text(head={"timezone": "London/England"}),
        None,
        "timezone",
        "unknown timezone 'London/England'; expected one like Europe/London",
        id="bad timezone",
    ),
    pytest.param(
        model_text(head={"authority": None}),
        None,
        "authority",
        "this key is required",
        id="missing authority",
    ),
    pytest.param(
        model_text(slot_minutes=None),
        "crp",
        "slot_minutes",
        "this key is required",
        id="missing slot_minutes",
    ),
    pytest.param(
        SECOND_PANEL_WITHOUT_ID,
        "#2",
        "id",
        "this key is required",
        id="missing id names the panel by position",
    ),
    pytest.param(
        model_text(time='"13:00-13:30"', slot_minutes="45"),
        "crp",
        "slot_minutes",
        "a slot of 45 minutes is longer than the sitting window's 30 minutes",
        id="slot longer than the window",
    ),
    pytest.param(
        # 13:00-14:00 less a 30-minute break leaves 30 minutes; a complex slot needs 40.
        model_text(time='"13:00-14:00"', complex_slot_minutes="40", breaks='["13:30-14:00"]'),
        "crp",
        "complex_slot_minutes",
        "a slot of 40 minutes is longer than the sitting window's 30 minutes",
        id="complex slot longer than the window less breaks",
    ),
    pytest.param(
        model_text(slot_minutes="0"),
        "crp",
        "slot_minutes",
        "Input should be greater than 0",
        id="zero slot",
    ),
    pytest.param(
        model_text(max_wait_days="0"),
        "crp",
        "max_wait_days",
        "Input should be greater than 0",
        id="zero wait ceiling",
    ),
    pytest.param(
        model_text(max_wait_days="eight weeks"),
        "crp",
        "max_wait_days",
        "Input should be a valid integer",
        id="wait ceiling in words",
    ),
    pytest.param(
        model_text(breaks='["12:30-13:10"]'),
        "crp",
        "breaks",
        "each break must lie inside the sitting window",
        id="break outside the window",
    ),
    pytest.param(
        model_text(breaks='["14:00-14:30", "14:15-14:45"]'),
        "crp",
        "breaks",
        "breaks overlap",
        id="breaks overlap",
    ),
    pytest.param(
        model_text(breaks='"14:00-14:30"'),
        "crp",
        "breaks",
        "expected a list of ranges like ['15:00-15:10']",
        id="breaks not a list",
    ),
    pytest.param(
        model_text(cancelled="[30/12/2027]"),
        "crp",
        "cancelled",
        "'30/12/2027' is not a date; write dates as 2027-12-30",
        id="cancelled entry not a date",
    ),
    pytest.param(
        model_text(extra="[2027-02-30]"),
        "crp",
        "extra",
        "'2027-02-30' is not a date; write dates as 2027-12-30",
        id="extra entry an impossible date",
    ),
    pytest.param(
        model_text(cancelled="2027-12-30"),
        "crp",
        "cancelled",
        "expected a list of dates like [2027-12-30]",
        id="cancelled not a list",
    ),
    pytest.param(
        model_text(anchor="2027-02-30"),
        "crp",
        "anchor",
        "Input should be a valid date",
        id="anchor an impossible date",
    ),
    pytest.param(
        model_text(on_holiday="move"),
        "crp",
        "on_holiday",
        "Input should be 'skip', 'next_working_day' or 'previous_working_day'",
        id="unknown holiday policy",
    ),
    pytest.param(
        "authority: Testshire\npanels: []\n",
        None,
        "panels",
        "expected a list of at least one panel",
        id="no panels",
    ),
    pytest.param(
        "- authority: Testshire\n",
        None,
        None,
        "expected a mapping with keys authority, holidays, panels",
        id="YAML that is a list",
    ),
    pytest.param(
        "",
        None,
        None,
        "expected a mapping with keys authority, holidays, panels",
        id="empty file",
    ),
    pytest.param(
        "authority: Testshire\npanels: [\n  - id: crp\n",
        None,
        None,
        "not valid YAML at line",
        id="invalid YAML",
    ),
    pytest.param(
        # Line 4 is indented with a tab, its first character.
        "authority: Testshire\nholidays: ENG\npanels:\n\t- id: crp\n",
        None,
        None,
        "not valid YAML: line 4, column 1 is a tab character; YAML indents with spaces only, "
        "so replace it with spaces",
        id="a tab for indent",
    ),
]


@pytest.mark.parametrize(("text", "panel", "key", "message"), BAD_MODELS)
def test_bad_model(
    tmp_path: Path, text: str, panel: str | None, key: str | None, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(InputError) as caught:
        load_model(path)
    (problem,) = caught.value.problems
    assert problem.file == str(path)
    assert (problem.panel, problem.key) == (panel, key)
    assert message in problem.message
    # The printed line names all three.
    printed = str(problem)
    assert printed.startswith(f"{path}")
    assert printed.endswith(problem.message)
    if panel is not None:
        assert f"panel '{panel}'" in printed
    if key is not None:
        assert f"key '{key}'" in printed


def test_unquoted_13_00_is_not_read_as_780(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_model(write(tmp_path, model_text(time="13:00")))
    assert "780" not in str(caught.value)


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.yaml"
    with pytest.raises(InputError) as caught:
        load_model(path)
    (problem,) = caught.value.problems
    assert (problem.file, problem.message) == (str(path), "no such file")


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    # Three independent mistakes in one file: three problems, one per key.
    text = model_text(head={"timezone": "Mars/Base"}, cutoff='"soon"', time='"16:00-13:00"')
    with pytest.raises(InputError) as caught:
        load_model(write(tmp_path, text))
    assert {(p.panel, p.key) for p in caught.value.problems} == {
        (None, "timezone"),
        ("crp", "cutoff"),
        ("crp", "time"),
    }


def test_calendar_command_on_a_bad_model_exits_2_without_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A relative path keeps the message short enough that the terminal does not fold it.
    monkeypatch.chdir(tmp_path)
    write(tmp_path, model_text(cutoff='"next tuesday"'))
    result = CliRunner().invoke(app, ["calendar", "model.yaml", "--from", "2027-01-01"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, InputError)
    printed = " ".join(result.output.split())
    assert (
        "error: model.yaml, panel 'crp', key 'cutoff': 'next tuesday' is not an offset" in printed
    )


def test_calendar_command_on_a_missing_model_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["calendar", "nowhere.yaml"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert "nowhere.yaml: no such file" in " ".join(result.output.split())
