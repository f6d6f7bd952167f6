"""AVeriTeC claims as (evidence passage, claim) pairs, in the form the pipeline sees.

A fact-checker's question-answer evidence becomes one short passage: extractive and abstractive
answers as written; a short answer ("No", "$5 million") after its question, so that it says
something on its own; a yes/no answer by its explanation where there is one; unanswerable answers
left out. Labels: Supported -> supported, Refuted -> contradicted, Not Enough Evidence ->
not_mentioned; Conflicting Evidence/Cherrypicking is left out (none of the three labels fits).
"""

from __future__ import annotations

import re

LABELS = {"Supported": "entailment", "Refuted": "contradiction", "Not Enough Evidence": "neutral"}
SHORT_ANSWER_WORDS = 6
MAX_WORDS = 120

_SPACE = re.compile(r"\s+")


def _sentence(text: str) -> str:
    text = _SPACE.sub(" ", text).strip()
    return text if not text or text[-1] in ".!?\"'”" else text + "."


def answer_text(question: str, answer: dict) -> str:
    """One answer as a stand-alone piece of evidence ('' for an unanswerable one)."""
    kind = (answer.get("answer_type") or "").lower()
    text = _sentence(answer.get("answer") or "")
    if kind == "unanswerable" or not text:
        return ""
    if kind == "boolean":
        explanation = _sentence(answer.get("boolean_explanation") or "")
        if explanation:
            return explanation
    if len(text.split()) < SHORT_ANSWER_WORDS:
        q = _SPACE.sub(" ", question).strip().rstrip("?")
        return f"{q}? {text}" if q else text
    return text


def evidence_passage(questions: list[dict], max_words: int = MAX_WORDS) -> str:
    """The answers to a claim's questions, in order, as one passage of at most about `max_words` words."""
    parts: list[str] = []
    words = 0
    for q in questions or []:
        for a in q.get("answers") or []:
            text = answer_text(q.get("question") or "", a)
            if not text:
                continue
            n = len(text.split())
            if parts and words + n > max_words:
                return " ".join(parts)
            if n > max_words:
                text = " ".join(text.split()[:max_words])
            parts.append(text)
            words += n
    return " ".join(parts)
