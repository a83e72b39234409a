"""What the operator commands can name: each service's read models (``<service>.<projection>``)
and its subscribers (by durable name), taken from the services' own composition roots."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pydantic import SecretStr

from tvers_cli.nats_accounts import SUBSCRIBERS
from tvers_runtime.projection import Projection
from tvers_runtime.subscriber import Subscriber


@dataclass(frozen=True)
class NamedProjection:
    """A read model and the service whose database keeps it."""

    service: str
    projection: Projection

    @property
    def name(self) -> str:
        """``<service>.<projection>``, as the commands take it."""
        return f"{self.service}.{self.projection.name}"


@cache
def projections() -> dict[str, NamedProjection]:
    """Every read model of the system, by ``<service>.<projection>`` (only reporting keeps read
    models; its composition root builds them, with the time zone of ``TVERS_TIMEZONE``)."""
    from tvers_reporting.bootstrap import build_app  # noqa: PLC0415 - heavy, only when asked
    from tvers_reporting.settings import ReportingSettings  # noqa: PLC0415

    settings = ReportingSettings(database_url=SecretStr("postgresql://unused/unused"))
    host = build_app(settings).state.host
    named = [NamedProjection("reporting", projection) for projection in host.projections]
    return {n.name: n for n in sorted(named, key=lambda n: n.name)}


def subscribers() -> dict[str, tuple[str, Subscriber]]:
    """Every subscriber of the system, by durable name, with the service that runs it."""
    return {
        subscriber.durable: (service, subscriber)
        for service, declared in sorted(SUBSCRIBERS.items())
        for subscriber in declared
    }


class UnknownName(LookupError):
    """No projection or subscriber of that name; the message lists the known ones."""


def projection(name: str) -> NamedProjection:
    """The read model called ``name``."""
    known = projections()
    if name not in known:
        raise UnknownName(f"no projection called {name!r}; the known ones are: {', '.join(known)}")
    return known[name]
