"""Property-based tests: the cleaner and the statement extractor on arbitrary text.

Text is drawn from news-like pieces (quote marks of every style, reporting verbs, names,
titles, pronouns, line breaks, bullets, captions) mixed with arbitrary Unicode, so that
hypothesis reaches the code paths the seeds do, and the odd corners they don't.
Example counts stay modest: the suite must stay fast on two cores.
"""
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crosswire.clean import clean_text, words
from crosswire.sources import CleaningRules

PIECES = [
    '"', "\u201c", "\u201d", "\u2018", "\u2019", "'", "\u00ab", "\u00bb", "\u201e", "\u2014", " - ",
    "said", " said ", "told reporters", "added", "warned", ", he said.", ", she told CNN.",
    "Trump", "Putin", "Vladimir Putin", "the US president", "President Donald Trump", "He", "She", "They",
    "We will not cut corners", "fair balance", "There is no deal until there is a deal",
    ". ", ", ", ": ", "? ", "! ", "...", "\n", "\n\n", "\n\n\n", "\r\n", "\t", "  ", "\u00a0",
    "Photo: Reuters", "Advertisement", "Read more:", "* ", "- ", "\u2022 ", "Quick Read", "(AP)",
    "e\u0301", "\u00e9", "\ufb01", "\u200b", "\ufeff", "\U0001F600", "\u0645\u0631\u062d\u0628\u0627", "\u041c\u044d\u0440",
    "According to officials,", "It was, he said, \u201ca good day.\u201d", "\u201cWe\u2019re done,\u201d",
]
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=60).map("".join)
RULES = st.sampled_from([
    CleaningRules(),
    CleaningRules(drop=(r"^Advertisement$",), captions=(r"^Photo: ",), summary_start=(r"^Quick Read$",),
                  summary_end=(r"^Did our AI summary help\?$",)),
    CleaningRules(standfirst=True),
    CleaningRules(standfirst=False),
])
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(content=TEXT, rules=RULES, title=st.one_of(st.none(), TEXT))
def test_the_cleaner_never_crashes_and_returns_clean_nfc_text(content, rules, title):
    out = clean_text(content, rules, title=title)
    for value in (out.title, out.text, out.standfirst, out.summary):
        if value is not None:
            assert isinstance(value, str)
            assert "\r" not in value
            assert unicodedata.is_normalized("NFC", value)
    assert "\n\n\n" not in out.text
    assert words(out.text) >= 0
    assert all(isinstance(x, str) for x in out.removed + out.captions + out.authors)


@FAST
@given(content=TEXT)
def test_the_cleaner_is_deterministic(content):
    assert clean_text(content) == clean_text(content)


# ---- statements ----------------------------------------------------------------------------

statements = pytest.importorskip("crosswire.statements")
FIELDS = {"title": "title", "standfirst": "standfirst", "summary": "summary", "body": "text"}


@pytest.fixture(scope="module")
def nlp():
    from crosswire import nlp as loader
    return loader.load()


def test_statements_hold_their_text_at_their_offsets(nlp):
    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(content=TEXT, raw_fields=st.booleans())
    def check(content, raw_fields):
        if raw_fields:  # fields as they come, not through the cleaner
            article = {"article_id": "art_0000000000000000", "title": content[:80],
                       "standfirst": None, "summary": None, "text": content}
        else:
            c = clean_text(content)
            article = {"article_id": "art_0000000000000000", "title": c.title,
                       "standfirst": c.standfirst, "summary": c.summary, "text": c.text}
        rows = statements.extract_statements([article], nlp=nlp)
        assert len({r["statement_id"] for r in rows}) == len(rows)
        for r in rows:
            field = article[FIELDS[r["section"]]]
            assert isinstance(field, str)
            assert 0 <= r["char_start"] < r["char_end"] <= len(field), r
            assert field[r["char_start"]:r["char_end"]] == r["text"], r
            assert r["kind"] in ("direct", "partial", "indirect")
            assert 0 <= r["confidence"] <= 1
            assert statements.span_ok(article, r)

    check()
