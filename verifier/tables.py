"""Claim tables on disk: reading CSV / JSONL rows, writing result rows, and recovering an
output file that an interrupted run left behind (for `--resume`).

Every complete output record ends with a newline; a run killed mid-write leaves at most one
partial record at the end, which `recover_output` cuts off so that its row is done again.
"""

from __future__ import annotations

import csv
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from verifier.errors import InputError

if TYPE_CHECKING:
    from typing_extensions import Self

TABLE_FORMATS = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
ROW_ERROR = "__row_error__"  # key of a row that could not be read (malformed JSONL line)


def table_format(path: str | Path) -> str:
    """'csv' or 'jsonl' from the file extension."""
    fmt = TABLE_FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise InputError(f"{path}: unknown file type; use .csv, .jsonl or .ndjson")
    return fmt


def allow_big_cells() -> None:
    """Let CSV cells hold whole articles (the csv module's default cap is 128 KiB)."""
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # a C long: 32 bits on Windows


def _decode_lines(f: IO[bytes], path: str | Path) -> Iterator[str]:
    for number, raw in enumerate(f, 1):
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{path}: line {number} is not valid UTF-8; re-save the file as UTF-8") from None


def _skip_bom(f: IO[bytes]) -> None:
    f.seek(3 if f.read(3) == b"\xef\xbb\xbf" else 0)


def read_rows(path: str | Path) -> Iterator[dict[str, Any]]:
    """Rows of a CSV (header row; UTF-8, BOM allowed) or JSONL file, one at a time.

    A JSONL line that is not a JSON object is yielded as `{ROW_ERROR: reason}` so that the
    caller can report it as that row's error and go on.

    Raises:
        InputError: the file is missing, not UTF-8, malformed CSV, or has no `claim` column.
    """
    p = Path(path)
    fmt = table_format(p)
    if p.is_dir():
        raise InputError(f"input path is a folder, not a file: {p}")
    if not p.is_file():
        raise InputError(f"input file not found: {p}")
    allow_big_cells()
    with p.open("rb") as f:
        _skip_bom(f)
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
                    row.pop(None, None)  # type: ignore[call-overload]  # cells beyond the header
                    yield {k: ("" if v is None else v) for k, v in row.items()}
            except csv.Error as e:
                raise InputError(f"{p}: malformed CSV near line {reader.line_num}: {e}") from None
            return
        seen_row = False
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as e:
                yield {ROW_ERROR: f"line {number} is not valid JSON ({e.msg})"}
                continue
            if not isinstance(row, dict):
                yield {ROW_ERROR: f"line {number} is not a JSON object"}
                continue
            if not seen_row and "claim" not in row:
                raise InputError(f"{p}: missing field 'claim' in the first row; it has: {', '.join(row) or 'nothing'}")
            seen_row = True
            yield row


class OutputCorrupt(InputError):
    """An output file that resume cannot trust."""


def recover_output(path: str | Path) -> set[str]:
    """Ids already in an output file, after cutting off a partial last record (for resume).

    A run killed while writing leaves its last record cut short; that record is removed, so its
    row is verified again. Damage anywhere else is not guessed at.

    Raises:
        OutputCorrupt: a record before the last one is malformed, or the file has no `id` column.
    """
    p = Path(path)
    if not p.exists() or p.stat().st_size == 0:
        return set()
    if p.is_dir():
        raise InputError(f"output path is a folder, not a file: {p}")
    allow_big_cells()
    reader = _read_csv_ids if table_format(p) == "csv" else _read_jsonl_ids
    with p.open("rb") as f:
        ids, good_end = reader(f, p)
    if good_end < p.stat().st_size:
        with p.open("r+b") as f:
            f.truncate(good_end)
            f.flush()
            os.fsync(f.fileno())
    return ids


def _corrupt(p: Path, where: str, what: str) -> OutputCorrupt:
    return OutputCorrupt(
        f"{p}: {where} {what}; the output is damaged before its end, so --resume cannot tell which rows "
        "are done: repair or remove that record, or write to a new output file"
    )


def _read_jsonl_ids(f: IO[bytes], p: Path) -> tuple[set[str], int]:
    ids: set[str] = set()
    good_end = 0
    size = os.fstat(f.fileno()).st_size
    for number, raw in enumerate(f, 1):
        end = good_end + len(raw)
        complete = raw.endswith(b"\n")
        try:
            row = json.loads(raw.decode("utf-8")) if raw.strip() else {}
            ok = complete and isinstance(row, dict) and (not raw.strip() or "id" in row)
        except (UnicodeDecodeError, json.JSONDecodeError):
            ok = False
        if not ok:
            if end < size:
                raise _corrupt(p, f"line {number}", "is not a complete JSON object with an 'id'")
            return ids, good_end
        if raw.strip():
            ids.add(str(row["id"]))
        good_end = end
    return ids, good_end


def _read_csv_ids(f: IO[bytes], p: Path) -> tuple[set[str], int]:
    size = os.fstat(f.fileno()).st_size
    _skip_bom(f)
    consumed = f.tell()
    last_line_complete = True

    def lines() -> Iterator[str]:
        nonlocal consumed, last_line_complete
        for raw in f:
            consumed += len(raw)
            last_line_complete = raw.endswith(b"\n")
            yield raw.decode("utf-8", errors="strict")

    reader = csv.reader(lines(), strict=True)
    try:
        header = next(reader)
    except (csv.Error, UnicodeDecodeError, StopIteration):
        return set(), 0  # not even a whole header line: start the file again
    if not last_line_complete:
        return set(), 0
    if "id" not in header:
        raise OutputCorrupt(f"{p}: has no 'id' column (its header is: {', '.join(header)}); cannot resume into it")
    id_col = header.index("id")
    ids: set[str] = set()
    good_end = consumed
    while True:
        try:
            record = next(reader)
        except StopIteration:
            return ids, good_end
        except (csv.Error, UnicodeDecodeError) as e:
            if consumed < size:
                raise _corrupt(p, f"the record near line {reader.line_num}", f"is malformed ({e})") from None
            return ids, good_end
        if not last_line_complete or len(record) != len(header):
            if consumed < size:
                raise _corrupt(p, f"the record near line {reader.line_num}",
                               f"has {len(record)} cells for {len(header)} columns")
            return ids, good_end
        ids.add(record[id_col])
        good_end = consumed


class RowWriter:
    """Writes result rows to CSV or JSONL, appending when resuming; `flush()` makes them durable."""

    def __init__(self, path: str | Path, append: bool = False):
        self.path = Path(path)
        self.format = table_format(self.path)
        if self.path.is_dir():
            raise InputError(f"output path is a folder, not a file: {self.path}")
        if not self.path.parent.is_dir():
            raise InputError(f"output folder does not exist: {self.path.parent}")
        exists = append and self.path.exists() and self.path.stat().st_size > 0
        self.columns: list[str] | None = None
        if exists and self.format == "csv":
            allow_big_cells()
            with self.path.open(encoding="utf-8-sig", newline="") as f:
                self.columns = next(csv.reader(f), None)
        try:
            self._file = self.path.open("a" if exists else "w", encoding="utf-8", newline="")
        except OSError as e:
            raise InputError(f"cannot write {self.path}: {e.strerror or e}") from None
        self._csv: csv.DictWriter | None = None

    def write(self, row: dict[str, Any]) -> None:
        """Write one row."""
        if self.format == "jsonl":
            self._file.write(json.dumps(row, ensure_ascii=False) + "\n")
            return
        if self._csv is None:
            if self.columns is None:
                self.columns = list(row)
                self._csv = csv.DictWriter(self._file, self.columns, extrasaction="ignore", lineterminator="\n")
                self._csv.writeheader()
            else:
                self._csv = csv.DictWriter(self._file, self.columns, extrasaction="ignore", lineterminator="\n")
        self._csv.writerow(row)

    def flush(self) -> None:
        """Push written rows to disk."""
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        """Flush and close."""
        if not self._file.closed:
            self.flush()
            self._file.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
