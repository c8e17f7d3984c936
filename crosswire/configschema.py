"""Checking the user's TOML configuration (raw/<id>/source.toml, raw/people.toml) against
a schema: field names, types, a list where a list is meant. Each error names the file and
the field ("raw/x/source.toml: field 'feeds' must be a list of strings, not a string").

A schema maps a field name to a kind: "string", "strings" (a list of strings), "bool",
"date" (a TOML date or an ISO 8601 string), or a nested schema: a dict for a table
([cleaning]), a one-element list holding a dict for an array of tables ([[person]]).
"""
from __future__ import annotations

import json

import datetime as dt
import os
import stat
import tomllib
from pathlib import Path

MAX_CONFIG_BYTES = 1024 * 1024  # a config file is small; a bigger one is not a config


class ConfigError(ValueError):
    """A configuration file that cannot be used; str() names the file and the field."""


def read_toml(path: Path) -> dict:
    """A TOML file's contents, refusing what is not a regular file (a directory, a FIFO,
    a device: never opened), a symbolic-link loop, an unreadable or oversized file."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise ConfigError(f"{path}: missing {Path(path).name}") from None
    except OSError as e:  # a symbolic-link loop, a folder we may not enter
        raise ConfigError(f"{path}: cannot be read: {e.strerror or e}") from None
    if not stat.S_ISREG(mode):
        what = "a directory" if stat.S_ISDIR(mode) else "a FIFO, device or socket"
        raise ConfigError(f"{path}: is {what}, not a regular file")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            data = f.read(MAX_CONFIG_BYTES + 1)
    except OSError as e:
        raise ConfigError(f"{path}: cannot be read: {e.strerror or e}") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise ConfigError(f"{path}: over the {MAX_CONFIG_BYTES:,}-byte limit for a configuration file")
    try:
        return tomllib.loads(data.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from None


def check(data: dict, schema: dict, where: Path | str, prefix: str = "") -> None:
    """Raise ConfigError at the first field that is unknown or of the wrong kind."""
    unknown = sorted(k for k in data if k not in schema)
    if unknown:
        known = ", ".join(sorted(schema))
        raise ConfigError(f"{where}: unknown field(s) {', '.join(repr(prefix + k) for k in unknown)}"
                          f"{' in [' + prefix.rstrip('.') + ']' if prefix else ''} (known: {known})")
    for key, kind in schema.items():
        if key in data:
            _check_value(data[key], kind, where, prefix + key)


def _check_value(value, kind, where, name: str) -> None:
    if isinstance(kind, dict):
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: [{name}] must be a table, not {_what(value)}")
        check(value, kind, where, name + ".")
    elif isinstance(kind, list):
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise ConfigError(f"{where}: [[{name}]] must be an array of tables, not {_what(value)}")
        for i, row in enumerate(value):
            check(row, kind[0], where, f"{name}[{i}].")
    elif kind == "strings":
        if isinstance(value, str):
            raise ConfigError(f"{where}: field '{name}' must be a list of strings, not a string "
                              f"(write {name.rsplit('.', 1)[-1]} = [{_toml(value)}])")
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: field '{name}' must be a list of strings, not {_what(value)}")
    elif not _CHECKS[kind](value):
        raise ConfigError(f"{where}: field '{name}' must be {_NAMES[kind]}, not {_what(value)}")


_CHECKS = {"string": lambda v: isinstance(v, str),
           "bool": lambda v: isinstance(v, bool),
           "date": lambda v: isinstance(v, dt.date) or isinstance(v, str) and _iso_date(v)}


def _iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True
_NAMES = {"string": "a string", "bool": "true or false", "date": "a date (1993-01-20)"}


def _what(value) -> str:
    if isinstance(value, bool):
        return "true/false"
    return {str: "a string", int: "a number", float: "a number", list: "a list", dict: "a table"}.get(
        type(value), type(value).__name__)


def _toml(value: str) -> str:
    """A TOML basic string of the value's first 60 characters, its control characters escaped
    (a newline in a message would break the one-line error the user reads)."""
    return json.dumps(value[:60], ensure_ascii=False)


# raw/people.toml: the user's additions to the built-in registry of people and offices
# (crosswire/data/people.toml, crosswire/data/roles.toml describe the fields)
PEOPLE_SCHEMA = {
    "person": [{"name": "string", "aliases": "strings", "roles": "strings", "gender": "string", "born": "date"}],
    "office": [{"key": "string", "phrases": "strings", "places": "strings", "source": "string"}],
    "term": [{"office": "string", "person": "string", "start": "date", "end": "date", "source": "string"}],
    "checked_until": "date",
}


def check_people(path: Path) -> None:
    """raw/people.toml against PEOPLE_SCHEMA: ConfigError naming the file and field."""
    data = read_toml(path)
    check(data, PEOPLE_SCHEMA, path)
    for i, row in enumerate(data.get("person", [])):
        if not str(row.get("name", "")).strip():
            raise ConfigError(f"{path}: field 'person[{i}].name' is missing or empty")
