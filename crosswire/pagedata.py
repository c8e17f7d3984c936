"""What a saved HTML page says about itself in structured form: its schema.org JSON-LD
objects. Pure functions over an lxml tree; trafilatura reads the same data for its own
metadata, these are the pieces crosswire needs that trafilatura does not hand back."""
from __future__ import annotations

import json
from collections.abc import Iterator


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
