"""Binary state kept between runs in the cache directory: one sealed file per name.

The per-article cache (crosswire.cache) keeps one JSON entry per article and stage; some
cross-source state is one thing for the whole corpus (the copies' shingle index, the
events' article profiles) and is read back whole on every run, where JSON costs as much
as computing it again. A blob is bytes (numpy's .npz, pickle) under

    <cache root>/<stage>/<name>.bin

sealed like a cache entry (its payload's SHA-256 on the first line) and written to a
temporary file renamed into place, so a reader sees a whole blob or none; a damaged or
missing blob is None, and the caller builds its state from scratch. The stage's code
version is part of the file name: a blob of other code is never read.

Pure library code: no Prefect here.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from .cache import _SEAL, _sealed


class Blobs:
    """Sealed binary files of one stage under a cache root; `Blobs(None, ...)` keeps nothing."""

    def __init__(self, root: Path | str | None, stage: str, code: str = ""):
        self.root = Path(root) / stage if root else None
        self.code = hashlib.sha256(code.encode()).hexdigest()[:16]

    def path(self, name: str) -> Path:
        if not name.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"not a blob name: {name!r}")
        return self.root / f"{name}-{self.code}.bin"

    def get(self, name: str) -> bytes | None:
        """The blob's payload, or None when it is absent, unreadable or fails its digest."""
        if self.root is None:
            return None
        try:
            data = self.path(name).read_bytes()
        except OSError:
            return None
        head, sep, payload = data.partition(b"\n")
        if not sep or head != _SEAL + hashlib.sha256(payload).hexdigest().encode():
            return None
        return payload

    def put(self, name: str, payload: bytes) -> None:
        """Store the payload atomically; a failing write only loses the blob."""
        if self.root is None:
            return
        path = self.path(name)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=path.parent)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(_sealed(payload))
                os.replace(tmp, path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except OSError:
            pass
