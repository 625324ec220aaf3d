"""The planner's engine: CP-SAT with a HiGHS relaxation; the only code that imports ortools.

:mod:`.rounds` holds ``solve`` and its rounds; each round runs stage 1 for a panel
(:mod:`.panel`: the held search, its starting plans in :mod:`.starts`, the level-by-level
:mod:`.fallback`, each search through :mod:`.search`, the local search :mod:`.improve`, over
the rows of :mod:`.assignment` and the bounds of :mod:`.relaxation`), then stage 2 over the
plan (:mod:`.slots`, one day at a time in :mod:`.sequencing`); :mod:`.pick` keeps the best
round's plan, :mod:`.pacing` shares the wall clock under a cap, :mod:`.solver` makes CP-SAT
repeatable and stoppable.

Nothing outside :mod:`panelsched.planner` imports from here; callers use
:func:`panelsched.planner.solve`.
"""
