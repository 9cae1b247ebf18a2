"""Alphabetical order the way a reader of the page's language expects it, accents ignored.

No collation library is installed (PyICU would be one), so the key is built here: case and
accents do not count ("Haití" sits between "Guyana" and "Honduras"), and in Spanish "ñ" is a
letter of its own after "n", as the Real Academia orders it.
"""

from __future__ import annotations

import unicodedata


def sort_key(text: str, lang: str) -> tuple[str, str]:
    """A key that orders `text` alphabetically for `lang`; the text itself breaks ties."""
    folded = text.casefold()
    if lang == "es":
        folded = folded.replace("n\u0303", "ñ").replace("ñ", "n\uffff")
    decomposed = unicodedata.normalize("NFKD", folded)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base, text


def initial(text: str, lang: str) -> str:
    """The letter `text` is filed under in an index (A, B, ..., Ñ in Spanish)."""
    first = unicodedata.normalize("NFC", text.strip()[:1]).upper()
    if lang == "es" and first == "Ñ":
        return first
    decomposed = unicodedata.normalize("NFKD", first)
    return "".join(c for c in decomposed if not unicodedata.combining(c)) or first
