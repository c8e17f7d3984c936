"""Who holds reported speech when the parse gives its cue no subject of its own: the noun
phrase a reader takes for the speaker, not a neighbouring one. Sentences written for
these tests (invented names and bodies)."""
import pytest

from crosswire.attribution.reporting_verbs import cue_word as _cue_word
from crosswire.statements import extract_statements
from test_indirect import nlp, rules_only, run  # noqa: F401  (the module's spaCy fixture, filter switch and runner)


# who holds a row is the question here, not whether the fitted filter (refit with every
# rule change) keeps it
pytestmark = pytest.mark.usefixtures("rules_only")


def speaker_of(nlp, text, content):
    rows = [r for r in run(nlp, text) if r["text"] == content]
    assert len(rows) == 1, run(nlp, text)
    return rows[0]["speaker_name"], rows[0]["speaker_mention"]


@pytest.mark.parametrize("text, content, mention", [
    # a participle on a noun that names a speaker: that noun, not the subject of the verb above
    ("Wealthy donors handed over $25 million last month to an outside group backing the senator, "
     "and the money helped.", "the senator", "an outside group"),
    # a participle right after a verb's object, no comma: the object says it
    ("The killings of two teenagers have left 62 percent of voters saying the harbour district is unsafe.",
     "the harbour district is unsafe", "62 percent of voters"),
    # a relative clause the parse hangs on a preposition's noun that names no one: the
    # noun the phrase belongs to
    ("The vote came after the release of the audit report on her travel expenses that suggested "
     "they were excessive.", "they were excessive", "the audit report"),
])
def test_the_speaker_is_the_phrase_a_reader_takes(nlp, text, content, mention):
    assert speaker_of(nlp, text, content)[1] == mention


@pytest.mark.parametrize("text, content, mention", [
    # a document a participle hangs on speaks for whoever issued it
    ("The harbour council approved a resolution condemning the mayor's call for a ban on night work.",
     "the mayor's call for a ban on night work", "The harbour council"),
    ("In the 1980s, the agency planted newspaper articles alleging that the army had invented the virus.",
     "that the army had invented the virus", "the agency"),
])
def test_a_document_speaks_for_whoever_issued_it(nlp, text, content, mention):
    assert speaker_of(nlp, text, content)[1] == mention


def test_a_participle_on_a_noun_that_names_no_one_is_the_subjects(nlp):
    text = "Ruth Okafor, on the other hand, had no trouble breaking with her party in endorsing Lena Marsh."
    assert speaker_of(nlp, text, "Lena Marsh") == ("Ruth Okafor", "Ruth Okafor")


def test_a_participle_after_a_comma_stays_the_subjects(nlp):
    text = "Ruth Okafor praised the harbour master, saying he had kept the port open all winter."
    assert speaker_of(nlp, text, "he had kept the port open all winter")[0] == "Ruth Okafor"


def test_the_cue_word_of_make_names_its_adjective_only_when_there(nlp):
    doc = nlp("The union made clear it would strike. She made it plain that she would run. He made the case.")
    made = [t for t in doc if t.lower_ == "made"]
    assert [_cue_word(t) for t in made] == ["made clear", "made plain", "made"]


def test_a_second_cue_the_parse_put_inside_the_first_clause_is_the_first_speakers(nlp):
    text = ("The deputy head of the delegation said the harbour board should cut its fees "
            "and said any attempt to close the port would fail.")
    assert speaker_of(nlp, text, "any attempt to close the port would fail")[1] == "The deputy head of the delegation"
    # the same form on both verbs coordinates inside what was said
    text = "Ruth Okafor said the mayor met the union and told them that the port would close."
    assert speaker_of(nlp, text, "the mayor met the union")[0] == "Ruth Okafor"


@pytest.mark.parametrize("text, mention", [
    ("The harbour fund had raised $2 million, according to a tally by the Coastal Herald.",
     "a tally by the Coastal Herald"),
    ("The mayor is nearly shut out, according to interviews with a dozen party leaders.",
     "interviews with a dozen party leaders"),
    ("According to polling by the RMT, members back the strike by a wide margin.", "polling by the RMT"),
])
def test_according_to_keeps_whose_source_it_is(nlp, text, mention):
    rows = run(nlp, text)
    assert [r["speaker_mention"] for r in rows] == [mention]


def test_a_relative_clause_on_an_appositive_is_the_named_ones(nlp):
    text = "Ruth Okafor met Tom Bell, a harbour lawyer who said the port would close."
    assert speaker_of(nlp, text, "the port would close")[0] == "Tom Bell"


def test_a_participle_cue_beside_a_finite_verb_of_the_first_clause_is_the_first_speakers(nlp):
    text = ("When Ruth Okafor did take Tom Bell on, she did it sideways, acknowledging that Bell "
            "had tapped into a vein but warning that his style would have repercussions.")
    assert speaker_of(nlp, text, "that his style would have repercussions")[0] == "Ruth Okafor"


def test_a_possessive_that_repeats_the_pronoun_subject_gives_the_subject_as_written(nlp):
    text = ("Ruth Okafor spoke on Monday. On Thursday, she expanded upon her calls for a ban "
            "on night work at the port.")
    assert speaker_of(nlp, text, "a ban on night work at the port") == ("Ruth Okafor", "she")


def test_an_infinitive_on_a_noun_is_the_one_who_has_the_noun(nlp):
    text = "Ruth Okafor currently has no plans to endorse a candidate before the primary."
    assert speaker_of(nlp, text, "a candidate")[0] == "Ruth Okafor"


def test_a_capitalised_title_keeps_the_name_set_right_after_it(nlp):
    text = "There, the district GOP Chairman Chuck Ward declined to name the delegates but said one was an avowed supporter."
    assert speaker_of(nlp, text, "one was an avowed supporter")[1] == "the district GOP Chairman Chuck Ward"


def test_all_but_some_is_one_mention(nlp):
    text = "More than half the councillors surveyed support the change, and all but two said the board should take up the matter."
    assert speaker_of(nlp, text, "the board should take up the matter")[1] == "all but two"


def test_a_cue_in_the_first_cues_form_beside_another_finite_verb_of_its_clause_is_the_first_speakers(nlp):
    text = ('Ruth Okafor, also campaigning in the north, said Tom Bell is ultimately responsible for '
            'what happens at his events and accused him of "inciting violent behavior that I think is very dangerous."')
    art = {"article_id": "art_t", "source_id": "test", "title": "Harbour talks", "text": text}
    quoted = [r for r in extract_statements([art], nlp=nlp) if r["kind"] != "indirect"]
    assert [r["speaker_name"] for r in quoted] == ["Ruth Okafor"]


def test_a_body_named_again_by_its_first_word_is_that_body_not_a_person_described_with_it(nlp):
    # "Norvex" after "Norvex Semiconductor", and a manager of a fund "which owns Norvex shares"
    text = ("Shares of Norvex Semiconductor fell 12% on Thursday after the chipmaker cut its forecast.\n\n"
            "Norvex said it would cut about 8% of its workforce and pause construction of a plant.\n\n"
            '"This is the third cut in a row," said Priya Raman, a portfolio manager at Halden Capital, '
            "which owns Norvex shares.")
    rows = [r for r in run(nlp, text) if r["text"].startswith("it would cut")]
    assert [(r["speaker_name"], r["speaker_kind"]) for r in rows] == [("Norvex", "organisation")]


@pytest.mark.parametrize("text, mention", [
    # session 40: the parse made the name before the noun the noun's subject, and the mention
    # was the bare noun ("analysis")
    ("An Institute of Fiscal Studies analysis out this week found that wages rose faster in port towns.",
     "An Institute of Fiscal Studies analysis"),
    ("An Institute of Fiscal Studies report this month found dockers favour the strike.",
     "An Institute of Fiscal Studies report"),
])
def test_a_name_the_parse_made_the_subject_of_a_document_noun_is_part_of_its_mention(nlp, text, mention):
    assert [r["speaker_mention"] for r in run(nlp, text) if r["kind"] == "indirect"] == [mention]
