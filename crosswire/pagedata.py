"""What a saved HTML page says about itself in structured form: its schema.org JSON-LD
objects and the meta tags that date it. Pure functions over an lxml tree; trafilatura reads the same data for its own
metadata, these are the pieces crosswire needs that trafilatura does not hand back."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator

# an ISO 8601 time stamp to the minute at least, with its zone ("Z", "+01:00", "-0500")
INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$")


def jsonld(tree) -> list[dict]:
    """Every JSON-LD object of the page, those inside lists and "@graph" included, in page
    order. A block that is not valid JSON is skipped: structured data is a bonus."""
    out: list[dict] = []
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        out.extend(_objects(data))
    return out


def _objects(data) -> Iterator[dict]:
    if isinstance(data, list):
        for item in data:
            yield from _objects(item)
    elif isinstance(data, dict):
        yield data
        yield from _objects(data.get("@graph"))


def has_type(obj: dict, name: str) -> bool:
    """Whether a JSON-LD object is of schema.org type `name` ("@type" is a string or a list,
    sometimes written as a full URL)."""
    kinds = obj.get("@type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1] == name for k in kinds)


def published(tree, meta_names: list[str]) -> list[str]:
    """The publication instants the page states with their zone, as written, best first:
    JSON-LD datePublished, then `meta_names` in their order (a <meta> property, name or
    itemprop). A day alone or a time without a zone is left out. <time> elements are not
    read: on an article page most of them date comments and related stories."""
    out = [v.strip() for v in (obj.get("datePublished") for obj in jsonld(tree))
           if isinstance(v, str) and INSTANT.match(v.strip())]
    found: dict[str, list[str]] = {}
    for el in tree.iter("meta"):
        value = (el.get("content") or "").strip()
        if INSTANT.match(value):
            for attr in ("property", "name", "itemprop"):
                found.setdefault((el.get(attr) or "").casefold(), []).append(value)
    return out + [v for n in meta_names for v in found.get(n.casefold(), [])]
