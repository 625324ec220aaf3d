"""Planning in the background, so the pages stay usable while the solver books an upload,
records an outcome, cancels a sitting or adds an extra one.

One job runs at a time (the machine's cores are the solver's); the others wait their turn.
Jobs live in memory: a restart forgets them, and their uploads with them.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from panelsched.errors import Problem
from panelsched.io.cells import first_problems
from panelsched.web.middleware import error_log, where

# Jobs kept this long after they finish, then forgotten with their files.
KEEP_SECONDS = 6 * 3600


@dataclass
class Job:
    """One piece of planning: an upload's preview or booking, or a change to the diary.

    Attributes
    ----------
    id
        A random token: it names the job in its page's address.
    owner
        The user who uploaded; only they see it.
    kind
        ``preview`` (planned on a copy of the diary), ``booking`` (planned for real), or the
        change made (``outcome``, ``cancel``, ``extra``, ...).
    title, back
        A change's heading when done, and the page it was made from.
    state
        ``waiting``, ``running``, ``done`` or ``failed``.
    problems, more_problems
        The first problems found (what its page lists) and how many more there were: a job
        is kept for hours, and a broken file can have millions.
    """

    id: str
    owner: str
    kind: str
    folder: Path
    files: dict[str, Path]
    state: str = "waiting"
    queued: float = field(default_factory=time.monotonic)
    started: float | None = None
    finished: float | None = None
    result: Any = None
    problems: tuple[Problem, ...] = ()
    more_problems: int = 0
    failure: str = ""
    base_command: int = 0
    replan: bool = False
    confirmed_by: str | None = None
    title: str = ""
    back: str = ""
    ended: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def seconds(self) -> int:
        """Seconds it has run (or ran)."""
        if self.started is None:
            return 0
        return int((self.finished or time.monotonic()) - self.started)

    def refuse(self, problems: tuple[Problem, ...]) -> None:
        """Keep the first of ``problems`` for the page, and count the rest."""
        self.problems, self.more_problems = first_problems(problems)

    @property
    def over(self) -> bool:
        """True once it has finished, well or not."""
        return self.state in ("done", "failed")


class Jobs:
    """The jobs of one server, run one at a time on a worker thread."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="panelsched-plan")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def new(self, owner: str, kind: str, folder: Path, files: dict[str, Path]) -> Job:
        """A job, not yet started."""
        self._forget_old()
        job = Job(secrets.token_urlsafe(16), owner, kind, folder, files)
        with self._lock:
            self._jobs[job.id] = job
        return job

    def start(self, job: Job, work: Callable[[Job], None]) -> None:
        """Run ``work(job)`` when the worker is free; it sets the job's result or problems."""

        def run() -> None:
            job.state = "running"
            job.started = time.monotonic()
            try:
                work(job)
                job.state = "failed" if job.problems or job.failure else "done"
            except Exception as exc:
                # Like the error page: a reference, the type and the place, never the
                # exception's words (they can quote a case).
                reference = f"E-{secrets.token_hex(4).upper()}"
                error_log.error(
                    "planning job failed %s: %s at %s", reference, type(exc).__name__, where(exc)
                )
                job.failure = (
                    f"the planner stopped with an unexpected error (reference {reference})"
                )
                job.state = "failed"
            finally:
                job.finished = time.monotonic()
                job.ended.set()

        self._pool.submit(run)

    def wait(self, job: Job, seconds: float) -> bool:
        """Wait up to ``seconds`` for ``job`` to finish; True when it has."""
        return job.ended.wait(seconds)

    def claim(self, preview: Job, kind: str) -> tuple[Job, bool]:
        """The one job that books ``preview`` for real, and True when this call made it: the
        first call makes it, later ones (a second click, a second tab) get the same one, so
        nothing is booked twice."""
        made = Job(secrets.token_urlsafe(16), preview.owner, kind, preview.folder, preview.files)
        made.replan = preview.replan
        with self._lock:
            if preview.confirmed_by is not None and preview.confirmed_by in self._jobs:
                return self._jobs[preview.confirmed_by], False
            preview.confirmed_by = made.id
            made.base_command = preview.base_command
            self._jobs[made.id] = made
        return made, True

    def get(self, job_id: str, owner: str) -> Job | None:
        """The job, when it exists and belongs to ``owner``."""
        with self._lock:
            job = self._jobs.get(job_id)
        return job if job is not None and job.owner == owner else None

    def _forget_old(self) -> None:
        now = time.monotonic()
        with self._lock:
            old = [j for j in self._jobs.values() if j.finished and now - j.finished > KEEP_SECONDS]
            for job in old:
                del self._jobs[job.id]
        for job in old:
            for path in job.files.values():
                path.unlink(missing_ok=True)

    def close(self) -> None:
        """Let the running job finish; drop the ones waiting."""
        self._pool.shutdown(wait=True, cancel_futures=True)


__all__ = ["KEEP_SECONDS", "Job", "Jobs"]
