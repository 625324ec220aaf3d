"""Time the web application on a year's diary: page renders, then 20 viewers and an
administrator at once (issue 14).

Run ``python benchmarks/bench_web.py`` (``--quick`` for a shorter load test). It

1. builds a year's diary: the 3,000 referrals of ``instances.make_instance(3000)`` (family a
   of the planner benchmark, 2027) added with the greedy planner as of 1 January 2027, so
   every one is booked, and adds an administrator and 20 viewers;
2. serves it with ``python -m panelsched.cli serve`` (uvicorn, 127.0.0.1, a free port) in a
   process of its own, as of Monday 14 June 2027 09:00 (half the year heard, half ahead) and
   the server's default planner settings (CP-SAT, 5 s a round);
3. times the calendar and sitting pages one request at a time, as a signed-in browser asks for
   them (every month of 2027, the twelve fullest sittings; wall time at the client, and the
   server's own time from its access log): goal under 200 ms each;
4. runs the load test: 20 viewers, each signed in with their own session, open pages in a
   random order (month and week calendars, sittings, cases, outcomes to record) with a think
   time of 0.5-1.5 s between clicks, while an administrator uploads 20 new referrals, polls
   the preview as the page does (every second), confirms it with the page's CSRF token,
   polls the booking to its end, then approves a case heard before now on its sitting's page
   (the review is booked, S7) and follows that change to its end, again and again: goal every
   response under 1 s.

It writes ``benchmarks/results/web.md``. Same seed, same diary; times vary with the machine.
"""

from __future__ import annotations

import argparse
import dataclasses
import functools
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "web.md"
sys.path.insert(0, str(HERE))

STARTED = datetime(2027, 1, 1, 8, 0)
NOW = datetime(2027, 6, 14, 9, 0)
REFERRALS = 3000
VIEWERS = 20
PASSWORD = "benchmark password 2027"
RENDER_GOAL = 0.2
LOAD_GOAL = 1.0
NEW_REFERRALS = 20


@dataclasses.dataclass(frozen=True)
class Year:
    """The diary built for the benchmark and what is in it."""

    db: Path
    panels: int
    bookings: int
    sittings: int
    fullest: tuple[tuple[str, str], ...]
    heard: tuple[tuple[str, str, str], ...]
    cases: tuple[str, ...]
    build_seconds: float


def build_year(folder: Path) -> Year:
    """The year's diary in ``folder``, with the benchmark's users."""
    import families
    import instances

    from panelsched.forward import Actor, Settings, Store, add, init
    from panelsched.io.inputs import load_availability, load_referrals
    from panelsched.io.model_file import read_model_file
    from panelsched.web.accounts import Accounts
    from panelsched.web.security import Passwords

    began = time.perf_counter()
    instance = instances.make_instance(REFERRALS)
    model, referrals, availability = families.write(instance, folder)
    db = folder / "planner.db"
    init(db, read_model_file(model), Actor(STARTED, "setup"))
    with Store.open(db) as store:
        add(
            store,
            Actor(STARTED, "setup"),
            load_referrals(referrals, store.model()),
            load_availability(availability),
            referrals_file=str(referrals),
            availability_file=str(availability),
            settings=Settings(method="greedy"),
        )
        hashed = Passwords().hash(PASSWORD)
        at = datetime(2027, 1, 1, tzinfo=UTC)
        with store.transaction(Actor(STARTED, "setup"), "users add", "benchmark"):
            Accounts(store).add_user("admin", "administrator", hashed, at)
            for n in range(VIEWERS):
                Accounts(store).add_user(f"viewer{n + 1:02d}", "viewer", hashed, at)
        diary = store.diary()
    seconds = time.perf_counter() - began
    at_sitting = diary.bookings_at()
    fullest = sorted(at_sitting.items(), key=lambda item: (-len(item[1]), item[0]))[:12]
    sittings = len(diary.sittings(STARTED.date(), datetime(2027, 12, 31).date()))
    return Year(
        db=db,
        panels=len(diary.base.panels),
        bookings=len(diary.in_force),
        sittings=sittings,
        fullest=tuple((b[0].panel, b[0].date.isoformat()) for _, b in fullest),
        heard=tuple(
            (b.panel, b.date.isoformat(), diary.by_id[b.hearing_id].referral_id)
            for b in sorted(diary.in_force.values(), key=lambda b: (b.date, b.start, b.panel))
            if b.opens < NOW
        )[::-1],
        cases=tuple(sorted(h.referral_id for h in diary.hearings)),
        build_seconds=seconds,
    )


def new_referrals(path: Path, round_: int) -> Path:
    """Twenty referrals new to the diary, submitted the week before now, as a CSV."""
    import instances

    from panelsched.exports.input_files import write_referrals_csv

    made = instances.make_instance(REFERRALS, seed=100 + round_).referrals
    chosen = [r for r in made if r.cla_review is None and r.deadline is None][:NEW_REFERRALS]
    week = [
        dataclasses.replace(
            r,
            referral_id=f"W{round_}-{n:02d}",
            submitted=NOW - timedelta(days=3, hours=n),
            row=n + 2,
        )
        for n, r in enumerate(chosen)
    ]
    write_referrals_csv(week, path)
    return path


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class Server:
    """``python -m panelsched.cli serve`` in a process of its own."""

    def __init__(self, db: Path, log: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = log
        self._out = log.open("w", encoding="utf-8")
        command = [
            sys.executable,
            "-m",
            "panelsched.cli",
            "serve",
            "--db",
            str(db),
            "--port",
            str(self.port),
            "--now",
            f"{NOW:%Y-%m-%d %H:%M}",
        ]
        self.process = subprocess.Popen(command, stdout=self._out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/sign-in", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"the server did not start; see {log}")

    def stop(self) -> None:
        """End the server (its own process only)."""
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._out.close()

    def server_ms(self) -> dict[str, list[float]]:
        """The server's own milliseconds per route template, from its access log."""
        found: dict[str, list[float]] = defaultdict(list)
        line = re.compile(r"panelsched\.web\.access (GET|POST) (\S+) \d+ ([\d.]+)ms")
        for match in line.finditer(self.log.read_text(encoding="utf-8")):
            found[f"{match[1]} {match[2]}"].append(float(match[3]))
        return found


def _token(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]+)"', html)
    if not found:
        raise RuntimeError(f"no {name} on the page")
    return found[1]


def signed_in(base: str, name: str) -> httpx.Client:
    """A browser signed in as ``name``."""
    browser = httpx.Client(base_url=base, timeout=30)
    page = browser.get("/sign-in")
    answer = browser.post(
        "/sign-in",
        data={
            "name": name,
            "password": PASSWORD,
            "sign_in_token": _token(page.text, "sign_in_token"),
            "next": "/calendar",
        },
    )
    if answer.status_code != 303:
        raise RuntimeError(f"{name} could not sign in: {answer.status_code}")
    return browser


@dataclasses.dataclass
class Timings:
    """Response times by page, and every response that was not what a browser expects."""

    seconds: dict[str, list[float]] = dataclasses.field(default_factory=lambda: defaultdict(list))
    errors: list[str] = dataclasses.field(default_factory=list)
    lock: threading.Lock = dataclasses.field(default_factory=threading.Lock)

    def get(
        self, browser: httpx.Client, label: str, url: str, ok: Sequence[int] = (200,)
    ) -> httpx.Response:
        return self.ask(browser, label, lambda: browser.get(url), ok)

    def post(
        self,
        browser: httpx.Client,
        label: str,
        url: str,
        page: httpx.Response,
        fields: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        ok: Sequence[int] = (303,),
    ) -> httpx.Response:
        """Send the form of ``page`` with its CSRF token and ``fields``, as the browser
        does."""
        form = {"csrf_token": _token(page.text, "csrf_token"), **(fields or {})}
        send = functools.partial(browser.post, url, data=form, files=files)
        return self.ask(browser, label, send, ok)

    def ask(
        self,
        browser: httpx.Client,
        label: str,
        call: Callable[[], httpx.Response],
        ok: Sequence[int] = (200,),
    ) -> httpx.Response:
        began = time.perf_counter()
        answer = call()
        took = time.perf_counter() - began
        with self.lock:
            self.seconds[label].append(took)
            if answer.status_code not in ok:
                self.errors.append(f"{label}: status {answer.status_code}")
        return answer

    def worst(self) -> float:
        return max((max(v) for v in self.seconds.values() if v), default=0.0)


def render_pages(year: Year) -> list[tuple[str, str]]:
    """The pages timed one at a time: every month of 2027, the fullest sittings."""
    months = [("calendar (month)", f"/calendar?month=2027-{m:02d}") for m in range(1, 13)]
    sittings = [("sitting", f"/sittings/{p}/{d}") for p, d in year.fullest]
    return months + sittings


def time_renders(base: str, year: Year, rounds: int) -> Timings:
    """Each page ``rounds`` times, one request at a time, after each page's first request
    (kept apart: the diary is read and each month's sittings generated on first use)."""
    browser = signed_in(base, "viewer01")
    timings = Timings()
    for label, url in render_pages(year):
        timings.get(browser, f"first {label}", url)
    for _ in range(rounds):
        for label, url in render_pages(year):
            timings.get(browser, label, url)
    browser.close()
    return timings


def _viewer(
    browser: httpx.Client, year: Year, stop: threading.Event, timings: Timings, seed: int
) -> None:
    rng = random.Random(seed)
    while not stop.is_set():
        choice = rng.random()
        if choice < 0.35:
            month = rng.randint(1, 12)
            timings.get(browser, "calendar (month)", f"/calendar?month=2027-{month:02d}")
        elif choice < 0.5:
            monday = datetime(2027, 1, 4) + timedelta(weeks=rng.randint(0, 51))
            timings.get(browser, "calendar (week)", f"/week?start={monday:%Y-%m-%d}")
        elif choice < 0.85:
            panel, day = rng.choice(year.fullest)
            timings.get(browser, "sitting", f"/sittings/{panel}/{day}")
        elif choice < 0.95:
            timings.get(browser, "case", f"/cases/{rng.choice(year.cases)}")
        else:
            timings.get(browser, "outcomes to record", "/outcomes")
        stop.wait(rng.uniform(0.5, 1.5))
    browser.close()


def _poll(browser: httpx.Client, job: str, timings: Timings, label: str) -> None:
    """Ask for the job's progress every second, as the page does, until it has finished."""
    while True:
        answer = timings.get(browser, label, f"{job}/status", ok=(200,))
        if answer.headers.get("hx-refresh") == "true" or answer.status_code != 200:
            return
        # Not ``stop.wait``: a booking under way is followed to its end, to be measured.
        time.sleep(1.0)


def _administrator(
    browser: httpx.Client,
    year: Year,
    folder: Path,
    stop: threading.Event,
    timings: Timings,
    booked: list[float],
    recorded: list[float],
) -> None:
    round_ = 0
    while not stop.is_set():
        round_ += 1
        csv = new_referrals(folder / f"week-{round_}.csv", round_)
        page = timings.get(browser, "admin: upload form", "/upload")
        began = time.perf_counter()
        upload = {"referrals": (csv.name, csv.read_bytes(), "text/csv")}
        answer = timings.post(browser, "admin: upload", "/upload", page, files=upload)
        job = answer.headers["location"]
        _poll(browser, job, timings, "admin: progress")
        preview = timings.get(browser, "admin: preview", job)
        if "Confirm and book these" not in preview.text:
            timings.errors.append(f"admin: round {round_}'s preview has nothing to confirm")
            break
        answer = timings.post(browser, "admin: confirm", f"{job}/confirm", preview)
        booking = answer.headers["location"]
        _poll(browser, booking, timings, "admin: progress")
        done = timings.get(browser, "admin: booked", booking)
        if "Booked." not in done.text:
            timings.errors.append(f"admin: round {round_} was not booked")
            break
        booked.append(time.perf_counter() - began)
        _record_outcome(browser, year.heard[round_ - 1], timings, recorded)
    browser.close()


def _record_outcome(
    browser: httpx.Client, heard: tuple[str, str, str], timings: Timings, recorded: list[float]
) -> None:
    """Approve a case heard before now, with a review date, as the sitting's form does: the
    review is booked (S7), in the background when it takes more than a moment."""
    panel, day, reference = heard
    began = time.perf_counter()
    sitting = f"/sittings/{panel}/{day}"
    page = timings.get(browser, "admin: sitting", sitting)
    review = datetime.fromisoformat(day) + timedelta(weeks=26)
    fields = {
        "version": _token(page.text, "version"),
        "referral_id": reference,
        "outcome": "approve",
        "review_date": f"{review:%Y-%m-%d}",
    }
    answer = timings.post(
        browser, "admin: outcome", f"{sitting}/outcome", page, fields, ok=(200, 303)
    )
    if answer.status_code == 303:
        change = answer.headers["location"]
        _poll(browser, change, timings, "admin: progress")
        answer = timings.get(browser, "admin: outcome recorded", change)
    if f"{reference}: approved" not in answer.text:
        timings.errors.append(f"admin: the outcome of a case at {sitting} was not recorded")
        return
    recorded.append(time.perf_counter() - began)


def load_test(
    base: str, year: Year, seconds: float, folder: Path
) -> tuple[Timings, list[float], list[float]]:
    """Twenty viewers and an administrator for ``seconds``; bookings under way then finish.

    Everyone signs in first, one after another: signing in is Argon2 hashing, made slow on
    purpose, and is not what is measured.
    """
    timings = Timings()
    stop = threading.Event()
    booked: list[float] = []
    recorded: list[float] = []
    viewers = [signed_in(base, f"viewer{n + 1:02d}") for n in range(VIEWERS)]
    threads = [
        threading.Thread(target=_viewer, args=(browser, year, stop, timings, n))
        for n, browser in enumerate(viewers)
    ]
    threads.append(
        threading.Thread(
            target=_administrator,
            args=(signed_in(base, "admin"), year, folder, stop, timings, booked, recorded),
        )
    )
    for thread in threads:
        thread.start()
    time.sleep(seconds)
    stop.set()
    for thread in threads:
        thread.join(timeout=300)
    return timings, booked, recorded


def _ms(value: float) -> str:
    return f"{value * 1000:,.0f}"


def _table(timings: Timings, goal: float) -> list[str]:
    lines = [
        "| page | requests | median ms | 95th percentile ms | worst ms | goal |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for label in sorted(timings.seconds):
        values = sorted(timings.seconds[label])
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        met = "met" if values[-1] < goal else "**missed**"
        lines.append(
            f"| {label} | {len(values)} | {_ms(statistics.median(values))} | {_ms(p95)} | "
            f"{_ms(values[-1])} | {met} |"
        )
    return lines


def _server_table(server: dict[str, list[float]], routes: Sequence[str]) -> list[str]:
    lines = ["| route | requests | median ms | worst ms |", "|---|---:|---:|---:|"]
    for route in routes:
        values = server.get(route, [])
        if values:
            lines.append(
                f"| `{route}` | {len(values)} | {statistics.median(values):,.1f} | "
                f"{max(values):,.1f} |"
            )
    return lines


def report(
    year: Year,
    renders: Timings,
    render_server: dict[str, list[float]],
    load: Timings,
    booked: list[float],
    recorded: list[float],
    load_server: dict[str, list[float]],
    seconds: float,
) -> str:
    """The results as Markdown."""
    routes = (
        "GET /calendar",
        "GET /sittings/{panel}/{day}",
        "GET /week",
        "GET /cases/{reference:path}",
        "POST /upload",
        "POST /upload/{job_id}/confirm",
        "POST /sittings/{panel}/{day}/outcome",
    )
    steady = {k: v for k, v in renders.seconds.items() if not k.startswith("first ")}
    render_ok = all(max(v) < RENDER_GOAL for v in steady.values())
    load_ok = load.worst() < LOAD_GOAL and not load.errors
    lines = [
        "# Web application (`bench_web.py`, issue 14)",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores (shared), "
        f"Python {sys.version.split()[0]}.",
        "",
        f"The diary: {REFERRALS:,} referrals of 2027 (`instances.make_instance(3000)`) booked "
        f"by the greedy planner in {year.build_seconds:.1f} s: {year.bookings:,} bookings at "
        f"{year.sittings:,} sittings of {year.panels} panels. Served by "
        "`python -m panelsched.cli serve` on 127.0.0.1 as of "
        f"{NOW:%a %d/%m/%Y %H:%M}, default planner settings.",
        "",
        "## Page renders, one request at a time",
        "",
        f"Goal: each under {RENDER_GOAL * 1000:.0f} ms. "
        f"{'Met' if render_ok else '**Missed**'}. Wall time at the client (signed in, over "
        "HTTP on 127.0.0.1): every month of 2027 and the twelve fullest sittings, "
        f"{len(steady.get('sitting', [])) // 12} times each. The first request for each page "
        "(reading the diary and generating the month's sittings) is listed apart.",
        "",
        *_table(renders, RENDER_GOAL),
        "",
        "The server's own time for the same requests (its access log, from the request "
        "arriving to the response sent):",
        "",
        *_server_table(render_server, routes[:2]),
        "",
        "## Load test: 20 viewers and an administrator booking",
        "",
        f"Goal: every response under {LOAD_GOAL * 1000:.0f} ms. "
        f"{'Met' if load_ok else '**Missed**'}. {VIEWERS} viewers, each signed in with a session "
        "of their own, click through the month and week calendars, sittings, cases and the "
        "outcomes to record with 0.5-1.5 s between clicks; one administrator uploads "
        f"{NEW_REFERRALS} new referrals, polls the preview every second as the page does, "
        "confirms it with the page's CSRF token and polls the booking to its end, then "
        "approves a case heard before now on its sitting's page (with a review date, so the "
        "review is booked, S7) and follows the change to its end; round after round, for "
        f"{seconds:.0f} s (the round under way then finishes).",
        "",
        *_table(load, LOAD_GOAL),
        "",
        f"Responses that were not what a browser expects: {len(load.errors)}"
        + (f" ({'; '.join(load.errors[:5])})" if load.errors else "")
        + ".",
        "",
        f"Bookings made: {len(booked)}, each upload to booked in "
        + (", ".join(f"{s:.1f}" for s in booked) or "none")
        + " s (planning runs in the background; the pages are served meanwhile).",
        "",
        f"Outcomes recorded: {len(recorded)}, each from opening the sitting to the review "
        "booked in " + (", ".join(f"{s:.1f}" for s in recorded) or "none") + " s.",
        "",
        "The server's own time during the load test:",
        "",
        *_server_table(load_server, routes),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Build, serve, measure, write ``results/web.md``; exit 1 when a goal is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2 render rounds, 20 s of load")
    parser.add_argument("--seconds", type=float, default=60.0, help="load test length")
    parser.add_argument("--rounds", type=int, default=5, help="render rounds")
    parser.add_argument("--keep", type=Path, help="keep the diary and logs in this folder")
    args = parser.parse_args(argv)
    seconds, rounds = (20.0, 2) if args.quick else (args.seconds, args.rounds)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-web-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        shutil.rmtree(folder / "year", ignore_errors=True)
        year = build_year(folder / "year")
        print(
            f"diary: {year.bookings} bookings, {year.sittings} sittings, built in "
            f"{year.build_seconds:.1f} s",
            flush=True,
        )
        server = Server(year.db, folder / "render.log")
        try:
            renders = time_renders(server.base, year, rounds)
        finally:
            server.stop()
        render_server = server.server_ms()
        print(f"renders: worst {renders.worst() * 1000:.0f} ms", flush=True)
        server = Server(year.db, folder / "load.log")
        try:
            load, booked, recorded = load_test(server.base, year, seconds, folder)
        finally:
            server.stop()
        load_server = server.server_ms()
        print(f"load: worst {load.worst() * 1000:.0f} ms, {len(load.errors)} errors", flush=True)
        text = report(year, renders, render_server, load, booked, recorded, load_server, seconds)
        RESULTS.write_text(text, encoding="utf-8")
        print(text)
        steady = [max(v) for k, v in renders.seconds.items() if not k.startswith("first ")]
        missed = max(steady) >= RENDER_GOAL or load.worst() >= LOAD_GOAL or bool(load.errors)
        return 1 if missed else 0
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
