"""Reports inside reports: which one is the statement (docs/design.md, on nested attribution).
Sentences written for these tests."""
import pytest

from test_indirect import nlp, rules_only, run  # noqa: F401  (the module's spaCy fixture, filter switch and runner)


def speakers(nlp, text):
    return [r["speaker_mention"] for r in run(nlp, text)]


@pytest.mark.parametrize("text, finder, share", [
    ("A Harbour Institute survey found broad support for the ferry plan, with 61 percent of "
     "islanders backing the new timetable.", "A Harbour Institute survey", "islanders"),
    ("The poll showed Marta Vell ahead in the port district, while 23 percent favored Tom Gale.",
     "The poll", "23 percent"),
    ("The latest Dunmore Gazette poll shows Vell leading Gale 44 percent to 37 percent, with 13 "
     "percent supporting another candidate.", "The latest Dunmore Gazette poll", "13 percent"),
    ("The survey found that islanders want a new pier: 70 percent believe the old one is unsafe.",
     "The survey", "70 percent"),
])
def test_a_share_of_those_counted_is_part_of_the_finding(nlp, rules_only, text, finder, share):
    got = speakers(nlp, text)
    assert finder in got and share not in got, got


@pytest.mark.parametrize("text, own", [
    # someone's own report after the finding
    ("The report found that the ferry ran late all winter, and Marta Vell said the timetable "
     "would change.", "Marta Vell"),
    # a share in a sentence of its own
    ("The survey found broad support for the ferry plan. Still, 40 percent of islanders say "
     "the fares are too high.", "40 percent of islanders"),
    # a person's claim is no finding a share breaks down
    ("Marta Vell said the pier was unsafe, while 40 percent of islanders say the fares are too high.",
     "40 percent of islanders"),
])
def test_a_report_of_its_own_stays(nlp, rules_only, text, own):
    assert own in speakers(nlp, text)
