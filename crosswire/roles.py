"""Dated office holders: who held an office on an article's date.

    roles = load_roles()
    roles.holders(role_key("the US president"), date(2016, 5, 1))    -> ["Barack Obama"]
    roles.holders(role_key("the US president"), None)                -> []   (undated: nobody)
    roles.keys_of("George W. Bush", date(2016, 2, 1))                 -> role keys of
        "former US president", ...: what an article of that date may call him

The data is crosswire/data/roles.toml (offices with the phrases articles use for them and
terms with start and end dates, each office with the public list it was taken from); a
user file (raw/people.toml) may add [[office]] and [[term]] tables. Nothing here answers
for a date it does not cover: no date, or a date after `checked_until` for a term still
open, resolves nobody.
"""
from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources

from .speakers import RoleKey, role_key, role_matches


@dataclass(frozen=True)
class Office:
    key: str
    phrases: tuple[str, ...]
    places: frozenset[str]
    source: str = ""

    @cached_property  # read for every term on every role an article names
    def keys(self) -> list[RoleKey]:
        return [k for k in map(role_key, self.phrases) if k]

    @cached_property
    def former_keys(self) -> list[RoleKey]:
        return [k for k in (role_key("former " + p) for p in self.phrases) if k]


@dataclass(frozen=True)
class Term:
    office: str
    person: str
    start: dt.date
    end: dt.date | None  # the successor's first day; None: open as of checked_until


def article_date(value) -> dt.date | None:
    """An article's `published` (ISO 8601 text, a datetime, a date or None) as a date."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return dt.date.fromisoformat(str(value).strip()[:10])
        except ValueError:
            return None


class Roles:
    def __init__(self, offices: list[Office], terms: list[Term], checked_until: dt.date | None):
        self.offices = {o.key: o for o in offices}
        self.terms = sorted(terms, key=lambda t: (t.office, t.start, t.person))
        self.checked_until = checked_until

    def _holds(self, t: Term, when: dt.date) -> bool:
        if when < t.start:
            return False
        if t.end is not None:
            return when < t.end
        return self.checked_until is not None and when <= self.checked_until

    def _held_before(self, t: Term, when: dt.date) -> bool:
        return t.end is not None and t.end <= when

    def holders(self, key: RoleKey, when: dt.date | None, places: frozenset[str] = frozenset()
                ) -> list[str]:
        """Who held an office that `key` names on `when`, best match first and one name
        per person. A key with no place of its own ("the president") is read as the
        office of a place the article speaks of (`places`) when several offices fit."""
        if when is None:
            return []
        scored = []
        for t in self.terms:
            office = self.offices.get(t.office)
            if office is None or not self._holds(t, when):
                continue
            s = role_matches(key, [k for k in office.keys if _qualified(key, k)])
            if s:
                scored.append((s, office, t.person))
        if not scored:
            return []
        best = max(s for s, _, _ in scored)
        hits = [(o, p) for s, o, p in scored if s == best]
        if (len({p for _, p in hits}) > 1 or not key.mods) and not key.mods & _PLACE_KEYS:
            # a bare "the spokesman" is the office of a place the article speaks of, even
            # when only one office fits: the Kremlin's only in a story that names it
            hits = [(o, p) for o, p in hits if not o.places or o.places & places]
        return sorted({p for _, p in hits})

    def keys_of(self, person: str, when: dt.date | None) -> list[RoleKey]:
        """The role keys `person` could be called by on `when`: the offices held that day
        and, as "former ...", the offices left before it."""
        if when is None:
            return []
        out: list[RoleKey] = []
        for t in self.terms:
            if t.person != person or t.office not in self.offices:
                continue
            office = self.offices[t.office]
            if self._holds(t, when):
                out += office.keys
            elif self._held_before(t, when) and not any(
                    self._holds(u, when) for u in self.terms if u.person == person and u.office == t.office):
                out += office.former_keys
        return list(dict.fromkeys(out))

    def places_held(self, person: str, when: dt.date | None) -> frozenset[str]:
        """The places of the offices `person` holds on `when` (the Russian president's:
        russia, kremlin); none undated."""
        if when is None:
            return frozenset()
        return frozenset().union(*(self.offices[t.office].places for t in self.terms
                                   if t.person == person and t.office in self.offices and self._holds(t, when)))

    def offices_of(self, person: str) -> list[str]:
        """The offices a person held, named by their first phrase (for the speakers table)."""
        return list(self._offices_by_person.get(person, ()))

    @cached_property  # asked for every speaker of the corpus (6k at 10k articles): not a scan of the terms each
    def _offices_by_person(self) -> dict[str, list[str]]:
        held: dict[str, set] = {}
        for t in self.terms:
            if t.office in self.offices:
                held.setdefault(t.person, set()).add(self.offices[t.office].phrases[0])
        return {person: sorted(names) for person, names in held.items()}

    @property
    def people(self) -> set[str]:
        return {t.person for t in self.terms}


def _qualified(mention: RoleKey, office_key: RoleKey) -> bool:
    """The mention carries the words that make the office's phrase one office, places
    apart (news leaves its own country out): "the treasury secretary" and "the Fed chair"
    name an office, a bare "the secretary", "the diplomat" or "the general" a trade
    ("top US diplomat", "US attorney general")."""
    return office_key.mods - _PLACE_KEYS - {"former"} <= mention.mods


def _place_keys() -> frozenset[str]:
    from .speakers import _PLACES
    return frozenset(_PLACES)


_PLACE_KEYS = _place_keys()


def parse(text: str, where: str) -> tuple[list[Office], list[Term], dt.date | None]:
    """Offices, terms and checked_until from a TOML text; a bad entry is an error naming
    `where` and the entry."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{where}: not valid TOML: {exc}") from exc
    offices, terms = [], []
    for i, row in enumerate(data.get("office", [])):
        if not row.get("key") or not row.get("phrases"):
            raise ValueError(f"{where}: [[office]] #{i + 1} needs a key and phrases")
        offices.append(Office(row["key"], tuple(row["phrases"]), frozenset(row.get("places", [])),
                              row.get("source", "")))
    for i, row in enumerate(data.get("term", [])):
        start, end = article_date(row.get("start")), article_date(row.get("end"))
        if not row.get("office") or not row.get("person") or start is None \
                or (row.get("end") is not None and end is None) or (end is not None and end <= start):
            raise ValueError(f"{where}: [[term]] #{i + 1} needs office, person and a start "
                             f"before its end: {row!r}")
        terms.append(Term(row["office"], row["person"].strip(), start, end))
    return offices, terms, article_date(data.get("checked_until"))


@lru_cache(maxsize=1)
def _default() -> tuple[tuple[Office, ...], tuple[Term, ...], dt.date | None]:
    text = resources.files("crosswire").joinpath("data/roles.toml").read_text(encoding="utf-8")
    offices, terms, until = parse(text, "crosswire/data/roles.toml")
    return tuple(offices), tuple(terms), until


def load_roles(user_text: str | None = None, user_where: str = "raw/people.toml") -> Roles:
    """The built-in dated roles, extended by a user file's [[office]] and [[term]] tables
    (an office with the same key replaces the built-in one)."""
    offices, terms, until = _default()
    offices, terms = {o.key: o for o in offices}, list(terms)
    if user_text:
        u_offices, u_terms, u_until = parse(user_text, user_where)
        offices.update({o.key: o for o in u_offices})
        terms += u_terms
        until = max(filter(None, (until, u_until)), default=None)
    return Roles(list(offices.values()), terms, until)
