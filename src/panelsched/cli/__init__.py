"""The ``panelsched`` command: read inputs, call the library, write outputs. Nothing more.

:mod:`.main` holds the top-level commands (calendar, plan, validate); one module per command
group (:mod:`.plot`, :mod:`.planner`, :mod:`.scenario`), with what they share in
:mod:`.common`.
"""

from panelsched.cli.main import app, main

__all__ = ["app", "main"]
