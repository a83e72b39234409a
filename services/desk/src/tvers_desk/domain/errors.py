"""The desk's refusals, each with a stable code for the error body. Pure."""

from __future__ import annotations

from tvers_runtime.domain import Conflict, NotFound, RuleViolated, UnknownReference


class UnknownSite(UnknownReference):
    """The record names a site that is not one of the innbyggartorg sites."""

    code = "unknown_site"


class UnknownCategory(UnknownReference):
    """The record names a category the list never had."""

    code = "unknown_category"


class CategoryNotOffered(RuleViolated):
    """The record names a category that has been retired."""

    code = "category_retired"


class ReferralToOwnDepartment(RuleViolated):
    """A department cannot refer a citizen to itself."""

    code = "referral_to_own_department"


class HelpNotFound(NotFound):
    """No help record by that id (for this caller)."""


class UndoWindowClosed(Conflict):
    """The record is older than the undo window."""

    code = "undo_window_closed"


class AlreadyUndone(Conflict):
    """The record was undone before."""

    code = "already_undone"


class CategoryExists(Conflict):
    """The id is taken by a category (retired ones included: ids are never given again)."""

    code = "category_exists"


class CategoryNameTaken(Conflict):
    """Another category offered has that name."""

    code = "category_name_taken"


class CategoryRetiredBefore(Conflict):
    """The category was retired already; it takes no more changes."""

    code = "category_already_retired"


class CategoryNotFound(NotFound):
    """No category by that id."""
