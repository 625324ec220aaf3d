"""pyproject.toml: a licence setuptools reads without a deprecation warning at install."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.version import Version

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def test_the_licence_is_an_spdx_expression_and_setuptools_reads_it() -> None:
    document = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    # A table ({ text = "MIT" }) makes setuptools 77 and later warn at every install.
    assert document["project"]["license"] == "MIT"
    # With an SPDX expression, a "License ::" classifier is an error for setuptools.
    assert not [c for c in document["project"].get("classifiers", []) if c.startswith("License")]
    (setuptools,) = [
        Requirement(r) for r in document["build-system"]["requires"] if r.startswith("setuptools")
    ]
    # 77.0 is the first release that reads `license` as an SPDX expression.
    lowest = min(Version(s.version) for s in setuptools.specifier if s.operator in (">=", "=="))
    assert lowest >= Version("77")
