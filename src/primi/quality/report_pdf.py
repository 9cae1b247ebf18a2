"""A country's scorecard as a PDF for regional meetings, in Spanish, English or French.

One document a delegation can print or project: the country, the date, the level-4 run the
agreement comes from, the five measures by year, their trend drawn as lines, the open level-4
findings with their first pairs of figures, and how each measure is computed. Drawn with
fpdf2's core Helvetica (no font files to ship): its Latin-1 covers Spanish and French; the few
characters outside it that babel writes (the narrow no-break space of French numbers, dashes)
are replaced by their nearest Latin-1 equivalent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace

from primi.portal.charts import CATEGORY_COLOURS
from primi.portal.code_names import area_name
from primi.portal.formatting import date
from primi.quality.dashboard import FindingItem, YearRow, open_findings, run_info, year_row
from primi.quality.scorecard_cache import kept_scorecards
from primi.quality.scorecard_text import measures, shares_of
from primi.quality.scorecards import Scorecard

FONT = "Helvetica"
INK = (33, 37, 41)
MUTED = (90, 98, 108)
RULE = (200, 205, 212)
HEADER_FILL = (232, 238, 243)
CHART_HEIGHT = 55.0
LATIN1 = str.maketrans(
    {
        "\u202f": "\u00a0",
        "\u2009": " ",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2026": "...",
    }
)


def latin1(text: str) -> str:
    """`text` as the core fonts can write it."""
    return text.translate(LATIN1).encode("latin-1", "replace").decode("latin-1")


def report_name(country: str, year: int, lang: str) -> str:
    """The file name a downloaded report gets."""
    return f"primi-quality-{country}-{year}-{lang}.pdf"


class _Report(FPDF):
    """A4 pages whose footer names the country, the date and the page."""

    def __init__(self, footer: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_text = footer
        self.set_margins(15, 15, 15)
        self.set_auto_page_break(auto=True, margin=18)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=8)
        self.set_text_color(*MUTED)
        page = _("Page %(page)s of %(pages)s") % {"page": self.page_no(), "pages": "{nb}"}
        self.cell(0, 5, latin1(f"{self.footer_text} · {page}"), align="C")

    def heading(self, text: str, size: float = 13) -> None:
        self.ln(3)
        self.set_font(FONT, "B", size)
        self.set_text_color(*INK)
        self.multi_cell(0, size * 0.5, latin1(text), align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def paragraph(self, text: str, size: float = 9.5, colour: tuple[int, int, int] = INK) -> None:
        self.set_font(FONT, size=size)
        self.set_text_color(*colour)
        self.multi_cell(0, size * 0.5, latin1(text), align="L", new_x="LMARGIN", new_y="NEXT")


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def _measures_table(pdf: _Report, rows: Sequence[YearRow]) -> None:
    labels = [m.label for m in measures()]
    pdf.set_font(FONT, size=8)
    pdf.set_text_color(*INK)
    pdf.set_draw_color(*RULE)
    first = 44
    rest = (pdf.epw - first) / max(len(rows), 1)
    with pdf.table(
        col_widths=(first, *([rest] * len(rows))),
        width=pdf.epw,
        line_height=4,
        text_align=("LEFT", *(["RIGHT"] * len(rows))),
        headings_style=FontFace(emphasis="BOLD", fill_color=HEADER_FILL),
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        header = table.row()
        header.cell(latin1(_("Measure")))
        for row in rows:
            header.cell(str(row.year))
        for i, label in enumerate(labels):
            line = table.row()
            line.cell(latin1(label))
            for row in rows:
                cell = row.cells[i]
                line.cell(latin1(cell.text + (f"\n{cell.note}" if cell.note else "")))


def _trend(pdf: _Report, card: Scorecard) -> None:
    """Each measure's share by year as a line over a 0-100 % grid, with its legend."""
    labels = [m.label for m in measures()]
    left, top = pdf.l_margin + 10, pdf.get_y() + 2
    width, height = pdf.epw - 12, CHART_HEIGHT
    if top + height + 30 > pdf.h - pdf.b_margin:
        pdf.add_page()
        top = pdf.get_y() + 2
    pdf.set_font(FONT, size=7)
    pdf.set_text_color(*MUTED)
    pdf.set_line_width(0.2)
    for tick in (0, 25, 50, 75, 100):
        y = top + height * (1 - tick / 100)
        pdf.set_draw_color(*RULE)
        pdf.line(left, y, left + width, y)
        pdf.set_xy(left - 11, y - 2)
        pdf.cell(10, 4, f"{tick} %".replace(" ", "\u00a0"), align="R")
    years = [s.year for s in card.years]
    step = width / max(len(years), 1)

    def x_of(i: int) -> float:
        return left + step * (i + 0.5)

    for i, year in enumerate(years):
        pdf.set_xy(x_of(i) - 10, top + height + 1)
        pdf.cell(20, 4, str(year), align="C")
    pdf.set_line_width(0.7)
    for m in range(len(labels)):
        colour = _rgb(CATEGORY_COLOURS[m])
        pdf.set_draw_color(*colour)
        pdf.set_fill_color(*colour)
        points = [
            (x_of(i), top + height * (1 - value.value))
            for i, score in enumerate(card.years)
            if (value := shares_of(score)[m]).value is not None
        ]
        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
            pdf.line(x1, y1, x2, y2)
        for x, y in points:
            pdf.ellipse(x - 0.9, y - 0.9, 1.8, 1.8, style="F")
    pdf.set_line_width(0.2)
    pdf.set_xy(pdf.l_margin, top + height + 7)
    x = pdf.l_margin
    for m, label in enumerate(labels):
        text = latin1(label)
        span = 6 + pdf.get_string_width(text) + 5
        if x + span > pdf.l_margin + pdf.epw:
            x = pdf.l_margin
            pdf.ln(5)
        y = pdf.get_y()
        pdf.set_fill_color(*_rgb(CATEGORY_COLOURS[m]))
        pdf.rect(x, y + 1.2, 4, 1.6, style="F")
        pdf.set_xy(x + 5, y)
        pdf.set_text_color(*INK)
        pdf.cell(span - 5, 4, text)
        x += span
    pdf.ln(7)
    pdf.set_x(pdf.l_margin)


def _findings(pdf: _Report, items: Sequence[FindingItem]) -> None:
    if not items:
        pdf.paragraph(_("No level-4 finding involving the country is open."))
        return
    for item in items:
        pdf.set_font(FONT, "B", 9.5)
        pdf.set_text_color(*INK)
        pdf.multi_cell(
            0, 5, latin1(f"#{item.id} {item.title}"), align="L", new_x="LMARGIN", new_y="NEXT"
        )
        pdf.paragraph(
            _("Rule %(rule)s · with %(partners)s") % {"rule": item.rule, "partners": item.partners},
            size=8.5,
            colour=MUTED,
        )
        for gap in item.gaps:
            pdf.paragraph(
                _(
                    "%(key_a)s %(period_a)s: %(value_a)s against %(key_b)s %(period_b)s: "
                    "%(value_b)s (relative difference %(difference)s)"
                )
                % gap.__dict__,
                size=8,
            )
        if item.more:
            pdf.paragraph(
                translation.ngettext(
                    "and %(count)s more pair", "and %(count)s more pairs", item.more
                )
                % {"count": item.more},
                size=8,
                colour=MUTED,
            )
        pdf.ln(2)


def write_report(
    country: str, years: Sequence[int], lang: str, today: dt.date | None = None
) -> bytes:
    """The PDF report of `country` over `years` (the last one is the year scored), in `lang`."""
    if not years:
        raise ValueError("a report needs at least one year")
    today = today or dt.datetime.now(dt.UTC).date()
    with translation.override(lang):
        (card,) = kept_scorecards([country], years, today)
        name = area_name(country, lang)
        rows = [year_row(s, lang) for s in card.years]
        run = run_info(card.run, lang)
        pdf = _Report(f"PRIMI · {name} · {date(today, lang)}")
        pdf.set_title(latin1(_("Quality scorecard: %(country)s") % {"country": name}))
        pdf.set_author("PRIMI")
        pdf.add_page()
        pdf.set_font(FONT, size=9)
        pdf.set_text_color(*MUTED)
        pdf.cell(0, 5, latin1(_("Quality of migration statistics · report for regional meetings")))
        pdf.ln(7)
        pdf.set_font(FONT, "B", 20)
        pdf.set_text_color(*INK)
        pdf.multi_cell(0, 9, latin1(name), align="L", new_x="LMARGIN", new_y="NEXT")
        pdf.paragraph(
            _("Years %(first)s to %(last)s · produced on %(date)s")
            % {"first": card.years[0].year, "last": card.years[-1].year, "date": date(today, lang)}
        )
        if run:
            pdf.paragraph(
                _("Agreement comes from the full level-4 run %(run)s of %(date)s.")
                % {"run": run.id, "date": run.finished},
                colour=MUTED,
            )
        else:
            pdf.paragraph(
                _("No full level-4 run has finished yet: agreement has nothing to measure."),
                colour=MUTED,
            )
        pdf.heading(_("The measures by year"))
        _measures_table(pdf, rows)
        pdf.paragraph(_("A dash: nothing to measure that year."), size=8, colour=MUTED)
        pdf.heading(_("Trend"))
        _trend(pdf, card)
        pdf.heading(_("Open findings of level 4"))
        _findings(pdf, open_findings(country, lang))
        pdf.heading(_("How each measure is computed"))
        for measure in measures():
            pdf.set_font(FONT, "B", 8.5)
            pdf.set_text_color(*INK)
            pdf.multi_cell(0, 4.5, latin1(measure.label), align="L", new_x="LMARGIN", new_y="NEXT")
            pdf.paragraph(measure.definition, size=8.5)
            pdf.ln(1)
        return bytes(pdf.output())
