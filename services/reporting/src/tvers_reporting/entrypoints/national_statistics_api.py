"""The national statistics export (``/api/national-statistics/{year}`` as JSON, and ``.csv``),
for viewers and staff: per branch and in total, each figure with its note on how it was counted,
in nynorsk (the default) or English.

The CSV is for Norwegian Excel (decision 0039): UTF-8 with a byte-order mark (without it Excel
reads æøå as Latin-1), ``;`` between fields and a decimal comma, as Excel does in a Norwegian
locale, and a header row in the language asked. A text that Excel would take for a formula (a
branch's name starting with ``=``, ``+``, ``-`` or ``@``, from an event) gets a leading ``'``, so
that it stays text (OWASP's advice on CSV injection).
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, Field

from tvers_reporting.domain.national_statistics import Row, Value, national_statistics
from tvers_reporting.domain.statistics_figures import WORDING, Figure
from tvers_reporting.entrypoints.http import Infra, Reader
from tvers_reporting.read_models.statistics_queries import StatisticsSources, statistics_input
from tvers_runtime.i18n import Catalogs, Locale, _

router = APIRouter(prefix="/api/national-statistics", tags=["national statistics"])
CATALOGS = Catalogs("tvers_reporting")
Year = Annotated[int, Path(ge=2000, le=2100, description="The calendar year (Europe/Oslo).")]
Language = Annotated[Locale, Query(description="The language of labels and notes.")]
#: The CSV's columns (their headings are translated).
COLUMNS = (
    _("Year"),
    _("Branch id"),
    _("Branch"),
    _("Figure id"),
    _("Figure"),
    _("Value"),
    _("How it was counted"),
)
ALL_BRANCHES = _("All branches")


class FigureOut(BaseModel):
    branch_id: str | None = Field(description="Null on the total's rows.")
    branch_name: str | None = Field(description="Null until the branch's registration is read.")
    figure: Figure
    label: str
    value: int | float | None = Field(
        description="A count, or hours with two decimals; null where it cannot be known."
    )
    note: str = Field(description="How the figure was counted.")


class NationalStatisticsOut(BaseModel):
    year: int
    language: Locale
    rows: list[FigureOut] = Field(description="Each branch's figures, then the total's.")


class CsvResponse(Response):
    media_type = "text/csv"


async def _sources(request: Request) -> StatisticsSources:
    state = request.app.state
    return StatisticsSources(
        branches=state.branches,
        open_hours=state.open_hours,
        people_counts=state.people_counts,
        meirope_entries=state.meirope_entries,
        school_visits=state.school_visits,
        theme_days=state.theme_days,
    )


Sources = Annotated[StatisticsSources, Depends(_sources)]


async def _figures(
    infra: Infra, sources: StatisticsSources, tenant: str, year: int, lang: Locale
) -> NationalStatisticsOut:
    found = await statistics_input(infra.pool, sources, tenant=tenant, year=year)
    rows = national_statistics(year, found.branches, found.elsewhere)
    say = CATALOGS.translator(lang)

    def out(row: Row) -> FigureOut:
        name = found.names.get(row.branch_id) if row.branch_id else say(ALL_BRANCHES)
        value = float(row.value) if isinstance(row.value, Decimal) else row.value
        label = say(WORDING[row.figure].label)
        return FigureOut(
            branch_id=row.branch_id,
            branch_name=name,
            figure=row.figure,
            label=label,
            value=value,
            note=say(row.note),
        )

    return NationalStatisticsOut(year=year, language=lang, rows=[out(r) for r in rows])


#: What makes a spreadsheet read a cell as a formula (tab and carriage return too, as a cell
#: may be pasted on from them).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text(text: str) -> str:
    """A text cell that a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _cell(value: Value | float) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}".replace(".", ",")
    return str(value)


@router.get(
    "/{year}.csv",
    response_class=CsvResponse,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
async def national_statistics_csv(
    who: Reader, infra: Infra, sources: Sources, year: Year, lang: Language = Locale.NN
) -> CsvResponse:
    """The year's figures as CSV for Norwegian Excel: one row per branch and figure, then one
    per figure for all branches, each with its note."""
    figures = await _figures(infra, sources, who.tenant, year, lang)
    say = CATALOGS.translator(lang)
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", lineterminator="\r\n")
    writer.writerow([say(c) for c in COLUMNS])
    for row in figures.rows:
        writer.writerow(
            [
                year,
                _text(row.branch_id or ""),
                _text(row.branch_name or ""),
                row.figure.value,
                _text(row.label),
                _cell(row.value),
                _text(row.note),
            ]
        )
    filename = f"national-statistics-{year}.csv"
    return CsvResponse(
        ("\ufeff" + text.getvalue()).encode(),
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        media_type="text/csv; charset=utf-8",
    )


@router.get("/{year}", response_model=NationalStatisticsOut)
async def national_statistics_json(
    who: Reader, infra: Infra, sources: Sources, year: Year, lang: Language = Locale.NN
) -> NationalStatisticsOut:
    """The year's figures the National Library asks for, per branch and in total, each with its
    note on how it was counted."""
    return await _figures(infra, sources, who.tenant, year, lang)
