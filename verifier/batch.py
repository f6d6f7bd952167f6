"""Streaming batch verification: CSV or JSONL in, CSV or JSONL out, in constant memory.

Rows are read one at a time and verified in chunks; each chunk's results are written and
flushed before the next chunk is read, so an interrupted run keeps every row it finished and
`resume=True` skips the ids already in the output. A bad row gets an `error` value and the
run goes on.
"""

from __future__ import annotations

import csv
import json
import sys
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from verifier.article import Article, make_article, read_article
from verifier.errors import InputError, VerifierError
from verifier.labels import Label
from verifier.pipeline import check_claim
from verifier.verdict import Verdict

if TYPE_CHECKING:
    from typing_extensions import Self

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

RESULT_COLUMNS = [
    "label", "confidence", "p_supported", "p_contradicted", "p_not_mentioned",
    "evidence", "evidence_start", "evidence_end", "evidence_role", "checks", "needs_review", "error",
]
FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def file_format(path: str | Path) -> str:
    """'csv' or 'jsonl' from the file extension."""
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: unknown file type; use .csv, .jsonl or .ndjson")
    return fmt


def _decode_lines(f: IO[bytes], path: str | Path) -> Iterator[str]:
    for number, raw in enumerate(f, 1):
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{path}: line {number} is not valid UTF-8; re-save the file as UTF-8") from None


def read_rows(path: str | Path) -> Iterator[dict[str, Any]]:
    """Rows of a CSV (header row; UTF-8, BOM allowed) or JSONL file, one at a time.

    Raises:
        InputError: the file is missing, not UTF-8, malformed, or has no `claim` column.
    """
    p = Path(path)
    fmt = file_format(p)
    if not p.is_file():
        raise InputError(f"input file not found: {p}")
    with p.open("rb") as f:
        head = f.read(4)
        f.seek(3 if head.startswith(b"\xef\xbb\xbf") else 0)
        lines = _decode_lines(f, p)
        if fmt == "csv":
            reader = csv.DictReader(lines)
            try:
                columns = reader.fieldnames
            except csv.Error as e:
                raise InputError(f"{p}: not a readable CSV file ({e})") from None
            if not columns:
                raise InputError(f"{p}: the file is empty (no header row)")
            if "claim" not in columns:
                raise InputError(f"{p}: missing column 'claim'; the header has: {', '.join(columns)}")
            try:
                for row in reader:
                    row.pop(None, None)  # cells beyond the header
                    yield {k: ("" if v is None else v) for k, v in row.items()}
            except csv.Error as e:
                raise InputError(f"{p}: malformed CSV near line {reader.line_num}: {e}") from None
        else:
            for number, line in enumerate(lines, 1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as e:
                    raise InputError(f"{p}: line {number} is not valid JSON ({e.msg})") from None
                if not isinstance(row, dict):
                    raise InputError(f"{p}: line {number} is not a JSON object")
                if number == 1 and "claim" not in row:
                    raise InputError(f"{p}: missing field 'claim' in the first row; it has: {', '.join(row)}")
                yield row


def done_ids(path: str | Path) -> set[str]:
    """Ids already written to an output file (for resume); empty if it does not exist."""
    p = Path(path)
    if not p.exists() or p.stat().st_size == 0:
        return set()
    ids: set[str] = set()
    try:
        for row in read_rows(p):
            if str(row.get("id", "")) != "":
                ids.add(str(row["id"]))
    except InputError:
        return ids
    return ids


class RowWriter:
    """Writes result rows to CSV or JSONL, appending when resuming; flushes on `flush()`."""

    def __init__(self, path: str | Path, append: bool = False):
        self.path = Path(path)
        self.format = file_format(self.path)
        exists = append and self.path.exists() and self.path.stat().st_size > 0
        self.columns: list[str] | None = None
        if exists and self.format == "csv":
            with self.path.open(encoding="utf-8-sig", newline="") as f:
                self.columns = next(csv.reader(f), None)
        self._file = self.path.open("a" if exists else "w", encoding="utf-8", newline="")
        self._csv: csv.DictWriter | None = None

    def write(self, row: dict[str, Any]) -> None:
        """Write one row."""
        if self.format == "jsonl":
            self._file.write(json.dumps(row, ensure_ascii=False) + "\n")
            return
        if self._csv is None:
            if self.columns is None:
                self.columns = list(row)
                self._csv = csv.DictWriter(self._file, self.columns, extrasaction="ignore")
                self._csv.writeheader()
            else:
                self._csv = csv.DictWriter(self._file, self.columns, extrasaction="ignore")
        self._csv.writerow(row)

    def flush(self) -> None:
        """Push written rows to disk."""
        self._file.flush()

    def close(self) -> None:
        """Flush and close."""
        self._file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class BatchSummary:
    """What a batch run did."""

    rows: int = 0
    skipped: int = 0
    errors: int = 0
    labels: Counter = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def claims_per_second(self) -> float:
        """Verified rows (errors included) per second of wall time."""
        return self.rows / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "rows": self.rows, "skipped": self.skipped, "errors": self.errors,
            "labels": {str(k): v for k, v in sorted(self.labels.items())},
            "seconds": round(self.seconds, 3), "claims_per_second": round(self.claims_per_second, 2),
        }


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


class _ArticleSource:
    """Resolves a row's article (`article` text, `article_path`, or the default), caching paths."""

    def __init__(self, default: Article | None, base_dir: Path, size: int = 32):
        self.default = default
        self.base_dir = base_dir
        self.cache: OrderedDict[str, Article] = OrderedDict()
        self.size = size

    def get(self, row: dict[str, Any]) -> Article:
        text = row.get("article")
        if isinstance(text, str) and text.strip():
            return make_article(text)
        path = row.get("article_path")
        if isinstance(path, str) and path.strip():
            full = Path(path)
            if not full.is_absolute():
                full = self.base_dir / full
            key = str(full)
            if key not in self.cache:
                self.cache[key] = read_article(full)
                while len(self.cache) > self.size:
                    self.cache.popitem(last=False)
            self.cache.move_to_end(key)
            return self.cache[key]
        if self.default is None:
            raise InputError("row has no article: give an 'article' or 'article_path' column, or --article")
        return self.default


def verify_rows(
    verifier: Any,
    rows: Iterable[dict[str, Any]],
    *,
    default_article: Article | None = None,
    base_dir: Path | None = None,
    skip_ids: set[str] | None = None,
    chunk_size: int = 256,
    summary: BatchSummary | None = None,
) -> Iterator[dict[str, Any]]:
    """Verify rows in chunks and yield each output row (input columns + results), in order.

    A row without an `id` gets its 1-based row number as `id`. Rows whose id is in `skip_ids`
    are skipped. A bad row yields an `error` value instead of raising.
    """
    summary = summary if summary is not None else BatchSummary()
    articles = _ArticleSource(default_article, base_dir or Path.cwd())
    skip = skip_ids or set()
    start = time.perf_counter()
    chunk: list[dict[str, Any]] = []

    def flush_chunk() -> Iterator[dict[str, Any]]:
        ready: list[tuple[int, str, Article]] = []
        results: list[dict[str, Any] | None] = [None] * len(chunk)
        for k, row in enumerate(chunk):
            try:
                ready.append((k, check_claim(str(row.get("claim") or "")), articles.get(row)))
            except VerifierError as e:
                results[k] = result_columns(None, str(e))
            except OSError as e:
                results[k] = result_columns(None, f"cannot read article: {e}")
        if ready:
            try:
                verdicts = verifier.verify_many([c for _, c, _ in ready], [a for _, _, a in ready])
            except VerifierError:
                verdicts = None
            for n, (k, claim, article) in enumerate(ready):
                if verdicts is not None:
                    results[k] = result_columns(verdicts[n])
                    continue
                try:
                    results[k] = result_columns(verifier.verify(claim, article))
                except VerifierError as e:
                    results[k] = result_columns(None, str(e))
        for row, res in zip(chunk, results):
            assert res is not None
            summary.rows += 1
            if res["error"]:
                summary.errors += 1
            else:
                summary.labels[Label(res["label"])] += 1
            summary.seconds = time.perf_counter() - start
            yield {**row, **res}
        chunk.clear()

    for number, row in enumerate(rows, 1):
        if str(row.get("id", "")) == "":
            row = {"id": str(number), **row}
        if str(row["id"]) in skip:
            summary.skipped += 1
            continue
        chunk.append(row)
        if len(chunk) >= chunk_size:
            yield from flush_chunk()
    if chunk:
        yield from flush_chunk()
    summary.seconds = time.perf_counter() - start


def run_batch(
    verifier: Any,
    input_path: str | Path,
    output_path: str | Path,
    *,
    default_article: Article | None = None,
    resume: bool = False,
    chunk_size: int = 256,
    on_row: Callable[[dict[str, Any]], None] | None = None,
) -> BatchSummary:
    """Verify every row of `input_path` and write results to `output_path` as they come.

    Relative `article_path` values are read relative to the input file's folder.
    """
    inp, out = Path(input_path), Path(output_path)
    if inp.resolve() == out.resolve():
        raise InputError("the output file must differ from the input file")
    file_format(out)
    skip = done_ids(out) if resume else set()
    summary = BatchSummary(skipped=0)
    rows = read_rows(inp)
    first = next(rows, None)  # surface a bad header before the output file is touched
    if first is None:
        return summary

    def all_rows() -> Iterator[dict[str, Any]]:
        yield first
        yield from rows

    with RowWriter(out, append=resume) as writer:
        for n, row in enumerate(verify_rows(verifier, all_rows(), default_article=default_article,
                                            base_dir=inp.parent, skip_ids=skip, chunk_size=chunk_size,
                                            summary=summary), 1):
            writer.write(row)
            if n % chunk_size == 0:
                writer.flush()
            if on_row is not None:
                on_row(row)
    return summary

