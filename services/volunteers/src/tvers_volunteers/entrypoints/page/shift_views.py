"""A shift as the page shows it to one volunteer: when and where in their language, where they
stand on it in words (never by colour alone), and the actions open to them now. Pure: the rules
of the domain decide what is open (:mod:`..domain.windows`); nothing here is read or written.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from babel.dates import format_date

from tvers_contracts.events.volunteers import ShiftRole
from tvers_contracts.schedule import OSLO
from tvers_runtime.i18n import Locale, _, local_time
from tvers_volunteers.domain.shift import Shift, Stage
from tvers_volunteers.domain.windows import check_in_open, check_in_opens, check_out_closes

#: The weekday and date of a shift, the locale's way (Babel fills in the names).
_DAY_PATTERN = {Locale.NN: "EEEE d. MMMM", Locale.EN: "EEEE d MMMM"}
ROLES = {ShiftRole.HOST: _("Host"), ShiftRole.HELPER: _("Helper")}
FREE_PLACES = _("Free places: {left} of {capacity}")
FULL = _("Full; {waiting} on the waitlist")
YOURS = _("You have this shift.")
WAITING = _("You are number {place} on the waitlist.")
CHECKED_IN = _("You checked in at {time}.")
CHECK_IN_OPENS = _("Check-in opens at {time}.")
NEEDS_ELIGIBILITY = _("Hosting needs a police certificate shown and the introduction completed.")
CLAIM = _("Take the shift")
WAIT = _("Join the waitlist")
RELEASE = _("Give up the shift")
LEAVE = _("Leave the waitlist")
CHECK_IN = _("Check in")
CHECK_OUT = _("Check out")


@dataclass(frozen=True)
class Action:
    """A button: the form's target and its label."""

    path: str
    label: str
    primary: bool = False


@dataclass(frozen=True)
class ShiftView:
    """A shift, said for one volunteer."""

    shift_id: UUID
    when: str
    branch: str
    role: str
    places: str
    standing: str | None = None
    note: str | None = None
    actions: list[Action] = field(default_factory=list)


@dataclass(frozen=True)
class Viewer:
    """Whom a shift is shown to, when, and in which language."""

    volunteer_id: UUID
    may_host: bool
    now: datetime
    locale: Locale
    gettext: Callable[[str], str]
    branch_names: Mapping[str, str]


def when(starts_at: datetime, ends_at: datetime, locale: Locale) -> str:
    """``Torsdag 3. desember, 18:00-20:00`` (Oslo time, with an en dash)."""
    start, end = starts_at.astimezone(OSLO), ends_at.astimezone(OSLO)
    day = format_date(start, _DAY_PATTERN[locale], locale=locale.value)
    said = f"{day}, {local_time(start, locale)}\N{EN DASH}{local_time(end, locale)}"
    return said[:1].upper() + said[1:]


def shift_view(shift: Shift, viewer: Viewer) -> ShiftView:
    """The shift as ``viewer`` sees it, with what they may do now."""
    assert shift.shift_id is not None
    assert shift.starts_at is not None
    assert shift.ends_at is not None
    text = viewer.gettext
    if shift.places_left > 0:
        places = text(FREE_PLACES).format(left=shift.places_left, capacity=shift.capacity)
    else:
        places = text(FULL).format(waiting=len(shift.waitlist))
    standing, note, actions = _where_they_stand(shift, viewer, f"/me/shifts/{shift.shift_id}")
    return ShiftView(
        shift_id=shift.shift_id,
        when=when(shift.starts_at, shift.ends_at, viewer.locale),
        branch=viewer.branch_names.get(shift.branch_id, shift.branch_id),
        role=text(ROLES[shift.role]),
        places=places,
        standing=standing,
        note=note,
        actions=actions,
    )


def _where_they_stand(
    shift: Shift, viewer: Viewer, base: str
) -> tuple[str | None, str | None, list[Action]]:
    """Where the viewer stands on the shift, a note, and the actions open to them now."""
    me = viewer.volunteer_id
    if shift.is_present(me) or me in shift.volunteers:
        return _holding(shift, viewer, base)
    if me in shift.waitlist:
        standing = viewer.gettext(WAITING).format(place=shift.waitlist.index(me) + 1)
        return standing, None, [Action(f"{base}/leave-waitlist", viewer.gettext(LEAVE))]
    note, actions = _open(shift, viewer, base)
    return None, note, actions


def _holding(
    shift: Shift, viewer: Viewer, base: str
) -> tuple[str | None, str | None, list[Action]]:
    """A shift the viewer holds: check in when the window is open, out once in, release before
    the start."""
    assert shift.starts_at is not None
    assert shift.ends_at is not None
    text, me, now = viewer.gettext, viewer.volunteer_id, viewer.now
    present = next((h for h in shift.present if h.volunteer_id == me), None)
    if present is not None:
        standing = text(CHECKED_IN).format(time=_time(present.checked_in_at, viewer.locale))
        closed = now >= check_out_closes(shift.ends_at)
        actions = [] if closed else [Action(f"{base}/check-out", text(CHECK_OUT), primary=True)]
        return standing, None, actions
    note = None
    actions = []
    if shift.served_by(me) is None and check_in_open(shift.starts_at, shift.ends_at, now):
        actions.append(Action(f"{base}/check-in", text(CHECK_IN), primary=True))
    elif now < shift.starts_at:
        opens = check_in_opens(shift.starts_at)
        note = text(CHECK_IN_OPENS).format(time=_time(opens, viewer.locale))
    if now < shift.starts_at:
        actions.append(Action(f"{base}/release", text(RELEASE)))
    return text(YOURS), note, actions


def _open(shift: Shift, viewer: Viewer, base: str) -> tuple[str | None, list[Action]]:
    """A shift the viewer is not on: take it while a place is free, wait for a full one before
    it starts; hosting only for those who may host."""
    assert shift.starts_at is not None
    assert shift.ends_at is not None
    text, now = viewer.gettext, viewer.now
    if shift.role is ShiftRole.HOST and not viewer.may_host:
        return text(NEEDS_ELIGIBILITY), []
    if shift.stage is not Stage.PUBLISHED or now >= shift.ends_at:
        return None, []
    if shift.places_left > 0:
        return None, [Action(f"{base}/claim", text(CLAIM), primary=True)]
    if now < shift.starts_at:
        return None, [Action(f"{base}/claim", text(WAIT))]
    return None, []


def is_open_to(shift: Shift, viewer: Viewer) -> bool:
    """Whether a shift belongs among the open ones for the viewer: published, not over, and
    neither held nor waited for by them."""
    assert shift.ends_at is not None
    me = viewer.volunteer_id
    return (
        shift.stage is Stage.PUBLISHED
        and viewer.now < shift.ends_at
        and me not in shift.volunteers
        and me not in shift.waitlist
        and not shift.is_present(me)
        and shift.served_by(me) is None
    )


def is_ahead_for(shift: Shift, viewer: Viewer) -> bool:
    """Whether a shift belongs among the viewer's own: held or waited for and not over, or
    checked in and not yet checked out."""
    assert shift.ends_at is not None
    me = viewer.volunteer_id
    if shift.is_present(me):
        return True
    return viewer.now < shift.ends_at and (me in shift.volunteers or me in shift.waitlist)


def _time(moment: datetime, locale: Locale) -> str:
    return local_time(moment.astimezone(OSLO), locale)
