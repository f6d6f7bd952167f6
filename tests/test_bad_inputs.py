"""The inputs users really give: each ends in exit 0 (the run goes on, the row gets an `error`)
or exit 2 with one line naming the problem; never a traceback, and good rows are written.

Runs the commands as typed (progress bar on), with the fake models behind the real loading path.
"""

from __future__ import annotations

import csv
import json

import pytest
from conftest import SEED_ARTICLE
from typer.testing import CliRunner

from verifier import cli

CLAIM = "Russian forces confirmed the evacuation of 3,154 people, including 1,428 children."
PROSE = ("The ministry said on Tuesday that the convoy carrying food and medicine had reached the town after a "
         "long delay at the checkpoint, and that more aid would follow in the coming days. ")


@pytest.fixture(autouse=True)
def _fakes(fake_model_loading):
    return fake_model_loading


def run(*args, input=None):
    r = CliRunner().invoke(cli.app, [str(a) for a in args], input=input)
    assert r.exception is None or isinstance(r.exception, SystemExit), f"traceback: {r.exception!r}\n{r.output}"
    return r


def one_line_error(r, code, fragment):
    assert r.exit_code == code, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and fragment in lines[0], r.stderr


def rows_of(path):
    if path.suffix == ".csv":
        with path.open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


# -- claims given to `check` -------------------------------------------------------------------


@pytest.mark.parametrize("claim, code, fragment", [
    ("", 2, "the claim is empty"),
    ("   \t ", 2, "the claim is empty"),
    ("x" * 10_000, 2, "the claim has 10,000 characters; the limit is 2,000"),
    ((PROSE * 12)[:1_600], 0, ""),
])
def test_check_claims(claim, code, fragment):
    r = run("check", claim, "--article", SEED_ARTICLE)
    if code:
        one_line_error(r, code, fragment)
    else:
        assert r.exit_code == 0 and "NOT MENTIONED" in r.stdout


# -- articles given to `check` -----------------------------------------------------------------


def _articles(tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    (tmp_path / "empty.txt").write_text("", encoding="utf-8")
    (tmp_path / "binary.bin").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "latin1.txt").write_bytes("Le café est fermé. Russian forces confirmed it.".encode("latin-1"))
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbf" + SEED_ARTICLE.read_bytes())
    (tmp_path / "scripts.html").write_text("<html><body><script>var a = 1;</script></body></html>", encoding="utf-8")
    return {
        "missing": (tmp_path / "nope.txt", 2, "article file not found"),
        "folder": (folder, 2, "article path is a folder, not a file"),
        "empty": (tmp_path / "empty.txt", 2, "the article is empty"),
        "binary": (tmp_path / "binary.bin", 2, "looks like a binary file"),
        "latin1": (tmp_path / "latin1.txt", 2, "not valid utf-8"),
        "bom": (tmp_path / "bom.txt", 0, ""),
        "only-scripts-html": (tmp_path / "scripts.html", 2, "empty after removing HTML markup"),
    }


@pytest.mark.parametrize("case", ["missing", "folder", "empty", "binary", "latin1", "bom", "only-scripts-html"])
def test_check_articles(tmp_path, case):
    path, code, fragment = _articles(tmp_path)[case]
    r = run("check", CLAIM, "--article", path, "--json")
    if code:
        one_line_error(r, code, fragment)
    else:
        verdict = json.loads(r.stdout)
        ev = verdict["evidence"][0]
        assert SEED_ARTICLE.read_text(encoding="utf-8-sig")[ev["start"]:ev["end"]] == ev["text"]


def test_latin1_article_with_its_encoding(tmp_path):
    path = _articles(tmp_path)["latin1"][0]
    r = run("check", "Russian forces confirmed it.", "--article", path, "--encoding", "latin-1", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["label"] == "supported"
    one_line_error(run("check", CLAIM, "--article", path, "--encoding", "klingon"), 2, "unknown text encoding")


REAL_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Ceasefire holds | Example News</title>
<script>window.dataLayer = [];</script>
<style>.nav { color: red }</style>
<body class="article">
<!-- header -->
<nav><ul><li><a href="/">Home</a><li><a href="/world">World</a></ul></nav>
<article>
<h1>Ceasefire holds in the region</h1>
<p class="byline">By A. Reporter &middot; 21 September 2023
<p>Russian forces confirmed the evacuation of 3,154 people, including 1,428 children, to their locations.
<p>Talks between the two sides began in Yevlakh on Thursday.<br>They lasted three hours.
</article>
<footer>&copy; 2023 Example News</footer>
<script>track();</script>
"""


def test_real_world_html_unclosed_head_and_paragraphs(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(REAL_PAGE, encoding="utf-8")
    r = run("check", CLAIM, "--article", page, "--json")
    assert r.exit_code == 0, r.output
    verdict = json.loads(r.stdout)
    assert verdict["label"] == "supported"
    assert verdict["evidence"][0]["text"].startswith("Russian forces confirmed the evacuation of 3,154 people")
    from verifier.article import read_article

    text = read_article(page).text
    assert "window.dataLayer" not in text and ".nav" not in text and "track()" not in text
    assert "Talks between the two sides began in Yevlakh on Thursday.\nThey lasted three hours." in text
    assert "By A. Reporter · 21 September 2023" in text
    # the same page as a .txt file, or through stdin, is still recognised as a whole HTML page
    r = run("check", CLAIM, "--article", "-", "--json", input=REAL_PAGE)
    assert json.loads(r.stdout)["evidence"][0]["text"] == verdict["evidence"][0]["text"]


def test_broken_html_fragment_as_html(tmp_path):
    frag = tmp_path / "frag.html"
    frag.write_text("<div><p>Russian forces confirmed the evacuation of <b>3,154 people, including 1,428 children"
                    "</div></span></p> trailing <i>words", encoding="utf-8")
    r = run("check", CLAIM, "--article", frag, "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["label"] == "supported"


# -- batch files ---------------------------------------------------------------------------------


def test_batch_bad_files(tmp_path):
    (tmp_path / "noclaim.csv").write_text("id,text\n1,x\n", encoding="utf-8")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    (tmp_path / "in.csv").write_text(f'id,claim\n1,"{CLAIM}"\n', encoding="utf-8")
    (tmp_path / "in.xlsx").write_bytes(b"PK\x03\x04")
    out = tmp_path / "out.csv"
    art = ["--article", SEED_ARTICLE]
    one_line_error(run("batch", tmp_path / "noclaim.csv", "--output", out, *art), 2,
                   "missing column 'claim'; the header has: id, text")
    one_line_error(run("batch", tmp_path / "empty.csv", "--output", out, *art), 2, "the file is empty")
    one_line_error(run("batch", tmp_path / "missing.csv", "--output", out, *art), 2, "input file not found")
    one_line_error(run("batch", tmp_path, "--output", out, *art), 2, "unknown file type")
    one_line_error(run("batch", tmp_path / "in.xlsx", "--output", out, *art), 2, "unknown file type; use .csv")
    one_line_error(run("batch", tmp_path / "in.csv", "--output", tmp_path / "no/such/dir/out.csv", *art), 2,
                   "output folder does not exist")
    one_line_error(run("batch", tmp_path / "in.csv", "--output", tmp_path / "in.csv", *art), 2,
                   "the output file must differ from the input file")
    one_line_error(run("batch", tmp_path / "in.csv", "--output", tmp_path / "out.txt", *art), 2, "unknown file type")
    assert not out.exists()


def test_batch_rows_users_write(tmp_path):
    """BOM, quoted newlines, an empty claim among good ones, blank and missing ids, huge claims."""
    inp, out = tmp_path / "claims.csv", tmp_path / "out.csv"
    long_claim = (PROSE * 12)[:1_600]
    inp.write_bytes("\ufeffid,claim\n".encode() + (
        f'a,"{CLAIM}"\n'
        ',"Russian forces confirmed the evacuation\nof 3,154 people."\n'
        'c,\n'
        ',   \n'
        f'e,"{"y" * 10_000}"\n'
        f'f,"{long_claim}"\n').encode())
    r = run("batch", inp, "--output", out, "--article", SEED_ARTICLE)
    assert r.exit_code == 0, r.output
    rows = rows_of(out)
    assert [row["id"] for row in rows] == ["a", "2", "c", "4", "e", "f"]
    assert [row["label"] for row in rows] == ["supported", "supported", "", "", "", "not_mentioned"]
    assert "the claim is empty" in rows[2]["error"] and "the claim is empty" in rows[3]["error"]
    assert "the limit is 2,000" in rows[4]["error"]
    assert "6 rows" in r.stderr and "errors 3" in r.stderr
    # resume: nothing is done twice, the blank-id rows are recognised by their row numbers
    r = run("batch", inp, "--output", out, "--article", SEED_ARTICLE, "--resume")
    assert r.exit_code == 0 and "skipped 6" in r.stderr and len(rows_of(out)) == 6


def test_batch_all_rows_failing_reports_no_speed(tmp_path):
    inp, out = tmp_path / "claims.csv", tmp_path / "out.csv"
    inp.write_text("id,claim\n1,\n2,\n", encoding="utf-8")
    r = run("batch", inp, "--output", out, "--article", SEED_ARTICLE)
    summary = r.stderr.strip().splitlines()[-1]
    assert r.exit_code == 0 and "2 rows" in summary and "(no verdicts)" in summary and "claims/s" not in summary


def test_batch_jsonl_with_a_malformed_line(tmp_path):
    inp, out = tmp_path / "claims.jsonl", tmp_path / "out.jsonl"
    inp.write_text(json.dumps({"id": "a", "claim": CLAIM}) + "\n{not json\n\n[1, 2]\n"
                   + json.dumps({"claim": "Baku is a city."}) + "\n", encoding="utf-8")
    r = run("batch", inp, "--output", out, "--article", SEED_ARTICLE)
    assert r.exit_code == 0, r.output
    rows = rows_of(out)
    assert [row["id"] for row in rows] == ["a", "2", "3", "4"]
    assert rows[0]["label"] == "supported" and rows[3]["label"] == "not_mentioned"
    assert "line 2 is not valid JSON" in rows[1]["error"] and "line 4 is not a JSON object" in rows[2]["error"]


def test_batch_article_cells_are_text_unless_said_otherwise(tmp_path):
    """A cell that mentions <br> or <p> keeps its offsets; html is a choice (column or --format)."""
    inp, out = tmp_path / "claims.csv", tmp_path / "out.jsonl"
    cell = "Use <br> for a line break in <p> tags. The mayor opened the new bridge on Monday."
    with inp.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "claim", "article", "article_format"])
        w.writerow(["1", "The mayor opened the new bridge on Monday.", cell, ""])
        w.writerow(["2", "The mayor opened the new bridge on Monday.", "<p>The mayor opened the new bridge.</p>",
                    "html"])
        w.writerow(["3", "The mayor opened the new bridge.", "x", "pdf"])
    r = run("batch", inp, "--output", out)
    assert r.exit_code == 0, r.output
    rows = rows_of(out)
    assert cell[rows[0]["evidence_start"]:rows[0]["evidence_end"]] == rows[0]["evidence"]
    assert rows[0]["evidence"] == "The mayor opened the new bridge on Monday."
    assert rows[1]["evidence"] == "The mayor opened the new bridge." and rows[1]["evidence_start"] == 0
    assert "unknown article_format 'pdf'" in rows[2]["error"]
    r = run("batch", inp, "--output", tmp_path / "html.jsonl", "--format", "html")
    assert rows_of(tmp_path / "html.jsonl")[0]["evidence"] == "The mayor opened the new bridge on Monday."


def test_batch_row_articles_that_fail(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02")
    folder = tmp_path / "dir.txt"
    folder.mkdir()
    inp, out = tmp_path / "claims.csv", tmp_path / "out.csv"
    inp.write_text(f'id,claim,article_path\n1,"{CLAIM}",missing.txt\n2,"{CLAIM}",bin.txt\n3,"{CLAIM}",dir.txt\n'
                   f'4,"{CLAIM}",\n', encoding="utf-8")
    r = run("batch", inp, "--output", out)
    assert r.exit_code == 0, r.output
    errors = [row["error"] for row in rows_of(out)]
    assert "article file not found" in errors[0] and "binary" in errors[1] and "folder" in errors[2]
    assert "row has no article" in errors[3]


def test_eval_onto_its_input_is_refused(tmp_path):
    gold = tmp_path / "gold.csv"
    gold.write_text(f'claim,label\n"{CLAIM}",supported\n', encoding="utf-8")
    before = gold.read_bytes()
    one_line_error(run("eval", gold, "--article", SEED_ARTICLE, "--output", gold), 2, "must differ from the input")
    assert gold.read_bytes() == before
    one_line_error(run("eval", tmp_path / "nope.csv", "--article", SEED_ARTICLE), 2, "input file not found")


def test_eval_output_writes_each_prediction(tmp_path):
    gold, out = tmp_path / "gold.csv", tmp_path / "pred.jsonl"
    gold.write_text(f'claim,label\n"{CLAIM}",supported\n"Baku is a city.",contradicted\n', encoding="utf-8")
    r = run("eval", gold, "--article", SEED_ARTICLE, "--output", out, "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["accuracy"] == 0.5
    assert [(row["id"], row["label"], row["gold"]) for row in rows_of(out)] == [
        ("1", "supported", "supported"), ("2", "not_mentioned", "contradicted")]


def test_internal_errors_are_one_line_with_exit_4(monkeypatch, tmp_path):
    from verifier import pipeline

    def broken(self, claims, articles):
        raise RuntimeError("something nobody expected\nsecond line")

    monkeypatch.setattr(pipeline.Verifier, "verify_many", broken)
    one_line_error(run("check", CLAIM, "--article", SEED_ARTICLE), 4, "internal error (RuntimeError: something nobody")
    # in a batch the same failure is each row's error, and the run ends normally
    inp, out = tmp_path / "in.csv", tmp_path / "out.csv"
    inp.write_text(f'id,claim\n1,"{CLAIM}"\n', encoding="utf-8")
    monkeypatch.setattr(pipeline.Verifier, "verify", lambda self, c, a: broken(self, [c], a))
    r = run("batch", inp, "--output", out, "--article", SEED_ARTICLE)
    assert r.exit_code == 0 and "internal error (RuntimeError" in rows_of(out)[0]["error"]


def test_help_is_plain_and_whole():
    r = run("batch", "--help")
    assert r.exit_code == 0
    assert "<bool>" not in r.stdout and "…" not in r.stdout and "--contradict-threshold P" in r.stdout
    check = run("check", "--help").stdout
    assert "<list[str]>" not in check and "{CLAIM}..." in check and "one or more CLAIMs" in check
