import csv
import json

import pytest

from verifier.article import make_article
from verifier.batch import RESULT_COLUMNS, run_batch
from verifier.errors import InputError
from verifier.tables import ROW_ERROR, read_rows, recover_output

CLAIM = "Russian forces confirmed the evacuation of 3,154 people, including 1,428 children."


def write_csv(path, rows, header, encoding="utf-8"):
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


def read_csv(path):
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_output_keeps_input_columns_and_adds_results(tmp_path, fake_verifier, seed_text):
    inp, out = tmp_path / "in.csv", tmp_path / "out.csv"
    write_csv(inp, [["a1", CLAIM, "x"], ["a2", "The UN Security Council met in New York.", "y"]],
              ["id", "claim", "note"])
    summary = run_batch(fake_verifier, inp, out, default_article=make_article(seed_text))
    rows = read_csv(out)
    assert list(rows[0]) == ["id", "claim", "note", *RESULT_COLUMNS]
    assert [r["id"] for r in rows] == ["a1", "a2"] and rows[1]["note"] == "y"
    assert rows[0]["label"] == "supported" and rows[1]["label"] == "not_mentioned"
    start, end = int(rows[0]["evidence_start"]), int(rows[0]["evidence_end"])
    assert seed_text[start:end] == rows[0]["evidence"]
    assert summary.rows == 2 and summary.errors == 0 and summary.labels["supported"] == 1


def test_quoted_newlines_bom_and_per_row_articles(tmp_path, fake_verifier):
    art = tmp_path / "art.txt"
    art.write_text("Paris is the capital of France.\nIt rains often.", encoding="utf-8")
    inp, out = tmp_path / "in.csv", tmp_path / "out.jsonl"
    inp.write_bytes("\ufeffclaim,article,article_path\n".encode() + (
        b'"Berlin is the capital\nof Germany.","Berlin is the capital of Germany. It is big.",\n'
        b'"Paris is the capital of France.",,art.txt\n'))
    run_batch(fake_verifier, inp, out)
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["1", "2"]  # row numbers stand in for missing ids
    assert rows[0]["label"] == "supported" and rows[0]["evidence"] == "Berlin is the capital of Germany."
    assert rows[1]["label"] == "supported" and rows[1]["evidence"] == "Paris is the capital of France."


def test_bad_rows_get_errors_and_the_run_goes_on(tmp_path, fake_verifier, seed_text):
    inp, out = tmp_path / "in.csv", tmp_path / "out.csv"
    write_csv(inp, [["1", ""], ["2", CLAIM], ["3", "x" * 3000]], ["id", "claim"])
    summary = run_batch(fake_verifier, inp, out)  # no default article
    rows = read_csv(out)
    assert [r["error"] != "" for r in rows] == [True, True, True]
    assert "claim is empty" in rows[0]["error"] and "no article" in rows[1]["error"]
    summary = run_batch(fake_verifier, inp, out, default_article=make_article(seed_text))
    rows = read_csv(out)
    assert [bool(r["error"]) for r in rows] == [True, False, True]
    assert summary.errors == 2 and summary.rows == 3


def test_missing_article_file_is_a_row_error(tmp_path, fake_verifier):
    inp, out = tmp_path / "in.csv", tmp_path / "out.csv"
    write_csv(inp, [["1", "A claim.", "missing.txt"]], ["id", "claim", "article_path"])
    run_batch(fake_verifier, inp, out)
    assert "not found" in read_csv(out)[0]["error"]


def test_missing_claim_column_and_bad_encoding_and_bad_json(tmp_path):
    p = tmp_path / "in.csv"
    write_csv(p, [["1", "x"]], ["id", "text"])
    with pytest.raises(InputError, match="missing column 'claim'; the header has: id, text"):
        list(read_rows(p))
    p.write_bytes(b"id,claim\n1,caf\xe9\n")
    with pytest.raises(InputError, match="line 2 is not valid UTF-8"):
        list(read_rows(p))
    j = tmp_path / "in.jsonl"
    j.write_text('{"claim": "a"}\n{broken\n[1]\n', encoding="utf-8")
    assert list(read_rows(j)) == [{"claim": "a"}, {ROW_ERROR: "line 2 is not valid JSON (Expecting property name "
                                                          "enclosed in double quotes)"},
                                  {ROW_ERROR: "line 3 is not a JSON object"}]
    with pytest.raises(InputError, match="unknown file type"):
        list(read_rows(tmp_path / "in.xlsx"))
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        list(read_rows(empty))


def test_resume_skips_done_ids_and_appends(tmp_path, fake_verifier, seed_text):
    inp, out = tmp_path / "in.csv", tmp_path / "out.csv"
    write_csv(inp, [[str(i), f"claim number {i} about Baku"] for i in range(1, 6)], ["id", "claim"])
    # a previous run that stopped after two rows
    write_csv(inp.with_name("first.csv"), [["1", "claim number 1 about Baku"], ["2", "claim number 2 about Baku"]],
              ["id", "claim"])
    run_batch(fake_verifier, inp.with_name("first.csv"), out, default_article=make_article(seed_text))
    assert recover_output(out) == {"1", "2"}
    summary = run_batch(fake_verifier, inp, out, default_article=make_article(seed_text), resume=True)
    rows = read_csv(out)
    assert [r["id"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert summary.skipped == 2 and summary.rows == 3


def test_rows_are_written_as_they_go(tmp_path, seed_text):
    """A crash mid-run keeps every chunk already verified."""
    from fakes import FakeEmbedder, FakeNLI

    from verifier import Verifier

    class PowerCut(BaseException):
        """Stands for the process dying: nothing catches it."""

    class Exploding(FakeNLI):
        def predict(self, pairs):
            if any(claim.startswith("claim 6 ") for _, claim in pairs):  # the third chunk
                raise PowerCut()
            return super().predict(pairs)

    verifier = Verifier(nli=Exploding(), embedder=FakeEmbedder())
    inp, out = tmp_path / "in.csv", tmp_path / "out.csv"
    write_csv(inp, [[str(i), f"claim {i} about Baku"] for i in range(10)], ["id", "claim"])
    with pytest.raises(PowerCut):
        run_batch(verifier, inp, out, default_article=make_article(seed_text), chunk_size=3)
    assert [r["id"] for r in read_csv(out)] == ["0", "1", "2", "3", "4", "5"]
    summary = run_batch(Verifier(nli=FakeNLI(), embedder=FakeEmbedder()), inp, out,
                        default_article=make_article(seed_text), resume=True, chunk_size=3)
    assert summary.skipped == 6 and [r["id"] for r in read_csv(out)] == [str(i) for i in range(10)]


def test_same_input_and_output_refused(tmp_path, fake_verifier):
    p = tmp_path / "a.csv"
    write_csv(p, [["1", "x"]], ["id", "claim"])
    with pytest.raises(InputError, match="must differ"):
        run_batch(fake_verifier, p, p)
