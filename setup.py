"""Build hook: a wheel carries the default NLI model inside the package.

Configuration is in pyproject.toml. The model lives in `models/nli-minilm-l6/` of the source
tree (with its card); `build_py` copies it to `verifier/_models/nli-minilm-l6/` of the build, so
that `pip install verifier-*.whl` (or `pip install git+URL`) can check claims offline.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

MODEL = "nli-minilm-l6"
MODEL_FILES = ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
               "vocab.txt", "README.md")


class BuildWithModel(build_py):
    """build_py, plus the default model's files as package data."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads models/ from the source tree
        source = Path(__file__).resolve().parent / "models" / MODEL
        target = Path(self.build_lib) / "verifier" / "_models" / MODEL
        if not (source / "model.safetensors").exists():
            raise SystemExit(f"the default model is missing at {source}; it is part of the source tree")
        target.mkdir(parents=True, exist_ok=True)
        for name in MODEL_FILES:
            if (source / name).exists():
                shutil.copy2(source / name, target / name)


setup(cmdclass={"build_py": BuildWithModel})
