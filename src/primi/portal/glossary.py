"""The glossary: every indicator's definition and every concept of the standard, alphabetically.

Entries come from the standard (indicators.yaml's glossary, concepts.yaml's names, the code
lists' names), in the page's language, ordered as a reader of that language expects with
accents ignored. Each entry's anchor is its id (#ENTRY, #COUNTING_BASIS), so other pages link
to a term; indicator and concept ids never clash (checked when the entries are built).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from primi.api.languages import in_language
from primi.portal.alphabetical import initial, sort_key
from primi.portal.code_names import code_name
from primi.standard.catalogue import AREA_CODELIST, INDICATOR_CODELIST, Standard, load_standard

INDICATOR, CONCEPT = "indicator", "concept"
# Code lists too long to list inside a glossary entry; the methodology links to them.
LONG_CODELISTS = (AREA_CODELIST, INDICATOR_CODELIST, "CL_AGE", "CL_DECIMALS")
# What each concept means; concepts.yaml names them only.
CONCEPT_DEFINITIONS = {
    "FREQ": _("How often the series has a value: monthly, quarterly or annual."),
    "REF_AREA": _("The country whose institution reports the figure."),
    "INDICATOR": _("What is counted (entries, returns, asylum applications...), as the "
                   "glossary defines each indicator."),
    "COUNTERPART_AREA": _("The other country of a figure; what it means depends on the "
                          "indicator: citizenship, birth, origin, destination or the country "
                          "that returned the persons."),
    "SEX": _("Sex of the persons counted, or the total of all."),
    "AGE": _("Age group of the persons counted, or the total of all ages."),
    "POP_GROUP": _("A group the indicator distinguishes (mode of travel, kind of permit or "
                   "return, unaccompanied children...), or the total."),
    "TIME_PERIOD": _("The month, quarter or year the figure refers to, such as 2024-01, "
                     "2024-Q1 or 2024."),
    "OBS_VALUE": _("The figure itself."),
    "UNIT_MEASURE": _("What one unit of the figure is: a person, an event, a US dollar, a "
                      "percentage."),
    "UNIT_MULT": _("The power of ten the figure is written in: units, thousands or millions."),
    "COUNTING_BASIS": _("Whether a figure counts events (one person may be counted more than "
                        "once) or distinct persons: figures of different bases do not compare."),
    "SOURCE_INST": _("The national institution the figure comes from."),
    "OBS_STATUS": _("Whether a value is normal, provisional, estimated, a break in the "
                    "series, and so on."),
    "CONF_STATUS": _("Whether a value may be published, or is withheld as confidential or "
                     "for disclosure control."),
    "COMMENT_OBS": _("A note the institution attached to one value."),
    "DECIMALS": _("How many decimals the figure is shown with."),
}  # fmt: skip


@dataclass(frozen=True)
class CodeEntry:
    code: str
    name: str


@dataclass(frozen=True)
class Term:
    """One glossary entry: its anchor, name, definition and what the standard says of it."""

    anchor: str
    kind: str
    name: str
    definition: str
    letter: str
    dataflow: str = ""
    unit: str = ""
    counting_basis: str = ""
    source: str = ""
    codelist: str = ""
    codes: tuple[CodeEntry, ...] = ()


def _indicator_terms(std: Standard, lang: str) -> list[Term]:
    terms = []
    for indicator in std.indicators:
        name = in_language(indicator.names, lang)
        terms.append(
            Term(
                anchor=indicator.id,
                kind=INDICATOR,
                name=name,
                definition=in_language(indicator.glossary, lang),
                letter=initial(name, lang),
                dataflow=in_language(std.dataflow(indicator.dataflow).names, lang),
                unit=code_name("UNIT_MEASURE", indicator.unit, lang, std),
                counting_basis=code_name("COUNTING_BASIS", indicator.counting_basis, lang, std),
                source=indicator.source,
            )
        )
    return terms


def _concept_terms(std: Standard, lang: str) -> list[Term]:
    terms = []
    for concept in std.concepts:
        name = in_language(concept.names, lang)
        codes: tuple[CodeEntry, ...] = ()
        definition = str(CONCEPT_DEFINITIONS.get(concept.id, ""))
        if concept.codelist and std.has_codelist(concept.codelist):
            codelist = std.codelist(concept.codelist)
            if concept.codelist not in LONG_CODELISTS:
                codes = tuple(CodeEntry(c.id, in_language(c.names, lang)) for c in codelist.codes)
        terms.append(
            Term(
                anchor=concept.id,
                kind=CONCEPT,
                name=name,
                definition=definition,
                letter=initial(name, lang),
                codelist=concept.codelist or "",
                codes=codes,
            )
        )
    return terms


def glossary_terms(lang: str, std: Standard | None = None) -> list[Term]:
    """Every indicator and concept, alphabetically in `lang` (accents ignored)."""
    std = std or load_standard()
    terms = _indicator_terms(std, lang) + _concept_terms(std, lang)
    anchors = [t.anchor for t in terms]
    if len(set(anchors)) != len(anchors):
        raise ValueError("an indicator and a concept share an id: glossary anchors would clash")
    return sorted(terms, key=lambda t: sort_key(t.name, lang))


def letters(terms: list[Term]) -> list[str]:
    """The index letters, in the order the terms come."""
    return list(dict.fromkeys(t.letter for t in terms))
