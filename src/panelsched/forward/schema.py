"""The forward planner's database schema, as versioned migrations kept in code.

A store records its schema version in SQLite's ``user_version`` and marks itself as a
panelsched planner with ``application_id``. Opening a store applies every migration it has
not had yet, in order, in one transaction, so a file made by an older release opens in a newer
one; a file made by a newer release is refused rather than misread.

Append a migration to change the schema; never edit one that has been released.

The file has one linear history (SQLite keeps one ``user_version``), so the migrations of every
table in it stay here, in order, the web's ``users`` and ``sessions`` and the ``notices`` outbox
included; each table's queries live with its owner (:mod:`panelsched.web.accounts`,
:mod:`panelsched.notify.outbox`), which uses :attr:`Store.connection
<panelsched.forward.store.Store.connection>` and :meth:`Store.writing
<panelsched.forward.store.Store.writing>`.

Dates are ISO text (``2027-01-07``), moments ``2027-01-07T13:00`` (the authority's local
wall-clock time, like every time in the package). The store holds case references, roles and
pseudonyms as the input files give them, never a reason for leave or any other free text
about a person.
"""

from __future__ import annotations

from dataclasses import dataclass

# "PSCH": tells a planner database from any other SQLite file.
APPLICATION_ID = 0x50534348


@dataclass(frozen=True, slots=True)
class Migration:
    """One step of the schema: the version it brings the store to, and its statements."""

    version: int
    title: str
    statements: tuple[str, ...]


_INITIAL = (
    # Facts about the store: its authority and when it was started.
    """CREATE TABLE store_info (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    # Every command that changed the store: who, when, what.
    """CREATE TABLE commands (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        by TEXT NOT NULL,
        command TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    )""",
    # The audit trail: one row per change, tied to its command.
    """CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        command_id INTEGER NOT NULL REFERENCES commands(id),
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT ''
    )""",
    # The model in force is the latest row; earlier rows are its history.
    """CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        command_id INTEGER NOT NULL REFERENCES commands(id),
        file TEXT NOT NULL,
        authority TEXT NOT NULL,
        text TEXT NOT NULL
    )""",
    # Sittings cancelled or added after the model was loaded, in the order they were made.
    """CREATE TABLE sitting_changes (
        id INTEGER PRIMARY KEY,
        command_id INTEGER NOT NULL REFERENCES commands(id),
        panel TEXT NOT NULL,
        date TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('cancelled', 'extra')),
        reason TEXT NOT NULL DEFAULT '',
        agreed_by TEXT NOT NULL DEFAULT ''
    )""",
    # A referral: one case reference, and where it came from.
    """CREATE TABLE referrals (
        referral_id TEXT PRIMARY KEY,
        command_id INTEGER NOT NULL REFERENCES commands(id),
        source TEXT NOT NULL,
        file_row INTEGER
    )""",
    # A hearing: one time a case must come to a panel (the referral itself, a deferral, a
    # review...), with everything the planner needs to book it.
    """CREATE TABLE hearings (
        id INTEGER PRIMARY KEY,
        referral_id TEXT NOT NULL REFERENCES referrals(referral_id),
        number INTEGER NOT NULL,
        command_id INTEGER NOT NULL REFERENCES commands(id),
        kind TEXT NOT NULL,
        rule TEXT NOT NULL DEFAULT '',
        origin_id INTEGER REFERENCES hearings(id),
        panel TEXT NOT NULL,
        submitted TEXT NOT NULL,
        social_worker TEXT NOT NULL,
        team_manager TEXT NOT NULL,
        child_id TEXT NOT NULL DEFAULT '',
        request_type TEXT NOT NULL DEFAULT '',
        complex INTEGER NOT NULL DEFAULT 0,
        priority TEXT NOT NULL DEFAULT 'routine',
        cla_review TEXT,
        cp_review TEXT,
        contract_end TEXT,
        review_by TEXT,
        not_before TEXT,
        deadline TEXT,
        locality TEXT NOT NULL DEFAULT '',
        late_permission INTEGER NOT NULL DEFAULT 0,
        attendees TEXT NOT NULL DEFAULT '',
        cost TEXT,
        first_cla_review TEXT,
        emergency_decision TEXT,
        due_note TEXT NOT NULL DEFAULT '',
        UNIQUE (referral_id, number)
    )""",
    # Bookings, current and past: a booking is in force while ended_command_id is NULL.
    """CREATE TABLE bookings (
        id INTEGER PRIMARY KEY,
        hearing_id INTEGER NOT NULL REFERENCES hearings(id),
        panel TEXT NOT NULL,
        date TEXT NOT NULL,
        start TEXT NOT NULL,
        end TEXT NOT NULL,
        command_id INTEGER NOT NULL REFERENCES commands(id),
        ended_command_id INTEGER REFERENCES commands(id),
        end_reason TEXT
    )""",
    """CREATE UNIQUE INDEX one_booking_in_force ON bookings (hearing_id)
        WHERE ended_command_id IS NULL""",
    "CREATE INDEX bookings_by_sitting ON bookings (panel, date)",
    # What the panel decided at a hearing, and the record's other cells (JSON, typed as the
    # records file's columns are).
    """CREATE TABLE outcomes (
        hearing_id INTEGER PRIMARY KEY REFERENCES hearings(id),
        command_id INTEGER NOT NULL REFERENCES commands(id),
        panel TEXT NOT NULL,
        date TEXT NOT NULL,
        outcome TEXT NOT NULL CHECK (outcome IN ('approve', 'decline', 'defer')),
        record TEXT NOT NULL DEFAULT '{}'
    )""",
    # Who is away. The reason is not kept: it can be personal.
    """CREATE TABLE availability (
        id INTEGER PRIMARY KEY,
        command_id INTEGER NOT NULL REFERENCES commands(id),
        person TEXT NOT NULL,
        start TEXT NOT NULL,
        end TEXT NOT NULL,
        whole_days INTEGER NOT NULL,
        UNIQUE (person, start, end, whole_days)
    )""",
)

# The web application's people: who may sign in, their sessions, and the count of wrong
# passwords that locks an account. Moments here are UTC (``2027-01-07T13:00:05+00:00``), not
# the authority's wall clock: a lockout or a session runs out by the real clock even when the
# diary is replayed with ``--now``. Only an Argon2 hash of a password is kept, and only a
# SHA-256 hash of a session's token, so a copy of the file signs nobody in.
_USERS = (
    """CREATE TABLE users (
        name TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('administrator', 'chair', 'viewer')),
        password_hash TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0,
        failed_sign_ins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        created_at TEXT NOT NULL,
        changed_at TEXT NOT NULL
    )""",
    """CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        user_name TEXT NOT NULL REFERENCES users(name),
        csrf_token TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    )""",
    "CREATE INDEX sessions_by_user ON sessions (user_name)",
)

# Corrections: a follow-up withdrawn because the outcome that asked for it was amended, and an
# extra sitting removed because it was added by mistake. Both rows stay (the audit trail and
# the calendars need what was booked), marked with the command that withdrew or removed them.
_CORRECTIONS = (
    "ALTER TABLE hearings ADD COLUMN withdrawn_command_id INTEGER REFERENCES commands(id)",
    "ALTER TABLE hearings ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE sitting_changes ADD COLUMN removed_command_id INTEGER REFERENCES commands(id)",
)

# The outbox of `planner notify`: one row per message to one person, about one booking (an
# invitation, a cancellation, a presenter's reminder) or one sitting (a member's papers
# reminder), at one SEQUENCE of the calendar event. Rows are queued together in one
# transaction before anything is sent, and each is marked sent the moment the server (or the
# .eml file) takes it, so a crash part-way resends nothing already sent and loses nothing.
# ``channel`` says how it went: ``smtp`` or ``file`` (an .eml for the team mailbox to send). A
# queued row whose booking changed again before it went is ``superseded`` by the newer one.
# No address is kept: the people file is read at each run. Moments are the authority's wall
# clock, like the diary's.
_NOTICES = (
    """CREATE TABLE notices (
        id INTEGER PRIMARY KEY,
        person TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN
            ('invitation', 'cancellation', 'presenter reminder', 'papers reminder')),
        hearing_id INTEGER REFERENCES hearings(id),
        booking_id INTEGER REFERENCES bookings(id),
        sitting_id TEXT NOT NULL,
        sequence INTEGER NOT NULL,
        queued_at TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN
            ('queued', 'sent', 'failed', 'superseded')),
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT NOT NULL DEFAULT '',
        sent_at TEXT,
        channel TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE UNIQUE INDEX one_notice ON notices
        (person, kind, COALESCE(booking_id, 0), sitting_id, sequence)""",
    "CREATE INDEX notices_by_status ON notices (status)",
)

# A cancelled sitting held after all (``planner reinstate``) is its own kind of sitting change,
# so every view can say so; before, an extra sitting on the date silently undid the
# cancellation. SQLite cannot change a CHECK constraint in place: the table is rebuilt with its
# rows, ids kept (the order of changes is their id), the removed mark of migration 3 included.
# Nothing refers to sitting_changes, so dropping it leaves no foreign key dangling.
_REINSTATED = (
    """CREATE TABLE sitting_changes_new (
        id INTEGER PRIMARY KEY,
        command_id INTEGER NOT NULL REFERENCES commands(id),
        panel TEXT NOT NULL,
        date TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('cancelled', 'extra', 'reinstated')),
        reason TEXT NOT NULL DEFAULT '',
        agreed_by TEXT NOT NULL DEFAULT '',
        removed_command_id INTEGER REFERENCES commands(id)
    )""",
    """INSERT INTO sitting_changes_new
        (id, command_id, panel, date, kind, reason, agreed_by, removed_command_id)
        SELECT id, command_id, panel, date, kind, reason, agreed_by, removed_command_id
        FROM sitting_changes""",
    "DROP TABLE sitting_changes",
    "ALTER TABLE sitting_changes_new RENAME TO sitting_changes",
)

# Statutory clocks (issue 26): when the request was made, which the SEND clocks count from, and
# the periods a case's clocks stand still (``2027-07-22..2027-09-01 school-closure-4-weeks``,
# several separated by ``;``), kept with the hearing like its other dates; NULL when not given.
_CLOCKS = (
    "ALTER TABLE hearings ADD COLUMN requested TEXT",
    "ALTER TABLE hearings ADD COLUMN clock_pauses TEXT",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "the forward planner", _INITIAL),
    Migration(2, "users, sessions and sign-in lockout", _USERS),
    Migration(3, "withdrawn follow-ups and removed extra sittings", _CORRECTIONS),
    Migration(4, "the outbox of notices and reminders", _NOTICES),
    Migration(5, "cancelled sittings reinstated", _REINSTATED),
    Migration(6, "statutory clocks: the request date and clock pauses", _CLOCKS),
)

__all__ = ["APPLICATION_ID", "MIGRATIONS", "Migration"]
