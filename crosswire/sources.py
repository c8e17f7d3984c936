"""Outlets: reading and checking raw/<source_id>/source.toml."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import userregex
from .configschema import ConfigError, check, read_toml

SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
KINDS = ("wire", "national", "regional", "state", "other")
COUNTRY = re.compile(r"^[A-Z]{2}$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$")


class SourceError(ConfigError):
    """A source.toml that cannot be used; the message names the file and the field."""


CLEANING_SCHEMA = {"drop": "strings", "captions": "strings", "summary_start": "strings",
                   "summary_end": "strings", "standfirst": "bool"}
# every field a source.toml may have, with its kind (crosswire.configschema)
SCHEMA = {"name": "string", "homepage": "string", "country": "string", "language": "string",
          "kind": "string", "feeds": "strings", "license": "string", "cleaning": CLEANING_SCHEMA}


@dataclass(frozen=True)
class CleaningRules:
    drop: tuple[str, ...] = ()            # regexes of whole lines to drop as furniture
    captions: tuple[str, ...] = ()        # regexes of lines that are photo captions
    summary_start: tuple[str, ...] = ()   # regexes of lines that open a summary box
    summary_end: tuple[str, ...] = ()     # regexes of lines that close it (dropped too)
    standfirst: bool | None = None        # True/False forces; None lets the cleaner decide


@dataclass(frozen=True)
class Source:
    source_id: str
    name: str
    homepage: str
    country: str
    language: str
    kind: str = "other"
    feeds: tuple[str, ...] = ()
    rules: CleaningRules = field(default_factory=CleaningRules)
    license: str | None = None  # SPDX id or a licence's name; None: all rights reserved / unknown

    def row(self) -> dict:
        return {k: getattr(self, k) for k in ("source_id", "name", "homepage", "country", "language", "kind",
                                              "license")}


def _regexes(path: Path, key: str, value) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SourceError(f"{path}: field 'cleaning.{key}' must be a list of strings")
    for v in value:
        try:
            userregex.check(v)
        except userregex.UnsupportedPattern as e:
            raise SourceError(f"{path}: field 'cleaning.{key}' has an invalid pattern: {e}") from None
    return tuple(value)


def parse_source(path: Path, source_id: str) -> Source:
    """Read and check one source.toml. Raises SourceError naming the file and field."""
    if not SOURCE_ID.match(source_id):
        raise SourceError(f"{path}: source folder name {source_id!r} is not a lowercase slug")
    try:
        data = read_toml(path)
        check(data, SCHEMA, path)
    except ConfigError as e:
        raise SourceError(str(e)) from None

    def text(key: str, pattern: re.Pattern | None = None, default=None) -> str:
        value = data.get(key, default)
        if value is None:
            raise SourceError(f"{path}: missing field '{key}'")
        if not isinstance(value, str) or not value.strip():
            raise SourceError(f"{path}: field '{key}' must be a non-empty string")
        if pattern and not pattern.match(value):
            raise SourceError(f"{path}: field '{key}' has an invalid value {value!r}")
        return value.strip()

    kind = text("kind", default="other")
    if kind not in KINDS:
        raise SourceError(f"{path}: field 'kind' must be one of {', '.join(KINDS)}, not {kind!r}")
    feeds = data.get("feeds", [])
    if not isinstance(feeds, list) or not all(isinstance(f, str) and URL.match(f) for f in feeds):
        raise SourceError(f"{path}: field 'feeds' must be a list of http(s) URLs")
    cleaning = data.get("cleaning", {})  # its fields' kinds were checked against SCHEMA
    standfirst = cleaning.get("standfirst")
    rules = CleaningRules(
        drop=_regexes(path, "drop", cleaning.get("drop")),
        captions=_regexes(path, "captions", cleaning.get("captions")),
        summary_start=_regexes(path, "summary_start", cleaning.get("summary_start")),
        summary_end=_regexes(path, "summary_end", cleaning.get("summary_end")),
        standfirst=standfirst,
    )
    return Source(
        source_id=source_id,
        name=text("name"),
        homepage=text("homepage", URL),
        country=text("country", COUNTRY),
        language=text("language", LANGUAGE),
        kind=kind,
        feeds=tuple(feeds),
        rules=rules,
        license=text("license") if data.get("license") is not None else None,
    )


def load_sources(raw_root: Path) -> tuple[list[Source], list[dict]]:
    """Every source folder under raw_root; folders that fail are returned as rejections."""
    sources, rejected = [], []
    root = Path(raw_root).resolve()
    for folder in sorted(p for p in Path(raw_root).iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        shown = os.fsencode(folder.name).decode("utf-8", "backslashreplace")
        try:
            if not folder.resolve().is_relative_to(root):
                rejected.append({"path": f"{shown}/source.toml", "reason": "symbolic link pointing outside raw/"})
                continue
        except (OSError, RuntimeError):  # a symbolic-link loop
            rejected.append({"path": f"{shown}/source.toml", "reason": "symbolic link loop"})
            continue
        if shown != folder.name:
            rejected.append({"path": f"{shown}/source.toml", "reason": "folder name is not valid UTF-8; "
                             "its files are not read (rename it to a lowercase slug)"})
            continue
        try:
            sources.append(parse_source(folder / "source.toml", folder.name))
        except SourceError as e:
            reason = str(e).split(": ", 1)[-1]
            rejected.append({"path": f"{folder.name}/source.toml", "reason": reason})
            rejected += [{"path": f"{folder.name}/{name}", "reason": f"its source.toml is unusable: {reason}"}
                         for name in _file_names(folder)]
    return sources, rejected


def _file_names(folder: Path) -> list[str]:
    """The names of the files a rejected source's folder holds (none if it cannot be listed)."""
    try:
        names = sorted(p.name for p in folder.iterdir())
    except OSError:
        return []
    return [os.fsencode(n).decode("utf-8", "backslashreplace") for n in names
            if not n.startswith(".") and n != "source.toml" and not n.endswith(".meta.json")]
