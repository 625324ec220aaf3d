"""Ctrl-C while ``planner notify`` sends: finish the message under way, then stop and say
what went.

Each message is recorded as sent the moment it goes (:mod:`.outbox`), so a run can stop
between two messages without losing or repeating any. Ctrl-C asks for that stop: the
message being sent or written goes (and is recorded), the rest wait for the next run, and
:class:`NotifyInterrupted` carries the counts, read back from the outbox, for the words
shown. Sending by SMTP, a second Ctrl-C stops at once (a server that does not answer
would otherwise hold the run for its time-out); the message it cut off is not recorded as
sent, so it goes again at the next run and may arrive twice. Writing ``.eml`` files takes
milliseconds, so there every Ctrl-C waits for the file under way.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType


def counted(number: int, word: str) -> str:
    """``1 message``, ``0 messages``, ``3 messages``."""
    return f"{number} {word}{'' if number == 1 else 's'}"


class NotifyInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped ``planner notify``: how many messages went and how many wait.

    Parameters
    ----------
    went
        Messages of this run sent (or written) and recorded as sent.
    waiting
        Messages left for the next run (queued, or failed to be tried again).
    channel
        ``smtp`` or ``file``.
    unsure
        A second Ctrl-C cut off a message being sent: it may have reached the server, and
        is sent again by the next run.
    """

    def __init__(self, went: int, waiting: int, channel: str, *, unsure: bool = False) -> None:
        super().__init__(f"{went} went, {waiting} wait")
        self.went, self.waiting, self.channel, self.unsure = went, waiting, channel, unsure

    def words(self, where: str) -> str:
        """What was done, in one sentence; ``where`` is ``to outbox/`` or ``through
        smtp.council.example:587``."""
        verb = "written" if self.channel == "file" else "sent"
        if self.went:
            done = f"{counted(self.went, 'message')} {'was' if self.went == 1 else 'were'} "
            done += f"{verb} {where} and recorded as sent"
        else:
            done = f"no message was {verb}"
        if self.waiting:
            rest = (
                f"{counted(self.waiting, 'message')} "
                f"{'waits' if self.waiting == 1 else 'wait'} for the next run, which "
                f"{'writes' if self.channel == 'file' else 'sends'} only "
                f"{'that one' if self.waiting == 1 else 'those'}"
            )
        else:
            rest = "nothing waits for the next run"
        said = f"interrupted: {done}; {rest}"
        if self.unsure:
            said += " (the message being sent when it stopped may arrive twice)"
        return said


@dataclass
class CtrlC:
    """Whether Ctrl-C has asked the run to stop."""

    asked: bool = False

    def asked_to_stop(self) -> bool:
        """Whether Ctrl-C came since the block began."""
        return self.asked


@contextmanager
def stop_between_messages(*, wait_always: bool) -> Iterator[CtrlC]:
    """While the block runs, Ctrl-C sets ``asked`` instead of stopping the program; the
    block checks it between messages.

    Parameters
    ----------
    wait_always
        A second Ctrl-C waits too (files); else it raises ``KeyboardInterrupt`` at once.

    Notes
    -----
    Only the main thread may catch signals, and a program that set its own handler keeps
    it: then Ctrl-C raises ``KeyboardInterrupt`` where it lands, as before.
    """
    state = CtrlC()
    ours = (
        threading.current_thread() is threading.main_thread()
        and signal.getsignal(signal.SIGINT) is signal.default_int_handler
    )
    if not ours:
        yield state
        return

    def ask(number: int, frame: FrameType | None) -> None:
        if state.asked and not wait_always:
            raise KeyboardInterrupt
        state.asked = True

    previous = signal.signal(signal.SIGINT, ask)
    try:
        yield state
    finally:
        signal.signal(signal.SIGINT, previous)


__all__ = ["CtrlC", "NotifyInterrupted", "counted", "stop_between_messages"]
