"""Whole-file writes that readers never see half done."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, *data) -> None:
    """Write `data` (bytes-like pieces, one after another: a large payload is never copied
    to be joined to its header) to `path` through a temporary file in the same directory
    renamed into place (readable by all, like a file written directly under the usual
    umask). Raises OSError; the temporary file never stays behind."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name[:16]}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            for piece in data:
                f.write(piece)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
