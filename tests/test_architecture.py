"""The package's layers import only downward: import-linter checks the contracts in ``pyproject.toml``.

A module that imports from a layer above its own (``sellersim.market`` importing ``sellersim.model``,
``sellersim.results`` importing ``sellersim.report``) fails this test with import-linter's account of
the import chain, so the layers stay one-way as the code grows.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sellersim

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def test_every_layer_imports_only_from_the_layers_below() -> None:
    package_parent = Path(sellersim.__file__).resolve().parents[1]  # lint the code these tests import
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(package_parent), os.environ.get("PYTHONPATH", "")])}
    checked = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
