"""Datelines: the place, and the agency when one is credited, that open a news story.

    match("ANCHORAGE, Alaska (AP) — The two ...")  -> Dateline("ANCHORAGE, Alaska", "AP", 25)

One reader for every use: the articles table's `dateline_place` and `dateline_agency`
(crosswire.metadata), the tokens the attribution resolver sets apart at a paragraph's start
(a place, never a speaker nor part of what was said), and the sentence splitter (a dateline
with stops in it is not a sentence of its own). The dateline stays in the text; `end` is
where it stops, its dash, colon or agency credit and the spaces after them included.

The styles, tried in this order:
- wire copy, the place in capitals and a dash; the AP Stylebook's "ANCHORAGE, Alaska (AP) —",
  "NEWPORT NEWS, Va. -", US papers' "WASHINGTON —"; Reuters' dated "LONDON, Nov 19 (Reuters) -"
  and "LONDON/NEW YORK, March 4 (Reuters) -"; Interfax's "MOSCOW. Aug 16 (Interfax) -" (the
  stop after the city is not the place's: "MOSCOW").
- TASS: "ANCHORAGE, August 16. /TASS/. Russian ..." (the agency between slashes).
- Indian agencies, PTI's and IANS' style: "New Delhi, Aug 16 (PTI) India on ...", with no
  dash; ANI's with the country in square brackets and a colon, "New Delhi [India], August 16
  (ANI): India on ..." (place "New Delhi [India]"). Dated, and only with an agency of
  metadata.toml [agencies]: without them a name and its acronym look the same ("Agence
  France-Presse (AFP) Chief ...").
- a place in title case with an agency that writes it so (metadata.toml [dateline]
  title_case_agencies) and a dash: "Cleveland (AFP) –", "Mexico City, Mexico (AFP) -", and
  AFP's English wire with the country in brackets, "Anchorage (United States) (AFP) -", whose
  place is "Anchorage (United States)" (the country kept, as "ANCHORAGE, Alaska" keeps the state).
- Indian newspapers' capitals and colon: "NEW DELHI: India on ...". Only where a story opens
  (`story`), and only when no other paragraph opens with capitals and a colon: a broadcast
  transcript's speaker labels look the same ("ANN LEE: I would not ..."), and a transcript
  has several where a story has one dateline.
- a known place in mixed case and a colon or a dash where a story opens (`story`): "Kyiv:
  Ukrainians woke ...", "London — Ministers ...". Only a place of places.toml: in mixed case
  a word and a colon are more often a run-in label ("Update:", "Why it matters:").

A label in capitals in a dateline's place ("BREAKING —", "UPDATE:"; metadata.toml [dateline]
not_places) is no place: its Dateline has `place` None, and is set apart all the same (the
label is never a speaker nor part of what was said).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .datafiles import read_toml

_DATA = read_toml("metadata.toml")  # where each list came from: that file
NOT_PLACES = frozenset(_DATA["dateline"]["not_places"])
_AGENCIES = _DATA["agencies"]["names"]
_TITLE_CASE_AGENCIES = _DATA["dateline"]["title_case_agencies"]
PLACES = read_toml("places.toml")["dateline"]["places"]


@dataclass(frozen=True)
class Dateline:
    place: str | None  # None: a label in the place's stead ("BREAKING —")
    agency: str | None
    end: int  # offset just past the dateline, its dash, colon or credit and the spaces after


def _one_of(words) -> str:
    return "(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + ")"


_SP = r"[^\S\n]"  # a space within the line: a dateline never runs into the next paragraph
# a word in capitals ("NEWPORT", "WILKES-BARRE", "ST."); a stop closing it goes to the
# place only when nothing else takes it, so that Interfax's "MOSCOW. Aug 16" is "MOSCOW"
_CAPS_WORD = r"[A-Z][A-Z'’.-]*[A-Z'’]\.??"
_CAPS_CITY = _CAPS_WORD + rf"(?:{_SP}+{_CAPS_WORD}){{0,3}}"
_CAPS_PLACE = _CAPS_CITY + rf"(?:/{_CAPS_CITY})?"  # and a second bureau's ("LONDON/NEW YORK")
_TITLE_WORDS = r"[A-Z][\w'’.-]*" + rf"(?:{_SP}+[A-Z][\w'’.-]*){{0,2}}"
_STATE = rf",{_SP}+{_TITLE_WORDS}"  # its state or country: "Alaska", "Va.", "N.M.", "Mexico"
# Reuters, Interfax, TASS, PTI: "Nov 19", "Aug. 16", "August 16"
_DATE = rf"[.,]?{_SP}+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?{_SP}+\d{{1,2}}"
# the dash, and the story opening as a sentence does: before a word in lower case the dash
# opens an aside ("NATO — which had asked for ships — said ...")
_DASH = rf"(?:[—–]{_SP}*|--?{_SP}+)(?=\S)(?![a-z])"

_WIRE = re.compile(rf"(?P<place>{_CAPS_PLACE}(?:{_STATE})?)(?:{_DATE})?{_SP}*"
                   rf"(?:\((?P<agency>[^()\d]{{2,40}})\))?{_SP}*{_DASH}")
_TASS = re.compile(rf"(?P<place>{_CAPS_PLACE}(?:{_STATE})?){_DATE}\.?{_SP}+"
                   rf"/(?P<agency>[A-Z][\w-]{{1,30}})/\.?{_SP}+(?=\S)")
# the agency's credit and then the story, a capital first, or a dash
_DATED = re.compile(rf"(?P<place>{_TITLE_WORDS}(?:{_STATE})?(?:{_SP}+\[{_TITLE_WORDS}\])?){_DATE}{_SP}+"
                    rf"\((?P<agency>{_one_of(_AGENCIES)})\)(?:{_SP}*{_DASH}|:?{_SP}+(?=[A-Z]))")
_TITLE_CASE = re.compile(rf"(?P<place>{_TITLE_WORDS}(?:{_STATE})?(?:{_SP}+\({_TITLE_WORDS}\))?){_SP}+"
                         rf"\((?P<agency>{_one_of(_TITLE_CASE_AGENCIES)})\){_SP}*{_DASH}")
_CAPS_COLON = re.compile(rf"(?P<place>{_CAPS_PLACE}):{_SP}+(?=[A-Z])")
# the place as a word, not the start of a longer name ("Paris Hilton:"), then its colon or dash
_KNOWN_PLACE = re.compile(rf"(?P<place>{_one_of(PLACES)}(?:{_STATE})?)(?![\w'’-]){_SP}*(?::{_SP}+(?=[A-Z“\"])|{_DASH})")
# a paragraph opening with a label in capitals and a colon, a role after a comma at most
# ("TOM BAKER, HOST:"), a quotation mark before it in a transcript quoted whole
_CAPS_LABEL = re.compile(rf"{_SP}*[“\"‘']?{_CAPS_PLACE}(?:,{_SP}+{_CAPS_PLACE})?{_SP}*:")
_BREAKS = re.compile(r"\n+")  # a paragraph is a line (crosswire.quotes.paragraphs)


def match(text: str, pos: int = 0, *, story: bool = False) -> Dateline | None:
    """The dateline that opens text at pos (a paragraph's start), or None. `story`: text is
    a story's body, so that at its start (pos 0) the capitals-and-colon style and a known
    place in mixed case are read too.
    A label in the place's stead ("BREAKING —") gives a Dateline with no place."""
    for style in (_WIRE, _TASS, _DATED, _TITLE_CASE):
        if m := style.match(text, pos):
            return _dateline(m)
    if story and pos == 0 and (m := _CAPS_COLON.match(text)) and not _has_caps_labels(text, m.end()):
        return _dateline(m)
    if story and pos == 0 and (m := _KNOWN_PLACE.match(text)):
        return _dateline(m)
    return None


def _dateline(m: re.Match) -> Dateline:
    place = m["place"].strip()
    agency = m.groupdict().get("agency")  # the capitals-and-colon style credits none
    if re.split(r"[,/(]", place)[0].strip() in NOT_PLACES:  # "BREAKING —", "UPDATE:"
        return Dateline(None, None, m.end())
    return Dateline(place, (agency or "").strip() or None, m.end())


def _has_caps_labels(text: str, pos: int) -> bool:
    """Whether a paragraph after pos opens with a label in capitals and a colon: the
    speakers' labels of a transcript (crosswire.quotes reads them as turns)."""
    return any(_CAPS_LABEL.match(text, nl.end()) for nl in _BREAKS.finditer(text, pos))
