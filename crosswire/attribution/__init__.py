"""Attributing quotations and reported speech to who said them.

Works over spaCy Docs of one article's fields (title, standfirst, summary, body). The
modules, in the order the work is done:

- cast.py             the people an article names, with what it calls them ("Russian
                      President Vladimir Putin" teaches that "the Russian President" is Putin)
- reporting_verbs.py  which token is a cue that reports speech, and how its cue is worded
- mentions.py         Mention (a subject or a name, resolved) and Speaker (what a statement
                      records of it); how a phrase names a body or a group
- extents.py          where a mention's words end ("a spokesman for the firm", "officials,
                      including Ann Lee,")
- resolver.py         the Resolver: every subject and named person of a field, in text
                      order, resolved by name, title, role or kind, with its two mixins:
  antecedents.py      ... what a pronoun or a description refers back to
  verb_speakers.py    ... who speaks a reporting verb when the parse gives it no subject
- field.py            the statements of one field: the rule registries of crosswire.rules
                      walked over its sentences (FieldAttributor), nested reports merged

Word lists and reaches are data (crosswire/data/mentions.toml); the rules are crosswire/rules/.
This module re-exports what other modules import from `crosswire.attribution`, and imports
the rule modules so that they register, in this order, whichever module is imported first.
"""
from __future__ import annotations

from .cast import alias_pattern, build_cast
from .extents import closes_bracket, member_list_end, np_bounds, set_off_end
from .field import UNATTRIBUTED, FieldAttributor, Found, fitted_rate
from .mentions import Mention, Speaker, char_span, name_by_owner, speaker_copy
from .reporting_verbs import is_speech_cue

__all__ = ["UNATTRIBUTED", "FieldAttributor", "Found", "Mention", "Speaker", "alias_pattern", "build_cast",
           "char_span", "closes_bracket", "fitted_rate", "is_speech_cue", "member_list_end", "name_by_owner",
           "np_bounds", "set_off_end", "speaker_copy"]

from ..rules import filters, indirect, quoted, conventions, interviews, echoes  # noqa: E402,F401  (registers the rules, in this order)
