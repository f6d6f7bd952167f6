"""Batch verification on a Ray cluster (Ray Data): the same rows in and out as `run_batch`.

The driver reads the input (CSV, JSONL or Parquet), gives rows without an id their row number
and leaves out the ids a resumed output already has, exactly as the local engine does. Rows
travel to the cluster as JSON text, in blocks; `Dataset.map_batches` runs `VerifyChunk` in a
pool of actors (one `Verifier` per actor, built there by `verifier_factory`, so an article is
embedded once per actor), each batch through `batch.verify_chunk`, the function the local
engine uses. The driver writes the results as they come back: CSV or JSONL (flushed after
every batch, so `resume` works as it does locally) or a folder of Parquet files (one per batch,
written under a temporary name and then renamed). Rows come back in the order they finish, not
the input order; each carries its `id`.

Needs the `ray` extra: `pip install 'verifier[ray]'`.
"""

from __future__ import annotations

import itertools
import json
import os
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from verifier.article import Article
from verifier.batch import ArticleSource, BatchSummary, numbered, same_file, verify_chunk
from verifier.errors import InputError, VerifierError
from verifier.protocols import ClaimVerifier
from verifier.tables import RowWriter, read_rows, recover_output, table_format

PARQUET = ".parquet"
_NUMERIC = {"confidence": "float64", "p_supported": "float64", "p_contradicted": "float64",
            "p_not_mentioned": "float64", "evidence_start": "int64", "evidence_end": "int64"}


class RayEngineError(VerifierError):
    """The Ray job failed (a worker could not build its verifier, the cluster went away, ...)."""


def _require_ray() -> Any:
    try:
        import ray
        import ray.data
    except ImportError:
        raise InputError("--engine ray needs Ray Data: pip install 'verifier[ray]'") from None
    return ray


def is_parquet(path: str | Path) -> bool:
    """Whether a path names Parquet: a .parquet file, or for output a folder (existing or ending in .parquet)."""
    return Path(path).suffix.lower() == PARQUET


def read_any_rows(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a CSV, JSONL or Parquet file (or a folder of Parquet files)."""
    if not is_parquet(path) and not (path.is_dir() and any(path.glob(f"*{PARQUET}"))):
        yield from read_rows(path)
        return
    import pyarrow.parquet as pq

    files = sorted(path.glob(f"*{PARQUET}")) if path.is_dir() else [path]
    if not files or not all(f.is_file() for f in files):
        raise InputError(f"input file not found: {path}")
    for file in files:
        try:
            parquet = pq.ParquetFile(file)
        except Exception as e:  # noqa: BLE001 - pyarrow raises several types for unreadable files
            raise InputError(f"{file}: not a readable Parquet file ({e})") from None
        if "claim" not in parquet.schema_arrow.names:
            raise InputError(f"{file}: missing column 'claim'; it has: {', '.join(parquet.schema_arrow.names)}")
        for batch in parquet.iter_batches(batch_size=4096):
            yield from batch.to_pylist()


class ParquetParts:
    """Output as a folder of Parquet files, one per batch; resume reads the ids of the complete ones."""

    def __init__(self, folder: Path, append: bool):
        if folder.exists() and not folder.is_dir():
            raise InputError(f"Parquet output must be a folder: {folder} is a file")
        if not folder.parent.is_dir():
            raise InputError(f"output folder does not exist: {folder.parent}")
        folder.mkdir(exist_ok=True)
        if not append and any(folder.glob(f"*{PARQUET}")):
            raise InputError(f"{folder} already holds Parquet files: use --resume to add to them, or a new folder")
        for leftover in folder.glob("*.tmp"):  # a part whose write was interrupted: its rows are done again
            leftover.unlink()
        self.folder = folder

    def done_ids(self) -> set[str]:
        """Ids in the folder's part files."""
        import pyarrow.parquet as pq

        ids: set[str] = set()
        for part in sorted(self.folder.glob(f"*{PARQUET}")):
            ids.update(str(v) for v in pq.read_table(part, columns=["id"]).column("id").to_pylist())
        return ids

    def write(self, rows: list[dict[str, Any]]) -> None:
        """Write rows as one part: input columns as text, result columns typed."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        columns: dict[str, list[Any]] = {}
        for row in rows:
            for name in row:
                columns.setdefault(name, [])
        for name, values in columns.items():
            values.extend(_cell(name, row.get(name)) for row in rows)
        table = pa.table({name: pa.array(values, type=_NUMERIC.get(name, "string"))
                          for name, values in columns.items()})
        name = f"part-{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}{PARQUET}"
        tmp = self.folder / (name + ".tmp")
        pq.write_table(table, tmp)
        os.replace(tmp, self.folder / name)


    def close(self) -> None:
        """Nothing to do: every part is complete once written."""


class _TableRows:
    """CSV or JSONL output, flushed after every batch."""

    def __init__(self, path: Path, append: bool):
        self.writer = RowWriter(path, append=append)

    def write(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            self.writer.write(row)
        self.writer.flush()

    def close(self) -> None:
        self.writer.close()


def _cell(name: str, value: Any) -> Any:
    if name in _NUMERIC:
        return None if value == "" or value is None else value
    if value is None or isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else str(value)


class VerifyChunk:
    """The Ray Data actor: one `Verifier` (built on the worker), batches verified by `verify_chunk`."""

    def __init__(self, verifier_factory: Callable[[], ClaimVerifier], default: Article | None, base_dir: str, fmt: str):
        self.verifier = verifier_factory()
        self.articles = ArticleSource(default, Path(base_dir), fmt)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[str]]:
        rows = [json.loads(text) for text in batch["row"]]
        outs = verify_chunk(self.verifier, rows, self.articles)
        return {"row": [json.dumps(out, ensure_ascii=False) for out in outs]}


def run_batch_ray(
    verifier_factory: Callable[[], ClaimVerifier],
    input_path: str | Path,
    output_path: str | Path,
    *,
    default_article: Article | None = None,
    article_format: str = "auto",
    resume: bool = False,
    chunk_size: int = 256,
    workers: int | None = None,
    address: str | None = None,
    on_row: Callable[[dict[str, Any]], None] | None = None,
) -> BatchSummary:
    """Verify every row of `input_path` on Ray and write the results to `output_path` as they come.

    Args:
        verifier_factory: a picklable callable that builds the `Verifier` (called once per actor).
        input_path: .csv, .jsonl or .parquet (a file, or a folder of .parquet files).
        output_path: .csv or .jsonl file, or a folder for Parquet parts (a name ending in .parquet).
        default_article: the article of rows without one.
        article_format: as for `run_batch`.
        resume: skip ids already in the output and add to it.
        chunk_size: rows per `map_batches` batch (what one actor verifies at a time).
        workers: actors in the pool (default: one per CPU of the cluster).
        address: the Ray cluster (`auto`, `ray://host:10001`); None starts a local Ray, or joins the
            one `ray.init` already started in this process.

    Raises:
        InputError: unusable input or output (checked before Ray starts), or Ray is not installed.
        RayEngineError: the job failed on the cluster.
    """
    ray = _require_ray()
    inp, out = Path(input_path), Path(output_path)
    parquet_out = is_parquet(out)
    if not parquet_out:
        table_format(out)
    if same_file(inp, out):
        raise InputError("the output file must differ from the input file")
    rows = numbered(read_any_rows(inp))
    first = next(rows, None)  # surface a bad input before the output is touched
    parts = ParquetParts(out, append=resume) if parquet_out else None
    skip = (parts.done_ids() if parts else recover_output(out)) if resume else set()
    summary = BatchSummary()
    start = time.perf_counter()
    blocks = _blocks(first, rows, skip, summary, block_rows=chunk_size)
    first_block = next(blocks, None)
    sink: ParquetParts | _TableRows = parts or _TableRows(out, append=resume)
    try:
        if first_block is not None:
            started = not ray.is_initialized()
            if started:
                ray.init(address=address, include_dashboard=False, log_to_driver=False, configure_logging=False)
            try:
                for batch in _results(ray, itertools.chain([first_block], blocks), verifier_factory, default_article,
                                      str(inp.parent.resolve()), article_format, chunk_size, workers):
                    outs = [json.loads(text) for text in batch["row"]]
                    sink.write(outs)
                    for row in outs:
                        summary.add(row)
                        if on_row is not None:
                            on_row(row)
                    summary.seconds = time.perf_counter() - start
            finally:
                if started:
                    ray.shutdown()
    finally:
        sink.close()
    summary.seconds = time.perf_counter() - start
    return summary


def _blocks(first: dict[str, Any] | None, rows: Iterator[dict[str, Any]], skip: set[str], summary: BatchSummary,
            block_rows: int) -> Iterator[list[str]]:
    """The rows to verify as JSON text, `block_rows` at a time; counts the skipped ones."""
    block: list[str] = []
    for row in itertools.chain([first] if first is not None else [], rows):
        if str(row["id"]) in skip:
            summary.skipped += 1
            continue
        block.append(json.dumps(row, ensure_ascii=False, default=str))
        if len(block) >= block_rows:
            yield block
            block = []
    if block:
        yield block


def _results(ray: Any, blocks: Iterator[list[str]], verifier_factory: Callable[[], ClaimVerifier],
             default: Article | None, base_dir: str, fmt: str, chunk_size: int,
             workers: int | None) -> Iterator[dict[str, Any]]:
    import pyarrow as pa

    size = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # the CLI shows its own
    context.print_on_execution_start = False
    # Into the object store one block at a time: the driver never holds the whole input.
    refs = [ray.put(pa.table({"row": pa.array(block, type=pa.string())})) for block in blocks]
    ds = ray.data.from_arrow_refs(refs).map_batches(
        VerifyChunk, batch_size=chunk_size, batch_format="numpy", num_cpus=1,
        compute=ray.data.ActorPoolStrategy(size=size),
        fn_constructor_args=(verifier_factory, default, base_dir, fmt))
    try:
        yield from ds.iter_batches(batch_size=None, batch_format="numpy")
    except ray.exceptions.RayError as e:
        raise RayEngineError(f"the Ray job failed: {_first_line(e)}") from None


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    errors = [line for line in lines if "Error" in line and not line.startswith(("File ", "Traceback"))]
    return (errors[-1] if errors else lines[-1] if lines else type(error).__name__)[:500]

