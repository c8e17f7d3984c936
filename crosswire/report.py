"""One self-contained HTML page that shows a release to people who would rather look than
read code: per event, the outlets side by side on the same utterances (first carried,
verbatim, near-verbatim, part of a longer quotation, paraphrase, missing); an agreement
matrix between outlets; the claims only one outlet carried; speaker shares per outlet; and
what changed since the previous release (crosswire.diff).

    from crosswire.report import build_report
    html = build_report("datasets/v2.0.0", "datasets/v1.1.0")   # previous: None for none

The page loads nothing at view time: its CSS is inline, its charts are SVG written here,
it has no script. Every text from the data is escaped. The release is read only through
the light loader (crosswire.load, pyarrow), so this module imports nothing of the pipeline.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from html import escape
from pathlib import Path

from .diff import diff_releases, format_diff
from .load import Release

# What the page shows at most (a page to look at, not the data: the tables have the rest).
UTTERANCES_PER_EVENT = 40
SINGLE_OUTLET_CLAIMS = 200
# Speaker shares: the most quoted speakers over all outlets get a colour each (one colour
# one speaker, so bars compare); the rest are one grey "other" segment.

# How an outlet carried an utterance, closest first: the agreements table's relations
# (schemas/agreements.py), then the cases the table has no row for.
CARRIED = {
    "first": "first carried",
    "verbatim": "verbatim",
    "near_verbatim": "near-verbatim",
    "containment": "part of a longer quotation",
    "paraphrase": "paraphrase",
    "carried": "carried (no pair recorded)",
    "missing": "missing",
}
CLOSENESS = ["verbatim", "near_verbatim", "containment", "paraphrase"]

PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1"]
OTHER_COLOUR = "#bab0ac"

CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2em auto;max-width:1200px;
padding:0 1em;color:#222}
h1{font-size:1.6em}h2{border-bottom:2px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0 1em;width:100%}
th,td{border:1px solid #ddd;padding:.35em .5em;vertical-align:top;text-align:left}
th{background:#f4f4f4}td.num{text-align:right}
.tag{display:inline-block;font-size:.75em;padding:0 .4em;border-radius:3px;margin-bottom:.2em;color:#fff}
.tag.first{background:#2b6cb0}.tag.verbatim{background:#2f855a}.tag.near_verbatim{background:#68a060}
.tag.containment{background:#8a7a00}.tag.paraphrase{background:#c05621}.tag.carried{background:#777}
.tag.missing{background:#ddd;color:#555}
td.first{background:#ebf4ff}td.verbatim{background:#e6f4ea}td.near_verbatim{background:#eef6e8}
td.containment{background:#f7f4dc}td.paraphrase{background:#fdeee3}td.missing{background:#fafafa;color:#999}
mark{background:#fff3a8}
.speaker{color:#555;font-size:.85em}.meta{color:#666}
pre{background:#f7f7f7;padding:1em;overflow-x:auto;white-space:pre-wrap}
svg text{font:12px system-ui,sans-serif}
"""


# ---- the page -----------------------------------------------------------------------------

def build_report(release_path: str | Path, previous_path: str | Path | None = None) -> str:
    """The HTML page of the release at `release_path`, with its diff against the release
    at `previous_path` (None: the page says there is nothing to compare with)."""
    rel = Release(release_path)
    data = release_data(rel)
    sections = [
        ("events", "Outlets side by side, per event", events_section(data)),
        ("agreement", "Agreement between outlets", agreement_section(data)),
        ("single-outlet", "Claims only one outlet carried", single_outlet_section(data)),
        ("speakers", "Speaker shares per outlet", speakers_section(data)),
        ("diff", "Changes since the previous release", diff_section(rel, previous_path)),
    ]
    title = f"crosswire release v{rel.version}"
    body = [f"<h1>{escape(title)}</h1>", summary(rel)]
    body.append("<nav><ul>" + "".join(f'<li><a href="#{i}">{escape(h)}</a></li>' for i, h, _ in sections)
                + "</ul></nav>")
    body += [f'<section id="{i}"><h2>{escape(h)}</h2>{content}</section>' for i, h, content in sections]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{escape(title)}</title><style>{CSS}</style></head>\n<body>\n"
            + "\n".join(body) + "\n</body></html>\n")


def previous_release(release_path: str | Path) -> Path | None:
    """The release the manifest names as the previous one, when it is beside this one."""
    rel = Release(release_path)
    prev = rel.manifest.get("previous")
    folder = rel.path.parent / f"v{prev}"
    return folder if prev and (folder / "manifest.json").is_file() else None


def summary(rel: Release) -> str:
    m = rel.manifest
    rows = ", ".join(f"{escape(n)} {int(e.get('rows', 0))}" for n, e in m["tables"].items())
    created = f" made {escape(str(m['created']))}" if m.get("created") else ""
    return f'<p class="meta">Release v{escape(str(rel.version))}{created}. Rows per table: {rows}.</p>'


# ---- the data the page needs, as plain rows -------------------------------------------------

def release_data(rel: Release) -> dict:
    """The release's rows the sections use (lists of dicts), and who said what where."""
    def rows(name):
        return rel.arrow(name).to_pylist() if name in rel.manifest["tables"] else None

    sources = rows("sources") or []
    articles = rows("articles") or []
    statements = rows("statements") or []
    outlet_name = {s["source_id"]: s.get("name") or s["source_id"] for s in sources}
    article_source = {a["article_id"]: a.get("source_id") for a in articles}
    for s in statements:  # releases before 1.1 had no statements.source_id
        if s.get("source_id") is None:
            s["source_id"] = article_source.get(s["article_id"])
    agreements = rows("agreements")
    by_id = {s["statement_id"]: s["source_id"] for s in statements}
    for a in agreements or []:  # releases before 1.1 had no agreements.source_a/_b nor utterance_id
        for side in ("a", "b"):
            if a.get(f"source_{side}") is None:
                a[f"source_{side}"] = by_id.get(a[f"statement_{side}"])
    return {
        "outlet_name": outlet_name,
        "articles": articles,
        "statements": {s["statement_id"]: s for s in statements},
        "events": rows("events"),
        "utterances": rows("utterances"),
        "agreements": agreements,
    }


def outlets_of(utterance: dict, statements: dict) -> dict[str, list[dict]]:
    """An utterance's statements per outlet (source_id)."""
    out = defaultdict(list)
    for sid in utterance.get("statement_ids") or []:
        s = statements.get(sid)
        if s is not None:
            out[s["source_id"]].append(s)
    return dict(out)


def how_carried(utterance: dict, source_id: str, carried: dict[str, list[dict]],
                pairs: dict[str, list[dict]]) -> str:
    """How an outlet carried an utterance (a CARRIED key): `first` for the outlet of its
    first statement; otherwise the relation of the outlet's statement to the first one,
    or failing that the closest relation it has to any other outlet's statement of it."""
    mine = {s["statement_id"] for s in carried.get(source_id, [])}
    if not mine:
        return "missing"
    first = utterance.get("first_statement_id")
    if first in mine or utterance.get("first_source_id") == source_id:
        return "first"
    found = [a["relation"] for a in pairs.get(utterance["utterance_id"], [])
             if (a["statement_a"] in mine) != (a["statement_b"] in mine)]
    to_first = [a["relation"] for a in pairs.get(utterance["utterance_id"], [])
                if {a["statement_a"], a["statement_b"]} & mine and first in (a["statement_a"], a["statement_b"])]
    for candidates in (to_first, found):
        ranked = [r for r in CLOSENESS if r in candidates]
        if ranked:
            return ranked[0]
    return "carried"


def _pairs_by_utterance(agreements: list[dict] | None) -> dict[str, list[dict]]:
    out = defaultdict(list)
    for a in agreements or []:
        out[a.get("utterance_id")].append(a)
    return out


# ---- sections -------------------------------------------------------------------------------

def _no_table(*names: str) -> str:
    return f'<p class="meta">This release has no {" or ".join(escape(n) for n in names)} table.</p>'


def events_section(data: dict) -> str:
    utterances = data["utterances"]
    if utterances is None:
        return _no_table("utterances")
    names = data["outlet_name"]
    pairs = _pairs_by_utterance(data["agreements"])
    covered = defaultdict(set)  # event -> the outlets with an article in it
    for a in data["articles"]:
        if a.get("event_id"):
            covered[a["event_id"]].add(a["source_id"])
    by_event = defaultdict(list)
    for u in utterances:
        by_event[u.get("event_id")].append(u)
    events = {e["event_id"]: e for e in data["events"] or []}
    order = sorted(by_event, key=lambda e: (str((events.get(e) or {}).get("date") or ""), str(e)))
    legend = " ".join(f'<span class="tag {k}">{escape(v)}</span>' for k, v in CARRIED.items())
    parts = [f"<p>Each row is one utterance; each column an outlet that covered the event, with its "
             f"wording and how it relates to the first outlet's. {legend}</p>"]
    for event_id in order:
        us = sorted(by_event[event_id], key=lambda u: (-(u.get("source_count") or 0), str(u.get("first_published")),
                                                     u["utterance_id"]))
        carried = [outlets_of(u, data["statements"]) for u in us]
        outlets = sorted(covered.get(event_id, set()) | {s for c in carried for s in c},
                         key=lambda s: str(names.get(s, s)))
        e = events.get(event_id) or {}
        label = e.get("label") or event_id or "utterances in no event"
        span = [str(d) for d in (e.get("date_start"), e.get("date_end")) if d]
        about = [str(e["date"])] if e.get("date") else [" to ".join(dict.fromkeys(span))] if span else []
        about += [f"{len(us)} utterances", f"{len(outlets)} outlets"]
        parts.append(f'<h3 id="{escape(str(event_id))}">{escape(str(label))}</h3>'
                     f'<p class="meta">{escape(" · ".join(about))}</p>')
        head = "".join(f"<th>{escape(str(names.get(s, s)))}</th>" for s in outlets)
        rows = []
        for u, c in list(zip(us, carried))[:UTTERANCES_PER_EVENT]:
            cells = []
            for s in outlets:
                how = how_carried(u, s, c, pairs)
                wording = "<br>".join(f"“{marked(st.get('text') or '', u.get('text') or '')}”"
                                      for st in c.get(s, []))
                cells.append(f'<td class="{how}"><span class="tag {how}">{escape(CARRIED[how])}</span>'
                             f'<br>{wording}</td>' if wording else f'<td class="{how}">{escape(CARRIED[how])}</td>')
            speaker = u.get("speaker_name") or "speaker unknown"
            rows.append(f'<tr><td><span class="speaker">{escape(str(speaker))}</span><br>'
                        f'{escape(u.get("text") or "")}</td>{"".join(cells)}</tr>')
        more = len(us) - UTTERANCES_PER_EVENT
        parts.append(f"<table><tr><th>utterance</th>{head}</tr>{''.join(rows)}</table>"
                     + (f'<p class="meta">{more} more utterances not shown.</p>' if more > 0 else ""))
    return "\n".join(parts)


def marked(wording: str, utterance: str, context: int = 120) -> str:
    """A statement's wording, escaped, with the utterance's words marked where they occur
    in it verbatim; a long wording is cut to `context` characters either side of them."""
    at = wording.lower().find(utterance.lower()) if utterance else -1
    if at < 0:
        return escape(wording)
    end = at + len(utterance)
    start, stop = max(0, at - context), min(len(wording), end + context)
    head = ("…" if start else "") + wording[start:at]
    tail = wording[end:stop] + ("…" if stop < len(wording) else "")
    return f"{escape(head)}<mark>{escape(wording[at:end])}</mark>{escape(tail)}"


def agreement_counts(data: dict) -> tuple[list[str], dict[tuple[str, str], Counter]]:
    """The outlets, and per ordered pair of outlets the utterances both carried, by closest
    relation (both orders hold the same Counter; the diagonal counts what each carried)."""
    cells: dict[tuple[str, str], Counter] = defaultdict(Counter)
    best: dict[tuple[str, str, str], str] = {}
    for a in data["agreements"] or []:
        x, y = sorted((a["source_a"], a["source_b"]))
        k = (x, y, a.get("utterance_id") or a["agreement_id"])
        if k not in best or CLOSENESS.index(a["relation"]) < CLOSENESS.index(best[k]):
            best[k] = a["relation"]
    for (x, y, _), relation in best.items():
        if x is None or y is None:  # a statement the release does not have: nothing to show
            continue
        cells[(x, y)][relation] += 1
        cells[(y, x)] = cells[(x, y)]
    for u in data["utterances"] or []:
        for s in outlets_of(u, data["statements"]):
            cells[(s, s)]["carried"] += 1
    outlets = sorted({x for x, _ in cells}, key=lambda s: str(data["outlet_name"].get(s, s)))
    return outlets, cells


def agreement_section(data: dict) -> str:
    if data["agreements"] is None:
        return _no_table("agreements")
    outlets, cells = agreement_counts(data)
    if not outlets:
        return '<p class="meta">No utterance carried by an outlet in this release.</p>'
    return ("<p>Each cell counts the utterances both outlets carried (hover for how closely their "
            "wordings agree); the diagonal, what each outlet carried. Darker: more shared.</p>"
            + heatmap_svg([str(data["outlet_name"].get(s, s)) for s in outlets],
                          [[cells.get((r, c), Counter()) for c in outlets] for r in outlets]))


def heatmap_svg(labels: list[str], counts: list[list[Counter]]) -> str:
    """A square heat-map: cell shade by the off-diagonal count, the count written in it, its
    breakdown by relation in a tooltip (<title>)."""
    n, size, left, top = len(labels), 56, 170, 120
    peak = max([sum(counts[i][j].values()) for i in range(n) for j in range(n) if i != j] + [1])
    width, height = left + n * size + 110, top + n * size + 10  # room for the last slanted label
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="agreement matrix">']
    for i, label in enumerate(labels):
        y = top + i * size + size / 2 + 4
        out.append(f'<text x="{left - 6}" y="{y:.0f}" text-anchor="end">{escape(_cut(label, 24))}</text>')
        x = left + i * size + size / 2
        out.append(f'<text transform="translate({x:.0f},{top - 6}) rotate(-40)">{escape(_cut(label, 18))}</text>')
    for i in range(n):
        for j in range(n):
            c = counts[i][j]
            total = sum(c.values())
            if i == j:
                fill, ink = "#eeeeee", "#333"
            else:
                share = total / peak
                fill = _shade(share)
                ink = "#fff" if share > 0.55 else "#222"
            x, y = left + j * size, top + i * size
            tip = f"{labels[i]} carried {total} utterances" if i == j else \
                f"{labels[i]} × {labels[j]}, closest wordings: " + (", ".join(
                    f"{CARRIED[k]} {c[k]}" for k in CLOSENESS if c[k]) or "nothing shared")
            out.append(f'<g><title>{escape(tip)}</title><rect x="{x}" y="{y}" width="{size - 2}" '
                       f'height="{size - 2}" fill="{fill}"/><text x="{x + size / 2 - 1:.0f}" '
                       f'y="{y + size / 2 + 4:.0f}" text-anchor="middle" fill="{ink}">{total}</text></g>')
    out.append("</svg>")
    return "".join(out)


def _shade(share: float) -> str:
    """White to dark blue."""
    low, high = (247, 251, 255), (8, 48, 107)
    r, g, b = (round(lo + (hi - lo) * share) for lo, hi in zip(low, high))
    return f"#{r:02x}{g:02x}{b:02x}"


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def single_outlet_section(data: dict) -> str:
    utterances = data["utterances"]
    if utterances is None:
        return _no_table("utterances")
    names = data["outlet_name"]
    alone = []
    for u in utterances:
        carried = outlets_of(u, data["statements"])
        if len(carried) == 1:
            alone.append((str(names.get(next(iter(carried)), next(iter(carried)))), u))
    if not alone:
        return '<p class="meta">Every utterance in this release was carried by more than one outlet.</p>'
    alone.sort(key=lambda x: (x[0], str(x[1].get("speaker_name") or ""), x[1]["utterance_id"]))
    rows = "".join(f"<tr><td>{escape(o)}</td><td>{escape(str(u.get('speaker_name') or 'speaker unknown'))}"
                   f"</td><td>{escape(u.get('text') or '')}</td></tr>" for o, u in alone[:SINGLE_OUTLET_CLAIMS])
    more = len(alone) - SINGLE_OUTLET_CLAIMS
    return (f"<p>{len(alone)} utterances were carried by one outlet only.</p>"
            f"<table><tr><th>outlet</th><th>speaker</th><th>utterance</th></tr>{rows}</table>"
            + (f'<p class="meta">{more} more not shown.</p>' if more > 0 else ""))


def speaker_shares(data: dict) -> dict[str, Counter]:
    """Per outlet name, its statements per speaker ('unattributed' where none is named)."""
    out: dict[str, Counter] = defaultdict(Counter)
    for s in data["statements"].values():
        outlet = str(data["outlet_name"].get(s["source_id"], s["source_id"]))
        out[outlet][s.get("speaker_name") or "unattributed"] += 1
    return dict(sorted(out.items()))


def speakers_section(data: dict) -> str:
    shares = speaker_shares(data)
    if not shares:
        return '<p class="meta">No statements in this release.</p>'
    return ("<p>Each bar is one outlet's statements, split by who made them (hover for counts); "
            f"speakers beyond the {len(PALETTE)} most quoted over all outlets are one grey segment.</p>"
            + stacked_bars_svg(shares))


def stacked_bars_svg(shares: dict[str, Counter]) -> str:
    """One 100% bar per outlet, a segment per speaker, a legend of the speakers shown."""
    overall = sum(shares.values(), Counter())
    shown = [name for name, _ in sorted(overall.items(), key=lambda kv: (-kv[1], kv[0]))[:len(PALETTE)]]
    bars, other = {}, False
    for outlet, c in shares.items():
        rest = sum(v for k, v in c.items() if k not in shown)
        bars[outlet] = [(name, c[name]) for name in shown if c[name]] + ([("other", rest)] if rest else [])
        other = other or rest > 0
    colour = dict(zip(shown, PALETTE))
    colour["other"] = OTHER_COLOUR
    left, bar_w, bar_h, gap, top = 170, 760, 24, 10, 10
    legend = shown + (["other"] if other else [])
    legend_rows = (len(legend) + 3) // 4
    height = top + len(bars) * (bar_h + gap) + legend_rows * 20 + 20
    width = left + bar_w + 60
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="speaker shares per outlet">']
    for i, (outlet, segments) in enumerate(bars.items()):
        y = top + i * (bar_h + gap)
        total = sum(v for _, v in segments)
        out.append(f'<text x="{left - 6}" y="{y + bar_h / 2 + 4:.0f}" text-anchor="end">'
                   f'{escape(_cut(outlet, 24))}</text>')
        x = float(left)
        for name, v in segments:
            w = bar_w * v / total
            out.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour[name]}">'
                       f'<title>{escape(f"{outlet}: {name} {v} of {total} ({v / total:.0%})")}</title></rect>')
            if w >= 36:  # room for the share written in the segment
                out.append(f'<text x="{x + w / 2:.1f}" y="{y + bar_h / 2 + 4:.0f}" text-anchor="middle" '
                           f'fill="#fff">{v / total:.0%}</text>')
            x += w
        out.append(f'<text x="{left + bar_w + 6}" y="{y + bar_h / 2 + 4:.0f}">{total}</text>')
    y0 = top + len(bars) * (bar_h + gap) + 10
    for i, name in enumerate(legend):
        x, y = left + (i % 4) * 190, y0 + (i // 4) * 20
        out.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour[name]}"/>'
                   f'<text x="{x + 16}" y="{y + 10}">{escape(_cut(name, 26))}</text>')
    out.append("</svg>")
    return "".join(out)


def diff_section(rel: Release, previous_path: str | Path | None) -> str:
    if previous_path is None:
        return '<p class="meta">No previous release to compare with.</p>'
    text = format_diff(diff_releases(previous_path, rel))
    return f"<pre>{escape(text)}</pre>" if text else '<p class="meta">No difference.</p>'
