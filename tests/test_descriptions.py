"""A definite description as the speaker ("the Vermont Democrat said", "the woman said"):
the person it re-describes, or no one when it may be someone new. Sentences of the
project's own writing."""
import pytest

from crosswire.statements import extract_statements


@pytest.fixture(scope="module")
def nlp():
    from crosswire.nlp import load
    return load()


def speaker_of(nlp, *paragraphs: str) -> str | None:
    """speaker_name of the article's one direct quotation."""
    art = {"article_id": "art_d", "source_id": "test", "title": "Harbour talks", "published": "2025-08-16",
           "text": "\n\n".join(paragraphs)}
    [row] = [r for r in extract_statements([art], nlp=nlp) if r["kind"] == "direct"]
    return row["speaker_name"]


@pytest.mark.parametrize("description", ["the Vermont Democrat", "the 58-year-old Democrat", "the Democrat"])
def test_a_party_member_with_a_place_or_an_age_is_the_person_just_named(nlp, description):
    assert speaker_of(nlp, "Senator Ann Voss backed the harbour bill on Tuesday.",
                      f"\"This was a good start,\" {description} said.") == "Ann Voss"


@pytest.mark.parametrize("description", [
    "the homeless woman",                          # a common word says which one: someone new
    "the woman who runs the ferry kiosk",          # so does a clause after the noun
])
def test_a_description_that_introduces_someone_names_no_one(nlp, description):
    assert speaker_of(nlp, "Ann Voss opened the harbour bridge on Tuesday.",
                      f"\"It took far too long,\" {description} said.") is None


def test_a_description_refers_back_to_the_unnamed_one_with_its_noun(nlp):
    assert speaker_of(nlp, "At the meeting, Ann Voss took questions. A young woman asked her about the tolls.",
                      "\"Will they rise again?\" the woman said.") is None


def test_a_description_of_one_gender_skips_a_person_of_the_other(nlp):
    assert speaker_of(nlp, "Vladimir Putin spoke to reporters in the harbour on Tuesday.",
                      "\"It was useful,\" the woman said.") is None


@pytest.mark.parametrize("description", ["the England captain", "the skipper", "the Harbour FC boss"])
def test_sport_descriptions_are_the_player_or_manager_just_named(nlp, description):
    assert speaker_of(nlp, "Tom Reyes scored twice as Harbour FC won 3-1 on Saturday.",
                      f"\"The fans here are incredible,\" {description} said.") == "Tom Reyes"
