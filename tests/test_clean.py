from pathlib import Path

from crosswire.clean import clean_text, paragraphs
from crosswire.sources import CleaningRules, parse_source

ROOT = Path(__file__).resolve().parents[1]
CORPORA = Path(__file__).parent / "corpora"


def seed(source_id):
    folder = ROOT / "raw" / source_id
    text = next(folder.glob("*.txt")).read_text(encoding="utf-8")
    return clean_text(text, parse_source(folder / "source.toml", source_id).rules)


def test_ndtv_page_furniture_summary_box_standfirst_and_caption():
    c = seed("ndtv")
    assert c.title.startswith('"No Deal Until A Deal": Trump, Putin End "Productive" Talks')
    assert c.standfirst.startswith("Mr Putin said Moscow expected")
    assert c.summary.splitlines()[2] == 'President Trump made it clear that "there is no deal until there is a deal"'
    assert len(c.summary.splitlines()) == 3
    assert c.captions == ["Russian President Vladimir Putin with his US counterpart Donald Trump."]
    for furniture in ("Advertisement", "Read Time: 4 mins", "Quick Read", "Did our AI summary help?",
                      "Let us know.", "Topics mentioned in this article"):
        assert furniture in c.removed
        assert furniture not in c.text.split("\n\n")
    assert c.text.startswith("US President Donald Trump and his Russian counterpart")
    assert c.text.endswith("legitimacy of land swaps.")
    # the unbalanced quote marks of the source are kept exactly as published
    assert '"They were very thorough and useful. "We hope' in c.text


def test_liga_caption_with_credit_and_no_standfirst():
    c = seed("liga")
    assert c.title == '"There is no deal". How the Trump-Putin talks ended'
    assert c.captions == ["Vladimir Putin and Donald Trump (Photo: The White House)"]
    assert c.standfirst is None and c.summary is None
    assert c.text.startswith("President of the United States Donald Trump")
    assert c.text.count("\n\n") == 13  # 14 paragraphs


def test_british_page_byline_date_prompts_duplicates_credit_and_tags():
    text = (CORPORA / "pages" / "british-style.txt").read_text(encoding="utf-8")
    c = clean_text(text)
    assert c.title == "Council delays vote on city centre traffic ban"
    assert c.standfirst == "Decision pushed back to September after traders' protest"
    assert c.authors == ["Alice Brennan", "Tom Hale"]
    assert c.published == "12 June 2025, 14:05 BST"
    assert c.captions == ["A protester holds a placard outside the town hall (Photo: PA Media)"]
    paras = c.text.split("\n\n")
    assert len(paras) == 4
    assert paras[1].count("‘") == 2  # British single quotes untouched
    assert "Sign up to our daily newsletter" in c.removed and "Share this article" in c.removed
    assert "Tags: Transport, Local politics, City centre" in c.removed
    assert c.removed.count("Traders welcomed the pause but said they wanted a seat at the table when the scheme is redrawn.") == 1


def test_a_plain_lede_is_body_not_standfirst_or_caption():
    text = "Storm closes ports\n\nHigh winds shut three ports on Sunday.\n\nFerries will resume on Monday, operators said."
    c = clean_text(text)
    assert c.standfirst is None and c.captions == []
    assert c.text.split("\n\n")[0] == "High winds shut three ports on Sunday."


def test_long_lines_are_never_dropped_as_furniture():
    long = ("Subscribe " + "the newsletter row was the talk of the meeting as members argued about costs " * 3).strip()
    c = clean_text("Title\n\n" + long + "\n\nSecond paragraph of the story, with enough words to be body.")
    assert long in c.text


LONG_LAST = ("The harbour master said the ferries would run again once the wind dropped below gale force, "
             "and that passengers holding tickets for the cancelled crossings could travel on any later boat.")


def test_source_rules_add_to_the_generic_ones():
    rules = CleaningRules(drop=(r"^Most read$",), captions=(r"^Pictured: ",),
                          summary_start=(r"^At a glance$",), summary_end=(r"^End of summary$",))
    text = ("Title\n\nFirst paragraph of the story is long enough to count as a body paragraph here.\n\n"
            "Second paragraph.\n\nMost read\n\nPictured: the harbour at dawn\n\nAt a glance\nFerries stop\nPorts shut\nEnd of summary\n\n"
            + LONG_LAST)
    c = clean_text(text, rules)
    assert c.summary == "Ferries stop\nPorts shut"
    assert c.captions == ["Pictured: the harbour at dawn"]
    assert "Most read" in c.removed and "End of summary" in c.removed
    assert c.text.split("\n\n") == ["First paragraph of the story is long enough to count as a body paragraph here.",
                                    "Second paragraph.", LONG_LAST]
    assert c.skipped == []


def test_hard_wrapped_lines_are_joined():
    blocks = paragraphs("The minister said the plan\nwould go ahead next year.\nA second paragraph.")
    assert blocks == [["The minister said the plan would go ahead next year.", "A second paragraph."]]


STORY = ["The river burst its banks before dawn on Sunday and flooded the lower streets of the old town.",
         "Firefighters moved about forty residents from ground-floor flats to the school hall by midday.",
         "The council said the new flood wall had held along the quay but not beside the mill race.",
         "Shopkeepers on Bridge Street were sweeping mud out of their doorways by the afternoon.",
         "Forecasters expect more rain on Tuesday, and sandbags are being handed out at the depot."]


def test_a_summary_marker_over_the_whole_story_is_not_applied_and_is_recorded():
    # copied without blank lines: the marker's block is the whole story
    text = "River floods old town\n\nSummary\n" + "\n".join(STORY)
    c = clean_text(text)
    assert c.text.split("\n\n")[1:] == STORY
    assert c.summary is None
    assert len(c.skipped) == 1 and c.skipped[0].startswith("summary_box: would have removed")


def test_a_source_pattern_that_would_gut_the_article_is_not_applied():
    rules = CleaningRules(drop=(r"^The ",))  # meant for "The Daily Briefing" lines, far too broad
    c = clean_text("River floods old town\n\n" + "\n\n".join(STORY), rules)
    assert c.text.split("\n\n") == STORY
    assert c.skipped and c.skipped[0].startswith("source.drop[0]: would have removed")


def test_a_summary_heading_over_prose_stays_in_the_body():
    text = "Annual report\n\nSummary\n\n" + "\n\n".join(STORY)
    c = clean_text(text)
    assert c.text.split("\n\n") == ["Summary"] + STORY and c.summary is None


def test_legitimately_repeated_lines_stay_and_a_section_rendered_twice_goes():
    plan = ["Day 1", "Breakfast", "Eat within an hour of waking", "Day 2", "Breakfast", "Eat within an hour of waking"]
    c = clean_text("Meal plan\n\n" + "\n\n".join(STORY[:2] + plan + STORY[2:]))
    assert c.text.split("\n\n") == STORY[:2] + plan + STORY[2:]
    # the page's template printed the story a second time
    c = clean_text("River floods old town\n\n" + "\n\n".join(STORY + ["Related coverage"] + STORY))
    assert c.text.split("\n\n") == STORY
    assert c.removed[-len(STORY):] == STORY
    # a single repeat further down (a pull quote, a question asked twice) stays
    c = clean_text("River floods old town\n\n" + "\n\n".join(STORY + STORY[:1]))
    assert c.text.split("\n\n") == STORY + STORY[:1]


def test_bylines_name_writers_not_agencies_or_jobs():
    from crosswire.clean import byline_authors
    assert byline_authors("By ANDY SMITH") == ["Andy Smith"]
    assert byline_authors("By Jo Lee and Sam Park, Associated Press") == ["Jo Lee", "Sam Park"]
    assert byline_authors("By Maria de la Cruz, Staff Writer") == ["Maria de la Cruz"]
    assert byline_authors("By the newsroom staff") == []
    assert byline_authors("By the time the ferry left, nobody was on the quay") is None
    assert byline_authors("By 2030 the town will need a new school") is None
    # where the writer filed from is no writer (session 28)
    assert byline_authors("By Tom Hale in Kyiv") == ["Tom Hale"]
    assert byline_authors("By Jo Lee and Sam Park at the Emirates Stadium") == ["Jo Lee", "Sam Park"]
    assert byline_authors("By Sunday, ferry crews in Dover had walked out") is None
    c = clean_text("Harbour reopens after storm\n\nBy Tom Hale in Dover\n\n" + "\n\n".join(STORY))
    assert c.text.split("\n\n") == STORY and c.authors == ["Tom Hale"]


def test_first_lines_that_are_not_headlines():
    for line in ("403", "404 Not Found", "HTTP 503 Service Unavailable", "Play Live Radio", "Skip to content"):
        c = clean_text(line + "\n\nHarbour reopens after storm\n\n" + "\n\n".join(STORY))
        assert c.title == "Harbour reopens after storm" and line in c.removed
    # a headline that starts with a number is still a headline
    assert clean_text("300 jobs cut at the ferry yard\n\n" + STORY[0]).title == "300 jobs cut at the ferry yard"


def test_an_outlets_own_wording_lives_in_its_source_toml_not_in_generic_rules():
    note = "(Except for the headline, this story has not been edited by NDTV staff and is published from a syndicated feed.)"
    text = "River floods old town\n\n" + "\n\n".join(STORY) + "\n\n" + note
    assert clean_text(text).text.endswith(note)  # the generic cleaner knows no outlet
    ndtv = parse_source(ROOT / "raw" / "ndtv" / "source.toml", "ndtv").rules
    c = clean_text(text, ndtv)
    assert note in c.removed and c.text.split("\n\n") == STORY


def test_site_navigation_above_the_story_is_furniture():
    text = "Play Live Radio\n\nSkip to content\n\n" + "\n\n".join(STORY)
    c = clean_text(text, title="River floods old town")
    assert c.text.split("\n\n") == STORY
    assert c.removed == ["Play Live Radio", "Skip to content"]


def test_credit_and_contact_lines_at_the_foot_are_furniture():
    foot = ["Jo Lee in Leeds contributed reporting.", "Write to Sam Park at sam.park@example.com",
            "SOURCE: News agencies", "More flood coverage: https://news.example.com/floods", "You may also like..."]
    c = clean_text("River floods old town\n\n" + "\n\n".join(STORY + foot))
    assert c.text.split("\n\n") == STORY and c.removed == foot


def test_wire_credits_syndication_notes_and_topic_footers_are_furniture():
    # session 37: a wire story's credit line, a South Asian outlet's syndication note and a
    # topics footer with its tags stayed in the body
    foot = ["Reporting by Jo Lee in Leeds; Additional reporting by Sam Park; Editing by A. Rowe",
            "(With inputs from agencies)", "Explore more on these topics", "Floods", "Leeds"]
    c = clean_text("River floods old town\n\n" + "\n\n".join(STORY + foot))
    assert c.text.split("\n\n") == STORY and c.removed == foot
    # a line of prose that opens like a credit ends with a stop: it stays
    prose = "Reporting by the Gazette found the river had burst its banks twice before."
    assert prose in clean_text("River floods old town\n\n" + "\n\n".join(STORY + [prose])).text


def test_a_reader_funded_outlets_appeal_is_furniture():
    # session 39: the appeal stayed, and "support" made its words a statement
    appeal = "Hi, this is Jo Lee. Our newsroom depends on readers. Support independent journalism — become a member today."
    c = clean_text("River floods old town\n\n" + "\n\n".join(STORY + [appeal]))
    assert c.text.split("\n\n") == STORY and c.removed == [appeal]
    prose = "The mayor said she would support local journalism with a new grant."
    assert prose in clean_text("River floods old town\n\n" + "\n\n".join(STORY + [prose])).text


def test_a_related_stories_box_goes_with_its_linked_headlines():
    # session 39: the heading went, its list of headlines in quotation marks stayed and was
    # credited as quotations to the last speaker of the story
    box = ["Read more:", '- "Why the river keeps rising"', '- "Who runs the flood barriers?"']
    c = clean_text("River floods old town\n\n" + "\n\n".join(STORY[:2] + box + STORY[2:]))
    assert c.text.split("\n\n") == STORY and c.removed == box
    # a list under a heading that is no box's stays
    kept = ["The council listed its plans:", "- new barriers on the east bank", "- a pump station by May"]
    assert "- new barriers on the east bank" in clean_text(
        "River floods old town\n\n" + "\n\n".join(STORY + kept)).text


def test_a_wire_desk_sign_off_is_furniture():
    # session 38: a French wire's closing initials stayed as the story's last paragraph
    c = clean_text("River floods old town\n\n" + "\n\n".join(STORY + ["bur-jl/ar"]))
    assert c.text.split("\n\n") == STORY and c.removed == ["bur-jl/ar"]
    # in capitals, or a pair of words with a slash in a sentence, it is no sign-off
    for line in ("EU/UK", "The river rose and/or the dam failed."):
        assert line in clean_text("River floods old town\n\n" + "\n\n".join(STORY + [line])).text


def test_a_wire_storys_closing_credits_separator_and_agency_sign_off_are_furniture():
    # session 39: a bracketed wire credit line, a separator rule before the contributors'
    # line, and a broadcaster's closing initials with the agencies it drew on stayed in the body
    for foot in (["(Reporting by Jo Lee in Leeds and Sam Park in York; Editing by Ann Rowe)"],
                 ["___", "Jo Lee in Leeds contributed to this report."],
                 ["* * *"],
                 ["jl/ar (Reuters, dpa, AFP)"]):
        c = clean_text("River floods old town\n\n" + "\n\n".join(STORY + foot))
        assert c.text.split("\n\n") == STORY and c.removed == foot
    # prose in brackets, and initials with a slash inside a sentence, stay
    for line in ("(Reporting by the Gazette found the river had burst its banks twice before.)",
                 "The council said the river rose and/or the dam failed (officials, residents)."):
        assert line in clean_text("River floods old town\n\n" + "\n\n".join(STORY + [line])).text


def test_a_page_of_nothing_but_furniture_ends():
    # the furniture line above any headline is taken whatever the guard skips: cleaning
    # must still finish (found by the property test)
    out = clean_text("Advertisement")
    assert out.text == "" and out.removed == ["Advertisement"]


def test_credit_lines_under_the_headline_without_by():
    # session 39 probes: a job title before or after the name, the agencies the writer drew
    # on, a desk's credit with the time; each goes from the body, its persons to authors
    for credit, authors in (("By regional affairs reporter Ann Lee", ["Ann Lee"]),
                            ("Ann Lee Transport correspondent", ["Ann Lee"]),
                            ("Ann Lee (with Reuters, AFP)", ["Ann Lee"]),
                            ("By Harbour Gazette Staff", []),
                            ("By Ann Lee, AP Transport Writer", ["Ann Lee"]),  # the agency's beat, no person
                            ("By Staff Reports", []),
                            ("TNN | Updated: Mar 4, 2025, 10:05 IST", []),  # metadata.toml staff_credits
                            ("Author: Ann Lee", ["Ann Lee"])):
        c = clean_text("Harbour reopens after storm\n\n" + credit + "\n\n" + "\n\n".join(STORY))
        assert (c.authors, c.text.split("\n\n")) == (authors, STORY), credit
        assert credit in c.removed
    # a short line of capitalised words is no credit on its own: a section's name
    c = clean_text("Harbour reopens after storm\n\nLocal News\n\n" + "\n\n".join(STORY))
    assert c.authors == [] and c.text.startswith("Local News")
