import pytest

from verifier.article import detect_format, make_article, read_article
from verifier.errors import InputError


def test_plain_text_kept_as_given():
    a = make_article("  Hello world.\nSecond line. ")
    assert a.text == "  Hello world.\nSecond line. "
    assert a.format == "text"


def test_html_tags_scripts_and_entities():
    html = (
        "<html><head><title>T</title><style>p{}</style></head><body><h1>Headline</h1>"
        "<p>The U.S. said Dr. Smith &amp; aides <b>left</b>.</p><script>alert(1)</script>"
        "<ul><li>one<li>two</ul></body></html>"
    )
    a = make_article(html)
    assert a.format == "html"
    assert a.text == "Headline\nThe U.S. said Dr. Smith & aides left.\n- one\n- two"


def test_malformed_html_still_gives_text():
    a = make_article("<div><p>Unclosed <b>bold <i>text</div> and <p>more <span>words", format="html")
    assert "Unclosed bold text" in a.text
    assert "more words" in a.text


def test_markdown_detected_and_kept():
    md = "# Title\n\nSome **bold** claim.\n- item one\n- item two\n"
    assert detect_format(md) == "markdown"
    assert make_article(md).text == md


def test_empty_and_binary_and_bad_encoding(tmp_path):
    with pytest.raises(InputError, match="empty"):
        make_article("   \n ")
    with pytest.raises(InputError, match="empty after removing HTML"):
        make_article("<html><body><script>x</script></body></html>")
    with pytest.raises(InputError, match="binary"):
        make_article(b"\x89PNG\x00\x00\x01")
    bad = tmp_path / "latin.txt"
    bad.write_bytes("Caf\xe9 au lait.".encode("latin-1"))
    with pytest.raises(InputError, match="not valid utf-8"):
        read_article(bad)
    assert read_article(bad, encoding="latin-1").text == "Café au lait."


def test_read_article_from_file_and_missing(tmp_path):
    f = tmp_path / "a.html"
    f.write_text("<p>Text in a file.</p>", encoding="utf-8")
    assert read_article(f).text == "Text in a file."
    with pytest.raises(InputError, match="not found"):
        read_article(tmp_path / "nope.txt")
    with pytest.raises(InputError, match="folder"):
        read_article(tmp_path)


def test_bom_is_removed(tmp_path):
    f = tmp_path / "bom.txt"
    f.write_bytes("\ufeffFirst sentence.".encode("utf-8"))
    assert read_article(f).text == "First sentence."
