"""The certificate (*attest*) as a PDF, made on request from a ``CertificateIssued`` event and the
name the vault holds at that moment (fpdf2).

One A4 page in nynorsk or English: the municipality, the volunteer's name, what a library friend
does, the period, the time served, the branches, the date of issue and the signature line. The
texts are gettext messages (``locale/*/LC_MESSAGES/messages.po``, the English text is the
message id); dates, numbers and "12,5 timar" come from Babel in the same locale.

The fonts are DejaVu Sans, shipped in ``fonts/`` with their licence and embedded as subsets, so
any name prints (Sámi and other Latin letters, Greek, Cyrillic), nothing is fetched, and the text
can be extracted again. A PDF made twice from the same content is the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal
from importlib import resources

from babel.units import format_unit
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from tvers_contracts.events.volunteers import CertificateIssued
from tvers_contracts.schedule import OSLO
from tvers_runtime.i18n import Catalogs, Locale, _, local_date

CATALOGS = Catalogs("tvers_volunteers")
FONT = "DejaVuSans"
_FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
_TENTH = Decimal("0.1")
_LABEL_WIDTH = 40

TITLE = _("Certificate")
SUBTITLE = _("Volunteer work as a library friend")
CERTIFIES = _("This is to certify that")
SERVED_AS = _(
    "has been a library friend (bibliotekvenn) at the libraries of {municipality}: a volunteer "
    "host while a library is open without staff (meirope), who welcomes visitors, helps them "
    "and keeps an eye on the premises."
)
PERIOD = _("Period")
TOTAL_TIME = _("Total time")
BRANCHES = _("Libraries")
COUNTED = _("The hours are counted from check-in to check-out on the shifts in the period.")
THANKS = _("Thank you for your contribution!")
ISSUED = _("Issued {date}")


@dataclass(frozen=True)
class CertificateWording:
    """What the municipality puts its name to: its name, and the signature line."""

    municipality: str
    signature: str


@dataclass(frozen=True)
class CertificateContent:
    """What one certificate says. The name is kept out of ``repr`` (and so out of logs)."""

    volunteer_name: str = field(repr=False)
    period_from: date
    period_to: date
    minutes_served: int
    branches: tuple[str, ...]
    issued_on: date
    locale: Locale
    wording: CertificateWording
    #: Branch names by slug; a branch without one is shown by its slug.
    branch_names: Mapping[str, str] = field(default_factory=dict)
    #: The moment of issue, the PDF's creation date (the day of issue at midnight without it).
    issued_at: datetime | None = None


def certificate_content(
    event: CertificateIssued,
    *,
    volunteer_name: str,
    issued_at: datetime,
    wording: CertificateWording,
    branch_names: Mapping[str, str],
) -> CertificateContent:
    """The content of an issued certificate (``issued_at``: its envelope's ``occurred_at``)."""
    return CertificateContent(
        volunteer_name=volunteer_name,
        period_from=event.period_from,
        period_to=event.period_to,
        minutes_served=event.minutes_served,
        branches=tuple(event.branches),
        issued_on=issued_at.astimezone(OSLO).date(),
        locale=Locale(event.locale.value),
        wording=wording,
        branch_names=branch_names,
        issued_at=issued_at,
    )


def hours(minutes: int, locale: Locale) -> str:
    """Minutes as hours to a tenth, rounded down, with the unit: ``12,5 timar``, ``1 hour``."""
    tenths = (Decimal(minutes) / 60).quantize(_TENTH, rounding=ROUND_DOWN)
    # A whole number is given as one, so that English says "1 hour", not "1.0 hours".
    value = int(tenths) if tenths == tenths.to_integral_value() else tenths
    return format_unit(value, "duration-hour", locale=locale.value, format="#,##0.#")


def render_certificate(content: CertificateContent) -> bytes:
    """The certificate as a PDF document."""
    text = CATALOGS.translator(content.locale)
    pdf = _document(content, text(TITLE))
    with ExitStack() as files:
        for style, name in _FONT_FILES.items():
            font = resources.files("tvers_volunteers.adapters").joinpath("fonts", name)
            pdf.add_font(FONT, style, files.enter_context(resources.as_file(font)))
        pdf.add_page()
        _write(pdf, content, text)
        return bytes(pdf.output())


def _document(content: CertificateContent, title: str) -> FPDF:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(left=25, top=25, right=25)
    pdf.set_auto_page_break(auto=True, margin=25)
    pdf.set_lang(content.locale.value)
    pdf.set_title(f"{title} \N{EN DASH} {content.wording.municipality}")
    pdf.set_author(content.wording.municipality)
    pdf.set_creator("Samarbeid på tvers")
    created = content.issued_at or datetime.combine(content.issued_on, datetime.min.time(), OSLO)
    pdf.set_creation_date(created)
    return pdf


def _write(pdf: FPDF, content: CertificateContent, text: Callable[[str], str]) -> None:
    locale, wording = content.locale, content.wording
    _paragraph(pdf, wording.municipality, size=12, bold=True, after=18)
    _paragraph(pdf, text(TITLE), size=28, bold=True)
    _paragraph(pdf, text(SUBTITLE), size=13, after=14)
    _paragraph(pdf, text(CERTIFIES), after=3)
    _paragraph(pdf, content.volunteer_name, size=18, bold=True, after=3)
    _paragraph(pdf, text(SERVED_AS).format(municipality=wording.municipality), after=8)
    period = (local_date(content.period_from, locale), local_date(content.period_to, locale))
    branches = (content.branch_names.get(b, b) for b in content.branches)
    for label, value in (
        (text(PERIOD), " \N{EN DASH} ".join(period)),
        (text(TOTAL_TIME), hours(content.minutes_served, locale)),
        (text(BRANCHES), ", ".join(branches)),
    ):
        pdf.set_font(FONT, "B", 11)
        pdf.cell(_LABEL_WIDTH, 7, label)
        pdf.set_font(FONT, "", 11)
        pdf.multi_cell(
            pdf.epw - _LABEL_WIDTH, 7, value, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
    pdf.ln(4)
    _paragraph(pdf, text(COUNTED), size=9, after=8)
    _paragraph(pdf, text(THANKS), after=14)
    _paragraph(pdf, text(ISSUED).format(date=local_date(content.issued_on, locale)), after=20)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + 80, pdf.get_y())
    pdf.ln(2)
    _paragraph(pdf, wording.signature)


def _paragraph(
    pdf: FPDF, line: str, *, size: int = 11, bold: bool = False, after: float = 0
) -> None:
    """Text across the page, wrapped, starting at the left margin, and space after it."""
    pdf.set_font(FONT, "B" if bold else "", size)
    pdf.multi_cell(pdf.epw, size * 0.5, line, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if after:
        pdf.ln(after)
