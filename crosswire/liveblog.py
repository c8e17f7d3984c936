"""Live blogs: a page of timed entries, one element each. trafilatura's precise extraction
keeps the first entry and drops the rest as if they were side blocks, so the entries are
found here and extracted one by one (crosswire.metadata.extract_html)."""
from __future__ import annotations

from . import pagedata

# schema.org's type for a live blog, as JSON-LD "@type" or microdata itemtype
LIVE_BLOG = "LiveBlogPosting"


def is_live_blog(tree) -> bool:
    """Whether the page says it is a live blog (schema.org LiveBlogPosting). Only the page's
    own word counts: a run of sibling <article> elements alone is also what a list of
    related-story cards looks like."""
    if any(pagedata.has_type(obj, LIVE_BLOG) for obj in pagedata.jsonld(tree)):
        return True
    return any(t.rstrip("/").endswith("/" + LIVE_BLOG) for t in tree.xpath("//@itemtype"))


def entries(tree) -> list:
    """The entry elements of a live blog: the largest group of sibling <article> elements
    (two or more), in page order; [] when there is no such group."""
    groups: dict = {}
    for el in tree.iter("article"):
        groups.setdefault(el.getparent(), []).append(el)
    best = max(groups.values(), key=len, default=[])
    return best if len(best) >= 2 else []
