"""The desk page and what its forms do: record help (two taps: a category, then a duration
band) through the same use case as ``POST /help``, and undo a record of this browser's within
the undo window. Each form answers with a redirect back to the page and a word of what was done,
or with the page again, in the status the JSON API would give, saying what was refused (nothing
is stored then)."""

from __future__ import annotations

from uuid import UUID

from fastapi import Request, Response, status
from fastapi.responses import RedirectResponse

from tvers_contracts.events.desk import UndoReason
from tvers_desk.entrypoints.dependencies import own_site
from tvers_desk.entrypoints.desk_page.recent import remember
from tvers_desk.entrypoints.desk_page.record_form import FormRefused, read_record, record_body
from tvers_desk.entrypoints.desk_page.session import PAGES, PostedFrom, SignedIn
from tvers_desk.entrypoints.desk_page.signing import sign_in_form
from tvers_desk.entrypoints.desk_page.site import PAGE, SITE, router
from tvers_desk.entrypoints.desk_page.views import cases, page_context
from tvers_runtime.application import CommandContext
from tvers_runtime.domain import DomainError
from tvers_runtime.http.commands import command_context
from tvers_runtime.idempotency import request_fingerprint
from tvers_runtime.pages.forms import PostedForm
from tvers_runtime.pages.problems import refusal_status
from tvers_runtime.pages.refusals import Words
from tvers_runtime.pages.sessions import PageSession


@router.get("/", include_in_schema=False)
async def to_the_page() -> Response:
    """The service's root leads to the page."""
    return RedirectResponse(PAGE, status.HTTP_303_SEE_OTHER)


@router.get(PAGE)
async def desk_page(request: Request) -> Response:
    """The desk page; the sign-in form (401) to whoever is not signed in."""
    session = await PAGES.current(request)
    if session is None:
        return sign_in_form(request, status_code=status.HTTP_401_UNAUTHORIZED)
    return SITE.render(request, "desk.html", await page_context(request, session))


async def page_again(
    request: Request,
    session: PageSession,
    words: Words,
    status_code: int,
    chosen: dict[str, str] | None = None,
) -> Response:
    """The page again, saying what was refused, with the choices made kept."""
    context = await page_context(request, session, problem=words, chosen=chosen)
    return SITE.render(request, "desk.html", context, status_code=status_code)


def _record_context(request: Request, session: PageSession, form: PostedForm) -> CommandContext:
    """The command's context; its idempotency key's fingerprint covers the record's fields only
    (not the form token), so a record kept offline and sent again later is the same request."""
    fingerprint = None
    if form.idempotency_key is not None:
        fingerprint = request_fingerprint(
            key=request.app.state.fingerprint_key,
            method=request.method,
            path=request.url.path,
            query="",
            body=record_body(form.fields),
        )
    return CommandContext(
        tenant=session.principal.tenant,
        correlation_id=request.scope["state"]["correlation_id"],
        idempotency_key=form.idempotency_key,
        principal=session.principal.subject,
        fingerprint=fingerprint,
    )


@router.post(f"{PAGE}/help")
async def record_help(request: Request, session: SignedIn, form: PostedFrom) -> Response:
    """Record help given, as ``POST /help`` does (the page's form key, or the key the page's
    script made for a record kept offline, is the idempotency key)."""
    desk = cases(request)
    try:
        new = read_record(form.fields, own_site=own_site(session.principal), sites=desk.sites)
        given = await desk.give_help(_record_context(request, session, form), new)
    except FormRefused as refused:
        return await page_again(request, session, refused.words, refused.status_code, form.fields)
    except DomainError as error:
        words = SITE.words_for(request, error)
        return await page_again(request, session, words, refusal_status(error), form.fields)
    response = RedirectResponse(f"{PAGE}?done=recorded#recent", status.HTTP_303_SEE_OTHER)
    remember(response, request, given.help_id, form.fields)
    return response


@router.post(f"{PAGE}/help/{{help_id}}/undo")
async def undo_help(
    request: Request, session: SignedIn, form: PostedFrom, help_id: UUID
) -> Response:
    """Undo a record made by mistake, within the undo window (a desk its own site's only)."""
    desk = cases(request)
    context = await command_context(request, session.principal, form.idempotency_key)
    try:
        await desk.undo_help(
            context,
            help_id,
            UndoReason.RECORDED_BY_MISTAKE,
            only_site=own_site(session.principal),
        )
    except DomainError as error:
        words = SITE.words_for(request, error)
        return await page_again(request, session, words, refusal_status(error))
    return RedirectResponse(f"{PAGE}?done=undone#recent", status.HTTP_303_SEE_OTHER)
