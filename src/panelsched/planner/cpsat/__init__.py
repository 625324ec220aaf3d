"""The planner's engine: CP-SAT with a HiGHS relaxation; the only code that imports ortools.

Nothing outside :mod:`panelsched.planner` imports from here; callers use
:func:`panelsched.planner.solve`.
"""
