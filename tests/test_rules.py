"""The attribution rule registries: every rule named once, every statement carrying the
name of the rule that found it, and each quote-speaker and not-statement rule on sentences
written for it."""
import pytest

from crosswire import rules
from crosswire.statements import extract_statements
from schemas.statements import RULES


@pytest.fixture(scope="module")
def nlp():
    from crosswire.nlp import load
    return load()


def run(nlp, text, title="Port strike talks resume"):
    art = {"article_id": "art_r", "source_id": "test", "title": title, "text": text}
    return extract_statements([art], nlp=nlp)


def by_text(rows):
    return {r["text"]: r for r in rows}


def test_the_schema_lists_every_rule_in_registry_order():
    assert rules.names() == RULES
    assert len(set(RULES)) == len(RULES)


def test_every_rule_is_documented():
    for r in rules.REPORTED + rules.SPEAKER + rules.CONTEXT + rules.NOT_STATEMENT:
        assert r.doc, r.name


# --- who said a quotation ----------------------------------------------------------------

@pytest.mark.parametrize("text, quote, speaker, rule", [
    ('"We will not go back to work," said Maria Delgado, the union leader.',
     "We will not go back to work,", "Maria Delgado", "reporting_verb"),
    ('Maria Delgado, the union leader, did not mince words: "The offer is an insult."',
     "The offer is an insult.", "Maria Delgado", "colon_intro"),
    ('Maria Delgado said the talks had failed. "We stay out until they listen."',
     "We stay out until they listen.", "Maria Delgado", "same_paragraph_before"),
    ('Maria Delgado addressed the crowd on Monday. "We stay out until they listen."',
     "We stay out until they listen.", "Maria Delgado", "sentence_subject_before"),
    ('"We stay out until they listen." That was the verdict of Maria Delgado, the union leader.',
     "We stay out until they listen.", "Maria Delgado", "named_after"),
    ('Tom Reyes opened the meeting. "We stay out until they listen." That was Maria Delgado\'s reply.',
     "We stay out until they listen.", "Maria Delgado", "named_after"),
    ('"We stay out until they listen." So said Maria Delgado on Monday.',
     "We stay out until they listen.", "Maria Delgado", "named_after"),
    # session 38: the words that close an appearance
    ('"We stay out until they listen."\n\nWith that, Maria Delgado walked off the stage.',
     "We stay out until they listen.", "Maria Delgado", "named_after"),
    ('"The offer is an insult. Nobody will sign it." "We stay out," Maria Delgado said.',
     "The offer is an insult. Nobody will sign it.", "Maria Delgado", "same_paragraph_after"),
    ('"We have a saying in the docks: one crane, one crew," Maria Delgado began.',
     "We have a saying in the docks: one crane, one crew,", "Maria Delgado", "reporting_verb"),
])
def test_quote_speaker_rules(nlp, text, quote, speaker, rule):
    row = by_text(run(nlp, text))[quote]
    assert row["speaker_name"] == speaker
    assert row["rule"] == rule


@pytest.mark.parametrize("text, quote, speaker", [
    # session 39: a roundup's items, a name and its topic before the colon (they were unattributed)
    ('What they said\n\n- Maria Delgado on the offer: "It is an insult to every docker."\n\n'
     '- Tom Reyes on the next round: "We can meet again on Monday."', "It is an insult to every docker.", "Maria Delgado"),
    # a reactions list: the name with party and state, or with a description
    ('Reactions\n\nRep. Ann Voss, D-Ore.: "The port cannot stay shut for another week."',
     "The port cannot stay shut for another week.", "Ann Voss"),
    ('Reactions\n\nTom Bell, a crane driver: "We came to be heard, and we were."',
     "We came to be heard, and we were.", "Tom Bell"),
])
def test_a_list_items_label_names_its_speaker_with_what_qualifies_the_name(nlp, text, quote, speaker):
    row = by_text(run(nlp, text))[quote]
    assert (row["speaker_name"], row["rule"]) == (speaker, "colon_intro")


def test_a_run_in_label_the_parse_makes_a_subject_is_not_the_speaker(nlp):
    # "Zoom out:" (a newsletter's run-in label) came out as a second subject of the verb,
    # ahead of the name after the colon, and was credited with the words
    text = ("Dock strike talks end without a deal\n\n"
            "President Trump and port operators wrapped up two days of talks in Oakland on Friday.\n\n"
            "Why it matters: The strike has idled a third of West Coast container traffic.\n\n"
            'Zoom out: Trump had threatened "very severe consequences" if the operators did not raise '
            "their offer, but he gave no sign on Friday that the walkout would end.")
    row = by_text(run(nlp, text))["very severe consequences"]
    assert (row["speaker_name"], row["speaker_mention"]) == ("Donald Trump", "Trump")


@pytest.mark.parametrize("text, quote, speaker", [
    # session 38: the parse hangs the whole subject on the participle before it, and the verb
    # has none
    ('Speaking to reporters in Lisbon, a spokesman for the transport ministry, Rui Tavares, said the '
     'port had "no faults" at all.', "no faults", "Rui Tavares"),
    # a name the tagger gives nowhere else, set off after a body's noun that says whose trade
    # it is: the trade holder's name, not the ministry's
    ('A spokesman for the foreign ministry, Heorhii Tykhyi, said Kyiv had "no illusions" about the talks.',
     "no illusions", "Heorhii Tykhyi"),
    # a person's noun instead: the name is that person's, not the lawyer's
    ('A lawyer for her mother, Ann Lee, said the family had "no doubts" about the verdict.', "no doubts", None),
])
def test_a_name_set_off_after_whose_spokesman_it_is(nlp, text, quote, speaker):
    assert by_text(run(nlp, text))[quote]["speaker_name"] == speaker


@pytest.mark.parametrize("text, quote, mention", [
    # session 38: words inside an earlier cue's report, and a cue after them that reports the
    # report: the inner speaker's words, as in any nested report (they went to the city, the
    # newspaper)
    ('Ruiz called the talks "timely" and "very useful," the city said.', "very useful,", "Ruiz"),
    ('The union leader told reporters that Lee had "no plan at all," the newspaper reported.', "no plan at all,",
     "The union leader"),
    # not across a dash, nor from a relative clause, nor from a second cue of a broken quotation
    ('Many think the port will close, but the city denies it — "why would it stay open?" asked Lee.',
     "why would it stay open?", "Lee"),
    ('Nothing the mayor said "will calm the dockers," the union leader said.', "will calm the dockers,",
     "the union leader"),
    ('"The port is closed," Lee said, "and it will stay closed," she added.', "and it will stay closed,", "she"),
])
def test_a_cue_after_a_quotation_inside_an_earlier_report_reports_that_report(nlp, text, quote, mention):
    assert by_text(run(nlp, text))[quote]["speaker_mention"] == mention


def test_a_name_after_an_opening_question_speaks_though_the_parse_hangs_it_there(nlp):
    # session 38: the parse made "Asked" the verb's subject and "Mr Trump" an appositive
    # of the name in the question; the answer had no speaker
    rows = by_text(run(nlp, "Asked whether he trusted Mr Putin, Mr Trump replied: 'I think so.'"))
    assert rows["I think so."]["speaker_name"] == "Donald Trump"


def test_a_quotation_credited_with_per_is_its_sources(nlp):
    # session 38: "per" credits as "according to" does (US digital outlets' style)
    rows = by_text(run(nlp, 'The talks ended on Friday. "Nothing was agreed," per a senior port official.'))
    row = rows["Nothing was agreed,"]
    assert (row["speaker_mention"], row["cue"]) == ("a senior port official", "per")


@pytest.mark.parametrize("text, quote, mention", [
    # session 38: the words "came" as someone's reply: they were unattributed
    ('"Not before May," came the reply from Maria Delgado.', "Not before May,", "Maria Delgado"),
    ('"We will not bow to pressure," came the response from the port authority.', "We will not bow to pressure,",
     "the port authority"),
])
def test_a_quotation_that_came_as_someones_reply_is_theirs(nlp, text, quote, mention):
    row = by_text(run(nlp, text))[quote]
    assert (row["speaker_mention"], row["rule"]) == (mention, "speech_noun_holder")


def test_a_paragraph_of_quotation_after_a_colon(nlp):
    text = ("Maria Delgado, the union leader, spoke to the crowd on Monday and said:\n\n"
            '"We stay out until they listen to us."')
    row = by_text(run(nlp, text))["We stay out until they listen to us."]
    assert (row["speaker_name"], row["rule"]) == ("Maria Delgado", "introduced_paragraph")


def test_a_quotation_run_over_paragraphs_named_in_the_paragraph_after_it(nlp):
    # the run's first paragraph leaves its quotation open; the speaker comes after (session 27)
    text = ('Grace Okonjo told members the strike was over.\n\n'
            '"The last eleven days have cost this region dearly. Every day a ship waits, somebody loses hours.\n\n'
            '"We are glad it is over."\n\n'
            'That was how Harold Lindqvist, chairman of the Halden Chamber of Commerce, summed up the mood.')
    rows = [r for r in run(nlp, text) if r["text"].startswith("The last eleven days")]
    # (session 37: the run's last paragraph is credited by the "That was how" after it,
    # how_they_put_it, and the run takes its speaker; before, the name after it, named_after)
    assert [(r["speaker_name"], r["rule"]) for r in rows] == [("Harold Lindqvist", "quotation_run")]
    assert rows[0]["text"].endswith("We are glad it is over.")


def test_a_paragraph_of_quotation_after_a_speaker(nlp):
    text = ('Maria Delgado told the crowd that the strike would go on.\n\n'
            '"We stay out until they listen to us."')
    row = by_text(run(nlp, text))["We stay out until they listen to us."]
    assert (row["speaker_name"], row["rule"]) == ("Maria Delgado", "previous_paragraph")


@pytest.mark.parametrize("verb", ["gushed", "fumed", "bragged", "scoffed", "snapped", "averred"])
def test_tabloid_speech_verbs_credit_the_quotation_and_the_next_paragraph(nlp, verb):
    text = (f'"The cranes will be running again by Friday," Maria Delgado {verb}.\n\n'
            '"Nobody in this port has ever seen a contract like it."')
    rows = by_text(run(nlp, text))
    first = rows["The cranes will be running again by Friday,"]
    assert (first["speaker_name"], first["cue"], first["rule"]) == ("Maria Delgado", verb, "reporting_verb")
    second = rows["Nobody in this port has ever seen a contract like it."]
    assert (second["speaker_name"], second["rule"]) == ("Maria Delgado", "previous_paragraph")


@pytest.mark.parametrize("subject, verb", [("Critics", "blasted"), ("Dock workers", "slammed"),
                                           ("Union leaders", "denounced"), ("Harbour officials", "condemned")])
def test_stance_verbs_that_characterise_in_words_credit_their_quotation(nlp, subject, verb):
    # a speaker of any kind, not only a named one (the last resort takes only names)
    text = f'{subject} {verb} the new contract as "a gift to the shipping lines".'
    row = by_text(run(nlp, text))["a gift to the shipping lines"]
    assert (row["speaker_mention"], row["cue"], row["rule"]) == (subject, verb, "reporting_verb")


def test_a_quotation_run_over_paragraphs_keeps_its_speaker(nlp):
    text = ('"We will not go back to work until the cranes are off the table," Maria Delgado said. '
            '"Not one of us.\n\n"We have waited ten years for this contract."')
    rows = [r for r in run(nlp, text) if r["kind"] != "indirect"]
    assert all(r["speaker_name"] == "Maria Delgado" for r in rows), rows


def test_a_quotation_nobody_is_said_to_have_said(nlp):
    text = 'The port was quiet on Monday. "Long live the strike, and long live the union."'
    row = by_text(run(nlp, text))["Long live the strike, and long live the union."]
    assert row["speaker_name"] is None
    assert row["rule"] == "unattributed_quote"


def test_a_topic_label_is_not_a_speaker(nlp):
    text = ("Maria Delgado spoke for an hour on Monday.\n\n"
            'Of the port authority: "They have never listened to a docker in their lives."')
    row = by_text(run(nlp, text))["They have never listened to a docker in their lives."]
    assert row["speaker_name"] != "port authority"
    assert row["speaker_mention"] is None or "authority" not in row["speaker_mention"]


# --- what is not a statement ---------------------------------------------------------------

@pytest.mark.parametrize("text, quote", [
    ('She has read the book "A Harbour in Winter" twice.', "A Harbour in Winter"),
    ('The union launched a campaign called "Fair Docks Now" in March.', "Fair Docks Now"),
    ('The so-called "cranes clause" split the union.', "cranes clause"),
    ('He starred in "The Long Shift Home", a film about the port.', "The Long Shift Home"),
    ('The docks were "quiet" on Monday.', "quiet"),
    ('By "automation" the union means cranes that need no driver.', "automation"),
    ('Protesters carried signs reading "No robots on our docks" past the gates.', "No robots on our docks"),
    ('Maria Delgado said on "Harbour Morning Live." that she would stay.', "Harbour Morning Live."),
    ('Maria Delgado told "Dockside Tonight." the strike would go on.', "Dockside Tonight."),
    ('Maria Delgado said on "Dockside" that she would stay.', "Dockside"),
    ('Maria Delgado said on HRB\'s "Dockside Tonight." that she would stay.', "Dockside Tonight."),
    ('"\'Harbour Nights Live,\'" Delgado said of her favourite show.', "'Harbour Nights Live,'"),
    ('Delgado said in an interview with Harbour FM\'s "Morning Tide Report."', "Morning Tide Report."),
    ('Maria Delgado wrote it all down in her memoir, "Cranes at Dawn."', "Cranes at Dawn."),
    # a title that opens with a figure
    ('Ava Lin, the director of the film, grew up near the port. The director makes this clear in '
     'her new documentary "12th." It opens on Friday.', "12th."),
    ('The crowd sang along to the tune of "Harbour Lights."', "Harbour Lights."),
    ('Delgado, who wrote "The Long Shift Home" in 2009, has led the union since.', "The Long Shift Home"),
    ('Delgado wore a jacket printed with "DOCKERS UNITED", which the papers called a provocation.',
     "DOCKERS UNITED"),
    ('Delgado, who came in a sweatshirt bearing the letters "NUD," said the strike would go on.', "NUD,"),
    ('Delgado, who came in a sweatshirt with "NUD" on the front, said the strike would go on.', "NUD"),
    ('Fact check: Did Delgado really call the port "a prison"?', "a prison"),
    ('Delgado spoke for an hour.\n\n- \'Not one crane\' -\n\nThe union voted on Monday.', "Not one crane"),
])
def test_not_statements(nlp, text, quote):
    assert quote not in by_text(run(nlp, text))


@pytest.mark.parametrize("text, quote", [
    # session 39: "play" and "show" are works in the word list, and verbs here (the words
    # were dropped as a title's)
    ('The spokesman said Portugal would play "a constructive role" in the talks.', "a constructive role"),
    ('The union leader said the new offer shows "real progress" on pay.', "real progress"),
])
def test_a_verb_spelt_like_a_kind_of_work_does_not_make_a_title(nlp, text, quote):
    assert quote in by_text(run(nlp, text))


def test_what_someone_billed_something_as_is_theirs(nlp):
    # session 39: the words went to the speaker of the next clause
    row = by_text(run(nlp, 'The port authority billed the meeting as a "listening exercise", and Maria '
                           'Delgado said she was hopeful.'))["listening exercise"]
    assert (row["speaker_mention"], row["cue"]) == ("The port authority", "billed")


@pytest.mark.parametrize("text, words", [
    ('Maria Delgado posted: "Solidarity &amp; @DockersUnion pic.twitter.com/abc123"',
     "pic.twitter.com"),
    ('The union wrote that "the strike goes on — Maria Delgado (@mdelgado) June 5, 2016"',
     "(@mdelgado)"),
    ('"@PortAuthority @DockersUnion #strike," the post read.', "@PortAuthority"),
    ('<post post-id="8812" post-author="DockersUnion">Solidarity</post>', "DockersUnion"),
    ("DELGADO SAYS THE STRIKE WILL GO ON\n\nThe strike entered its third week on Monday.",
     "THE STRIKE WILL GO ON"),
    ("The port reopened on Monday.\n\nEVEN DELGADO’S BOSS THINKS SHE IS RIGHT — The head of the harbour "
     "board said as much in an email on Friday.", "SHE IS RIGHT"),
    ("The port reopened on Monday.\n\nEVEN DELGADO’S BOSS THINKS SHE IS FULL OF IT — The head of the "
     "harbour board indicated as much in an email, released as part of a leak on Friday.", "The head of"),
])
def test_markup_and_subheads_are_not_statements(nlp, text, words):
    assert not any(words in r["text"] for r in run(nlp, text)), run(nlp, text)


def test_an_all_caps_title_still_counts(nlp):
    rows = run(nlp, "The strike entered its third week.", title='DELGADO: "WE WILL NOT GO BACK"')
    assert any(r["section"] == "title" for r in rows)


@pytest.mark.parametrize("text, quote", [
    ('Maria Delgado wrote "Solidarity With Every Docker Today!" on her page.', "Solidarity With Every Docker Today!"),
    ('Maria Delgado wrote: "Solidarity With Every Docker Today" before the march.', "Solidarity With Every Docker Today"),
])
def test_a_capitalised_post_after_wrote_is_a_statement(nlp, text, quote):
    assert quote in by_text(run(nlp, text))


@pytest.mark.parametrize("text, quote", [
    ('Delgado asked: "Did you sign it?"', "Did you sign it?"),
    ('Why did Delgado call the port "a prison"?', "a prison"),
])
def test_a_question_that_presumes_the_words_or_quotes_one_is_a_statement(nlp, text, quote):
    assert quote in by_text(run(nlp, text))


def test_a_quoted_post_with_a_link_is_a_statement(nlp):
    text = 'Maria Delgado posted: "We stay out until the cranes are gone pic.twitter.com/abc123"'
    assert any("cranes" in r["text"] for r in run(nlp, text))


def test_a_tweet_quoted_with_a_handle_is_a_statement(nlp):
    text = 'Maria Delgado wrote on Twitter: "Proud of every docker on the line today, thank you @DockersUnion."'
    rows = by_text(run(nlp, text))
    assert rows["Proud of every docker on the line today, thank you @DockersUnion."]["speaker_name"] == "Maria Delgado"


def test_words_someone_is_reported_calling_something_are_no_scare_quote(nlp):
    text = ('The port authority dismissed the offer as "insulting" on Monday. '
            'Maria Delgado called the new cranes "dangerous" in a letter.')
    rows = by_text(run(nlp, text))
    assert {"insulting", "dangerous"} <= set(rows)
    rows = by_text(run(nlp, 'The docks were "quiet" on Monday, such as "calm" days go.'))
    assert "quiet" not in rows and "calm" not in rows



def test_a_short_sentence_after_a_colon_is_no_scare_quote(nlp):
    rows = by_text(run(nlp, 'The word from the harbour office was short: "Stay away." '
                            'The cranes stood "idle" all week.'))
    assert "Stay away." in rows  # said, though no one is credited
    assert "idle" not in rows


# --- transcripts and headlines ------------------------------------------------------------

TRANSCRIPT = ("Maria Delgado spoke to the host Tom Reyes on Sunday. An excerpt:\n\n"
              "REYES: Will the dockers go back on Monday? The port says “no deal” yet.\n\n"
              "DELGADO: Not one of us goes back until the cranes are gone.\n\n"
              "REYES: And if the port sues the union?\n\n"
              "DELGADO: Then we will see them in court.")


def test_words_in_a_clause_that_describes_the_speaker_are_not_the_cues(nlp):
    # the cue credits what the speaker says, not the lettering on her coat or her book
    rows = by_text(run(nlp, 'Ana Ruiz, who wore a jacket with "ACME" on the back, said the talks '
                            'went well. Tom Bell, whose new book features "stubborn" people, '
                            'told reporters the vote was close.'))
    assert "ACME" not in rows and "stubborn" not in rows
    assert rows["the talks went well"]["speaker_name"] == "Ana Ruiz"
    # the cue right after the closing mark is the described speaker's: no trailing credit
    rows = by_text(run(nlp, 'Ana Ruiz, who arrived in a van painted "ACME", told reporters '
                            'the talks went well.'))
    assert "ACME" not in rows
    # a quotation about a word of what is said still is the speaker's
    rows = by_text(run(nlp, 'Ana Ruiz said the plan, which she called "a trap", would fail.'))
    assert rows["a trap"]["speaker_name"] == "Ana Ruiz"


def test_according_to_after_a_reported_quotation_is_the_source_not_the_speaker(nlp):
    rows = by_text(run(nlp, 'The minister said the plan would "fail", according to the Daily Courier.'))
    assert rows["fail"]["speaker_mention"] == "The minister"
    # with no verb of its own, the quotation is the credited source's
    rows = by_text(run(nlp, 'The plan is "doomed to fail", according to the Daily Courier.'))
    assert rows["doomed to fail"]["speaker_mention"] == "the Daily Courier"


def test_a_cue_written_right_before_the_quotation_credits_it(nlp):
    # the parse hangs the second quotation on "praises"; the words follow "admits"
    rows = run(nlp, "The two presidents met in Anchorage on Friday.",
               title="Putin praises 'frank and substantive' talks as Trump admits 'we didn't get there'")
    got = {r["text"]: r["speaker_mention"] for r in rows if r["section"] == "title"}
    assert got == {"frank and substantive": "Putin", "we didn't get there": "Trump"}


def test_transcript_turns_are_direct_statements_of_the_labelled_speaker(nlp):
    rows = by_text(run(nlp, TRANSCRIPT))
    turn = rows["Not one of us goes back until the cranes are gone."]
    assert (turn["kind"], turn["speaker_name"], turn["speaker_mention"], turn["rule"]) == (
        "direct", "Maria Delgado", "DELGADO", "transcript_label")
    question = rows["Will the dockers go back on Monday? The port says “no deal” yet."]
    assert question["speaker_name"] == "Tom Reyes"
    assert "no deal" not in rows  # a quotation inside a turn stays inside it


@pytest.mark.parametrize("text, cue", [
    # the words are the writer's of the report they sit in, and so is the cue
    ('Lee wrote that she and the mayor had agreed "the toll must go".', "wrote"),
    # a participle shares its subject: its own verb is the cue
    ('"We are done," Ruiz said, adding "the toll must go".', "adding"),
])
def test_the_cue_is_the_verb_of_the_speaker(nlp, text, cue):
    rows = [r for r in run(nlp, text) if r["kind"] != "indirect" and r["text"].startswith("the toll")]
    assert [r["cue"] for r in rows] == [cue]


def test_a_transcript_whose_first_paragraph_is_a_turn_keeps_that_turn(nlp):
    # "ANN LEE:" opens the text as "NEW DELHI:" opens an Indian paper's story: the labels
    # after it take turns, so it is the speaker's label, not a dateline set apart
    text = ("ANN LEE: The harbour will reopen in May, once the cranes are mended.\n\n"
            "TOM REYES, HOST: Not before then?\n\nLEE: Not a day before.\n\nREYES: Why the wait?\n\n"
            "LEE: The divers found cracks in the quay wall.")
    turn = by_text(run(nlp, text))["The harbour will reopen in May, once the cranes are mended."]
    assert (turn["kind"], turn["speaker_mention"], turn["rule"]) == ("direct", "ANN LEE", "transcript_label")
    # spaCy tags "ANN LEE" a person in capitals; the name is as the article would write it
    # (session 36: it was "ANN LEE", a speaker apart from the Ann Lee of other articles)
    assert turn["speaker_name"] == "Ann Lee"
    assert by_text(run(nlp, text))["Not a day before."]["speaker_name"] == "Ann Lee"


def test_a_transcript_label_with_accented_capitals_is_a_turn(nlp):
    # a broadcast transcript's correspondent whose name has a letter outside A-Z: her turns
    # were run into the host's, and her words credited to him
    text = ("RUTH ABELS, HOST:\n\nThe port reopened this morning. Our reporter was there.\n\n"
            "MARÍA NÚÑEZ, BYLINE: Good morning, Ruth.\n\nABELS: What did you see?\n\n"
            "NÚÑEZ: Cranes moving again, and a long line of trucks at the gate.\n\n"
            "ABELS: Thank you, María.")
    rows = by_text(run(nlp, text))
    assert rows["Good morning, Ruth."]["speaker_name"] == "María Núñez"
    turn = rows["Cranes moving again, and a long line of trucks at the gate."]
    assert (turn["speaker_mention"], turn["speaker_name"], turn["rule"]) == ("NÚÑEZ", "María Núñez", "transcript_label")


def test_an_office_label_is_the_holder_no_other_label_names(nlp):
    # session 38: an official transcript's "THE PRESIDENT:" was a person called "The
    # President"; the other president has a label of his own
    text = ("Remarks by President Donald Trump and President Vladimir Putin at a joint appearance\n\n"
            "PRESIDENT PUTIN: (As interpreted.) Our talks were frank and useful.\n\n"
            "THE PRESIDENT: Thank you. We made some headway today.\n\n"
            "PRESIDENT PUTIN: Next time in Moscow.\n\n"
            "THE PRESIDENT: That's an interesting one.")
    row = by_text(run(nlp, text))["Thank you. We made some headway today."]
    assert (row["speaker_name"], row["speaker_mention"], row["resolution"]) == ("Donald Trump", "THE PRESIDENT", "title")
    # no one the label can stand for: the office, unresolved, not a person called "The Chairman"
    text = ("THE CHAIRMAN: The hearing will come to order.\n\nMS. LEE: Thank you.\n\n"
            "THE CHAIRMAN: Please go on.\n\nMS. LEE: The port is safe.")
    row = by_text(run(nlp, text))["Please go on."]
    assert (row["speaker_name"], row["speaker_mention"]) == (None, "THE CHAIRMAN")


def test_a_label_with_a_title_is_the_name_the_article_writes_without_it(nlp):
    # session 38: "MS. LEE:" was a speaker "Ms. Lee", and the article's "Ms. Lee said" Lee
    text = ("MS. LEE: Good afternoon.\n\nQ: Will the port reopen?\n\nMS. LEE: It will.\n\n"
            "Q: When?\n\nMS. LEE: On Monday.\n\nAfter the briefing, Ms. Lee said the cranes had been checked.")
    rows = run(nlp, text)
    assert {r["speaker_name"] for r in rows} == {"Lee"}, [(r["text"], r["speaker_name"]) for r in rows]


def test_a_short_label_is_the_person_a_longer_label_names(nlp):
    # the host is named in full only in her first label
    text = ("MARIA DELGADO: Will the dockers go back on Monday?\n\nREYES: Not while the cranes stand.\n\n"
            "DELGADO: And after that?\n\nREYES: We will see.\n\nANN DELGADO BELL: A word from me.")
    rows = by_text(run(nlp, text))
    assert rows["And after that?"]["speaker_name"] == "Maria Delgado"
    assert rows["Not while the cranes stand."]["speaker_name"] == "Reyes"


def test_a_question_label_is_whoever_asked(nlp):
    text = ("QUESTION: Will the dockers go back on Monday?\n\nDELGADO: Not while the cranes stand.\n\n"
            "INTERVIEWER: And after that?\n\nDELGADO: We will see.")
    rows = by_text(run(nlp, text))
    for q in ("Will the dockers go back on Monday?", "And after that?"):
        assert (rows[q]["speaker_name"], rows[q]["speaker_kind"]) == (None, "unnamed")
    assert rows["Not while the cranes stand."]["speaker_mention"] == "DELGADO"


def test_a_label_written_as_a_title_and_a_name_is_the_person_the_article_names(nlp):
    text = ("Maria Delgado, the vice-mayor, met the union.\n\n"
            "Vice-Mayor of Lakeport Maria Delgado: Good evening.\n\nTom Reyes: Not on our terms.\n\n"
            "Vice-Mayor of Lakeport Maria Delgado: We will see.\n\nMore talks follow.\n\nTom Reyes: We will.")
    rows = by_text(run(nlp, text))
    assert (rows["Good evening."]["speaker_name"], rows["Good evening."]["rule"]) == ("Maria Delgado",
                                                                                      "transcript_label")
    assert rows["More talks follow."]["speaker_name"] == "Maria Delgado"  # her turn runs on
    assert rows["We will."]["speaker_name"] == "Tom Reyes"


INTERVIEW = ("Ann Okafor, the port authority's chair, who met Tom Reyes of the dockers' union on "
             "Friday, spoke to the Courier on Sunday. The interview was edited for length.\n\n"
             "Q: Will the port reopen?\n\nA: Not this week. The cranes need checking.\n\n"
             "The union has its own engineers on it.\n\n"
             "Q: What did Reyes tell you?\n\nA: That the union wants the deal in writing.\n\n"
             "Okafor flies to Lagos on Monday.")


def test_an_interview_answer_is_the_words_of_the_one_the_introduction_names(nlp):
    rows = by_text(run(nlp, INTERVIEW))
    answer = rows["Not this week. The cranes need checking."]
    assert (answer["kind"], answer["speaker_name"], answer["speaker_mention"], answer["rule"],
            answer["speaker_kind"]) == ("direct", "Ann Okafor", "A", "interview_answer", "person")
    assert rows["That the union wants the deal in writing."]["speaker_name"] == "Ann Okafor"
    later = rows["The union has its own engineers on it."]  # the answer goes on
    assert (later["kind"], later["speaker_name"], later["speaker_mention"]) == ("direct", "Ann Okafor", "A")
    assert "Will the port reopen?" not in rows  # the outlet's own question


def test_an_interviews_headline_quotation_is_the_interviewees(nlp):
    rows = by_text(run(nlp, INTERVIEW, title="'The cranes need checking': the port chair on the strike"))
    head = rows["The cranes need checking"]
    assert (head["section"], head["speaker_name"], head["rule"]) == ("title", "Ann Okafor", "interview_headline")
    # no interview, no such credit: the headline's quotation stays without a speaker
    plain = by_text(run(nlp, "The port stayed shut on Sunday.", title="'The cranes need checking': port shut"))
    assert plain["The cranes need checking"]["rule"] == "unattributed_quote"


def test_an_interview_whose_introduction_names_no_one_has_an_unnamed_answerer(nlp):
    text = INTERVIEW.replace("Ann Okafor, the port authority's chair, who met Tom Reyes of the dockers' "
                             "union on Friday,", "The chair of the port authority")
    answer = by_text(run(nlp, text))["Not this week. The cranes need checking."]
    assert (answer["speaker_name"], answer["speaker_mention"], answer["speaker_kind"]) == (None, "A", "unnamed")


def test_a_single_capitalised_label_is_no_transcript(nlp):
    text = ("UPDATE: The talks resumed on Tuesday.\n\n"
            "BOTTOM LINE: The strike goes on, Maria Delgado said.")
    assert not any(r["rule"] == "transcript_label" for r in run(nlp, text))


def test_a_headline_name_before_a_colon_says_the_quoted_words(nlp):
    rows = run(nlp, "Maria Delgado led the dockers out on Monday.",
               title="Delgado: port offer 'an insult' to every docker")
    row = next(r for r in rows if r["section"] == "title")
    assert (row["text"], row["speaker_name"], row["rule"]) == ("an insult", "Maria Delgado", "headline_label")


def test_a_headline_that_opens_with_the_quotation_and_a_colon_names_its_speaker_after(nlp):
    rows = run(nlp, "Maria Delgado led the dockers out on Monday.",
               title="\"Not one crane will move\": Delgado sums up the strike")
    row = next(r for r in rows if r["section"] == "title")
    assert (row["text"], row["speaker_name"], row["rule"]) == ("Not one crane will move", "Maria Delgado",
                                                                "headline_label")


def test_a_name_the_headline_parse_takes_for_a_verb_stays_in_the_label(nlp):
    rows = run(nlp, "New Delhi: Prime Minister Narendra Modi on Friday said India will never compromise on the "
                    "interests of its farmers.", title="'Will Not Bow To Pressure': PM Modi On US Tariffs")
    row = next(r for r in rows if r["section"] == "title")
    assert (row["speaker_name"], row["speaker_mention"]) == ("Narendra Modi", "PM Modi")


@pytest.mark.parametrize("title", [
    # session 36: the last of the two names said the words ("Putin"), or the first
    "\"Not one crane will move\": Delgado and Reyes end the strike talks",
    "Delgado, Reyes: 'not one crane will move'",
])
def test_a_headline_label_that_names_two_people_credits_neither(nlp, title):
    rows = run(nlp, "Maria Delgado met Tom Reyes on Monday.", title=title)
    row = next(r for r in rows if r["section"] == "title")
    assert (row["speaker_name"], row["speaker_kind"]) == (None, "group"), row
    assert "Delgado" in row["speaker_mention"] and "Reyes" in row["speaker_mention"]


@pytest.mark.parametrize("title, body, name", [
    # a headline quotes the body, cut short and recased
    ("'Not One Crane Will Move': Delgado And Reyes End Strike Talks",
     "Maria Delgado met Tom Reyes on Monday. \"Not one crane will move until the offer changes,\" Delgado said.",
     "Maria Delgado"),
    ("'The cranes need checking': port stays shut",
     "The port stayed shut on Sunday. \"All the cranes need checking first,\" said Ann Okafor, the port's chair.",
     "Ann Okafor"),
])
def test_a_headline_quotation_is_said_by_the_body_speaker_of_its_words(nlp, title, body, name):
    row = next(r for r in run(nlp, body, title=title) if r["section"] == "title")
    assert (row["speaker_name"], row["rule"]) == (name, "echoed_in_body"), row


@pytest.mark.parametrize("title, body", [
    # two body speakers say the words: no one in particular
    ("'The cranes need checking': port stays shut",
     "\"The cranes need checking,\" said Ann Okafor. \"The cranes need checking too,\" said Tom Reyes."),
    # the label names two people, and the body's speaker is neither
    ("Delgado, Reyes: 'not one crane will move'",
     "Maria Delgado met Tom Reyes. \"Not one crane will move,\" said Ann Okafor, the port's chair."),
    # two words: a scare quote, not matched inside a longer quotation
    ("Port chair 'deeply sorry'", "\"I am deeply sorry for the delay,\" said Ann Okafor."),
])
def test_a_headline_quotation_echoed_by_no_one_speaker_keeps_its_own(nlp, title, body):
    rows = [r for r in run(nlp, body, title=title) if r["section"] == "title"]
    assert all(r["rule"] != "echoed_in_body" for r in rows), rows


def test_a_headline_label_with_a_preposition_between_two_names_is_the_first(nlp):
    rows = run(nlp, "Maria Delgado met Tom Reyes on Monday.", title="Delgado to Reyes: 'not one crane will move'")
    row = next(r for r in rows if r["section"] == "title")
    assert row["speaker_name"] == "Maria Delgado"


_SUMMIT = "President Donald Trump met Russian President Vladimir Putin in Anchorage on Friday for three hours."


@pytest.mark.parametrize("title, quoted, name, mention", [
    # session 38: the headline's parse reads "calls" as a noun and "talks" as the verb, after a
    # label or not; a possessor whose noun for words the parse takes for a verb
    ("Trump calls talks 'extremely productive'", "extremely productive", "Donald Trump", "Trump"),
    ("LIVE: Trump calls talks 'extremely productive'", "extremely productive", "Donald Trump", "Trump"),
    ("'See you in Moscow': Putin's parting shot to Trump", "See you in Moscow", "Vladimir Putin",
     "Putin's parting shot"),
])
def test_a_headline_whose_parse_lost_its_verb_still_names_the_speaker(nlp, title, quoted, name, mention):
    row = next(r for r in run(nlp, _SUMMIT, title=title) if r["section"] == "title")
    assert (row["text"], row["speaker_name"], row["speaker_mention"], row["rule"]) == (quoted, name, mention,
                                                                                         "headline_label")


def test_a_headline_stance_verb_does_not_make_a_quoted_name_its_subjects_words(nlp):
    # what two people slam in quotation marks is a group's name, not their words
    rows = [r for r in run(nlp, _SUMMIT, title="Trump and Putin Slam ‘Neighbours For Ruiz.’") if r["section"] == "title"]
    assert all(r["speaker_mention"] is None for r in rows), rows


@pytest.mark.parametrize("title, quoted, mention", [
    # session 38: the headline order "topic 'words', says speaker": the parse made the topic
    # the verb's subject and the speaker its object or a second subject
    ("New tariffs 'a disaster', warns union", "a disaster", "union"),
    ("Port closure 'a huge mistake', says mayor", "a huge mistake", "mayor"),
    ('New tariffs "a disaster," warns union', "a disaster,", "union"),  # the comma inside the mark
])
def test_a_headline_speaker_after_says_is_not_the_topic_before_the_quotation(nlp, title, quoted, mention):
    row = next(r for r in run(nlp, "The port stayed shut on Monday.", title=title) if r["section"] == "title")
    assert (row["text"], row["speaker_mention"]) == (quoted, mention)


# --- confidence ----------------------------------------------------------------------------

def test_confidence_is_fitted_and_orders_the_evidence(nlp):
    from crosswire.statements import CONFIDENCE
    assert "source: PolNeAR train" in CONFIDENCE.read_text()
    text = ('"We will not go back to work," Maria Delgado said on Monday.\n\n'
            'The port was quiet. "Long live the strike, and long live the union."')
    rows = by_text(run(nlp, text))
    cued = rows["We will not go back to work,"]
    nobody = rows["Long live the strike, and long live the union."]
    assert 0.0 <= nobody["confidence"] < cued["confidence"] <= 1.0


@pytest.mark.parametrize("text, quote", [
    ('Maria Delgado called for a "fair deal" at the rally on Monday.', "fair deal"),
    ('The union urged "calm heads" as talks resumed on Monday.', "calm heads"),
])
def test_short_words_someone_asked_for_are_their_words_not_a_scare_quote(nlp, text, quote):
    # session 27: "called for a 'European awakening'" was dropped as a scare quote
    assert quote in by_text(run(nlp, text))


def test_a_nickname_inside_a_name_is_not_a_statement_nor_part_of_the_name(nlp):
    # session 29: 'Benjamin "Benjie" Dela Paz' gave a quotation "Benjie" and the speaker
    # 'Benjamin "Benjie'
    rows = run(nlp, 'Port Secretary Benjamin "Benjie" Dela Paz insisted that the new cranes were safe.')
    assert [(r["kind"], r["speaker_name"]) for r in rows] == [("indirect", "Benjamin Dela Paz")]

