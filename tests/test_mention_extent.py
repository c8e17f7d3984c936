"""How far a speaker mention reaches: words joined by a hyphen or a slash stay one word, a
date before the noun stays in a document's mention, and an aspectual "continue" before an
infinitive is no cue. Sentences of the project's own writing."""
import pytest
from test_speaker_appositives import _statements  # the invented article's runner


@pytest.fixture(scope="module")
def rows():
    return _statements(
        "Mara Voss said she is certain Tom Reyes will continue to be \"a loyal partner for the harbour.\"",
        "\"The ferry will run again in May,\" Ann Doyle continued.",
        "His ex-wife said the house had been sold.",
        "A new poll from the Harbour Gazette/Tidewater University found 40% of voters are unsure.",
        "A Sept. 15, 2011 email shows the city sent ten staffers to the event.",
        "On Tuesday the mayor said the bridge would stay shut.",
        "Two boatmen, Ann Doyle and Tom Reyes, filed a claim with the Tidewater Board of Elections "
        "contending that the count was wrong.",
    )


def _row(rows, start: str) -> dict:
    return next(r for r in rows if r["text"].startswith(start))


def test_a_quote_only_cue_used_as_an_aspect_verb_is_no_cue(rows):
    # "will continue to be": the quotation is Voss's, not spoken by the subject of "continue"
    assert _row(rows, "a loyal partner")["speaker_mention"] == "Mara Voss"
    # the same verb alone still introduces its subject's words
    assert _row(rows, "The ferry will run")["speaker_mention"] == "Ann Doyle"


def test_words_joined_by_a_hyphen_or_slash_stay_in_the_mention(rows):
    assert _row(rows, "the house had been sold")["speaker_mention"] == "His ex-wife"
    assert _row(rows, "40% of voters")["speaker_mention"] == \
        "A new poll from the Harbour Gazette/Tidewater University"


def test_a_date_before_the_noun_stays_in_the_mention(rows):
    assert _row(rows, "the city sent")["speaker_mention"] == "A Sept. 15, 2011 email"
    # a date that modifies the verb is not the speaker's
    assert _row(rows, "the bridge would stay shut")["speaker_mention"] == "the mayor"


def test_names_set_off_after_a_plural_stay_with_a_participles_speaker(rows):
    # the speaker of "contending" is read from the words: the names say who the boatmen are
    assert _row(rows, "that the count was wrong")["speaker_mention"] == "Two boatmen, Ann Doyle and Tom Reyes"
