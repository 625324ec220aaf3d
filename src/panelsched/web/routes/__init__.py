"""The web application's routes, one router per thing a person works with: signing in
(:mod:`.sign_in`), the diary's pages (:mod:`.diary`), a sitting (:mod:`.sittings`), the
decisions to record (:mod:`.decisions`), the work between sittings (:mod:`.between_sittings`),
a change's progress (:mod:`.progress`), uploads (:mod:`.uploads`), messages (:mod:`.outbox`),
downloads (:mod:`.downloads`), the statutory clocks at risk (:mod:`.risks`) and counted
(:mod:`.clocks`).

Each router takes what it needs from :mod:`panelsched.web.deps` and the shared helpers
(:mod:`~panelsched.web.forms`, :mod:`~panelsched.web.pages`,
:mod:`~panelsched.web.background`), never from the application or another router.
"""
