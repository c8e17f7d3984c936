"""Quotation spans: pure functions, no spaCy."""
import pytest

from crosswire import datelines
from crosswire.quotes import embedded_posts, find_quotes, interview_labels, paragraphs, sentences, turn_labels


def quoted(text, **kw):
    return [text[s.start:s.end] for s in find_quotes(text, **kw)]


def test_straight_and_curly_double_quotes():
    text = 'He said "we are ready" and she replied “not yet”.'
    assert quoted(text) == ["we are ready", "not yet"]


def test_british_single_quotes_and_apostrophes():
    text = "‘I don’t think the workers’ union will sign,’ she said of Mr Jones’ offer."
    assert quoted(text) == ["I don’t think the workers’ union will sign,"]


def test_apostrophes_are_not_marks():
    text = "Putin's aides recalled the '90s and rock 'n' roll; Jones' car was late."
    assert quoted(text) == []


def test_straight_single_quotes_in_a_headline():
    text = "Minister calls plan 'reckless' as costs 'spiral out of control'"
    assert quoted(text) == ["reckless", "spiral out of control"]


def test_nested_quotes_stay_inside_their_quotation():
    text = "‘They told us “wait”, so we waited,’ he said. \"He warned: 'no more', twice,\" she said."
    assert quoted(text) == ["They told us “wait”, so we waited,", "He warned: 'no more', twice,"]


def test_brackets_and_ellipses_inside_quotes():
    text = 'She said "the [new] plan ... will work" and "[it] can\'t fail."'
    assert quoted(text) == ["the [new] plan ... will work", "[it] can't fail."]


def test_multi_paragraph_quotation():
    text = "“First part of it.\n\n“Second part.\n\n“Last part,” he said. Then “done”."
    spans = find_quotes(text)
    assert [text[s.start:s.end] for s in spans] == ["First part of it.", "Second part.", "Last part,", "done"]
    assert [(s.continues, s.continued) for s in spans] == [(True, False), (True, True), (False, True), (False, False)]


def test_no_multi_paragraph_outside_the_body():
    text = 'First bullet says "open\nSecond bullet "closed" here'
    assert quoted(text, multi_paragraph=False) == ["open", "closed"]


def test_unbalanced_mark_keeps_both_quotations():
    # the source opens a second quotation without closing the first
    text = 'He said the "talks were fine". "They were useful. "We hope for peace," he said.'
    spans = find_quotes(text)
    assert [text[s.start:s.end] for s in spans] == ["talks were fine", "They were useful.", "We hope for peace,"]
    assert spans[1].close is None and spans[2].close is not None


def test_quotation_never_closed_runs_to_the_end_of_its_paragraph():
    text = 'She said: "We lost everything\n\nThe next paragraph has no marks.'
    assert quoted(text) == ["We lost everything"]


def test_offsets_index_the_text_exactly():
    text = 'A “b c” d ‘e f’ g "h"'
    for s in find_quotes(text):
        assert text[s.open] in "“‘\"" and text[s.close] in "”’\""
        assert s.open + 1 == s.start and s.end == s.close


def test_sentences_do_not_split_inside_quotes():
    text = '"It is over. We won," Mr. Smith said. Then he left.'
    spans = find_quotes(text)
    assert [text[a:b] for a, b in sentences(text, spans)] == [
        '"It is over. We won," Mr. Smith said.', "Then he left."]


def test_question_inside_quote_does_not_end_the_sentence():
    text = '"Is it over?" he asked. "Yes." She left.'
    spans = find_quotes(text)
    assert [text[a:b] for a, b in sentences(text, spans)] == ['"Is it over?" he asked.', '"Yes."', "She left."]


def test_a_question_or_exclamation_keeps_its_short_attribution():
    # the quotation's ? or ! is not the end of the writer's sentence when a reporting verb follows
    text = '"Why now?" Councillor Ruth Amsel asked. The vote went ahead. "Shame!" shouted a man at the back.'
    frames = [text[a:b] for a, b in sentences(text, find_quotes(text))]
    assert frames == ['"Why now?" Councillor Ruth Amsel asked.', "The vote went ahead.",
                      '"Shame!" shouted a man at the back.']


def test_a_question_followed_by_a_new_sentence_still_ends_it():
    text = 'She paused. "Is it over?" The crowd began to leave.'
    frames = [text[a:b] for a, b in sentences(text, find_quotes(text))]
    assert frames == ["She paused.", '"Is it over?"', "The crowd began to leave."]


# --- nested and unbalanced marks (issue 10: quote finding linear in text size) -----------

def test_nesting_of_both_families_stays_one_quotation():
    text = 'He said “one ‘two “three” two’ one” and left.'
    assert quoted(text) == ["one ‘two “three” two’ one"]


def test_marks_opened_inside_and_never_closed_stay_inside_the_outer_quotation():
    text = 'She wrote “first ‘second “third and never closed'
    spans = find_quotes(text)
    assert [text[s.start:s.end] for s in spans] == ["first ‘second “third and never closed"]
    assert spans[0].close is None


def test_a_closing_double_mark_ends_single_marks_left_open_inside_it():
    text = 'A “b ‘c” d’ e.'
    assert quoted(text) == ["b ‘c"]


def test_quotations_reopened_after_a_stop_each_end_where_the_next_opens():
    text = '“Open. “Open again. “Closed,” he said.'
    spans = find_quotes(text)
    assert [text[s.start:s.end] for s in spans] == ["Open.", "Open again.", "Closed,"]
    assert [s.close is None for s in spans] == [True, True, False]


def _well_formed(text, spans):
    paras = paragraphs(text)
    last = -1
    for s in spans:
        assert last <= s.open < s.start < s.end, s       # in order, never overlapping
        assert text[s.open] in "“‘\"'«‹„‚»”’›"
        assert s.close is None or (text[s.end:s.close].strip() == "" and text[s.close] in "”’\"'»›«“‘‹")
        assert any(lo <= s.open and s.end <= hi for lo, hi in paras)  # inside one paragraph
        last = s.end


def test_long_runs_of_nested_and_unbalanced_marks():
    # thousands of openings that never close, in one paragraph: one quotation to its end
    text = "Intro: " + "“a ‘b " * 3000 + "end"
    spans = find_quotes(text)
    assert len(spans) == 1 and spans[0].close is None and text[spans[0].start] == "a"
    assert spans[0].end == len(text)
    # every arrangement of every mark, over paragraphs: spans stay well formed
    import random
    pieces = ["“", "”", '"', "‘", "’", "'", "«", "»", " word", " cats'", ". ", "s' ", " the '90s",
              "\n\n", " Mr.", "! "]
    rnd = random.Random(7)
    text = "".join(rnd.choice(pieces) for _ in range(20000))
    spans = find_quotes(text)
    assert spans
    _well_formed(text, spans)
    frames = sentences(text, spans)
    assert all(a < b for a, b in frames) and all(b1 <= a2 for (_, b1), (a2, _) in zip(frames, frames[1:]))


def test_runs_of_stops_and_abbreviations_are_no_sentence_breaks():
    text = "Mr. " * 2000 + "Smith left." + "." * 5000 + " The end."
    frames = [text[a:b] for a, b in sentences(text, find_quotes(text))]
    assert frames == [("Mr. " * 2000 + "Smith left." + "." * 5000), "The end."]


# --- transcripts ---------------------------------------------------------------------------

def test_transcript_turns_are_quotations_without_marks():
    text = ("The host spoke to the minister.\n\nHOST: Will you resign?\n\n"
            "MIN. OKAFOR: No. I said “never” and I meant it.\n\nHOST: Never?")
    spans = find_quotes(text)
    assert [(text[s.start:s.end], s.family) for s in spans] == [
        ("Will you resign?", "turn"), ("No. I said “never” and I meant it.", "turn"), ("Never?", "turn")]
    assert all(text[s.open] == ":" and s.close is None for s in spans)


def test_a_broadcast_transcripts_label_may_carry_the_speakers_role():
    # the first turn names the speaker with the role ("TOM REYES, HOST:"), the later ones not
    text = ("The host spoke to the mayor.\n\nTOM REYES, HOST: Will the port reopen?\n\n"
            "ANN LEE: In May.\n\nREYES: Not before?\n\nLEE: No.\n\nREYES: Why?\n\nLEE: Repairs.")
    assert [text[s.start:s.end] for s in find_quotes(text)] == [
        "Will the port reopen?", "In May.", "Not before?", "No.", "Why?", "Repairs."]
    assert [m.group("label") for m in turn_labels(text).values()] == [
        "TOM REYES", "ANN LEE", "REYES", "LEE", "REYES", "LEE"]


def test_a_transcript_that_opens_with_a_label_opens_with_a_turn():
    # "ANN LEE:" opens the text as "NEW DELHI:" opens an Indian paper's story; the labels
    # after it take turns, so it is the first speaker's label, not a dateline
    text = ("ANN LEE: The harbour will reopen in May.\n\nTOM REYES, HOST: Not before then?\n\n"
            "LEE: Not a day before.\n\nREYES: Why the wait?\n\nLEE: The divers found cracks.")
    assert [(text[s.start:s.end], s.family) for s in find_quotes(text)][0] == (
        "The harbour will reopen in May.", "turn")
    assert [m.group("label") for m in turn_labels(text).values()] == ["ANN LEE", "TOM REYES", "LEE", "REYES", "LEE"]
    assert datelines.match(text, story=True) is None


def test_a_press_transcripts_stage_directions_and_bare_q_questions():
    # session 36, a press availability laid out as the White House prints them: "(As
    # interpreted.)" opened the first turn's words, and the reporter's "Q Mayor, ..." went on
    # the mayor's turn before it
    text = ("MAYOR LEE: (As interpreted.) Good evening. The harbour will reopen in May.\n\n"
            "GOVERNOR REYES: Thank you, Mayor.\n\nMAYOR LEE: We start on Monday.\n\n"
            "Q Mayor, will the divers be paid? (Inaudible.)\n\nMAYOR LEE: [Laughter] They will.")
    assert [text[s.start:s.end] for s in find_quotes(text)] == [
        "Good evening. The harbour will reopen in May.", "Thank you, Mayor.", "We start on Monday.", "They will."]


def test_a_capital_q_opening_a_sentence_is_no_question_label():
    # (a paragraph between two of one speaker's turns goes on with the first)
    text = ("MAYOR LEE: Good evening.\n\nGOVERNOR REYES: Thank you.\n\nMAYOR LEE: We start on Monday.\n\n"
            "Q fever cases rose this week.\n\nMAYOR LEE: The clinic is open.")
    assert "Q fever cases rose this week." in [text[s.start:s.end] for s in find_quotes(text)]


def test_labels_that_do_not_take_turns_are_no_transcript():
    # three labels, none repeated: subheads, not speakers; and page furniture never counts
    text = "WHY: The port closed.\n\nHOW: By vote.\n\nWHEN: Monday.\n\nUPDATE: x\n\nUPDATE: y"
    assert [s.family for s in find_quotes(text)] == []


def test_a_transcript_quoted_as_a_whole():
    # each paragraph opens with a mark, the last one closes: the marks are not the words
    text = ("The exchange went like this:\n\n“HOST: Will you resign?\n\n"
            "“OKAFOR: No, I said “never”.\n\n“HOST: Never?”\n\nThen the show ended.")
    assert [(text[s.start:s.end], s.family) for s in find_quotes(text)] == [
        ("Will you resign?", "turn"), ("No, I said “never”.", "turn"), ("Never?", "turn")]


def test_a_transcript_whose_labels_are_written_as_names_and_whose_turns_run_on():
    text = ("The two mayors spoke after the vote.\n\nMayor Ann Lee: Good evening.\n\n"
            "We voted to reopen the port.\n\n(Applause.)\n\nTom Reyes: Not on our terms.\n\n"
            "Mayor Ann Lee: We will see.\n\nTom Reyes: We will.\n\nBoth left at nine.")
    assert [text[s.start:s.end] for s in find_quotes(text)] == [
        "Good evening.", "We voted to reopen the port.", "Not on our terms.", "We will see.", "We will."]
    assert [m.group("label") for m in turn_labels(text).values()] == [
        "Mayor Ann Lee", "Mayor Ann Lee", "Tom Reyes", "Mayor Ann Lee", "Tom Reyes"]


def test_a_label_alone_on_its_line_speaks_the_paragraph_after_it():
    text = ("Transcript of the remarks.\n\nAnn Lee: (00:04)\n\nGood evening.\n\nTom Reyes: (01:10)\n\n"
            "Not on our terms.\n\nAnn Lee: (02:00)\n\nWe will see.")
    assert [text[s.start:s.end] for s in find_quotes(text)] == ["Good evening.", "Not on our terms.", "We will see."]


@pytest.mark.parametrize("text", [
    # a live blog's run-in summaries among its entries: labels written as names, few turns
    "Lee: port to reopen\n\nThe vote came late.\n\nCrowds waited.\n\nReyes: we will strike\n\n"
    "Police stood by.\n\nLee: talks on Monday\n\nRain fell.\n\nThe port shut.\n\nShips waited.\n\nDusk.",
    # a results table: no one speaking
    "The count so far.\n\nAnn Lee: 1,769.\n\nTom Reyes: 1,501.\n\nAnn Lee: 547.",
])
def test_labels_written_as_names_that_are_no_transcript(text):
    assert [s.family for s in find_quotes(text)] == []


def test_the_answers_of_an_interview_are_turns_and_its_questions_the_writers():
    text = ("Ann Lee spoke to us on Monday.\n\nQ: Will the port reopen?\n\nA: Not this week.\n\n"
            "Q. And after that?\n\nA. We will see. I said “maybe” and I meant it.\n\nLee flew home.")
    spans = find_quotes(text)
    assert [(text[s.start:s.end], s.family) for s in spans] == [
        ("Not this week.", "turn"), ("We will see. I said “maybe” and I meant it.", "turn")]
    assert [text[s.open] for s in spans] == [":", "."]  # the label's own colon or stop
    assert sorted(m.group("label") for m in interview_labels(text).values()) == ["A", "A", "Q", "Q"]


def test_answers_labelled_with_the_name_end_at_each_question():
    # "Q:" questions and answers under the interviewee's name (session 27): the questions
    # are the writer's, not the run-on of the answer before them
    text = ("Ann Lee steps down this month. She spoke to us about the port.\n\nQ: What would you do differently?"
            "\n\nLee: We were too slow in the first weeks.\n\nQ: Some say the closure went on too long."
            "\n\nLee: I understand that view.\n\nQ: What worries you most now?\n\nLee: Staff.\n\n"
            "Her successor starts in July.")
    assert [(text[s.start:s.end], s.family) for s in find_quotes(text)] == [
        ("We were too slow in the first weeks.", "turn"), ("I understand that view.", "turn"), ("Staff.", "turn")]


def test_an_answer_goes_on_over_paragraphs_up_to_the_next_question():
    text = ("Ann Lee spoke to us.\n\nQ: Will the port reopen?\n\nA: Not this week.\n\n"
            "The cranes need checking first.\n\nQ: And after that?\n\nA: We will see.\n\n"
            "Lee flew home on Tuesday.")
    assert [text[s.start:s.end] for s in find_quotes(text)] == [
        "Not this week.", "The cranes need checking first.", "We will see."]  # not the closing line


@pytest.mark.parametrize("text", [
    # one question and one answer, or answers alone: no interview
    "Q: Will the port reopen?\n\nA: Not this week.\n\nThe mayor left.",
    "A. Lee said the port would reopen.\n\nA. Reyes disagreed.\n\nNobody asked them.",
])
def test_q_and_a_labels_take_turns_only_in_an_interview(text):
    assert [s.family for s in find_quotes(text)] == [] and interview_labels(text) == {}


def test_a_case_name_does_not_end_the_sentence():
    text = ("The ruling in Harbour Trust v. Dunmore Council was cited by the judge. "
            "She said it settled the matter.")
    frames = [text[a:b] for a, b in sentences(text, find_quotes(text))]
    assert frames == ["The ruling in Harbour Trust v. Dunmore Council was cited by the judge.",
                      "She said it settled the matter."]


def test_sentences_go_on_past_initials_plural_titles_and_a_dateline():
    text = ("DOVER, Del. (AP) — The ferry board met on Monday. Former chair George H.W. Tamsin and "
            "Sens. Ann Lee and Tom Bell were there. It voted no.")
    assert [text[a:b] for a, b in sentences(text, find_quotes(text))] == [
        "DOVER, Del. (AP) — The ferry board met on Monday.",
        "Former chair George H.W. Tamsin and Sens. Ann Lee and Tom Bell were there.",
        "It voted no."]


def test_a_tass_dateline_with_its_stops_is_no_sentence_of_its_own():
    text = "VLADIVOSTOK, August 16. /TASS/. The ferry board met on Saturday. It voted no."
    assert [text[a:b] for a, b in sentences(text, find_quotes(text))] == [
        "VLADIVOSTOK, August 16. /TASS/. The ferry board met on Saturday.", "It voted no."]


def test_an_embedded_posts_words_are_one_span_before_its_signature():
    text = ("The mayor welcomed the deal.\n\n"
            "We are proud to welcome Acme to Lakeport. Good jobs are \"coming\"! pic.twitter.com/abc123\n"
            "— Ana Ruiz (@MayorRuiz) March 3, 2025\n\n"
            "Great day for the port! — Tom Bell (@tombell) March 4, 2025\n\n"
            "Bell wrote - in a post (@ home) - that he was pleased.")
    posts = embedded_posts(text)
    assert [(text[sp.start:sp.end], m.group("name")) for sp, m in posts.values()] == [
        ('We are proud to welcome Acme to Lakeport. Good jobs are "coming"!', "Ana Ruiz"),
        ("Great day for the port!", "Tom Bell")]
    # the post's inner marks stay inside it: no quotation of their own
    spans = find_quotes(text)
    assert [sp.family for sp in spans] == ["post", "post"]


@pytest.mark.parametrize("text, quoted", [
    ("Talks failed. „The talks are over,“ said Anna Berg.", "„The talks are over,“ said Anna Berg."),
    ("It rained. «Nothing is settled,» said Tom Hale.", "«Nothing is settled,» said Tom Hale."),
])
def test_german_marks_and_guillemets_open_a_sentence(text, quoted):
    # session 27: a sentence that opens with „ or « is a sentence of its own
    frames = [text[a:b] for a, b in sentences(text, find_quotes(text))]
    assert frames[-1] == quoted


def test_a_paragraph_a_dash_opens_is_a_quotation_when_a_cue_closes_it():
    # session 28: the continental way of printing speech, in English editions of Nordic,
    # Slavic and Romance outlets; a dash with no cue after it is a list item
    text = ("– The harbour will reopen in May, said the mayor at the quay.\n\n"
            "– Tolls are too high. Nobody can pay them, Ana Ruiz told the council.\n\n"
            "– first item of the list\n\n– second item, said to be the last")
    spans = [text[s.start:s.end] for s in find_quotes(text) if s.family == "dash"]
    assert spans == ["The harbour will reopen in May", "Tolls are too high. Nobody can pay them"]


def test_a_live_blogs_dash_credit_is_no_quotation():
    # session 37: "— Ilya Brenner, reporting from Anchorage" closing a live blog's entry was
    # read as the quotation "Ilya Brenner", its cue "reporting"
    text = ("The two men shook hands on the tarmac.\n\n— Ana Ruiz, reporting from Riverton\n\n"
            "— Ana Ruiz and Tom Bell, reporting\n\n– Never, said the mayor.")
    assert [text[s.start:s.end] for s in find_quotes(text) if s.family == "dash"] == ["Never"]


def test_a_number_after_an_opening_single_mark_is_quoted_when_the_mark_closes():
    # session 37: "'10" read as a year's apostrophe ('22) lost the headline's quotation
    assert quoted("Mayor: harbour festival was '10 out of 10'") == ["10 out of 10"]
    assert quoted("The class of '22 met; the '90s and rock 'n' roll; Jones' car.") == []
    assert quoted("He called the '22 vote 'rigged' and said it was '100 percent' stolen.") == [
        "rigged", "100 percent"]
