"""Writing in the resource bank on the school's pages: a school librarian writes a new page or
edits one, in Markdown, in a plain form (teachers read only: 403). An edit carries the version it
was based on (a hidden field); if someone saved the page meanwhile, nothing is saved and the
editor comes back saying in words who (by role) changed it when, with the person's own text kept
in the form and the page as it now is beside it, so nothing written is lost. A new page's address
is made from its title."""

from __future__ import annotations

from fastapi import Request, Response, status
from fastapi.responses import RedirectResponse
from slugify import slugify

from tvers_contracts.events.visits import MOST_TITLE_CHARACTERS, AuthorRole, ResourceCategory
from tvers_contracts.values import Slug
from tvers_runtime.auth import Role
from tvers_runtime.domain import DomainError
from tvers_runtime.http.commands import command_context
from tvers_runtime.i18n import _
from tvers_runtime.pages import texts as shared
from tvers_runtime.pages.forms import PostedForm
from tvers_runtime.pages.problems import PageProblem, refusal_status
from tvers_runtime.pages.refusals import Words
from tvers_runtime.pages.sessions import PageSession
from tvers_runtime.pages.site import locale_of
from tvers_visits.domain.resource_page import EditConflict, PageText, page_text
from tvers_visits.entrypoints.school_page import texts
from tvers_visits.entrypoints.school_page.common import page_context
from tvers_visits.entrypoints.school_page.resource_views import CATEGORY, conflict_words
from tvers_visits.entrypoints.school_page.resources import RESOURCES, bank_of
from tvers_visits.entrypoints.school_page.session import PostedFrom, SignedIn
from tvers_visits.entrypoints.school_page.site import PAGE, SITE, router
from tvers_visits.resource_bank import PageView

NEW_PAGE = f"{PAGE}/new-page"
WRITE_A_PAGE = _("Write a new page")
EDIT_A_PAGE = _("Edit the page “{title}”")
#: The longest address a slug may be (``tvers_contracts.values.Slug``).
_SLUG_LENGTH = 63


def librarians_only(session: PageSession) -> None:
    """Only a school librarian writes here (a teacher reads): a 403 page otherwise."""
    if session.principal.role is not Role.SCHOOL_LIBRARIAN:
        raise PageProblem(status.HTTP_403_FORBIDDEN, texts.LIBRARIANS_ONLY)


async def _editor(
    request: Request,
    session: PageSession,
    *,
    action: str,
    sent: dict[str, str],
    heading: str,
    problem: Words | None = None,
    current: PageView | None = None,
    status_code: int = status.HTTP_200_OK,
) -> Response:
    """The editor, filled in with ``sent`` (the page's text, or what the person wrote), and the
    page as it is now (``current``) beside it after an edit met another."""
    said = SITE.catalogs.translator(locale_of(request))
    _school, context = await page_context(request, session, "resources", problem=problem)
    context |= {
        "heading": heading,
        "action": action,
        "sent": sent,
        "categories": [(c.value, said(label)) for c, label in CATEGORY.items()],
        "title_length": MOST_TITLE_CHARACTERS,
        "current": current,
        # Back to the page edited, or to the bank from a new page.
        "back": action,
    }
    return SITE.render(request, "editor.html", context, status_code=status_code)


def _text_of(form: PostedForm) -> PageText:
    """The page the form holds (the domain checks the title and text)."""
    try:
        category = ResourceCategory(form.get("category"))
    except ValueError:
        raise PageProblem(status.HTTP_422_UNPROCESSABLE_CONTENT, texts.CHOOSE_A_CATEGORY) from None
    return page_text(category, form.get("title"), form.get("markdown"))


def _slug_of(form: PostedForm) -> str:
    """A new page's address, made from its title (``Bokklubb på ungdomssteget`` is
    ``bokklubb-pa-ungdomssteget``)."""
    slug = slugify(form.get("title"), max_length=_SLUG_LENGTH, word_boundary=True)
    if not slug:
        raise PageProblem(status.HTTP_422_UNPROCESSABLE_CONTENT, texts.TITLE_WITHOUT_LETTERS)
    return slug


@router.get(NEW_PAGE)
async def new_page(request: Request, session: SignedIn) -> Response:
    """The editor of a new page."""
    librarians_only(session)
    heading = SITE.catalogs.translator(locale_of(request))(WRITE_A_PAGE)
    return await _editor(request, session, action=RESOURCES, sent={}, heading=heading)


@router.post(RESOURCES)
async def create(request: Request, session: SignedIn, form: PostedFrom) -> Response:
    """Write a new page, at an address made from its title."""
    librarians_only(session)
    heading = SITE.catalogs.translator(locale_of(request))(WRITE_A_PAGE)
    context = await command_context(request, session.principal, form.idempotency_key)
    try:
        slug = _slug_of(form)
        await bank_of(request).create(
            context, slug=slug, text=_text_of(form), role=AuthorRole.SCHOOL_LIBRARIAN
        )
    except (PageProblem, DomainError) as refused:
        words, status_code = _refusal(request, refused)
        return await _editor(
            request,
            session,
            action=RESOURCES,
            sent=form.fields,
            heading=heading,
            problem=words,
            status_code=status_code,
        )
    return RedirectResponse(f"{RESOURCES}/{slug}?done=saved", status.HTTP_303_SEE_OTHER)


@router.get(f"{RESOURCES}/{{slug}}/edit")
async def edit_page(request: Request, session: SignedIn, slug: Slug) -> Response:
    """The editor of a page, filled in with the page as it is now."""
    librarians_only(session)
    view = await bank_of(request).page(session.principal.tenant, slug)
    said = SITE.catalogs.translator(locale_of(request))
    sent = {
        "category": view.category.value,
        "title": view.title,
        "markdown": view.markdown,
        "base_version": str(view.version),
    }
    heading = said(EDIT_A_PAGE).format(title=view.title)
    return await _editor(request, session, action=f"{RESOURCES}/{slug}", sent=sent, heading=heading)


@router.post(f"{RESOURCES}/{{slug}}")
async def save(request: Request, session: SignedIn, form: PostedFrom, slug: Slug) -> Response:
    """Save a new version of a page, based on the version the editor was opened on."""
    librarians_only(session)
    base = form.get("base_version")
    if not (base.isascii() and base.isdigit() and 1 <= len(base) <= 10):
        raise PageProblem(status.HTTP_400_BAD_REQUEST, shared.NOT_A_FORM)
    locale = locale_of(request)
    said = SITE.catalogs.translator(locale)
    bank = bank_of(request)
    heading = said(EDIT_A_PAGE).format(title=form.get("title").strip() or slug)
    context = await command_context(request, session.principal, form.idempotency_key)
    sent, current = dict(form.fields), None
    try:
        await bank.edit(
            context,
            slug=slug,
            base_version=int(base),
            text=_text_of(form),
            role=AuthorRole.SCHOOL_LIBRARIAN,
        )
    except EditConflict as conflict:
        # Saving again is saving over what is now there: the person has been told, and sees it.
        sent["base_version"] = str(conflict.current_version)
        if not conflict.removed:
            current = await bank.version(context.tenant, slug, conflict.current_version)
        words, status_code = conflict_words(conflict, locale, said), status.HTTP_409_CONFLICT
    except (PageProblem, DomainError) as refused:
        words, status_code = _refusal(request, refused)
    else:
        return RedirectResponse(f"{RESOURCES}/{slug}?done=saved", status.HTTP_303_SEE_OTHER)
    return await _editor(
        request,
        session,
        action=f"{RESOURCES}/{slug}",
        sent=sent,
        heading=heading,
        problem=words,
        current=current,
        status_code=status_code,
    )


def _refusal(request: Request, refused: PageProblem | DomainError) -> tuple[Words, int]:
    if isinstance(refused, PageProblem):
        return refused.words, refused.status_code
    return SITE.words_for(request, refused), refusal_status(refused)
