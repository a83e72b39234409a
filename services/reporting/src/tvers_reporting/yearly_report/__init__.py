"""The yearly report: the year's figures of every strand (:mod:`.figures`, which reads the read
models), assembled into sections of words, key figures and charts (:func:`assemble`, pure), for
the PDF adapter to draw."""

from __future__ import annotations

from tvers_reporting.yearly_report.figures import YearFigures
from tvers_reporting.yearly_report.meirope import meirope_section
from tvers_reporting.yearly_report.schools import schools_section
from tvers_reporting.yearly_report.shape import Report, Words
from tvers_reporting.yearly_report.volunteers import volunteers_section
from tvers_runtime.i18n import Locale


def assemble(figures: YearFigures, locale: Locale) -> Report:
    """The report of a year, in one language: a title page, then meirope, the volunteers and
    the schools."""
    words = Words(locale)
    _ = words.say
    return Report(
        language=locale.value,
        title=_("Annual report {year}").format(year=figures.year),
        library=figures.library,
        subtitle=_(
            "Working across: the library open without staff, volunteers who host it, and the "
            "schools' visits to the library"
        ),
        made=_("Made on {day} from the figures of the reporting service.").format(
            day=words.day(figures.made_on)
        ),
        sections=(
            meirope_section(figures, words),
            volunteers_section(figures, words),
            schools_section(figures, words),
        ),
        page_label=_("Page {page} of {pages}"),
    )


__all__ = ["Report", "YearFigures", "assemble"]
