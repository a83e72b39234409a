"""The SIP2 client: the door asks the library system about a card and PIN (23/24, after 93/94)."""

from __future__ import annotations

from tvers_access.adapters.sip2.client import Sip2Account, Sip2LibrarySystem
from tvers_access.settings import AccessSettings
from tvers_runtime.clock import Clock, system_clock

__all__ = ["Sip2Account", "Sip2LibrarySystem", "sip2_library_system"]


def sip2_library_system(
    settings: AccessSettings, *, clock: Clock = system_clock
) -> Sip2LibrarySystem:
    """The SIP2 client the settings describe (``TVERS_SIP2_*``). Raises :class:`ValueError` when
    the login is not configured."""
    if not settings.sip2_login_user:
        raise ValueError("set TVERS_SIP2_LOGIN_USER")
    terminal_password = settings.sip2_terminal_password
    return Sip2LibrarySystem(
        host=settings.sip2_host,
        port=settings.sip2_port,
        account=Sip2Account(
            settings.sip2_login_user,
            settings.sip2_password_text(),
            settings.sip2_terminal_location,
        ),
        institution_id=settings.sip2_institution_id,
        terminal_password=terminal_password.get_secret_value() if terminal_password else "",
        timeout=settings.sip2_timeout,
        pool_size=settings.sip2_pool_size,
        clock=clock,
        timezone=settings.timezone,
        encoding=settings.sip2_encoding,
    )
