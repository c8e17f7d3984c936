"""crosswire.datelines: where a dateline ends, and where the capitals-and-colon style is read.
Sentences written for these tests."""
import pytest

from crosswire.datelines import Dateline, match


@pytest.mark.parametrize("text, first_word", [
    ("ANCHORAGE, Alaska (AP) — The two boards met.", "The"),
    ("BOSTON —Builders cheered the plan.", "Builders"),
    ("Lakeport (United States) (AFP) - Harbour staff walked out.", "Harbour"),
    ("Pune, Aug 16 (PTI) Harbour staff walked out.", "Harbour"),
    ("VLADIVOSTOK, August 16. /TASS/. Harbour staff walked out.", "Harbour"),
    ("MURMANSK. Aug 16 (Interfax) - Harbour staff walked out.", "Harbour"),
    # ANI's: the state or country in square brackets, a colon after the credit (session 36)
    ("Kochi [Kerala], August 16 (ANI): Harbour staff walked out.", "Harbour"),
])
def test_a_dateline_ends_where_the_story_begins(text, first_word):
    # its dash, credit and the spaces after them are the dateline's: `end` is the story's first word
    d = match(text)
    assert text[d.end:].split()[0] == first_word


def test_anis_dateline_keeps_its_bracket_and_credits_the_agency():
    d = match("Kochi [Kerala], August 16 (ANI): Harbour staff walked out.")
    assert (d.place, d.agency) == ("Kochi [Kerala]", "ANI")


def test_a_dateline_is_read_at_a_paragraphs_start():
    text = "The ferry board met twice.\n\nKOCHI — Harbour staff walked out."
    assert match(text, text.index("KOCHI")) == Dateline("KOCHI", None, text.index("Harbour"))
    assert match(text) is None


def test_capitals_and_a_colon_are_a_dateline_only_where_a_story_opens():
    story = "NEW DELHI: The ferry board met on Saturday.\n\nIts chair left early."
    assert match(story, story=True) == Dateline("NEW DELHI", None, 11)
    assert match(story) is None  # a headline's "PUTIN: ..." is the speaker's, not a place
    later = "The ferry board met.\n\nKOCHI: Harbour staff walked out."
    assert match(later, later.index("KOCHI"), story=True) is None


def test_an_interviews_questions_are_no_transcripts_labels():
    # a transcript's labels after "ANN LEE:" make it a speaker (tests/test_quotes.py); an
    # interview's "Q:" and "A:" are no names in capitals: the dateline stands
    interview = "NEW DELHI: The minister spoke to us.\n\nQ: Will the port reopen?\n\nA: In May."
    assert match(interview, story=True).place == "NEW DELHI"


def test_a_label_in_the_places_stead_is_set_apart_with_no_place():
    # "BREAKING —" is furniture: never a speaker nor what was said, and no place
    assert match("BREAKING — A fire closed the bridge.") == Dateline(None, None, 11)
    assert match("UPDATE: The bridge reopened.", story=True) == Dateline(None, None, 8)
