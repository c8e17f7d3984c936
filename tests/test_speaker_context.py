"""Who said it when the parse hides the speaker: participles hung on the quoted words,
object control, coordinate and subordinate clauses with subjects of their own, appositive
names, "as X put it". Sentences of the project's own writing; spaCy loaded once."""
import pytest

from crosswire.statements import extract_statements

TEXT = """Band member Flea shared the news on social media last week, writing "Feels great to back someone I believe in. This is a man with integrity."

At one point Mr. Hadley coached Mr. Brook to "breathe, breathe." That prompted Marco Dellucci to make a joke about yoga and call Mr. Brook "very flexible," a nod to his changing positions.

Mr. Brook hardly clarified the matter, treating her remark first as a compliment -- "That makes me smart" -- and, when questioned after the debate, asserting, "Of course, I pay federal taxes."

He proposed dropping the levy, but analysts agreed it was still a top-heavy plan.

While his advisers have suggested his strongest role is as a convert, Mr. Brook is also determined to warn his supporters.

In a statement, one of the family's attorneys, Justin Bamberg, said the videos show the driver calmly leaving his car.

Foreign policy analysts said geopolitical factors have contributed to the country's appeal, citing the strategic importance of its borders.

The council voted on the plan on Monday. As Ann Lerner, a housing lawyer in Leeds, recently put it, "Nobody has read the small print."

Most members backed the plan anyway, in part because its main test is a "reasonable prospect of funding," as a Treasury memo put it.

They compared her problem to that of Al Gore in 2000, when he charged at an opponent he deemed unfit. "This is eerily similar to the first debate in 2000," said one longtime aide to the governor. "Al wanted the knockout punch, and people did not like it."

Mr. Hale had aggressively defended the tax for years. This year argued otherwise, insisting that the levy was "a burden on families."

"That is what he did in 2008. He is playing that role again," said former Ohio Gov. and party Chairman Ed Rendell. "Where surrogates matter is turnout."""


FAMILY = """Hillary Clinton left the memorial early on Sunday. Hillary Clinton was then driven to the apartment of her daughter, Chelsea Clinton, in Manhattan.

Clinton told police officials that she did not want an escort, a source said."""


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
    assert _row(rows, "Feels great")["speaker_name"] == "Flea"


def test_object_control_names_the_object(rows):
    assert _row(rows, "very flexible")["speaker_name"] == "Marco Dellucci"


def test_participle_across_a_quotation_in_dashes(rows):
    assert _row(rows, "That makes me smart")["speaker_name"] == "Brook"
    assert _row(rows, "Of course, I pay")["speaker_name"] == "Brook"


def test_coordinate_clause_keeps_its_own_subject(rows):
    r = _row(rows, "it was still a top-heavy plan")
    assert (r["speaker_name"], r["speaker_mention"]) == (None, "analysts")


def test_subordinate_clause_keeps_its_own_subject(rows):
    r = _row(rows, "his strongest role")
    assert (r["speaker_name"], r["speaker_mention"]) == (None, "his advisers")


def test_name_in_apposition_to_one_of(rows):
    r = _row(rows, "the videos show")
    assert r["speaker_name"] == "Justin Bamberg" and r["speaker_mention"] == "one of the family's attorneys"


def test_participle_object_is_not_its_speaker(rows):
    r = _row(rows, "the strategic importance")
    assert r["speaker_mention"] == "Foreign policy analysts"


def test_as_they_put_it(rows):
    r = _row(rows, "Nobody has read")
    assert r["speaker_name"] == "Ann Lerner" and r["rule"] == "as_they_put_it"
    r = _row(rows, "reasonable prospect of funding")
    assert r["speaker_mention"] == "a Treasury memo" and r["speaker_kind"] == "document"


def test_a_bare_surname_is_the_family_member_the_article_names_most(rows):
    r = _row(rows, "that she did not want an escort")
    assert r["speaker_name"] == "Hillary Clinton"


def test_two_titles_of_one_named_person(rows):
    assert _row(rows, "That is what he did")["speaker_name"] == "Ed Rendell"
    assert _row(rows, "Where surrogates matter")["speaker_name"] == "Ed Rendell"


def test_an_unnamed_speaker_goes_on_before_an_earlier_subject(rows):
    r = _row(rows, "Al wanted the knockout punch")
    assert r["speaker_name"] is None and r["speaker_mention"] == _row(rows, "This is eerily")["speaker_mention"]
    assert r["speaker_mention"].startswith("one longtime aide")


def test_a_time_is_no_speaker(rows):
    assert _row(rows, "a burden on families")["speaker_mention"] != "This year"
