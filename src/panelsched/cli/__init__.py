"""The ``panelsched`` command: read inputs, call the library, write outputs. Nothing more.

:mod:`.main` holds the top-level commands (calendar, plan, validate); one module per command
group (:mod:`.plot`, :mod:`.forward_planner` for ``planner``, :mod:`.scenario`, :mod:`.advise`,
and :mod:`.serve` for ``serve`` and ``users``), with what they share in :mod:`.common`.
``python -m panelsched.cli`` runs it too.
"""

import time

# Before the commands' imports: ``plan --time-limit`` counts them (see process_started).
IMPORTED = time.perf_counter()

from panelsched.cli.main import app, main  # noqa: E402

__all__ = ["IMPORTED", "app", "main"]
