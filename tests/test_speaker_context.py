"""Who said it when the parse hides the speaker: participles hung on the quoted words,
object control, coordinate and subordinate clauses with subjects of their own, appositive
names, "as X put it". Sentences of the project's own writing; spaCy loaded once."""
import pytest

from crosswire.statements import extract_statements

TEXT = """Bassist Quill shared the news online last week, writing "It feels right to stand with this team. They keep their word."

At one point Ms. Ortiz urged Mr. Vane to "slow down, slow down." That prompted Victor Ames to make a joke about sprinting and call Mr. Vane "very nimble," a dig at his shifting stances.

Mr. Vane barely settled the question, treating her jab first as praise -- "That shows I am careful" -- and, when pressed after the forum, insisting, "Naturally, I pay my local rates."

She proposed cutting the surcharge, but economists agreed it was still a lopsided scheme.

While her aides have suggested her best part is as a mediator, Ms. Ortiz is also set on rallying her base.

In a statement, one of the club's lawyers, Tomas Beck, said the recordings show the guard quietly opening the gate.

Shipping analysts said several factors have helped the port grow, citing the strategic value of its rail links.

The board voted on the scheme on Friday. As Ruth Okafor, a planning lawyer in Hull, recently put it, "Nobody has checked the fine print."

Most councillors backed the scheme anyway, partly because its key test is a "credible chance of funding," as a Treasury note put it.

They likened her trouble to that of a former candidate in 1998, when he lunged at a rival he judged unfit. "This feels much like the final debate in 1998," said one veteran aide to the mayor. "He went for the big blow, and voters did not like it."

Ms. Dunn had firmly backed the charge for a decade. This spring argued otherwise, insisting that the charge was "a weight on small shops."

"It is what she did in 2012. She is playing that part again," said former Nevada Gov. and party Chairman Hal Brody. "Where surrogates count is turnout."
"""


FAMILY = """Martha Quinlan left the ceremony early on Saturday. Martha Quinlan was then taken to the flat of her son, Owen Quinlan, in Bristol.

Quinlan told officers that she did not need a police car."""


@pytest.fixture(scope="module")
def rows():
    from crosswire.nlp import load
    art = {"article_id": "art_ctx", "title": "Council backs the plan", "standfirst": None,
           "summary": None, "text": TEXT, "published": "2016-09-20"}
    family = {"article_id": "art_fam", "title": "An early exit", "standfirst": None, "summary": None,
              "published": "2016-09-20", "text": FAMILY}
    return extract_statements([art, family], nlp=load())


def _row(rows, start: str) -> dict:
    hits = [r for r in rows if r["text"].startswith(start)]
    assert hits, (start, [r["text"] for r in rows])
    return hits[0]


def test_participle_the_parser_hung_on_the_quotation(rows):
    assert _row(rows, "It feels right")["speaker_name"].endswith("Quill")


def test_object_control_names_the_object(rows):
    assert _row(rows, "very nimble")["speaker_name"] == "Victor Ames"


def test_participle_across_a_quotation_in_dashes(rows):
    assert _row(rows, "That shows I am careful")["speaker_name"] == "Vane"
    assert _row(rows, "Naturally, I pay")["speaker_name"] == "Vane"


def test_coordinate_clause_keeps_its_own_subject(rows):
    r = _row(rows, "it was still a lopsided scheme")
    assert (r["speaker_name"], r["speaker_mention"]) == (None, "economists")


def test_subordinate_clause_keeps_its_own_subject(rows):
    r = _row(rows, "her best part")
    # the aides speak, not Ms. Ortiz; "her" names whose aides they are (h9-spk)
    assert (r["speaker_name"], r["speaker_mention"]) == ("Ortiz aides", "her aides")


def test_name_in_apposition_to_one_of(rows):
    r = _row(rows, "the recordings show")
    assert r["speaker_name"] == "Tomas Beck" and r["speaker_mention"] == "one of the club's lawyers"


def test_participle_object_is_not_its_speaker(rows):
    r = _row(rows, "the strategic value")
    assert r["speaker_mention"] == "Shipping analysts"


def test_as_they_put_it(rows):
    r = _row(rows, "Nobody has checked")
    assert r["speaker_name"] == "Ruth Okafor" and r["rule"] == "as_they_put_it"
    r = _row(rows, "credible chance of funding")
    assert r["speaker_mention"] == "a Treasury note" and r["speaker_kind"] == "document"


def test_a_bare_surname_is_the_family_member_the_article_names_most(rows):
    r = _row(rows, "that she did not need a police car")
    assert r["speaker_name"] == "Martha Quinlan"


def test_two_titles_of_one_named_person(rows):
    assert _row(rows, "It is what she did")["speaker_name"] == "Hal Brody"
    assert _row(rows, "Where surrogates count")["speaker_name"] == "Hal Brody"


def test_an_unnamed_speaker_goes_on_before_an_earlier_subject(rows):
    r = _row(rows, "He went for the big blow")
    assert r["speaker_name"] is None and r["speaker_mention"] == _row(rows, "This feels much like")["speaker_mention"]
    assert r["speaker_mention"].startswith("one veteran aide")


def test_a_time_is_no_speaker(rows):
    assert _row(rows, "a weight on small shops")["speaker_mention"] != "This spring"


def test_as_they_put_it_read_as_a_preposition():
    # in this paragraph the parse makes "As" a preposition with "the economist" its object
    # (session 27)
    text = ("Critics say that view ignores the cost of land and labor. Builders, they point out, face interest "
            "rates that have more than doubled since 2021.\n\nAs the economist Jenny Schuetz put it in a recent "
            "paper, \"There is no single villain here.\"")
    art = {"article_id": "art_p", "source_id": "test", "title": "Housing", "text": text}
    [r] = [r for r in extract_statements([art]) if r["text"] == "There is no single villain here."]
    assert (r["speaker_name"], r["rule"]) == ("Jenny Schuetz", "as_they_put_it")


@pytest.mark.parametrize("text, start, name", [
    # session 36: the English of Russian and Ukrainian outlets; the quotation went unattributed, or
    # to the subject of its own sentence ("the Kremlin")
    ("Port spokesman Ivan Dorosh told reporters that no date had been set for the vote. In his words, the "
     "question \"has not been raised yet.\"", "has not been raised", "Ivan Dorosh"),
    ("Mayor Olena Kravets said the council was buying time. In her words, the ministry \"wants the money, not "
     "the repairs.\"", "wants the money", "Olena Kravets"),
    # session 37: the words set off by a colon, a whole quotation after it; it went unattributed
    ("Port spokesman Ivan Dorosh spoke for ten minutes after the vote.\n\nIn his words: \"The ferry will never "
     "be sold.\"", "The ferry will never", "Ivan Dorosh"),
])
def test_in_their_words_credits_the_quotation_to_the_possessor(text, start, name):
    art = {"article_id": "art_w", "source_id": "test", "title": "Talks", "text": text}
    r = _row(extract_statements([art]), start)
    assert (r["speaker_name"], r["rule"]) == (name, "in_their_words")


def test_a_reporting_verb_of_the_sentence_goes_before_in_their_words():
    text = "Ann Lee spoke after the vote. In her view, the new rule \"changes nothing,\" Tom Baker added."
    art = {"article_id": "art_w", "source_id": "test", "title": "Talks", "text": text}
    assert _row(extract_statements([art]), "changes nothing")["speaker_name"] == "Tom Baker"


@pytest.mark.parametrize("text, start, speaker", [
    # session 36: a cleft with "how" after the quotation; the quotation went unattributed
    ('"Nine out of ten," was how Mayor Ann Lee rated the festival in a radio interview.', "Nine out of ten",
     "Ann Lee"),
    ('"A slow-motion car crash" is how one trader described the week.', "A slow-motion car crash", "one trader"),
    ('"Tired but hopeful" - that is how the coach summed up his squad after the draw.', "Tired but hopeful",
     "the coach"),
    # session 37: the quotation a paragraph of its own, the "how" opening the next; it went to
    # the subject of the paragraph before
    ('The harbour board met the ferry union on Monday.\n\n"We will sail again by spring."\n\nThat was how '
     'Mayor Ann Lee closed the meeting.', "We will sail again", "Ann Lee"),
])
def test_how_they_put_it_after_the_quotation(text, start, speaker):
    art = {"article_id": "art_h", "source_id": "test", "title": "Week", "text": text}
    r = _row(extract_statements([art]), start)
    assert r["rule"] == "how_they_put_it" and speaker in (r["speaker_name"], r["speaker_mention"])


def test_a_paragraph_after_a_quotation_that_does_not_say_how_is_no_credit():
    text = ('"We will sail again by spring."\n\nHow the board will pay for it is not clear, Mayor Ann Lee said.')
    art = {"article_id": "art_h", "source_id": "test", "title": "Week", "text": text}
    assert all(r["rule"] != "how_they_put_it" for r in extract_statements([art]))


def test_how_in_a_question_of_its_own_is_no_credit():
    text = 'The stadium will be "fully rebuilt." How the club will pay for it is not clear.'
    art = {"article_id": "art_h", "source_id": "test", "title": "Week", "text": text}
    assert all(r["rule"] != "how_they_put_it" for r in extract_statements([art]))


def test_on_x_ends_a_sentence():
    # session 37: spaCy kept "X." as one token, an initial, and read "on X. Tillis said" as one
    # sentence about "X. Tillis", so the next quotation went to the senator who wrote on X
    from crosswire.quotes import find_quotes, sentences
    text = ('Two senators, Ann Lee and Tom Bell, praised the deal. "Good start," Lee wrote on X. Bell said '
            'he was "hopeful but wary."')
    assert len(sentences(text, find_quotes(text))) == 3
    art = {"article_id": "art_x", "source_id": "test", "title": "Deal", "text": text}
    assert _row(extract_statements([art]), "hopeful but wary")["speaker_name"] == "Tom Bell"
