"""Speakers named beside their description (h9-spk): members listed after a plural, a
body's proper name beside its common noun, a party member with what qualifies them, a
member list that closes the sentence, and a plural never taken for one person of the cast.
Sentences of the project's own writing."""
import zlib

import pytest

from crosswire.statements import extract_statements


def _statements(*paragraphs: str) -> list[dict]:
    """The statements of one invented article dated 2016-05-01."""
    from crosswire.nlp import load
    art = {"article_id": f"art_{zlib.crc32(repr(paragraphs).encode()):08x}", "source_id": "test", "title": "Harbour news",
           "standfirst": None, "summary": None, "published": "2016-05-01", "text": "\n\n".join(paragraphs)}
    return extract_statements([art], nlp=load())


def _row(rows, start: str) -> dict:
    found = next((r for r in rows if r["text"].startswith(start)), None)
    assert found is not None, (start, [r["text"] for r in rows])
    return found


@pytest.fixture(scope="module")
def rows():
    return _statements(
        "Two objectors, Ted Harrow and Will Brannock, said the permit was issued too early.",
        "The Democratic candidates, Ann Voss and Senator Tom Reyes, said the harbour needed a new bridge.",
        "Harbour Watch, a local group, said the dam leaked.",
        "One local group, Partners for Clean Rivers, said the dam should come down.",
        "The regional newspaper Tidewater Courier reported that the mayor had resigned.",
        "One well-connected Democrat familiar with the campaign's plans said the money had run out.",
        "The ferry plan has been praised by harbour critics, including the economist Paul Ostrander.",
        "Two welders, Ann Voss and Tom Reyes, spoke at the hearing on Monday.",
        "The welders said the runway was too short.",
    )


def test_names_set_off_after_a_plural_belong_to_its_mention(rows):
    r = _row(rows, "the permit was issued")
    assert r["speaker_mention"] == "Two objectors, Ted Harrow and Will Brannock"
    assert r["speaker_name"] is None and r["speaker_kind"] == "group"  # two people: no one of them
    r = _row(rows, "the harbour needed")
    assert r["speaker_mention"] == "The Democratic candidates, Ann Voss and Senator Tom Reyes"


def test_a_body_named_beside_its_common_noun_is_that_body(rows):
    r = _row(rows, "the dam should come down")
    # not the body named in the sentence before ("Harbour Watch")
    assert (r["speaker_name"], r["speaker_kind"], r["resolution"]) == ("Partners for Clean Rivers", "organisation", "name")
    r = _row(rows, "that the mayor had resigned")
    assert (r["speaker_name"], r["speaker_mention"]) == ("Tidewater Courier", "The regional newspaper Tidewater Courier")


def test_a_party_member_keeps_what_qualifies_them(rows):
    r = _row(rows, "the money had run out")
    assert r["speaker_mention"] == "One well-connected Democrat familiar with the campaign's plans"


def test_a_plural_is_not_one_person_it_once_described(rows):
    # "Two welders, Ann Voss and ..." teaches that Voss is one of the welders; "The welders"
    # are not Voss
    r = _row(rows, "the runway was too short")
    assert r["speaker_name"] is None and r["speaker_mention"] == "The welders"


def test_a_report_that_holds_another_is_the_statement(equally_sure):
    """ "According to a survey, 51 percent said ...": the survey reports what they said; the
    row is the survey's, with their words inside its content, not theirs alone (when the
    fitted filter is as sure of the outer candidate as of the inner one, as here)."""
    rows = [r for r in _statements(
        "According to a Harbour Gazette survey, 51 percent of respondents said the mayor should resign.",
        "The harbour council approved a resolution condemning the mayor's call for a ban on night work.",
        "Voss told officers that she did not need a police car, a source said.") if r["kind"] == "indirect"]
    r = _row(rows, "51 percent of respondents said")
    assert r["speaker_mention"] == "a Harbour Gazette survey"
    assert not any(r["text"].startswith("the mayor should resign") for r in rows)
    r = _row(rows, "Voss told officers")
    assert r["speaker_mention"] == "a source"
    # the council speaks through its resolution: its speaker stands outside the object
    assert _row(rows, "the mayor's call for a ban")["speaker_mention"] == "The harbour council"


def test_an_abbreviated_title_teaches_the_description():
    """"Florida Sen. Tom Reyes" makes "the Florida senator" Tom Reyes (roles.toml
    [abbreviations]), though the article named another person since."""
    from crosswire.speakers import role_key
    assert role_key("Florida Sen.") == role_key("the Florida senator")
    assert role_key("Lt. Gov.").head == "governor" and "lieutenant" in role_key("Lt. Gov.").mods
    r = _row(_statements("Florida Sen. Tom Reyes and Ann Voss met voters on Monday in a crowded hall near the port.",
                         "Voss spoke first. Later the Florida senator said the bridge was dead."), "the bridge was dead")
    assert (r["speaker_name"], r["resolution"]) == ("Tom Reyes", "title")


def test_his_campaign_is_the_campaign_of_the_man_just_named():
    rows = _statements("The Lee campaign held a rally in the port.",
                       "Mr. Tom Reyes spoke at the harbour on Monday. His campaign said the bridge would be rebuilt.",
                       "Ms. Ann Voss left early. Her aides said she was tired.")
    r = _row(rows, "the bridge would be rebuilt")
    # not the campaign named before ("Lee campaign"): the campaign of the man "his" refers to
    assert (r["speaker_name"], r["speaker_mention"], r["resolution"]) == ("Reyes campaign", "His campaign", "pronoun")
    assert _row(rows, "she was tired")["speaker_name"] == "Voss aides"


def test_a_title_case_dateline_with_an_agency_is_no_speaker():
    r = _row(_statements("Lakeport (AFP) – Harbour Mayor Ann Voss will lead a push on Wednesday to paint the "
                         "council as unfit, contrasting its record with the port's."), "the council as unfit")
    assert (r["speaker_name"], r["speaker_mention"]) == ("Ann Voss", "Harbour Mayor Ann Voss")


def test_a_capitals_dateline_with_a_dash_is_no_speaker_when_the_speaker_is_its_conjunct():
    # the parser makes the place the subject and the speaker a conjunct of it
    r = _row(_statements("NOME, Alaska - Mayor Ann Voss said on Friday that a deal reached with the ferry "
                         "company could pave the way for a new bridge."), "that a deal reached")
    assert (r["speaker_name"], r["speaker_mention"]) == ("Ann Voss", "Mayor Ann Voss")


@pytest.fixture(scope="module")
def named_beside():
    return _statements(
        "One Democratic mayoral hopeful, Marta Quillon, says the ferry should be free.",
        "\"The bridge is too low,\" said another leading harbour advocate, Andrew J. Pettifer of the consulting firm Dole Varga.",
        "\"The tide is rising,\" wrote harbour experts David Orwell and Serena Kettle-Vangard of the Tidewater Institute.",
        "Companies including Harbour-Vane said they were not endorsing any candidate.",
        "Meanwhile, groups such as Harbour Watch and the Dockers Union have said the toll is unfair.",
        "The toll plan has been praised by harbour critics, including Pulitzer Prize-winning economist Paul Ostrander.",
        "Republican mayoral hopefuls former Tidewater Gov. Martin Orwell and former Harbour Secretary Ann Voss "
        "called for further action to stop the floods.",
    )


def test_a_name_set_off_after_a_trade_is_the_speaker(named_beside):
    r = _row(named_beside, "the ferry should be free")
    assert (r["speaker_name"], r["speaker_mention"]) == ("Marta Quillon", "One Democratic mayoral hopeful")
    # the name the appositive heads, not the firm's name inside it
    assert _row(named_beside, "The bridge is too low")["speaker_name"] == "Andrew J. Pettifer"


def test_hyphenated_names_beside_a_plural_belong_to_its_mention(named_beside):
    r = _row(named_beside, "The tide is rising")
    assert r["speaker_mention"].startswith("harbour experts David Orwell and Serena Kettle-Vangard")
    assert r["speaker_name"] is None  # two people: no one of them


def test_members_after_a_plural_without_a_comma_or_after_an_agent(named_beside):
    assert _row(named_beside, "they were not endorsing")["speaker_mention"] == "Companies including Harbour-Vane"
    assert _row(named_beside, "the toll is unfair")["speaker_mention"] == \
        "groups such as Harbour Watch and the Dockers Union"
    assert _row(named_beside, "The toll plan")["speaker_mention"] == \
        "harbour critics, including Pulitzer Prize-winning economist Paul Ostrander"
    r = _row(named_beside, "further action")
    assert r["speaker_mention"] == \
        "Republican mayoral hopefuls former Tidewater Gov. Martin Orwell and former Harbour Secretary Ann Voss"


def test_a_document_keeps_its_author_past_a_date_and_not_who_obtained_it():
    rows = _statements(
        "Ferry fares rose by half, according to a study last year by economists at the Tidewater Institute.",
        "Mayor Ann Voss will speak at the harbour festival, according to a report Tuesday from KTDW.",
        "The ferry will stop in May, according to a memo from the director of the Harbour Authority labor "
        "board obtained by the Tidewater Courier.",
        "The ferry will run on Sundays, according to a report Tuesday.",
    )
    assert _row(rows, "Ferry fares rose")["speaker_mention"] == \
        "a study last year by economists at the Tidewater Institute"
    assert _row(rows, "Mayor Ann Voss will speak")["speaker_mention"] == "a report Tuesday from KTDW"
    assert _row(rows, "The ferry will stop")["speaker_mention"] == \
        "a memo from the director of the Harbour Authority labor board"
    # a date with no author after it is not the document's
    assert _row(rows, "The ferry will run")["speaker_mention"] == "a report"


def test_what_a_document_someone_put_out_says_is_theirs():
    rows = _statements(
        "Senator Ann Voss has released a web video that accuses Tom Reyes of neglecting the harbour.",
        "Mayor Lee Marlow is releasing a new 30-second ad that urges voters to \"send a message\" to the port.",
        "Tom Reyes cited a report that found the ferry lost money every year.",
        "A report that found the ferry lost money every year was published on Monday, the council said.",
    )
    r = _row(rows, "Tom Reyes of neglecting")
    assert (r["speaker_name"], r["speaker_mention"]) == ("Ann Voss", "Senator Ann Voss")
    assert _row(rows, "send a message")["speaker_name"] == "Lee Marlow"
    # a report someone cites is not theirs: Reyes is not the one who found it
    assert not any(r["speaker_name"] == "Tom Reyes" and r["text"].startswith("the ferry lost") for r in rows)


@pytest.mark.parametrize("paragraph, name", [
    # the tagger takes the place into the name, or the name into the place
    ("Special envoy to Ukraine Keith Kellogg said the talks would continue.", "Keith Kellogg"),
    ("Former US ambassador to Nato Kurt Volker said the outcome was disappointing.", "Kurt Volker"),
    ("The US ambassador to the UN Linda Thomas-Greenfield said the vote mattered.", "Linda Thomas-Greenfield"),
    # whom the office serves is not who holds it
    ("An adviser to President Ann Lee said the talks went well.", None),
    ("An aide to Lee said the talks went well.", None),
])
def test_a_name_after_the_place_of_an_office_holds_it(paragraph, name):
    row = _row(_statements(paragraph), "the ")
    assert row["speaker_name"] == name


def test_a_title_in_quotation_marks_beside_a_document_names_no_one():
    """'A council study, "Voss's Harbour," found ...': the possessive in the work's title is
    not who found it, and the title is no quotation of hers."""
    rows = _statements("Ann Voss chairs the harbour board.",
                       "A council study, \"Voss's Harbour,\" found that ferry fares had doubled since 2010.")
    assert [r["text"] for r in rows if r["kind"] != "indirect"] == []
    row = _row(rows, "that ferry fares")
    assert (row["speaker_name"], row["speaker_mention"], row["speaker_kind"]) == (None, "A council study", "document")


def test_a_title_with_the_name_after_its_place_is_that_person():
    """"President of Ukraine Volodymyr Zelensky": the parse reads the name as the title's
    appositive (and the tagger the name as a nationality); the subject is Zelensky, so "he"
    in the next sentence is him, not the last person named."""
    rows = _statements("President of Ukraine Volodymyr Zelensky had a long call with US President Donald Trump. "
                       "He said the call was useful.")
    assert _row(rows, "the call was useful")["speaker_name"] == "Volodymyr Zelensky"


def test_two_offices_joined_before_one_name_are_that_persons():
    # session 27: "and" read as two people speaking together; a phrase holding a name is no
    # such appositive ("..., a longtime supporter of Ann Voss,")
    rows = _statements(
        "The company's chairman and chief executive, Priya Raman, said the money would hire engineers.",
        "The harbour master and former councillor, a longtime supporter of Ann Voss, said the pier was safe.")
    r = _row(rows, "the money would")
    assert (r["speaker_name"], r["speaker_mention"]) == ("Priya Raman", "The company's chairman and chief executive, Priya Raman")
    assert _row(rows, "the pier was safe")["speaker_name"] is None


def test_a_one_word_office_the_tagger_takes_for_a_name_gives_way_to_the_name_after_it():
    # "Taoiseach" is tagged a proper noun (and a body); the name set off after it speaks (session 39)
    rows = _statements("The Taoiseach, Micheál Martin, said Dublin would back the harbour plan "
                       "\"without conditions\".")
    r = _row(rows, "without conditions")
    assert (r["speaker_name"], r["speaker_kind"]) == ("Micheál Martin", "person")
