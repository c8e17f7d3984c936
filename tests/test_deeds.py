"""Stance verbs used for deeds: their object is no content of speech (crosswire/rules/deeds.py).
Sentences written for these tests, in the styles of war, crime and political reporting."""
import pytest

from crosswire.statements import extract_statements


@pytest.fixture(scope="module")
def nlp():
    from crosswire.nlp import load
    return load()


def stances(nlp, text):
    art = {"article_id": "art_d", "source_id": "test", "title": "Overnight strikes", "text": text}
    return [(r["speaker_mention"], r["text"]) for r in extract_statements([art], nlp=nlp)
            if r["rule"] == "stance_object"]


@pytest.mark.parametrize("text", [
    "Russian drones attacked Odesa overnight.",                          # a weapon as subject
    "Rebel fighters attacked a convoy near the border.",                 # fighters
    "Russia attacked the city of Lviv with missiles.",                   # the instrument
    "The army defended the bridge for three days.",                      # a place, no person; "for" is a time
    "Firefighters slammed the door shut behind them.",                   # a resultative
    "Police questioned the suspect for several hours.",                  # whom was questioned
    "Detectives questioned him again on Friday.",
])
def test_a_deed_is_no_statement(nlp, text):
    assert stances(nlp, text) == []


@pytest.mark.parametrize("text, mention, content", [
    ("Senator Ana Ruiz attacked the bill on Monday.", "Senator Ana Ruiz", "the bill"),
    ("The mayor defended the city's record.", "The mayor", "the city's record"),
    ("China attacked the United States over its new tariffs.", "China", "the United States over its new tariffs"),
    ("The army defended the operation.", "The army", "the operation"),
    ("Republicans blast Ana Ruiz after the vote.", "Republicans", "Ana Ruiz"),
    ("The senator questioned the legality of the strikes.", "The senator", "the legality of the strikes"),
])
def test_words_stay_statements(nlp, text, mention, content):
    assert stances(nlp, text) == [(mention, content)]


@pytest.mark.parametrize("text, said", [
    ("Halcyon recalls 300,000 SUVs over faulty airbags.", False),
    ("The carmaker recalled 1.2 million vehicles last year.", False),
    ("The dairy recalled a batch of cheese after a listeria scare.", False),
    # a year is no count; a memory is what someone recalled (session 27)
    ("Ana Ruiz recalled a 2007 harbour bill that failed in the council.", True),
])
def test_goods_called_back_are_no_statement(nlp, text, said):
    rows = [r for r in extract_statements([{"article_id": "art_d", "source_id": "test", "title": "Recall",
                                            "text": text}], nlp=nlp) if r["rule"] == "reported_object"]
    assert bool(rows) is said
