"""Parse shapes of listed speech cues that earlier rules did not read or read too far:
"as the newspaper reported, ..." (rule as_reported), a cue closing its sentence that the
parse hung on the clause before it (said_after), a predicate of the cue's own coordinated
after the reported clause, "is said to have ...". Sentences written for these tests."""
import pytest

from crosswire.statements import extract_statements
from test_indirect import nlp, rules_only, run  # noqa: F401  (the module's spaCy fixture, filter switch and runner)


@pytest.mark.parametrize("text, content, mention", [
    ("As Ana Ruiz noted, the new bridge will cut the journey to the airport by half an hour.",
     "the new bridge will cut the journey to the airport by half an hour", "Ana Ruiz"),
    ("The ferry company lost money for a third year, as the mayor noted in her budget speech.",
     "The ferry company lost money for a third year", "the mayor"),
    # the parser reads a sentence-initial "As the X reported" as a preposition and a relative clause
    ("As the Harbour Gazette reported on Monday, the ferry company lost money for a third year.",
     "the ferry company lost money for a third year", None),
])
def test_as_the_source_reported(nlp, rules_only, text, content, mention):
    rows = [r for r in run(nlp, text) if r["rule"] == "as_reported"]
    assert [r["text"] for r in rows] == [content]
    if mention is not None:
        assert rows[0]["speaker_mention"] == mention
    else:
        assert "Gazette" in rows[0]["speaker_mention"]


@pytest.mark.parametrize("text", [
    "As she said goodbye to the crew, the captain cried.",              # a time: the cue has its object
    "As the mayor announced her run for office, the ferry company lost money.",
    "The fares rose, as the council had predicted they would.",          # the cue has its own clause
    "As the mayor did not say, the ferry company lost money for a third year.",  # negated
    # session 30: a headline's "as" of time, the cue with its own topic
    "Ferry fares climb past 10 pounds as the operator warns of higher fuel costs",
    "Talks resume as both sides argue over the harbour toll",
])
def test_as_clauses_that_are_no_source(nlp, rules_only, text):
    assert [r for r in run(nlp, text) if r["rule"] == "as_reported"] == []


@pytest.mark.parametrize("text, content", [
    # the cue's own next predicate, in its tense, is not what was said
    ("The union denies that the talks failed and wants a new vote on the contract.", "that the talks failed"),
    ("Councillor Ana Ruiz insists the harbour plan must change, and has backed a rival one from the port authority.",
     "the harbour plan must change"),
    ("He said the city would cut taxes and raised fees on ferries last year.", "the city would cut taxes"),
    # ... though the tagger reads it as a participle and the parse hangs "and" on a noun (session 27)
    ("The minister said that there would be no shortage of fertilisers during the rabi season and directed "
     "officials to monitor stocks at every cooperative society.",
     "that there would be no shortage of fertilisers during the rabi season"),
    # a predicate in the clause's own tense, or with its own subject or "that", stays
    ("She said the mayor lied and cheated during the campaign.", "the mayor lied and cheated during the campaign"),
    ("The minister says the ferry fares will rise in May and the trains will run less often.",
     "the ferry fares will rise in May and the trains will run less often"),
    ("The mayor said the bridge would reopen in May and that the tolls would fall.",
     "the bridge would reopen in May and that the tolls would fall"),
])
def test_reported_clause_ends_before_the_cues_own_next_predicate(nlp, rules_only, text, content):
    rows = [r for r in run(nlp, text) if r["rule"] == "reported_clause"]
    assert [r["text"] for r in rows] == [content]


@pytest.mark.parametrize("text, content, mention", [
    # the parse hangs the closing cue on the clause before it, as an adverbial clause
    ("The ferry company will lose money for a third year, sooner than expected, the harbour board "
     "reported on Tuesday -- a blow to the mayor.",
     "The ferry company will lose money for a third year, sooner than expected", "the harbour board"),
    # a long clause the parse broke hangs its own subject on the cue too: the nearer one speaks
    ("The app has made it easy for people with like-minded, if bogus, claims and theories to band into "
     "groups and reach others, she said.",
     "The app has made it easy for people with like-minded, if bogus, claims and theories to band into "
     "groups and reach others", "she"),
])
def test_a_cue_closing_the_sentence_with_its_subject_before_it(nlp, rules_only, text, content, mention):
    rows = [r for r in run(nlp, text) if r["rule"] == "said_after"]
    assert [(r["text"], r["speaker_mention"]) for r in rows] == [(content, mention)]


def test_a_headline_infinitive_before_its_closing_cue(nlp, rules_only):
    # the parse makes "fares" a first subject of "says"
    art = {"article_id": "art_h", "source_id": "test", "title": "Bus fares to rise by 4.6% in March, minister says",
           "text": "The minister spoke on Monday."}
    rows = [r for r in extract_statements([art], nlp=nlp) if r["section"] == "title"]
    assert [(r["text"], r["speaker_mention"], r["rule"]) for r in rows] == [
        ("Bus fares to rise by 4.6% in March", "minister", "said_after")]


@pytest.mark.parametrize("text", [
    "The bridge closed in May, and Ana Ruiz wrote a book about it.",   # a conjunct with "and": her own act
    "The bridge closed in May, the mayor announced a review of the tolls.",  # its object is what was said
    "The bridge closed in May, the mayor said, because the tolls were too low.",  # more after the cue
])
def test_what_is_no_closing_cue(nlp, rules_only, text):
    assert [r for r in run(nlp, text) if r["rule"] == "said_after"] == []


def test_the_passive_is_said_to_with_a_perfect_infinitive(nlp, rules_only):
    rows = [r for r in run(nlp, "The harbour master is said to have resigned after the vote.")
            if r["rule"] == "passive_report"]
    assert [(r["text"], r["speaker_mention"]) for r in rows] == [
        ("The harbour master is said to have resigned after the vote", None)]


def test_as_reported_by_an_agent(nlp, rules_only):
    rows = [r for r in run(nlp, "The terminal will close for a week, as reported by the Harbour Gazette.")
            if r["rule"] == "as_reported"]
    assert [(r["text"], r["speaker_mention"]) for r in rows] == [
        ("The terminal will close for a week", "the Harbour Gazette")]


@pytest.mark.parametrize("text, content", [
    # session 36: the parse hung the source's description on the content, which opened with it
    ("According to the Institute for the Study of War, a Washington think tank, Russian forces have continued "
     "to advance near Pokrovsk.", "Russian forces have continued to advance near Pokrovsk"),
    ("According to the Harbour Trust, a charity based in Leith, the old quay will flood within a decade.",
     "the old quay will flood within a decade"),
    # not a description: the content's own subject, then its verb after the second comma
    ("According to the council, a new bridge, which will cost 40 million pounds, is planned for the harbour.",
     "a new bridge, which will cost 40 million pounds, is planned for the harbour"),
    ("According to Ana Ruiz, a fire broke out in the engine room.", "a fire broke out in the engine room"),
])
def test_according_to_passes_over_the_sources_description(nlp, rules_only, text, content):
    rows = [r for r in run(nlp, text) if r["rule"] == "according_to"]
    assert [r["text"] for r in rows] == [content]


@pytest.mark.parametrize("text, content", [
    # session 40: the parse read the words after the comma as appositions of the source ("back"
    # an adverb) and the phrase swallowed the sentence: nothing, or the content without its subject
    ("According to the AFL-CIO, union members back Reyes by a wide margin.",
     "union members back Reyes by a wide margin"),
    ("According to the AFL-CIO, dock workers back the mayor by a wide margin.",
     "dock workers back the mayor by a wide margin"),
    ("According to the AFL-CIO, union members back the strike by a wide margin.",
     "union members back the strike by a wide margin"),
])
def test_according_to_ends_at_its_comma_when_the_parse_runs_it_on(nlp, rules_only, text, content):
    rows = [r for r in run(nlp, text) if r["rule"] == "according_to"]
    assert [(r["text"], r["speaker_mention"]) for r in rows] == [(content, "the AFL-CIO")]


def test_a_reported_clause_the_parse_hung_on_an_indian_dateline(nlp, rules_only):
    # session 36: the parse made the clause a relative clause of "KOLKATA", which the dateline
    # sets apart, and the statement was lost
    rows = run(nlp, "KOLKATA: The ferry service will resume next week, a port official said.")
    assert [(r["text"], r["speaker_mention"]) for r in rows if r["kind"] == "indirect"] == [
        ("The ferry service will resume next week", "a port official")]


def test_a_closing_cue_the_parser_split_off_at_the_comma(nlp, rules_only):
    # session 36: after "MUMBAI:" the parser ended a sentence at the comma, and "union leader
    # Ravi Kale said." stood alone with nothing to report
    text = ("MUMBAI: Port workers will strike on Monday, union leader Ravi Kale said.\n\n"
            "The port authority said talks would continue.")
    rows = [r for r in run(nlp, text) if r["kind"] == "indirect"]
    assert ("Port workers will strike on Monday", "Ravi Kale") in [(r["text"], r["speaker_name"]) for r in rows]
