"""Title Case headlines parsed in sentence case (crosswire.headlines). Headlines and
articles written for these tests."""
import pytest

from crosswire import headlines
from crosswire.statements import extract_statements


@pytest.fixture(scope="module")
def nlp():
    from crosswire.nlp import load
    return load()


def _title_rows(nlp, title, text):
    """The title's statements of an article with that title and body text."""
    art = {"article_id": "art_h", "source_id": "test", "title": title, "text": text}
    return [r for r in extract_statements([art], nlp=nlp) if r["section"] == "title"]


@pytest.mark.parametrize("line, title_case", [
    ("Harbour Chief Says Ferries Will Resume Next Week", True),
    ("Council Votes to Close the Old Harbour Road After Storm", True),   # small words stay low
    ("Harbour chief says ferries will resume next week", False),
    ("Ana Ruiz", False),                                                 # too few words to judge
    ("Ferry Union and Port Authority Meet in Riverton", True),
])
def test_which_lines_are_title_case(line, title_case):
    assert headlines.is_title_case(line) is title_case


def test_names_stay_capitalised_and_the_length_never_changes():
    body = ("The harbour chief, Ana Ruiz, said on Tuesday that ferries to Riverton would resume next "
            "week. She told the BBC the storm had damaged two piers.")
    title = "Ruiz Says Ferries To Riverton Will Resume After Storm, BBC Told"
    [cased, same] = headlines.for_parsing([("title", title), ("body", body)])
    assert cased == "Ruiz says ferries to Riverton will resume after storm, BBC told"
    assert len(cased) == len(title) and same == body


def test_a_sentence_case_text_is_left_alone():
    text = "The mayor says the bridge will reopen in May.\nShe Thanked The Workers."
    assert headlines.sentence_case(text, frozenset()) == "The mayor says the bridge will reopen in May.\nShe thanked the workers."
    assert headlines.sentence_case(text.split("\n")[0], frozenset()) == text.split("\n")[0]


def test_restore_puts_the_parse_on_the_original_words(nlp):
    title = "Harbour Chief Says Ferries Will Resume Next Week"
    doc = headlines.restore(nlp(headlines.sentence_case(title, frozenset())), title)
    assert doc.text == title
    says = doc[2]
    assert (says.text, says.pos_) == ("Says", "VERB")
    assert [t.dep_ for t in says.children if t.i > says.i] == ["ccomp"]


@pytest.mark.parametrize("title, content, mention", [
    ("Union Warns Strike Could Shut Harbour For A Week", "Strike Could Shut Harbour For A Week", "Union"),
    ("Council Members Insist Budget Cuts Will Not Touch Schools", "Budget Cuts Will Not Touch Schools",
     "Council Members"),
    ("Harbour Master Denies He Knew About Cracked Pier", "He Knew About Cracked Pier", "Harbour Master"),
    ("Mayor Admits Toll Plan Has Stalled", "Toll Plan Has Stalled", "Mayor"),
])
def test_a_title_case_headline_reports_what_was_said(nlp, title, content, mention):
    # parsed as written, these headlines give no statement or the wrong one
    rows = _title_rows(nlp, title, "The union leader spoke in Riverton on Monday. The mayor was not available.")
    assert [(r["kind"], r["text"], r["speaker_mention"]) for r in rows] == [("indirect", content, mention)]
    assert title[rows[0]["char_start"]:rows[0]["char_end"]] == content


def test_a_sentence_of_names_in_the_body_is_not_a_subhead():
    # 9 of its 10 words capitalised, as a Title Case headline; its verb is not
    body = "President Ana Ruiz met Chilean President Tomas Vidal in Valparaiso on Monday.\nFerries Return To The Harbour Town"
    [title, cased] = headlines.for_parsing([("title", "Port Talks Resume"), ("body", body)])
    assert cased == "President Ana Ruiz met Chilean President Tomas Vidal in Valparaiso on Monday.\nFerries return to the harbour town"
    assert headlines.is_title_case(body.split("\n")[0]) and not headlines.is_title_case(body.split("\n")[0], "body")


@pytest.mark.parametrize("title", [
    "Ban on new oil fields will cost 20,000 jobs, MPs told",
    "Care home manager stole £90,000 from residents, court told",
])
def test_a_headlines_closing_told_is_what_its_subject_heard(nlp, title):
    # headline English for "MPs were told": the MPs are no speaker of the words (session 27)
    rows = _title_rows(nlp, title, "The committee met in Westminster on Monday. A decision is expected next month.")
    assert all(r["speaker_mention"] is None and r["speaker_name"] is None for r in rows)


@pytest.mark.parametrize("title", [
    "Apple denies report it will delay new iPhone",
    "Ferrari denies report it will quit Formula One",
])
def test_what_a_denied_report_says_is_not_the_denier_s(nlp, title):
    # the tagger reads the noun "report" as a verb; its clause is the report's, which the
    # subject denies: never the subject's own statement (session 27)
    rows = _title_rows(nlp, title, "The company met on Friday. It gave few details.")
    assert [r["text"] for r in rows if r["text"].startswith("it will")] == []


def test_a_headlines_second_verb_after_a_comma_shares_the_first_ones_subject(nlp):
    # the parse makes the first clause the complement of "says", which has no subject (session 27)
    rows = _title_rows(nlp, "Zelensky rules out ceding territory, says Ukraine 'will not reward aggression'",
                       "Volodymyr Zelensky spoke in Kyiv on Friday. He met European leaders.")
    assert [(r["text"], r["speaker_name"]) for r in rows] == [("will not reward aggression", "Volodymyr Zelensky")]


@pytest.mark.parametrize("title, claim, mention", [
    ("Police: Gunman acted alone in mall shooting", "Gunman acted alone in mall shooting", "Police"),
    ("Historians: Port strike was the longest since 1970", "Port strike was the longest since 1970", "Historians"),
])
def test_a_label_naming_a_body_or_a_group_by_its_noun_says_the_claim(nlp, title, claim, mention):
    # session 27; the outlet's own labels ("Analysis:", "Opinion:") stay no speaker
    rows = _title_rows(nlp, title, "Officials met on Friday. The police said little more.")
    assert [(r["text"], r["speaker_mention"], r["rule"]) for r in rows] == [(claim, mention, "label_claim")]


@pytest.mark.parametrize("title", ["Analysis: Why the port strike is so hard to end", "Opinion: The port deserves better"])
def test_the_outlets_own_labels_say_nothing(nlp, title):
    assert _title_rows(nlp, title, "Officials met on Friday.") == []


def test_a_headlines_office_is_its_holder_not_the_shadow_holder(nlp):
    # "The Chancellor, Ann Voss," (the office tagged a name) makes her the chancellor, and the
    # "shadow chancellor" holds another office (session 27)
    rows = _title_rows(nlp, "Chancellor defends fuel duty rise in stormy Commons session",
                       "The Chancellor, Ann Voss, defended a 3p rise in fuel duty on Wednesday.\n\n"
                       "The shadow chancellor, Tom Reyes, accused her of \"picking the pockets of working people\". "
                       "He told the House his party would reverse the rise.")
    assert [r["speaker_name"] for r in rows] == ["Ann Voss"]


@pytest.mark.parametrize("title, first", [
    # session 28: a headline's second statement after a semicolon ran on in the first, or
    # went to the first one's speaker
    ("Regulator says harbour bank broke rules; lender to appeal", "harbour bank broke rules"),
    ("CCI alleges Vantix abused dominance; company to contest findings", "Vantix abused dominance"),
])
def test_a_semicolon_ends_a_headlines_statement(nlp, title, first):
    rows = _title_rows(nlp, title, "The regulator fined the harbour bank on Monday.")
    speaker = title.split()[0]
    assert [r["text"] for r in rows if r["speaker_mention"] == speaker] == [first]


@pytest.mark.parametrize("title, quote, name, mention", [
    # session 37: a label headed by a noun of a trade is someone of the body before it, not the
    # body ("Harbour aide:" went to the harbour authority) ...
    ("Harbour authority aide: 'No talk' of a new ferry contract", "No talk", None, "Harbour authority aide"),
    # ... and the label's head is who speaks, not its possessor ("EU's Kallas:" went to the EU)
    ("EU's Kallas: Putin 'has no intention' of ending the war", "has no intention", "Kaja Kallas", "EU's Kallas"),
])
def test_a_labels_head_is_its_speaker(nlp, title, quote, name, mention):
    rows = _title_rows(nlp, title, "The leaders met in Riverton on Friday for talks that lasted three hours.")
    r = next(r for r in rows if r["text"] == quote)
    assert (r["speaker_name"], r["speaker_mention"]) == (name, mention)


def test_a_label_about_an_event_names_no_speaker(nlp):
    # session 37: "Trump-Putin summit:" is what the headline is about; the tagger took the
    # joined names for one person, "Trump - Putin", who spoke the quotation
    rows = _title_rows(nlp, "Trump-Putin summit: 'No deal until the ice melts'",
                       "The two leaders met in Anchorage on Friday for talks that lasted three hours.")
    assert [(r["text"], r["speaker_name"]) for r in rows] == [("No deal until the ice melts", None)]
    # a noun for words said is no topic: the possessor's words
    rows = _title_rows(nlp, "'Next time in Moscow': Putin's parting words to Trump",
                       "The two leaders met in Anchorage on Friday for talks that lasted three hours.")
    assert [(r["text"], r["speaker_name"]) for r in rows] == [("Next time in Moscow", "Vladimir Putin")]
