"""How outlets spell the same name differently: diacritics kept or dropped."""
from __future__ import annotations

import unicodedata

# letters NFKD does not take apart: "Øyen" and "Oyen", "Łukasz" and "Lukasz" are one name
_PLAIN_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ß": "ss",
                                "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i"})


def unaccented(text: str) -> str:
    """`text` without its diacritics ("Šimková" -> "Simkova"): how an outlet that drops
    them writes a name."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.translate(_PLAIN_LETTERS))
                   if not unicodedata.combining(c))
