"""How a query's data is cited: its vintage, a permanent link that gives the same numbers
later, the source institutions, and one line to paste into a report.

The vintage is the newest publication of the query's dataflow visible at the query's instant
(`freshness.latest_publication`): the public answer changes only when a publication becomes
visible, so the query asked "as of" that instant (`asOf`) gives these numbers for good, also
after later revisions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

import pyarrow as pa
import pyarrow.compute as pc
from django.urls import reverse
from django.utils.translation import gettext as _

from primi.demo import synthetic_submissions
from primi.portal.code_names import code_name, dataflow_name
from primi.portal.data_links import query_string
from primi.portal.explorer_query import DataRequest
from primi.portal.formatting import date
from primi.standard.frame import DIMENSIONS
from primi.store.freshness import latest_publication

PUBLISHER = "PRIMI"
DATA_LICENCE = "Creative Commons Attribution 4.0 International (CC BY 4.0)"


@dataclass(frozen=True)
class Citation:
    """What a download or an explorer view says about where its numbers come from."""

    title: str
    dataflow: str
    query: str
    vintage: dt.datetime | None
    permanent_link: str
    institutions: tuple[str, ...]
    synthetic: bool
    text: str

    @property
    def vintage_text(self) -> str:
        return instant_text(self.vintage) if self.vintage else ""


def instant_text(value: dt.datetime) -> str:
    """An instant as `asOf` reads it back: UTC, to the microsecond, with a Z."""
    utc = value.astimezone(dt.UTC)
    return utc.isoformat(timespec="microseconds").replace("+00:00", "Z")


def vintage(request: DataRequest) -> dt.datetime | None:
    """The newest publication of the query's dataflow visible at the query's instant."""
    return latest_publication([request.dataflow.id], as_of=request.as_of)


def explorer_path(request: DataRequest, as_of: dt.datetime | None = None,
                  layout: dict[str, str] | None = None) -> str:  # fmt: skip
    """The explorer's URL of the query (path and GET parameters), as of `as_of` when given."""
    query = query_string(request.dataflow.id, request.key, request.start, request.end)
    extra = dict(layout or {})
    if as_of is not None:
        extra["asOf"] = instant_text(as_of)
    return reverse("portal:explorer") + "?" + query + ("&" + urlencode(extra) if extra else "")


def title(request: DataRequest, lang: str) -> str:
    """The dataflow's name and the codes the query fixes ("Returns: Guatemala, Women")."""
    fixed = [
        code_name(dimension, codes[0], lang)
        for dimension, codes in zip(DIMENSIONS, request.pattern.positions, strict=True)
        if len(codes) == 1 and dimension != "FREQ"
    ]
    name = dataflow_name(request.dataflow, lang)
    return f"{name}: {', '.join(fixed)}" if fixed else name


def query_text(request: DataRequest) -> str:
    """The query as the SDMX service reads it: dataflow, key, periods."""
    parts = [f"{request.dataflow.id}/{request.key or 'all'}"]
    if request.start:
        parts.append(f"startPeriod={request.start}")
    if request.end:
        parts.append(f"endPeriod={request.end}")
    return " ".join(parts)


def cite(request: DataRequest, rows: pa.Table, lang: str, base_url: str) -> Citation:
    """The citation of `rows`, the query's published observations; `base_url` is the site's
    scheme and host ("https://primi.example"), so the link works outside the site."""
    published = vintage(request)
    link = base_url + explorer_path(request, as_of=published)
    institutions = _institutions(rows, lang)
    heading = title(request, lang)
    when = date(published, lang, "long") if published else _("no publication yet")
    text = _(
        "%(publisher)s, %(title)s (%(query)s), version published on %(when)s (%(vintage)s)."
        " Source: %(sources)s. Permanent link: %(link)s"
    ) % {
        "publisher": PUBLISHER,
        "title": heading,
        "query": query_text(request),
        "when": when,
        "vintage": instant_text(published) if published else "-",
        "sources": ", ".join(institutions) or PUBLISHER,
        "link": link,
    }
    return Citation(
        title=heading,
        dataflow=dataflow_name(request.dataflow, lang),
        query=query_text(request),
        vintage=published,
        permanent_link=link,
        institutions=institutions,
        synthetic=bool(rows.num_rows)
        and synthetic_submissions(pc.unique(rows.column("SUBMISSION")).to_pylist()).exists(),
        text=text,
    )


def _institutions(rows: pa.Table, lang: str) -> tuple[str, ...]:
    """The source institutions named by the rows (SOURCE_INST, else the provider)."""
    if not rows.num_rows:
        return ()
    sources = pc.coalesce(rows.column("SOURCE_INST"), rows.column("PROVIDER"))
    names = sorted({code_name("SOURCE_INST", s, lang) for s in pc.unique(sources).to_pylist()})
    return tuple(n for n in names if n)


def metadata_rows(
    citation: Citation, request: DataRequest, sdmx_link: str
) -> list[tuple[str, str]]:
    """(field, value) lines of the xlsx METADATA sheet, in the page's language."""
    rows = [
        (_("Title"), citation.title),
        (_("Dataflow"), f"{citation.dataflow} ({request.dataflow.id})"),
        (_("Query"), citation.query),
        (_("SDMX query"), sdmx_link),
        (_("Source institutions"), ", ".join(citation.institutions)),
        (_("Vintage (latest publication included)"), citation.vintage_text),
        (_("Citation"), citation.text),
        (_("Permanent link"), citation.permanent_link),
        (_("Licence"), DATA_LICENCE),
        (_("Withheld cells"), _("Cells withheld for disclosure control (C, D) have no value.")),
    ]  # fmt: skip
    if citation.synthetic:
        rows.append((_("Note"), synthetic_note()))
    return rows


def synthetic_note() -> str:
    return _(
        "Synthetic demonstration data: these figures are made up and are not official statistics."
    )
