"""The notify package tells people; it never needs the solver."""

from __future__ import annotations

import subprocess
import sys


def test_importing_notify_does_not_import_ortools() -> None:
    code = "import sys, panelsched.notify; print(sorted(m for m in sys.modules if 'ortools' in m))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
