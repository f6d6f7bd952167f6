"""The Jinja2 environment for pages and reports: autoescaping on for every template."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"

LABEL_NAMES = {"supported": "Supported", "contradicted": "Contradicted", "not_mentioned": "Not mentioned"}


def _label_name(value: Any) -> str:
    text = getattr(value, "value", value)
    return LABEL_NAMES.get(str(text), str(text)) if text else "—"


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _when(stamp: str | None) -> str:
    return (stamp or "")[:16].replace("T", " ") + (" UTC" if stamp else "")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Templates from `templates/`, autoescaped whatever their extension."""
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["label_name"] = _label_name
    env.filters["percent"] = _percent
    env.filters["when"] = _when
    return env


def render(template_name: str, **context: Any) -> str:
    """Render a template to a string."""
    return environment().get_template(template_name).render(**context)
