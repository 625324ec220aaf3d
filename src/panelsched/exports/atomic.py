"""Writing outputs whole: never a half-written file, never a folder half old and half new.

Every file a command writes goes first to a temporary file in the same folder and is renamed
over the old one only when it is complete (:func:`replace_bytes`, :func:`replace_text`): a
rename within one folder is atomic, so a reader sees the old file or the new one, never part
of either, whatever stops the command.

A command that writes a set of files (a plan's four, an export's calendars) writes them into
a staging folder inside its ``--out`` (:func:`output_set`); only when all are written does it
take away the files of the set an earlier run left and move the new ones in, the set's last
file last. While that happens Ctrl-C and ``kill`` wait; so a folder holds the old set, or
the new set, or (only after a power cut or ``kill -9`` in those few milliseconds) part of
one set, never a mixture. Files in ``--out`` that are not the command's own are left alone.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from types import FrameType

from panelsched.exports.file_names import NAME_BYTES, fit_name

STAGING_PREFIX = ".panelsched-staging-"

# How many sets of outputs this process has put in place: a command interrupted just after
# its set went in says so, rather than that it wrote nothing.
_PUT_IN_PLACE = [0]


class StoppedPartWay(KeyboardInterrupt):
    """Ctrl-C stopped a command that keeps its work as it goes (``planner notify`` records
    each message as it is sent): ``said`` tells what was done and what is left, in place of
    the words for a command that changed nothing."""

    def __init__(self, said: str) -> None:
        super().__init__(said)
        self.said = said


def sets_put_in_place() -> int:
    """How many sets of outputs :func:`output_set` has put in place in this process."""
    return _PUT_IN_PLACE[0]


@contextmanager
def replacing(path: str | Path) -> Iterator[Path]:
    """A temporary file beside ``path`` to write; renamed over ``path`` when the block ends
    normally, removed when anything escapes it.

    Parameters
    ----------
    path
        The file to write; its folder must exist.

    Yields
    ------
    Path
        Where to write the whole content.

    Raises
    ------
    OSError
        When the disk refuses (full, read-only); ``path`` is then as it was.
    """
    target = Path(path)
    # The temporary name is longer than the target's: cut so that it fits where the target
    # does (the random part keeps it unique).
    stem = fit_name(target.name, limit=NAME_BYTES - len(".x.000000000000.part"))
    temporary = target.with_name(f".{stem}.{secrets.token_hex(6)}.part")
    # Made as any file is (mode 0666 less the umask), not private as mkstemp would make it.
    os.close(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    try:
        yield temporary
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            temporary.unlink()
        raise


def replace_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole (:func:`replacing`)."""
    with replacing(path) as temporary:
        temporary.write_bytes(data)


def replace_text(path: str | Path, text: str) -> None:
    """Write ``text`` to ``path`` whole (:func:`replacing`), as UTF-8 with its line ends as
    written."""
    replace_bytes(path, text.encode("utf-8"))


@contextmanager
def output_set(out: Path, names: Sequence[str]) -> Iterator[Path]:
    """Write a set of outputs into a staging folder, then put them in ``out`` together.

    Parameters
    ----------
    out
        The folder the outputs belong in (made if missing).
    names
        The files (or folders) of the set, as named in ``out``; the last is moved in last,
        so its presence means the set is whole.

    Yields
    ------
    Path
        The staging folder: write each of ``names`` into it.

    Notes
    -----
    When anything escapes the ``with`` block (bad input, a full disk, Ctrl-C) the staging
    folder is removed and ``out`` is as it was; a folder made for the set is removed too.
    """
    made = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(out)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out))
    try:
        yield staging
        missing = [name for name in names if not (staging / name).exists()]
        if missing:
            raise RuntimeError(f"the outputs {', '.join(missing)} were not written")
        with _signals_held():
            # The set's last file goes first and comes back last: while it is absent the
            # folder holds part of one set only.
            for name in reversed(names):
                _remove(out / name)
            for name in names:
                os.replace(staging / name, out / name)
            _PUT_IN_PLACE[0] += 1
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        if made:
            with suppress(OSError):
                out.rmdir()
        raise
    shutil.rmtree(staging, ignore_errors=True)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        with suppress(FileNotFoundError):
            path.unlink()


def _remove_abandoned(out: Path) -> None:
    """Remove staging folders left by a command that was killed (``kill -9``, a power cut)."""
    for folder in out.glob(f"{STAGING_PREFIX}*"):
        pid = folder.name.removeprefix(STAGING_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) and ``kill`` (SIGTERM) until the block ends, then act on them."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        # Only the main thread may set handlers (a web request runs in a worker thread).
        yield
        return
    caught: list[tuple[int, FrameType | None]] = []

    def hold(number: int, frame: FrameType | None) -> None:
        caught.append((number, frame))

    previous = {held: signal.signal(held, hold) for held in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for held, handler in previous.items():
            signal.signal(held, handler)
        # The first signal that came is acted on now, as it would have been then.
        for number, frame in caught[:1]:
            handler = previous[signal.Signals(number)]
            if callable(handler):
                handler(number, frame)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(number)


__all__ = [
    "STAGING_PREFIX",
    "StoppedPartWay",
    "output_set",
    "replace_bytes",
    "replace_text",
    "replacing",
    "sets_put_in_place",
]
