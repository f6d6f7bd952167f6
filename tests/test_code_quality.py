"""The code stays lint-clean (ruff) and type-checks (mypy), with the settings in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT


@pytest.mark.parametrize("tool", [["ruff", "check", "verifier", "tests", "benchmarks"], ["mypy"]], ids=["ruff", "mypy"])
def test_tool_passes(tool):
    pytest.importorskip(tool[0])
    proc = subprocess.run([sys.executable, "-m", *tool], check=False, cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
