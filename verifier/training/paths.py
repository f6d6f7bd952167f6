"""The data folder: one setting for every training command.

Resolved in `data_dir`, in this order: the `--data-dir` option, the `VERIFIER_DATA` environment
variable, a recipe's `data_dir`, then `shared/data` beside the repository (`../shared/data` from
its root), where the project keeps its datasets.
"""

from __future__ import annotations

import os
from pathlib import Path

from verifier.errors import InputError

DATA_ENV = "VERIFIER_DATA"
DEFAULT_DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data"


def data_dir(option: str | Path | None = None, recipe: str | Path | None = None) -> Path:
    """The data folder (holding `train/` and `dev/`); InputError when it does not exist."""
    chosen = option or os.environ.get(DATA_ENV) or recipe or DEFAULT_DATA_DIR
    path = Path(chosen).expanduser()
    if not path.is_dir():
        raise InputError(f"data folder not found: {path}; pass --data-dir or set {DATA_ENV}")
    return path
