"""Who is signed in to a service's pages, as route dependencies: the session the request's
cookie carries (a 401 page without one), and a form of the signed-in page (it must carry the
session's form token: a 403 page otherwise, and nothing done).

A service says where its sessions are kept (the attribute of ``app.state`` whose ``session``
method finds the open session of a cookie) and what its "not signed in" page says; this module
makes the dependencies its routes declare.
"""

# No ``from __future__ import annotations``: FastAPI reads the dependencies' annotations, which
# name the closures made below.

from collections.abc import Awaitable, Callable
from typing import Annotated, Any, Generic, Protocol, TypeVar

from fastapi import Depends, Request, status

from tvers_runtime.pages.forms import PostedForm, checked_form
from tvers_runtime.pages.problems import PageProblem

SessionT = TypeVar("SessionT")
SessionT_co = TypeVar("SessionT_co", covariant=True)


class SessionKeeper(Protocol[SessionT_co]):
    """What keeps a service's page sessions."""

    async def session(self, cookie: str) -> SessionT_co | None:
        """The open session a cookie carries; None for none."""


class SignedInPages(Generic[SessionT]):
    """The session dependencies of one service's pages."""

    def __init__(
        self,
        *,
        cookie: str,
        kept_at: str,
        form_token: Callable[[SessionT], str],
        not_signed_in: tuple[str, str],
    ) -> None:
        """``kept_at``: the attribute of ``app.state`` that keeps the sessions (a
        :class:`SessionKeeper`); ``not_signed_in``: the marked message and title of the 401
        page."""
        self._cookie = cookie
        self._kept_at = kept_at
        message, title = not_signed_in

        async def signed_in(request: Request) -> Any:
            session = await self.current(request)
            if session is None:
                raise PageProblem(status.HTTP_401_UNAUTHORIZED, message, title=title)
            return session

        async def posted_form(
            request: Request, session: Annotated[Any, Depends(signed_in)]
        ) -> PostedForm:
            return await checked_form(request, form_token(session))

        #: The signed-in session; a 401 page without one (``Depends(pages.signed_in)``).
        self.signed_in: Callable[[Request], Awaitable[SessionT]] = signed_in
        #: A form of the signed-in page, checked (``Depends(pages.posted_form)``).
        self.posted_form: Callable[..., Awaitable[PostedForm]] = posted_form

    async def current(self, request: Request) -> SessionT | None:
        """The open session of the request's cookie, if any."""
        cookie = request.cookies.get(self._cookie)
        if not cookie:
            return None
        keeper: SessionKeeper[SessionT] = getattr(request.app.state, self._kept_at)
        return await keeper.session(cookie)
