"""``python -m panelsched.cli ...``: the ``panelsched`` command, for a process started from a
Python without the console script on its path (``make serve``, ``benchmarks/bench_web.py``)."""

from panelsched.cli import main

if __name__ == "__main__":
    main()
