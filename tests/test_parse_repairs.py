"""crosswire.parse_repairs: the parser's misreadings repaired after it. Sentences written
for these tests."""
import pytest

from crosswire.statements import extract_statements


@pytest.fixture(scope="module")
def nlp():
    from crosswire.nlp import load
    return load()


def _indirect(nlp, text):
    art = {"article_id": "a", "source_id": "t", "title": "Port news", "text": text}
    return [(r["text"], r["speaker_mention"]) for r in extract_statements([art], nlp=nlp) if r["kind"] == "indirect"]


@pytest.mark.parametrize("text, content, mention", [
    # session 40: the contracted "has" read as "is", and the statement lost with no speaker
    ("He's said the port will close in May.", "the port will close in May", "He"),
    ("She's argued that the toll is unfair.", "that the toll is unfair", "She"),
    ("While he's said he'll fight all the way to the final, Reyes must decide what he wants.",
     "he'll fight all the way to the final", "he"),
])
def test_a_contracted_has_before_a_speech_verb_is_a_perfect(nlp, text, content, mention):
    assert (content, mention) in _indirect(nlp, text)


def test_the_parse_is_relabelled_only_where_the_passive_cannot_be_meant(nlp):
    def deps(text, word):
        tok = next(t for t in nlp(text) if t.lower_ == word)
        return sorted(c.dep_ for c in tok.children if c.dep_ in ("aux", "auxpass", "nsubj", "nsubjpass"))
    assert deps("He's said the port will close.", "said") == ["aux", "nsubj"]
    # an impersonal subject, a hearer's verb, an infinitive: the passive stands
    assert "auxpass" in deps("It's said that the port will close.", "said")
    assert "auxpass" in deps("He's told that the port will close.", "told")
    assert "auxpass" in deps("She's said to have left the party.", "said")
