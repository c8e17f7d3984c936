"""The share of capitalised words from which a line is a Title Case headline
(crosswire/data/headlines.toml `capitalised_share`): the histogram of the share over the
titles and the body lines of cached PolNeAR articles, and the emptiest bin between its two
modes (sentence-case lines low, Title Case lines at 1.0).

    python bench/fit_headline_case.py CACHE      (CACHE: bench/fit_indirect_filter.py parse)
"""
from __future__ import annotations

import collections
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from crosswire.headlines import capitalised_share as share  # noqa: E402


def main(argv=None):
    cache = Path((argv or sys.argv[1:])[0])
    arts = json.loads((cache / "articles.json").read_text(encoding="utf-8"))["articles"]
    for name, lines in (("titles", [a["title"] or "" for a in arts]),
                        ("body lines", [ln for a in arts for ln in (a["text"] or "").split("\n")])):
        bins = collections.Counter(round(s, 1) for s in map(share, lines) if s is not None)
        print(name, " ".join(f"{b:.1f}:{n}" for b, n in sorted(bins.items())))
        if name == "titles":
            low = max(range(0, 6), key=lambda k: bins[k / 10])      # the sentence-case mode
            lo_bin = min(range(low + 1, 10), key=lambda k: bins[k / 10])
            print(f"  emptiest bin between the modes: {lo_bin / 10:.1f}; threshold {lo_bin / 10 - 0.05:.2f}")


if __name__ == "__main__":
    main()
