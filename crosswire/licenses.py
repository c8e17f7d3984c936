"""Licences: whose article text a public release may carry, and the licence of each table.

The derived tables are the project's, under CC BY 4.0 (PROJECT). The articles' text stays
its publisher's: a public release keeps `articles.text` only for outlets whose licence is on
the allow-list in data/licenses.toml, and otherwise publishes it as null with its
`text_sha256`, so that statements' offsets stay checkable against a reader's own copy.
"""
from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import pyarrow as pa

from .datafiles import read_toml

ALLOW_LIST = Path(__file__).parent / "data" / "licenses.toml"

# The project's licence for everything it derives. CC BY 4.0: the common licence of open
# data (Hugging Face, Zenodo, data.europa.eu accept it as is), reusable commercially, and its
# version 4.0 covers database rights too; attribution keeps a reuser pointed at the release
# and so at the outlets' own licences.
PROJECT = {"id": "CC-BY-4.0", "name": "Creative Commons Attribution 4.0 International",
           "url": "https://creativecommons.org/licenses/by/4.0/"}
UNKNOWN = "all rights reserved / unknown"


def _key(name: str) -> str:
    return re.sub(r"[\s_-]+", "-", name.strip().lower())


@cache
def allowed() -> dict[str, dict]:
    """Normalised name -> allow-list entry ({id, name, url, aliases}), for ids and aliases."""
    entries = read_toml(ALLOW_LIST)["redistributable"]
    return {_key(n): e for e in entries for n in (e["id"], e["name"], *e.get("aliases", ()))}


def redistributable(license: str | None) -> dict | None:
    """The allow-list entry of a source's licence, or None when it does not allow
    redistributing the text (no licence, or one not on the list)."""
    return allowed().get(_key(license)) if license else None


def public_release(public: bool | None) -> bool:
    """Whether a run publishes for redistribution: `public` when given, else the setting
    CROSSWIRE_PUBLIC (1, true, yes or on), else not (a local run keeps all text)."""
    if public is not None:
        return public
    return os.environ.get("CROSSWIRE_PUBLIC", "").strip().lower() in ("1", "true", "yes", "on")


def withhold_text(articles: list[dict], sources: list[dict]) -> list[dict]:
    """The articles of a public release: `text` null where the outlet's licence does not
    allow redistribution (`text_sha256`, offsets and counts kept)."""
    keep = {s["source_id"] for s in sources if redistributable(s.get("license"))}
    return [a if a["source_id"] in keep else {**a, "text": None} for a in articles]


def withheld_sources(tables: dict[str, pa.Table]) -> list[str]:
    """Outlets with at least one article whose text the release leaves out."""
    arts = tables.get("articles")
    if arts is None or "text" not in arts.column_names:
        return []
    return sorted({s for s, t in zip(arts.column("source_id").to_pylist(), arts.column("text").to_pylist())
                   if t is None})


def source_licenses(tables: dict[str, pa.Table]) -> list[dict]:
    """Per outlet: source_id, name, homepage, license (None: unknown), whether the licence
    allows redistribution, and whether this release withholds its text."""
    rows = tables["sources"].to_pylist() if "sources" in tables else []
    withheld = set(withheld_sources(tables))
    return [{"source_id": s["source_id"], "name": s["name"], "homepage": s["homepage"],
             "license": s.get("license"), "redistributable": redistributable(s.get("license")) is not None,
             "withheld": s["source_id"] in withheld} for s in rows]


def is_public(tables: dict[str, pa.Table]) -> bool:
    """Whether every article text in the release may be redistributed (a public release, or
    a local one whose outlets all allow it)."""
    return not any(s["redistributable"] is False and not s["withheld"] and _has_text(tables, s["source_id"])
                   for s in source_licenses(tables))


def _has_text(tables: dict[str, pa.Table], source_id: str) -> bool:
    arts = tables.get("articles")
    return arts is not None and any(sid == source_id and t is not None for sid, t in
                                    zip(arts.column("source_id").to_pylist(), arts.column("text").to_pylist()))


def table_licenses(tables: dict[str, pa.Table]) -> dict[str, str]:
    """Table -> one line saying under which licence it is published."""
    project = f"{PROJECT['id']} ({PROJECT['url']}), the crosswire project's licence"
    out = {name: project for name in tables}
    if "articles" in tables:
        out["articles"] = (f"{project}, except the publishers' own words (text, title, standfirst, summary, "
                           "captions, removed), which stay under each outlet's licence (sources.license; "
                           f"null: {UNKNOWN})")
    for name in ("statements", "utterances", "agreements"):
        if name in tables:
            out[name] += ("; the quoted words are short excerpts of the outlets' articles, reproduced as "
                          "quotations for research on news coverage")
    return out


def licenses(manifest: dict, tables: dict[str, pa.Table]) -> dict[str, str]:
    """The release's licence file(s): relative path -> text. `LICENSE` gives the licence of
    every table, one section each, and of every outlet's text."""
    per_table = table_licenses(tables)
    lines = [f"crosswire v{manifest['version']}: licences", "",
             f"The tables' structure, the annotations and every derived table are licensed under the "
             f"{PROJECT['name']} licence ({PROJECT['id']}): {PROJECT['url']} (legal code: "
             f"{PROJECT['url']}legalcode). Credit: \"crosswire v{manifest['version']}\" with a link to the "
             "release."]
    for name in manifest["tables"]:
        lines += ["", f"== {name} ({manifest['tables'][name]['path']}) ==", "", f"{per_table[name]}."]
    lines += ["", "== article text ==", "", *outlet_lines(source_licenses(tables))]
    return {"LICENSE": "\n".join(lines) + "\n"}


def outlet_lines(outlets: list[dict]) -> list[str]:
    lines = ["Article text, per outlet (copyright of the publisher; reuse it under the outlet's licence):", ""]
    for s in outlets:
        entry = redistributable(s["license"])
        licence = f"{entry['id']} ({entry['url']})" if entry else (s["license"] or UNKNOWN)
        state = ("text withheld in this release (null; text_sha256 identifies it)" if s["withheld"] else
                 "text included" + ("" if s["redistributable"] else
                                    ": a local release, not for redistribution"))
        lines.append(f"- {s['name']} ({s['source_id']}, {s['homepage']}): {licence}; {state}")
    return lines
