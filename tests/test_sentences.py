from verifier.sentences import MAX_SENTENCE_CHARS, split_sentences


def texts(text):
    spans = split_sentences(text)
    for s in spans:
        assert text[s.start : s.end] == s.text
    return [s.text for s in spans]


def test_abbreviations_numbers_and_times_do_not_split():
    text = (
        "The U.S. envoy met Gen. Smith and Dr. Jones at 09:00 GMT on Sept. 20. "
        "Russian forces confirmed the evacuation of 3,154 people, including 13.5% children. "
        "Prices rose 2.5 percent."
    )
    assert texts(text) == [
        "The U.S. envoy met Gen. Smith and Dr. Jones at 09:00 GMT on Sept. 20.",
        "Russian forces confirmed the evacuation of 3,154 people, including 13.5% children.",
        "Prices rose 2.5 percent.",
    ]


def test_quotes_and_paragraph_breaks():
    text = '"We will not leave," he said. "Never."\n\nA new paragraph without a full stop\nAnother line.'
    assert texts(text) == ['"We will not leave," he said.', '"Never."', "A new paragraph without a full stop",
                           "Another line."]


def test_lists_split_per_item():
    text = "Key facts:\n- 200 people died\n- 10,000 evacuated\n* talks in Yevlakh"
    assert texts(text) == ["Key facts:", "- 200 people died", "- 10,000 evacuated", "* talks in Yevlakh"]


def test_offsets_with_leading_whitespace_and_unicode(seed_text):
    spans = split_sentences(seed_text)
    assert len(spans) == 24  # one sentence per line in the sample article
    assert spans[0].start == 1  # the article starts with a newline
    assert spans[1].text.startswith("On Tuesday, Baku began an “anti-terrorism” operation")
    for s in spans:
        assert seed_text[s.start : s.end] == s.text


def test_overlong_sentence_is_cut_at_whitespace():
    text = " ".join(["word"] * 600)
    spans = split_sentences(text)
    assert len(spans) > 1
    assert all(len(s.text) <= MAX_SENTENCE_CHARS for s in spans)
    assert all(text[s.start : s.end] == s.text for s in spans)


def test_empty_text_has_no_sentences():
    assert split_sentences("") == []
    assert split_sentences("\n\n  \n") == []
