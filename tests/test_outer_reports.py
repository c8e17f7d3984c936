"""Nested reports (h10-outer): an outer report that holds a kept inner one is the statement
when the fitted filter is as sure of it, even under the filter's threshold ("Voss camp:
[Reyes plan threatens the harbour]"), but not for the open rules' guesses of any verb.
Sentences of the project's own writing."""
import zlib

from crosswire.statements import extract_statements


def _statements(*paragraphs: str) -> list[dict]:
    from crosswire.nlp import load
    art = {"article_id": f"art_{zlib.crc32(repr(paragraphs).encode()):08x}", "source_id": "test", "title": "Harbour news",
           "standfirst": None, "summary": None, "published": "2016-05-01", "text": "\n\n".join(paragraphs)}
    return [r for r in extract_statements([art], nlp=load()) if r["kind"] == "indirect"]


def test_a_label_that_holds_a_report_is_its_speaker(equally_sure):
    rows = _statements("Ann Voss spoke at the harbour on Monday.", "Voss camp: Reyes plan threatens the harbour.")
    assert [(r["rule"], r["speaker_name"], r["text"]) for r in rows] == \
        [("label_claim", "Ann Voss", "Reyes plan threatens the harbour")]


def test_an_inner_report_stays_when_nothing_holds_it():
    rows = _statements("Tom Reyes said the harbour plan threatens the fishing fleet.")
    assert [(r["rule"], r["speaker_mention"]) for r in rows] == [("reported_clause", "Tom Reyes")]
