"""The forward planner in the browser: ``panelsched serve``.

A FastAPI application over the same store and the same workflow functions the command line
uses (:mod:`panelsched.forward`): a page only reads a form, calls :func:`~panelsched.forward.add`,
:func:`~panelsched.forward.decide`, :func:`~panelsched.forward.cancel` or
:func:`~panelsched.forward.extra` and renders what they return, so a change made in the browser
is what ``panelsched planner show`` sees, and the reverse.

Laid out as the FastAPI project template lays out an app: :func:`panelsched.web.main.create_app`
builds it from a :class:`~panelsched.web.config.WebConfig`; :mod:`.state` holds what every
request shares, :mod:`.deps` what a route asks for (the session, a checked form, a role),
:mod:`.errors` the error pages, :mod:`.middleware` the guard around every request, and
:mod:`.routes` one router per thing a person works with, sharing :mod:`.forms`, :mod:`.pages`
and :mod:`.background`. :mod:`.security` and :mod:`.accounts` hold passwords, sessions and the
users' tables. The ``serve`` and ``users`` commands are in :mod:`panelsched.cli.serve`; this
package's ``__init__`` imports nothing, so they load without the ``web`` extra and say what to
install.
"""
