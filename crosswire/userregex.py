"""The regular expressions users write in source.toml, run on RE2.

Python's `re` backtracks: a pattern such as `(a+)+$` takes exponential time on a line of
a's, and a schedule fed by other people's config files would hang on it. RE2 (Google's
engine, the `google-re2` package) matches in time linear in the line's length, whatever the
pattern; what it cannot do in linear time (backreferences, look-around) it refuses to
compile, which `check` turns into a clear error for the config's author. The built-in rules
(crosswire/data/*.toml) are ours and stay on `re`. One difference from `re` to know when
writing a pattern: RE2's \\w, \\d and \\b are ASCII; write \\pL for any letter.
"""
from __future__ import annotations

from functools import lru_cache

import re2


class UnsupportedPattern(ValueError):
    """A pattern RE2 will not compile; str() says which and why."""


# RE2's default memory budget (8 MiB) bounds what a huge pattern such as (a{1000}){1000}
# can take; such a pattern fails to compile instead of eating the machine.
def _options():
    options = re2.Options()
    options.log_errors = False  # the error is ours to report, once, with the file named
    return options


@lru_cache(maxsize=4096)
def compile(pattern: str):
    try:
        return re2.compile(pattern, _options())
    except (re2.error, TypeError, ValueError) as e:
        why = e.args[0].decode("utf-8", "replace") if e.args and isinstance(e.args[0], bytes) else str(e)
        raise UnsupportedPattern(f"{pattern!r} is not a pattern the linear-time engine (RE2) supports: {why} "
                                 "(backreferences and look-around are not supported)") from None


def check(pattern: str) -> None:
    compile(pattern)


def search(pattern: str, text: str):
    return compile(pattern).search(text)
