"""The Messages page: what ``planner notify`` has waiting, sent, written and failed to send.

Read only, for anyone signed in; the messages go out from the command line (``planner
notify``), where the SMTP settings live. It shows pseudonyms, case references and the
reasons sends failed, never an address (the store keeps none).
"""

from __future__ import annotations

from collections import Counter

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from panelsched.notify.outbox import FAILED, QUEUED, SENT, SUPERSEDED, entries
from panelsched.web.deps import Web, current_session

router = APIRouter(dependencies=[Depends(current_session)])

MESSAGES_LIMIT = 1000
_STATUS_WORDS = {
    QUEUED: "waiting",
    SENT: "sent or written to a file",
    FAILED: "failed (tried again at the next run)",
    SUPERSEDED: "not sent: a newer message replaced it",
}


@router.get("/messages")
def messages_page(request: Request, web: Web) -> Response:
    """Every message of the outbox, newest first, with counts by status."""
    diary = web.diary()
    with web.store() as store:
        rows = list(reversed(entries(store)))
    counts = Counter(entry.status for entry in rows)
    shown = [
        {
            "entry": entry,
            "about": entry.sitting_id if entry.hearing_id is None else diary.keys[entry.hearing_id],
            "status": "written to a file"
            if entry.status == SENT and entry.channel == "file"
            else _STATUS_WORDS.get(entry.status, entry.status),
        }
        for entry in rows[:MESSAGES_LIMIT]
    ]
    return web.render(
        request,
        "messages.html",
        {
            "diary": diary,
            "title": "Messages",
            "rows": shown,
            "total": len(rows),
            "limit": MESSAGES_LIMIT,
            "counts": [(_STATUS_WORDS[s], counts[s]) for s in (QUEUED, SENT, FAILED, SUPERSEDED)],
        },
    )


__all__ = ["MESSAGES_LIMIT", "router"]
