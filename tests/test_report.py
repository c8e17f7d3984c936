"""`crosswire report`: one self-contained HTML page per release, on two releases the flow
makes from a small corpus of our own (tests/corpora/ferry: one strike, three outlets); and
the page in a real headless Chromium (Debian's package) when it is installed."""
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from crosswire import cli, load, report

FERRY = Path(__file__).parent / "corpora" / "ferry"
CHROMIUM = Path("/usr/bin/chromium")
SECTIONS = ["events", "agreement", "single-outlet", "speakers", "diff"]


@pytest.fixture(scope="module")
def releases(prefect_harness, tmp_path_factory):
    """v1.0.0 of the ferry corpus, then a release with a sentence added to the Ledger's article."""
    raw = tmp_path_factory.mktemp("report-raw") / "raw"
    shutil.copytree(FERRY, raw)
    datasets = raw.parent / "datasets"
    assert cli.main(["run", "--raw", str(raw), "--datasets", str(datasets)]) == 0
    ledger = raw / "ledger" / "strait-ferries-idle.txt"
    ledger.write_text(ledger.read_text(encoding="utf-8").rstrip("\n")
                      + "\n\n\"Nobody on the islands should have to wait a week for bread,\" Anna Berg said.\n",
                      encoding="utf-8")
    assert cli.main(["run", "--raw", str(raw), "--datasets", str(datasets)]) == 0
    old, new = load.published(datasets)
    return old, new


@pytest.fixture(scope="module")
def page(releases):
    old, new = releases
    return report.build_report(new, old)


class Page(HTMLParser):
    """The tags of a page with their attributes, the text of each table row, and the
    ids of its sections."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.rows, self.sections, self._row = [], [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "section":
            self.sections.append(attrs.get("id"))
        if tag == "tr":
            self._row = []

    def handle_endtag(self, tag):
        if tag == "tr" and self._row is not None:
            self.rows.append(" ".join(self._row))
            self._row = None

    def handle_data(self, data):
        if self._row is not None and data.strip():
            self._row.append(data.strip())


def parsed(html: str) -> Page:
    p = Page()
    p.feed(html)
    p.close()
    return p


def test_the_page_parses_and_has_every_section(page):
    p = parsed(page)
    assert p.sections == SECTIONS
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    for outlet in ("Strait Wire", "The Ledger", "Halden Courier"):
        assert outlet in page


def test_outlets_side_by_side_on_the_same_utterance(page, releases):
    # the union's harbour line: the wire first; the Ledger's "ferries" wording tagged as the
    # agreements table relates it to the wire's; the Courier covered the strike without it
    row = next(r for r in parsed(page).rows if r.startswith("Mara Quill We will keep the boats in harbour"))
    rel = load.Release(releases[1])
    uid = next(u["utterance_id"] for u in rel.arrow("utterances").to_pylist() if u["text"].startswith("We will keep"))
    relation = next(a["relation"] for a in rel.arrow("agreements").to_pylist() if a["utterance_id"] == uid)
    cells = re.split(r"(?=first carried|missing|%s)" % re.escape(report.CARRIED[relation]), row)
    assert [c.split(" ")[0] for c in cells[1:]] == ["missing", "first", report.CARRIED[relation].split(" ")[0]]
    assert "keep the ferries in harbour" in cells[3] and "keep the boats in harbour" in cells[2]


def test_the_claims_only_one_outlet_carried(page, releases):
    section = page.split('<section id="single-outlet">')[1].split("</section>")[0]
    # the line added to the Ledger's article: no other outlet carried it
    assert "Nobody on the islands should have to wait a week for bread" in section
    alone = [u for u in load.Release(releases[1]).arrow("utterances").to_pylist() if u["source_count"] == 1]
    assert f"{len(alone)} utterances were carried by one outlet only" in section


def test_the_diff_section_is_crosswire_diff_s(page, releases):
    old, new = releases
    section = page.split('<section id="diff">')[1].split("</section>")[0]
    assert f"Changes from {old.name} to {new.name}" in section
    assert "| statements |" in section


def test_every_svg_is_well_formed_xml(page):
    svgs = re.findall(r"<svg\b.*?</svg>", page, flags=re.S)
    assert len(svgs) == 2  # the agreement heat-map and the speaker bars
    for svg in svgs:
        root = ET.fromstring(svg)
        assert root.tag.endswith("svg") and len(root) > 0


def test_nothing_is_loaded_from_the_network(page):
    tags = parsed(page).tags
    assert not [t for t, _ in tags if t in ("script", "link", "img", "iframe", "object", "embed")]
    loaded = [(t, a) for t, a in tags for k, v in a.items() if k in ("src", "href", "srcset", "data")
              and v and not v.startswith("#")]
    assert loaded == []
    assert not re.search(r"url\(|@import", page)


def test_text_from_the_data_is_escaped():
    data = {"outlet_name": {"s1": "The <b>Bold</b> Post"},
            "statements": {"st_1": {"statement_id": "st_1", "source_id": "s1", "speaker_name": "A & B"}},
            "utterances": [{"utterance_id": "utt_1", "statement_ids": ["st_1"], "speaker_name": "A & B",
                            "text": "<script>alert(1)</script>"}]}
    html = report.single_outlet_section(data) + report.speakers_section(data)
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "The &lt;b&gt;Bold&lt;/b&gt; Post" in html
    for svg in re.findall(r"<svg\b.*?</svg>", html, flags=re.S):
        ET.fromstring(svg)


def test_the_command_writes_the_page_outside_the_release(releases, tmp_path, monkeypatch, capsys):
    old, new = releases
    before = sorted(p.relative_to(new) for p in new.rglob("*"))
    monkeypatch.chdir(tmp_path)
    assert cli.main(["report", "--datasets", str(new.parent)]) == 0
    written = tmp_path / f"report-{new.name}.html"
    assert written.is_file() and f"wrote report-{new.name}.html" in capsys.readouterr().out
    # the newest release, compared with the one its manifest names as previous
    assert f"Changes from {old.name} to {new.name}" in written.read_text(encoding="utf-8")
    assert sorted(p.relative_to(new) for p in new.rglob("*")) == before
    out = tmp_path / "first.html"
    assert cli.main(["report", old.name, "--datasets", str(new.parent), "--out", str(out)]) == 0
    assert "No previous release to compare with" in out.read_text(encoding="utf-8")
    assert cli.main(["report", "v9.9.9", "--datasets", str(new.parent)]) == 1


def console_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium "
                                                   "(apt-get install -y chromium); .ci/run installs it")
def test_the_page_renders_in_headless_chromium_without_console_errors(page, tmp_path, capsys):
    common = [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--enable-logging=stderr", "--v=0", "--window-size=1280,2000"]

    def screenshot(name, text):
        html = tmp_path / f"{name}.html"
        html.write_text(text, encoding="utf-8")
        shot = tmp_path / f"{name}.png"
        run = subprocess.run(common + [f"--user-data-dir={tmp_path / name}-profile", f"--screenshot={shot}",
                                       html.as_uri()], capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, run.stderr[-2000:]
        return html, shot, run.stderr

    # this Chromium reports a page's console errors on stderr (else the check below proves nothing)
    *_, canary = screenshot("canary", "<!DOCTYPE html><p>x</p><script>console.error('canary'); nope();</script>")
    assert any("canary" in line for line in console_lines(canary)) and \
        any("Uncaught ReferenceError" in line for line in console_lines(canary))
    html, shot, stderr = screenshot("report", page)
    # the page has no script: any console message (an error, a failed load) is a fault
    assert console_lines(stderr) == []
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[16:24] == (1280).to_bytes(4, "big") + (2000).to_bytes(4, "big")
    assert len(png) > 50_000  # a blank page's 1280x2000 screenshot is about 12 KB
    with capsys.disabled():  # shown in the test output whether the test passes or fails
        print(f"\nscreenshot of the report: {shot}")
    dom = subprocess.run(common + [f"--user-data-dir={tmp_path / 'profile-dom'}", "--dump-dom", html.as_uri()],
                         capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    for section in SECTIONS:
        assert f'<section id="{section}">' in dom.stdout
    assert dom.stdout.count("<svg") == 2 and "Strait Wire" in dom.stdout
