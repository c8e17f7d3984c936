"""Selective parsing (crosswire.selective) and the lighter attribute ruler (crosswire.tagattrs):
the same statements, the same parse, on sentences written for these tests."""
import pytest

from conftest import CORPORA, articles_and_statements

# A short article: paragraphs that carry statements, and narrative paragraphs far from
# any of them (no quotation, no cue word, no colon) that selection only tokenizes.
BODY = """Harbour Commissioner Nadia Okonkwo opened the new ferry terminal in Port Elda on Friday.

The building has two floors and a glass roof over the waiting hall.

Buses stop outside the east door every twenty minutes.

The old terminal across the bay will become a market next spring.

Its timber piers date from the 1920s.

Fishing boats still moor beside them in winter.

"This terminal will carry a million passengers a year," Ms Okonkwo told reporters at the opening.

She added that fares would stay the same until 2027.

According to the port authority, the work cost 40 million euros.

Gulls circled over the car park.

Rain fell in the afternoon.

The harbour master, Tomasz Wrona, warned that the channel needed dredging.

He said: "Without it, the big ferries cannot dock at low tide."

A brass band played until dusk."""

ARTICLES = [
    {"article_id": "a1", "source_id": "s1", "title": "New ferry terminal opens in Port Elda",
     "standfirst": "The harbour commissioner promises steady fares", "text": BODY,
     "published": "2026-05-01T10:00:00+00:00"},
    {"article_id": "a2", "source_id": "s2", "title": "Port Elda terminal opens",
     "text": "The terminal opened on Friday.\n\nIt has a glass roof.\n\nVisitors walked the piers."
             "\n\nOkonkwo said it was a great day for the town.\n\nThe band played."},
]


def _statements(monkeypatch, mode: str, articles) -> list[dict]:
    from crosswire import statements
    monkeypatch.setenv("CROSSWIRE_SELECTIVE", mode)
    return statements.extract_statements(articles)


def test_segments_cover_the_text_and_skip_far_narrative(monkeypatch):
    from crosswire import selective
    segs = selective.segments(BODY, before=1, after=1)
    assert segs[0][0] == 0 and segs[-1][1] == len(BODY)
    assert all(a[1] == b[0] for a, b in zip(segs, segs[1:]))
    skipped = "".join(BODY[a:b] for a, b, parse in segs if not parse)
    assert "Its timber piers" in skipped and "Gulls circled" not in skipped  # next to a statement
    parsed = "".join(BODY[a:b] for a, b, parse in segs if parse)
    for must in ("million passengers", "She added", "According to", "warned that", "He said:"):
        assert must in parsed


def test_signals_see_quotes_cues_and_colons():
    from crosswire import selective
    text = ("The sky was clear.\n\nA sign read “Closed”.\n\nLee criticised the plan.\n\n"
            "Notes: none.\n\nThe ship sailed.")
    assert selective.signals(text) == [True, True, True, True, False]  # "clear": made it clear


def test_selective_and_full_parse_give_the_same_statements(monkeypatch):
    full = _statements(monkeypatch, "0", ARTICLES)
    sel = _statements(monkeypatch, "1", ARTICLES)
    assert full and sel == full
    said = {r["text"]: r["speaker_name"] for r in full}
    assert said["This terminal will carry a million passengers a year,"] == "Nadia Okonkwo"


def test_selective_docs_keep_every_offset(monkeypatch):
    from crosswire import nlp, selective
    monkeypatch.setenv("CROSSWIRE_SELECTIVE", "1")
    doc = next(selective.pipe(nlp.load(), [("body", BODY)]))
    assert doc.text == BODY
    gulls = next(t for t in doc if t.text == "Gulls")
    buses = next(t for t in doc if t.text == "Buses")  # far from any statement: inert
    assert gulls.pos_ == "NOUN" and buses.pos_ == "X" and buses.head.i == buses.i
    # ... but its names are found, for the article's cast
    assert "Nadia Okonkwo" in {e.text for e in doc.ents if e.label_ == "PERSON"}
    assert not selective.segments(BODY)[0][2]


def test_selective_pipe_streams_texts_in_order(monkeypatch):
    from crosswire import nlp, selective
    monkeypatch.setenv("CROSSWIRE_SELECTIVE", "1")
    items = [("body", "The ship sailed.\n\nThe sea was calm."),  # nothing to parse in full
             ("title", "Ferry opens"), ("body", BODY), ("body", "")]
    docs = list(selective.pipe(nlp.load(), items, batch_size=2))
    assert [d.text for d in docs] == [t for _, t in items]
    assert {t.pos_ for t in docs[0]} == {"X"} and docs[1][0].pos_ != "X"


def test_selective_on_the_statements_corpus(monkeypatch):
    """The corpus of quotation conventions written for tests/test_quotes: same rows both ways."""
    monkeypatch.setenv("CROSSWIRE_SELECTIVE", "0")
    arts, full = articles_and_statements(CORPORA / "statements")
    assert _statements(monkeypatch, "1", arts) == full


def test_tag_attributes_match_spacys_attribute_ruler():
    import spacy

    from crosswire import nlp
    from crosswire.tagattrs import TagAttributes
    ours = nlp.load()
    assert "tag_attributes" in ours.pipe_names and "attribute_ruler" not in ours.pipe_names
    theirs = spacy.load(_model_name(), disable=["lemmatizer"])
    assert TagAttributes.from_ruler(theirs.get_pipe("attribute_ruler")) is not None
    texts = ["There is no doubt, but it was n't over: I do n't know, he said.",
             "That is what they did.  Whether she'll come, nobody knows.\n\nHave you seen it?",
             "The ministers who had voted against it said they would do so again."]
    cols = ["POS", "TAG", "DEP", "HEAD"]
    for a, b in zip(ours.pipe(texts), theirs.pipe(texts)):
        assert a.text == b.text and (a.to_array(cols) == b.to_array(cols)).all()


def test_unknown_ruler_patterns_keep_spacys_ruler():
    import spacy

    from crosswire.tagattrs import TagAttributes
    blank = spacy.blank("en")
    ruler = blank.add_pipe("attribute_ruler")
    ruler.add([[{"TAG": "NN", "OP": "+"}]], {"POS": "NOUN"})
    assert TagAttributes.from_ruler(ruler) is None


def _model_name() -> str:
    import spacy.util

    from crosswire.nlp import DEFAULT_MODELS
    return next(n for n in DEFAULT_MODELS if spacy.util.is_package(n))
