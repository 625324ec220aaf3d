"""The forward planner in the browser: ``panelsched serve``.

A FastAPI application over the same store and the same workflow functions the command line
uses (:mod:`panelsched.forward`): a page only reads a form, calls :func:`~panelsched.forward.add`,
:func:`~panelsched.forward.decide`, :func:`~panelsched.forward.cancel` or
:func:`~panelsched.forward.extra` and renders what they return, so a change made in the browser
is what ``panelsched planner show`` sees, and the reverse.

Build the application with :func:`panelsched.web.app.create_app`; the ``serve`` and ``users``
commands are in :mod:`panelsched.web.commands`. This package imports FastAPI only in
:mod:`~panelsched.web.app` and below, so the commands load without the ``web`` extra and say
what to install.
"""
