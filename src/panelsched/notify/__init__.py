"""Telling people: invitations, changes and reminders, by e-mail in the form Outlook reads.

``planner notify`` works out from the diary who must hear of what (:mod:`.to_tell`), keeps an
outbox in the store so nothing goes twice or is lost (:mod:`.outbox`), puts each message in
words from templates a council can edit (:mod:`.emails`) with an iTIP invitation
(:mod:`.invitations`), and writes ``.eml`` files or sends by SMTP (:mod:`.delivery`);
addresses come from a people file (:mod:`.people`). It never imports the solver.
"""

from panelsched.notify.delivery import (
    DeliveryError,
    FileDelivery,
    SmtpDelivery,
    SmtpSettings,
    sender_address,
    smtp_settings,
)
from panelsched.notify.emails import Templates
from panelsched.notify.outbox import OutboxEntry, entries
from panelsched.notify.people import People, Person, load_people
from panelsched.notify.run import NotifyResult, notify
from panelsched.notify.stopping import NotifyInterrupted

__all__ = [
    "DeliveryError",
    "FileDelivery",
    "NotifyInterrupted",
    "NotifyResult",
    "OutboxEntry",
    "People",
    "Person",
    "SmtpDelivery",
    "SmtpSettings",
    "Templates",
    "entries",
    "load_people",
    "notify",
    "sender_address",
    "smtp_settings",
]
