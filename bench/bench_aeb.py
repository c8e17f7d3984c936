"""Main-text extraction on the ScrapingHub article-extraction-benchmark: crosswire against
trafilatura alone, in the same run.

The benchmark (github.com/scrapinghub/article-extraction-benchmark, MIT) is 181 real news
pages with a hand-made `articleBody` each, scored by its own `evaluate.py`: 4-gram shingle
precision and recall per page, averaged over pages. Pages are read from a clone and never
copied into this repository.

    git clone --bare https://github.com/scrapinghub/article-extraction-benchmark /tmp/aeb.git
    .venv/bin/python bench/bench_aeb.py /tmp/aeb.git [--worst 10] [--page KEY]

crosswire's figure is `articles.text` as the article stage builds it (ingest, HTML
extraction, cleaning, metadata; the statement stages do not touch the text), for pages in a
raw root laid out one source per host, as `crosswire run` would see them. A page the stage
rejects counts as empty. trafilatura's is `trafilatura.extract(html)` with its defaults.
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from crosswire import ingest, metadata, sources  # noqa: E402


def git_show(git_dir: Path, path: str) -> bytes:
    return subprocess.run(["git", "--git-dir", str(git_dir), "show", f"HEAD:{path}"],
                          check=True, capture_output=True).stdout


def host_slug(url: str) -> str:
    host = re.sub(r"^https?://(www\.)?", "", url).split("/")[0]
    return re.sub(r"[^a-z0-9]+", "-", host.lower()).strip("-")[:40] or "site"


def load_benchmark(git_dir: Path, work: Path):
    """Ground truth, the benchmark's evaluate module and {key: html bytes}."""
    (work / "aeb_evaluate.py").write_bytes(git_show(git_dir, "evaluate.py"))
    spec = importlib.util.spec_from_file_location("aeb_evaluate", work / "aeb_evaluate.py")
    evaluate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(evaluate)
    truth = json.loads(git_show(git_dir, "ground-truth.json"))
    pages = {key: gzip.decompress(git_show(git_dir, f"html/{key}.html.gz")) for key in truth}
    return truth, evaluate, pages


def write_raw_root(truth: dict, pages: dict, root: Path) -> dict[str, str]:
    """One source folder per host, one .html per page; returns raw_path -> benchmark key."""
    paths = {}
    for key, item in truth.items():
        src = host_slug(item["url"])
        folder = root / src
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "source.toml").write_text(f'name = "{src}"\nhomepage = "https://{src}.example/"\n'
                                            'country = "US"\nlanguage = "en"\nkind = "other"\n')
        (folder / f"{key[:16]}.html").write_bytes(pages[key])
        (folder / f"{key[:16]}.meta.json").write_text(json.dumps({"url": item["url"]}))
        paths[f"{src}/{key[:16]}.html"] = key
    return paths


def crosswire_bodies(root: Path, paths: dict[str, str]) -> dict[str, dict]:
    found, _ = sources.load_sources(root)
    by_id = {s.source_id: s for s in found}
    raws, _ = ingest.ingest(root, found)
    out = {key: {"articleBody": ""} for key in paths.values()}
    for raw in raws:
        try:
            out[paths[raw.raw_path]] = {"articleBody": metadata.build_article(raw, by_id[raw.source_id])["text"]}
        except ingest.Rejected:
            pass
    return out


def trafilatura_bodies(pages: dict) -> dict[str, dict]:
    import trafilatura

    return {key: {"articleBody": trafilatura.extract(html.decode("utf-8", "replace")) or ""}
            for key, html in pages.items()}


def fit_fallback(git_dir: Path) -> int:
    import trafilatura

    from crosswire.clean import words

    with tempfile.TemporaryDirectory(prefix="bench-aeb-") as tmp:
        truth, evaluate, pages = load_benchmark(git_dir, Path(tmp))

    def f1(true, pred):
        tp, fp, fn = evaluate.string_shingle_matching(true=true, pred=pred)
        return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0

    rows = []
    for key, html in pages.items():
        page = html.decode("utf-8", "replace")
        default = trafilatura.extract(page, include_tables=True) or ""
        precise = trafilatura.extract(page, include_tables=True, favor_precision=True) or ""
        t = truth[key]["articleBody"]
        rows.append((words(precise) / max(1, words(default)), f1(t, precise), f1(t, default), key[:16]))
    print("share   F1 precise  F1 default  page   (lowest shares first)")
    for share, fp_, fd, key in sorted(rows)[:15]:
        print(f"{share:.2f}    {fp_:.3f}       {fd:.3f}       {key}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("git_dir", type=Path, help="a clone (bare or not) of scrapinghub/article-extraction-benchmark")
    ap.add_argument("--worst", type=int, default=0, help="list the N pages where crosswire's F1 is lowest")
    ap.add_argument("--page", help="print crosswire's text and the truth for one page (key prefix)")
    ap.add_argument("--fit-fallback", action="store_true",
                    help="per page: words of trafilatura's precise extraction over its default one, and the F1 "
                         "of each (fits crosswire/data/extraction.toml precise_min_share)")
    args = ap.parse_args()
    if args.fit_fallback:
        return fit_fallback(args.git_dir)
    with tempfile.TemporaryDirectory(prefix="bench-aeb-") as tmp:
        work = Path(tmp)
        truth, evaluate, pages = load_benchmark(args.git_dir, work)
        paths = write_raw_root(truth, pages, work / "raw")
        t0 = time.perf_counter()
        ours = crosswire_bodies(work / "raw", paths)
        t1 = time.perf_counter()
        base = trafilatura_bodies(pages)
        t2 = time.perf_counter()
    m_ours = evaluate.evaluate(truth, ours, 200)
    m_base = evaluate.evaluate(truth, base, 200)
    if args.worst:
        def f1(tp, fp, fn):
            return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
        rows = sorted(zip(truth, m_ours["tp_fp_fns"], m_base["tp_fp_fns"]), key=lambda r: (f1(*r[1]), f1(*r[2])))
        print("key               crosswire  trafilatura  (P/R of crosswire)")
        for key, o, b in rows[: args.worst]:
            p = o[0] / (o[0] + o[1]) if o[0] + o[1] else 0
            r = o[0] / (o[0] + o[2]) if o[0] + o[2] else 0
            print(f"{key[:16]}  {f1(*o):.3f}      {f1(*b):.3f}        P={p:.2f} R={r:.2f}  {truth[key]['url'][:60]}")
    if args.page:
        key = next(k for k in truth if k.startswith(args.page))
        print("=== crosswire ===\n" + ours[key]["articleBody"] + "\n=== truth ===\n" + truth[key]["articleBody"])
    found = sum(1 for v in ours.values() if v["articleBody"])
    print(f"pages {len(truth)}, with text from crosswire {found}; "
          f"crosswire {t1 - t0:.0f} s, trafilatura {t2 - t1:.0f} s")
    print(f"crosswire    P={m_ours['precision']:.3f} R={m_ours['recall']:.3f} F1={m_ours['f1']:.3f}")
    print(f"trafilatura  P={m_base['precision']:.3f} R={m_base['recall']:.3f} F1={m_base['f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
