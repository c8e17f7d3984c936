"""Progress bars for long runs, and the markdown summary of a run.

Bars go to stderr (stdout stays the one line `crosswire run` prints), one per stage with
counts: redrawn in place on a terminal, one line per stage when stderr is not a terminal
but progress was asked for. A disabled Progress does nothing.

Pure library code: no Prefect here (the flow publishes `summary_markdown` as an artifact).
"""
from __future__ import annotations

import sys
import time

WIDTH = 24


class Bar:
    def __init__(self, progress: "Progress", label: str, total: int, unit: str):
        self.p, self.label, self.total, self.unit = progress, label, total, unit
        self.count = 0
        self.started = time.monotonic()
        self._drawn = 0.0
        self.draw()

    def advance(self, n: int = 1) -> None:
        self.count += n
        now = time.monotonic()
        if now - self._drawn >= 0.1 or self.count >= self.total:
            self.draw()

    def line(self, note: str = "") -> str:
        total = max(self.total, 1)
        filled = int(WIDTH * min(self.count, total) / total) if self.total else WIDTH
        secs = time.monotonic() - self.started
        bar = "#" * filled + "-" * (WIDTH - filled)
        text = f"{self.label:<16} [{bar}] {self.count}/{self.total} {self.unit} {secs:5.1f}s"
        return f"{text}  {note}" if note else text

    def draw(self) -> None:
        if self.p.enabled and self.p.tty:
            self._drawn = time.monotonic()
            self.p.stream.write("\r\x1b[2K" + self.line())
            self.p.stream.flush()

    def done(self, note: str = "") -> None:
        if not self.p.enabled:
            return
        self.count = max(self.count, self.total) if self.total else self.count
        prefix = "\r\x1b[2K" if self.p.tty else ""
        self.p.stream.write(prefix + self.line(note) + "\n")
        self.p.stream.flush()


class Progress:
    """`Progress(enabled)`: `with`-free, one `stage(label, total)` bar at a time."""

    def __init__(self, enabled: bool = False, stream=None):
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = bool(enabled)
        try:
            self.tty = self.stream.isatty()
        except (AttributeError, ValueError):
            self.tty = False

    def stage(self, label: str, total: int, unit: str = "articles") -> Bar:
        return Bar(self, label, total, unit)


def summary_markdown(result: dict, tables: dict[str, int], new_inputs: list[str], processed: dict,
                     cached: dict, limit: int = 50) -> str:
    """A run's summary for people watching (the Prefect UI shows it as the run's artifact)."""
    version = result.get("version")
    head = (f"# crosswire release v{version}\n\nPublished `{result['release']}` "
            f"({result.get('bump')} bump from {'v' + result['previous'] if result.get('previous') else 'nothing'})."
            if result.get("release") else
            f"# crosswire: no new release\n\nNothing changed; v{result.get('previous')} is up to date.")
    out = [head, "", "## Tables", "", "| table | rows | added | removed | changed |", "|---|---:|---:|---:|---:|"]
    changes = result.get("changes") or {}
    for name in sorted(tables):
        c = changes.get(name, {})
        out.append(f"| {name} | {tables[name]} | {c.get('added', 0)} | {c.get('removed', 0)} | {c.get('changed', 0)} |")
    a = changes.get("articles", {})
    out += ["", "## Articles", "",
            f"- new: {a.get('added', 0)}, changed: {a.get('changed', 0)}, removed: {a.get('removed', 0)}",
            "- processed this run: " + ", ".join(f"{k} {v} (cached {cached.get(k, 0)})" for k, v in processed.items())]
    if new_inputs:
        out += ["", f"New or changed input files ({len(new_inputs)}):", ""]
        out += [f"- `{p}`" for p in new_inputs[:limit]]
        if len(new_inputs) > limit:
            out.append(f"- … and {len(new_inputs) - limit} more")
    rejected = result.get("rejected") or []
    out += ["", f"## Rejected files ({len(rejected)})", ""]
    if rejected:
        out += ["| file | reason |", "|---|---|"]
        for r in rejected[:limit]:
            reason = str(r["reason"]).replace("|", "\\|").replace("\n", " ")
            out.append(f"| `{r['path']}` | {reason} |")
        if len(rejected) > limit:
            out.append(f"| … | and {len(rejected) - limit} more (see manifest.json) |")
    else:
        out.append("None.")
    return "\n".join(out) + "\n"
