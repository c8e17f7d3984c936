"""Stored URLs without secrets: no user:password@ and no credential-like query parameters.

Every URL crosswire writes (articles.url, the sidecars `add` and `fetch` write) goes
through `redact`; the parameter names, each with its reason, are in
crosswire/data/url_secrets.toml.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .datafiles import read_toml

SECRETS_FILE = Path(__file__).parent / "data" / "url_secrets.toml"


@lru_cache(maxsize=1)
def _secrets() -> tuple[frozenset[str], tuple[str, ...]]:
    data = read_toml(SECRETS_FILE)
    return frozenset(_norm(k) for k in data["names"]), tuple(_norm(p) for p in data["prefixes"])


def _norm(name: str) -> str:
    return name.strip().lower().replace("-", "_")


def is_secret(param: str) -> bool:
    names, prefixes = _secrets()
    name = _norm(param)
    return name in names or name.startswith(prefixes)


def redact(url: str | None) -> str | None:
    """url without userinfo and without secret-looking query parameters (also in the
    fragment, where single-page apps put tokens); anything else is kept as written."""
    if not url:
        return url
    try:
        parts = urlsplit(url)
        host = parts.netloc.rpartition("@")[2]
    except ValueError:  # e.g. an invalid IPv6 literal: nothing we can safely keep
        return None
    return urlunsplit((parts.scheme, host, parts.path, _clean_query(parts.query), _clean_query(parts.fragment)))


def _clean_query(query: str) -> str:
    if "=" not in query:
        return query
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if not is_secret(k)]
    return query if len(kept) == len(pairs) else urlencode(kept)
