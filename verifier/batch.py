"""Streaming batch verification: CSV or JSONL in, CSV or JSONL out, in constant memory.

Rows are read one at a time and verified in chunks (`verify_chunk`, the one function every
engine uses, on `verify_each`: an error per claim instead of an exception for the lot, which
the web worker uses too); each chunk's results are written and flushed before the next chunk is read, so an
interrupted run keeps every row it finished, and `resume=True` skips the ids already in the
output (after cutting off a record the interruption left half-written). A bad row gets an
`error` value and the run goes on.
"""

from __future__ import annotations

import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from verifier.article import ARTICLE_FORMATS, Article, make_article, read_article
from verifier.errors import InputError, VerifierError
from verifier.labels import Label
from verifier.pipeline import validate_claim
from verifier.protocols import ClaimVerifier
from verifier.tables import ROW_ERROR, RowWriter, read_rows, recover_output, table_format
from verifier.verdict import Verdict

RESULT_COLUMNS = [
    "label", "confidence", "p_supported", "p_contradicted", "p_not_mentioned",
    "evidence", "evidence_start", "evidence_end", "evidence_role", "checks", "needs_review", "error",
]


@dataclass
class BatchSummary:
    """What a batch run did."""

    rows: int = 0
    skipped: int = 0
    errors: int = 0
    labels: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def verified(self) -> int:
        """Rows that got a verdict."""
        return self.rows - self.errors

    @property
    def claims_per_second(self) -> float:
        """Verified rows (rows with a verdict) per second of wall time."""
        return self.verified / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "rows": self.rows, "skipped": self.skipped, "errors": self.errors,
            "labels": {str(k): v for k, v in sorted(self.labels.items())},
            "seconds": round(self.seconds, 3), "claims_per_second": round(self.claims_per_second, 2),
        }

    def add(self, row: dict[str, Any]) -> None:
        """Count one output row."""
        self.rows += 1
        if row["error"]:
            self.errors += 1
        else:
            self.labels[Label(row["label"])] += 1


def result_columns(verdict: Verdict | None, error: str = "") -> dict[str, Any]:
    """The columns a batch adds to a row for one verdict (or an error)."""
    if verdict is None:
        return {c: "" for c in RESULT_COLUMNS} | {"error": error}
    p = verdict.passage
    return {
        "label": verdict.label.value,
        "confidence": round(verdict.confidence, 4),
        "p_supported": round(verdict.probabilities.get(Label.SUPPORTED, 0.0), 4),
        "p_contradicted": round(verdict.probabilities.get(Label.CONTRADICTED, 0.0), 4),
        "p_not_mentioned": round(verdict.probabilities.get(Label.NOT_MENTIONED, 0.0), 4),
        "evidence": p.text if p else "",
        "evidence_start": p.start if p else "",
        "evidence_end": p.end if p else "",
        "evidence_role": ("evidence" if p.is_evidence else "closest") if p else "",
        "checks": "; ".join(c.explanation for c in verdict.checks),
        "needs_review": "yes" if verdict.needs_review else "",
        "error": "",
    }


class ArticleSource:
    """Resolves a row's article: its `article` cell (text), its `article_path` (a file, relative
    to `base_dir`), or the default; files are cached.

    The format of a cell is text unless the row's `article_format` column or `format` says
    otherwise; a file's is taken from its extension (`.html`, `.md`) unless given. Evidence
    offsets index the text as given for text and Markdown, and the extracted text for HTML.
    """

    def __init__(self, default: Article | None = None, base_dir: Path | None = None, format: str = "auto",
                 size: int = 32):
        if format not in ARTICLE_FORMATS:
            raise InputError(f"unknown article format {format!r}; use one of {', '.join(ARTICLE_FORMATS)}")
        self.default = default
        self.base_dir = base_dir or Path.cwd()
        self.format = format
        self.cache: OrderedDict[tuple[str, str], Article] = OrderedDict()
        self.size = size

    def get(self, row: dict[str, Any]) -> Article:
        fmt = str(row.get("article_format") or "").strip().lower() or self.format
        if fmt not in ARTICLE_FORMATS:
            raise InputError(f"unknown article_format {fmt!r}; use one of {', '.join(ARTICLE_FORMATS)}")
        text = row.get("article")
        if isinstance(text, str) and text.strip():
            return make_article(text, "text" if fmt == "auto" else fmt)
        path = row.get("article_path")
        if isinstance(path, str) and path.strip():
            full = Path(path)
            if not full.is_absolute():
                full = self.base_dir / full
            key = (str(full), fmt)
            if key not in self.cache:
                self.cache[key] = read_article(full, fmt)
                while len(self.cache) > self.size:
                    self.cache.popitem(last=False)
            self.cache.move_to_end(key)
            return self.cache[key]
        if self.default is None:
            raise InputError("row has no article: give an 'article' or 'article_path' column, or --article")
        return self.default


class Outcome(NamedTuple):
    """One claim's result: a verdict, or the reason there is none."""

    verdict: Verdict | None
    error: str = ""


def error_message(e: BaseException) -> str:
    """What to tell the user about a claim that could not be verified (the one policy of every caller)."""
    if isinstance(e, VerifierError):
        return str(e)
    if isinstance(e, OSError):
        return f"cannot read article: {e.strerror or e}"
    return f"internal error ({type(e).__name__}: {e}); please report it"


def verify_each(
    verifier: ClaimVerifier, claims: Sequence[str], articles: str | Article | Sequence[str | Article]
) -> list[Outcome]:
    """Verify claims together (against one article, or one per claim) and return one `Outcome` per
    claim, in order. Never raises for a claim: when the batch fails, the claims are verified one at
    a time so that only the claims at fault get an error (`error_message`).
    """
    if not claims:
        return []
    try:
        return [Outcome(v) for v in verifier.verify_many(claims, articles)]
    except Exception as e:  # noqa: BLE001 - a claim's failure is that claim's error
        if len(claims) == 1:
            return [Outcome(None, error_message(e))]
    per_claim = [articles] * len(claims) if isinstance(articles, (str, Article)) else list(articles)
    out: list[Outcome] = []
    for claim, article in zip(claims, per_claim):  # find the claim(s) at fault; the others still get verdicts
        try:
            out.append(Outcome(verifier.verify(claim, article)))
        except Exception as e:  # noqa: BLE001
            out.append(Outcome(None, error_message(e)))
    return out


def verify_chunk(verifier: ClaimVerifier, rows: Sequence[dict[str, Any]], articles: ArticleSource
                 ) -> list[dict[str, Any]]:
    """Verify rows together and return one output row per input row, in order: the input
    columns plus `RESULT_COLUMNS`. Never raises for a row: a row that cannot be verified gets
    its reason in `error`. Rows should carry their `id` already.
    """
    results: list[dict[str, Any] | None] = [None] * len(rows)
    ready: list[tuple[int, str, Article]] = []
    for k, row in enumerate(rows):
        try:
            if ROW_ERROR in row:
                raise InputError(str(row[ROW_ERROR]))
            ready.append((k, validate_claim(str(row.get("claim") or "")), articles.get(row)))
        except Exception as e:  # noqa: BLE001 - a row's failure is that row's error
            results[k] = result_columns(None, error_message(e))
    outcomes = verify_each(verifier, [c for _, c, _ in ready], [a for _, _, a in ready])
    for (k, _, _), outcome in zip(ready, outcomes):
        results[k] = result_columns(outcome.verdict, outcome.error)
    return [{**{c: v for c, v in row.items() if c != ROW_ERROR}, **res}  # type: ignore[dict-item]
            for row, res in zip(rows, results)]


def numbered(rows: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Rows with an `id`: a row whose `id` is missing or blank gets its 1-based row number."""
    for number, row in enumerate(rows, 1):
        rid = row.get("id")
        if rid is None or str(rid).strip() == "":
            row = {"id": str(number), **{k: v for k, v in row.items() if k != "id"}}
        yield row


def verify_rows(
    verifier: ClaimVerifier,
    rows: Iterable[dict[str, Any]],
    *,
    articles: ArticleSource | None = None,
    skip_ids: set[str] | None = None,
    chunk_size: int = 256,
    summary: BatchSummary | None = None,
) -> Iterator[dict[str, Any]]:
    """Verify rows in chunks and yield each output row (input columns + results), in order.

    A row without an `id` gets its 1-based row number as `id`. Rows whose id is in `skip_ids`
    are skipped. A bad row yields an `error` value instead of raising.
    """
    summary = summary if summary is not None else BatchSummary()
    articles = articles or ArticleSource()
    skip = skip_ids or set()
    start = time.perf_counter()
    chunk: list[dict[str, Any]] = []

    def flush() -> Iterator[dict[str, Any]]:
        for out in verify_chunk(verifier, chunk, articles):
            summary.add(out)
            summary.seconds = time.perf_counter() - start
            yield out
        chunk.clear()

    for row in numbered(rows):
        if str(row["id"]) in skip:
            summary.skipped += 1
            continue
        chunk.append(row)
        if len(chunk) >= chunk_size:
            yield from flush()
    if chunk:
        yield from flush()
    summary.seconds = time.perf_counter() - start


def same_file(a: str | Path, b: str | Path) -> bool:
    """Whether two paths name the same file (existing or not)."""
    pa, pb = Path(a), Path(b)
    if pa.exists() and pb.exists():
        return pa.samefile(pb)
    return pa.resolve() == pb.resolve()


def run_batch(
    verifier: ClaimVerifier,
    input_path: str | Path,
    output_path: str | Path,
    *,
    default_article: Article | None = None,
    article_format: str = "auto",
    resume: bool = False,
    chunk_size: int = 256,
    on_row: Callable[[dict[str, Any]], None] | None = None,
) -> BatchSummary:
    """Verify every row of `input_path` and write results to `output_path` as they come.

    Relative `article_path` values are read relative to the input file's folder.

    Raises:
        InputError: unusable input or output file (checked before anything is verified).
    """
    inp, out = Path(input_path), Path(output_path)
    table_format(out)
    if same_file(inp, out):
        raise InputError("the output file must differ from the input file")
    articles = ArticleSource(default_article, inp.parent, article_format)
    rows = read_rows(inp)
    first = next(rows, None)  # surface a bad header before the output file is touched
    skip = recover_output(out) if resume else set()
    summary = BatchSummary()
    with RowWriter(out, append=resume) as writer:
        if first is None:
            return summary

        def all_rows() -> Iterator[dict[str, Any]]:
            yield first
            yield from rows

        for n, row in enumerate(verify_rows(verifier, all_rows(), articles=articles, skip_ids=skip,
                                            chunk_size=chunk_size, summary=summary), 1):
            writer.write(row)
            if n % chunk_size == 0:
                writer.flush()
            if on_row is not None:
                on_row(row)
    return summary
