"""`crosswire run` handing its run to a `crosswire watch` that serves the same folders.

A fresh `crosswire run` pays about 2 s before it looks at an article (imports, spaCy's
load), more than the whole work of publishing one added article. A running `watch` has
paid that already, so `run` asks it first, the way dmypy's or Gradle's client asks its
daemon: the watch runs its next check at once, and the client prints what it published.
When no watch answers, or the watch would run with other settings, the client runs
in its own process as before; nothing is started behind the user's back.

The watch listens on a Unix socket named after its datasets folder, in a directory only
its user can enter (a per-user directory under the system's temporary directory, mode
0700). A run is handed over only when the two would run alike: the same raw, datasets and
cache folders, the same run options and the same CROSSWIRE_* settings and Prefect API
(`terms`). The code is the same too: a watch whose code on disk changed stops before its
next check, and the run it was handed falls back to the client, which runs the new code.

Protocol (one JSON object per line): the client sends {"terms": ...}; the watch answers
{"refused": reason} and hangs up, or {"accepted": pid}, then after the check that ran
for it {"result": {...}} or {"error": reason}, or {"fallback": reason} when it stops
before that check (the client then runs itself). A connection closed without an answer
is a fallback too: the datasets lock keeps two writers apart whatever happened.
"""
from __future__ import annotations

import hashlib
import json
import os
import socket
import tempfile
import threading
from pathlib import Path

from .unchanged import run_settings

# how long the client waits to be accepted or refused (the watch's reader answers at once)
GREETING_SECONDS = 10.0


class NotTaken(Exception):
    """No watch took the run; str() says why (for --verbose). The caller runs it itself."""


def available() -> bool:
    return hasattr(socket, "AF_UNIX") and hasattr(os, "getuid")


def socket_path(datasets: Path) -> Path:
    """Where a watch of `datasets` listens: one name per resolved folder, in the user's own
    directory (its length stays under the 108 bytes a socket path may have)."""
    digest = hashlib.sha256(str(Path(datasets).resolve()).encode()).hexdigest()[:24]
    return Path(tempfile.gettempdir()) / f"crosswire-{os.getuid()}" / f"{digest}.sock"


def _private_dir(path: Path) -> bool:
    """Make the socket's directory, mode 0700; False when it is someone else's or open to others."""
    try:
        path.mkdir(mode=0o700, exist_ok=True)
        st = path.stat()
    except OSError:
        return False
    return st.st_uid == os.getuid() and not st.st_mode & 0o077


def terms(args, environ) -> dict:
    """What makes two runs alike: their folders (resolved), the options that change what a
    run does, and the settings of the environment it reads (`args` as _run_refused left
    them: the task runner chosen)."""
    def folder(p):
        return str(Path(p).resolve()) if p else None
    # the settings the run record compares, and where the run reports to
    settings = {**run_settings(environ), **{k: environ[k] for k in ("PREFECT_API_URL",) if k in environ}}
    return {"raw": folder(args.raw), "datasets": folder(args.datasets), "cache": folder(args.cache),
            "public": args.public, "task_runner": args.task_runner, "dask_address": args.dask_address,
            "dask_workers": args.dask_workers, "batch_size": args.batch_size, "nlp_processes": args.nlp_processes,
            "prefect": args.prefect, "settings": settings}


def differences(mine: dict, theirs: dict) -> list[str]:
    """The terms that differ between a watch's and a client's, by name (settings one by one)."""
    out = [k for k in sorted(set(mine) | set(theirs)) if k != "settings" and mine.get(k) != theirs.get(k)]
    a, b = mine.get("settings", {}), theirs.get("settings", {})
    out += [k for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
    return out


def _send(conn: socket.socket, message: dict) -> None:
    conn.sendall((json.dumps(message, default=str) + "\n").encode())


def _receive(reader) -> dict | None:
    line = reader.readline()
    if not line:
        return None
    return json.loads(line)


def ask(datasets: Path, my_terms: dict, accepted=lambda pid: None) -> dict:
    """Hand a run to the watch of `datasets`: its result ({"release", "rejected", "previous"}),
    or {"error": reason} when the run failed there. Raises NotTaken when no watch took it.
    `accepted(pid)` is told when a watch took the run, before it runs."""
    if not available():
        raise NotTaken("this platform has no Unix sockets")
    path = socket_path(datasets)
    if not path.exists():
        raise NotTaken("no crosswire watch serves this datasets folder")
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.settimeout(GREETING_SECONDS)
        try:
            conn.connect(str(path))
            _send(conn, {"terms": my_terms})
            reader = conn.makefile("r", encoding="utf-8")
            greeting = _receive(reader)
        except (OSError, ValueError) as e:  # a socket left by a watch that was killed
            raise NotTaken(f"no crosswire watch answers ({type(e).__name__})") from None
        if not greeting or "accepted" not in greeting:
            raise NotTaken((greeting or {}).get("refused", "the watch hung up"))
        accepted(greeting["accepted"])
        conn.settimeout(None)  # the run takes what it takes
        try:
            answer = _receive(reader)
        except (OSError, ValueError):
            answer = None
        if answer is None:
            raise NotTaken("the watch ended before it answered")
        if "fallback" in answer:
            raise NotTaken(answer["fallback"])
        return answer["result"] if "result" in answer else {"error": answer["error"]}
    finally:
        conn.close()


class Desk:
    """The watch's end: accepts runs handed to it, holds them until its next check, and
    answers each with that check's outcome. `wait(seconds)` is the watch's pause between
    checks, cut short when a run is handed over."""

    def __init__(self, datasets: Path, my_terms: dict):
        self.terms, self.path = my_terms, socket_path(datasets)
        self._waiting: list[socket.socket] = []
        self._lock = threading.Lock()
        self._handed = threading.Event()
        self._sock: socket.socket | None = None
        self._inode = None

    def open(self) -> str | None:
        """Start listening; None, or why not (another watch serves the folder, no private directory)."""
        if not available():
            return "this platform has no Unix sockets"
        if not _private_dir(self.path.parent):
            return f"{self.path.parent} is not a directory of this user's alone"
        if self.path.exists():
            probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                probe.connect(str(self.path))
                return "another crosswire watch serves this datasets folder"
            except OSError:
                self.path.unlink(missing_ok=True)  # left by a watch that was killed
            finally:
                probe.close()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.bind(str(self.path))
            sock.listen(16)
        except OSError as e:
            sock.close()
            return f"cannot listen on {self.path}: {e}"
        self._sock, self._inode = sock, self.path.stat().st_ino
        threading.Thread(target=self._serve, args=(sock,), name="crosswire-handoff", daemon=True).start()
        return None

    def _serve(self, sock: socket.socket) -> None:
        while True:
            try:
                conn, _ = sock.accept()
            except OSError:  # closed
                return
            threading.Thread(target=self._greet, args=(conn,), daemon=True).start()

    def _greet(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(GREETING_SECONDS)
            request = _receive(conn.makefile("r", encoding="utf-8")) or {}
            differ = differences(self.terms, request.get("terms") or {})
            if differ:
                _send(conn, {"refused": f"the watch (pid {os.getpid()}) runs with other {', '.join(differ)}"})
                conn.close()
                return
            with self._lock:
                if self._sock is None:  # closed while this one was read
                    _send(conn, {"fallback": "the watch is stopping"})
                    conn.close()
                    return
                _send(conn, {"accepted": os.getpid()})
                conn.settimeout(None)
                self._waiting.append(conn)
                self._handed.set()
        except (OSError, ValueError):
            conn.close()

    def wait(self, seconds: float) -> None:
        self._handed.wait(seconds)

    def take(self) -> list[socket.socket]:
        """The runs handed over so far, for the check about to start (later ones wait for the next)."""
        with self._lock:
            taken, self._waiting = self._waiting, []
            self._handed.clear()
        return taken

    @staticmethod
    def answer(conns: list[socket.socket], message: dict) -> None:
        for conn in conns:
            try:
                _send(conn, message)
            except OSError:  # the client gave up (Ctrl-C): the release stands all the same
                pass
            finally:
                conn.close()

    def close(self, reason: str) -> None:
        """Stop listening; the runs still waiting are handed back to their clients."""
        with self._lock:
            sock, self._sock = self._sock, None
            waiting, self._waiting = self._waiting, []
        if sock is None:
            return
        sock.close()
        try:
            if self.path.stat().st_ino == self._inode:  # not a later watch's socket
                self.path.unlink()
        except OSError:
            pass
        self.answer(waiting, {"fallback": reason})
