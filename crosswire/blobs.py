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
from pathlib import Path

from .cache import read_sealed, write_sealed


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
        return None if self.root is None else read_sealed(self.path(name))

    def put(self, name: str, payload: bytes) -> None:
        """Store the payload atomically; a failing write only loses the blob."""
        if self.root is not None:
            write_sealed(self.path(name), payload)

    def prune(self) -> int:
        """Remove this stage's blobs of other code: never read again (the code is in their
        names), they only grew the cache at every upgrade (about 350 MB of event profiles and
        links per events code version at 10k articles). Only for a stage whose blobs differ by
        code alone: a stage whose `code` also holds run context (a raw root, settings a user
        switches between) would lose the other contexts' blobs. Files being written (a
        temporary name) and other names are left. -> how many files went."""
        if self.root is None or not self.root.is_dir():
            return 0
        gone = 0
        for entry in os.scandir(self.root):
            code = entry.name[-len(".bin") - 16:-len(".bin")] if entry.name.endswith(".bin") else ""
            if len(code) == 16 and entry.name[-len(".bin") - 17] == "-" and code != self.code \
                    and all(c in "0123456789abcdef" for c in code) and entry.is_file(follow_symlinks=False):
                try:
                    os.unlink(entry.path)
                    gone += 1
                except FileNotFoundError:   # another process pruned it first
                    pass
        return gone
