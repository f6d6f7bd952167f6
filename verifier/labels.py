"""The three verdict labels, shared by the model config, the library, the CLI and files."""

from __future__ import annotations

from enum import Enum


class Label(str, Enum):
    """What the article says about a claim."""

    SUPPORTED = "supported"
    CONTRADICTED = "contradicted"
    NOT_MENTIONED = "not_mentioned"

    def __str__(self) -> str:
        return self.value


LABELS: tuple[Label, ...] = (Label.SUPPORTED, Label.CONTRADICTED, Label.NOT_MENTIONED)

# Names NLI datasets and Hub models use for each of our labels (lower-cased).
LABEL_ALIASES: dict[str, Label] = {
    "supported": Label.SUPPORTED,
    "supports": Label.SUPPORTED,
    "support": Label.SUPPORTED,
    "entailment": Label.SUPPORTED,
    "entailed": Label.SUPPORTED,
    "entails": Label.SUPPORTED,
    "agree": Label.SUPPORTED,
    "true": Label.SUPPORTED,
    "contradicted": Label.CONTRADICTED,
    "contradiction": Label.CONTRADICTED,
    "contradicts": Label.CONTRADICTED,
    "refutes": Label.CONTRADICTED,
    "refute": Label.CONTRADICTED,
    "refuted": Label.CONTRADICTED,
    "disagree": Label.CONTRADICTED,
    "false": Label.CONTRADICTED,
    "not_mentioned": Label.NOT_MENTIONED,
    "neutral": Label.NOT_MENTIONED,
    "not enough info": Label.NOT_MENTIONED,
    "not_enough_info": Label.NOT_MENTIONED,
    "notenoughinfo": Label.NOT_MENTIONED,
    "nei": Label.NOT_MENTIONED,
    "discuss": Label.NOT_MENTIONED,
    "unrelated": Label.NOT_MENTIONED,
}


def parse_label(name: str) -> Label:
    """Map a dataset's or model's label name to a `Label`; `ValueError` if it has no meaning here."""
    key = name.strip().lower().replace("-", "_")
    label = LABEL_ALIASES.get(key) or LABEL_ALIASES.get(key.replace("_", " "))
    if label is None:
        raise ValueError(
            f"unknown label {name!r}: expected one of "
            + ", ".join(sorted({*LABEL_ALIASES}))
        )
    return label
