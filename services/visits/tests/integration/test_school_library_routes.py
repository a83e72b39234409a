"""Every route of deposits, theme days and the network admits the roles it names only: 401
without a valid token for visits, 403 with a token of another role."""

import httpx
import pytest
from fastapi import FastAPI

from tvers_runtime.auth import Role
from tvers_runtime.testing.http import assert_every_route_is_guarded
from tvers_visits.testing.school_page import PAGE_ROUTES

pytestmark = pytest.mark.servers
SCHOOLS = {Role.STAFF, Role.TEACHER, Role.SCHOOL_LIBRARIAN}
#: Deposits, theme days and the network (decision 0034).
SCHOOL_LIBRARY_ROUTES = {
    "POST /deposits": SCHOOLS,
    "GET /deposits": SCHOOLS,
    "GET /deposits/overdue": {Role.STAFF},
    "GET /deposits/{deposit_id}": SCHOOLS,
    "POST /deposits/{deposit_id}/cancel": SCHOOLS,
    "POST /deposits/{deposit_id}/prepared": {Role.STAFF},
    "POST /deposits/{deposit_id}/delivered": {Role.STAFF},
    "POST /deposits/{deposit_id}/due-date": {Role.STAFF},
    "POST /deposits/{deposit_id}/returned": {Role.STAFF},
    "POST /theme-days": {Role.STAFF},
    "POST /theme-days/{theme_day_id}/changes": {Role.STAFF},
    "POST /theme-days/{theme_day_id}/cancel": {Role.STAFF},
    "POST /theme-days/{theme_day_id}/held": {Role.STAFF},
    "GET /theme-days": SCHOOLS,
    "GET /theme-days/{theme_day_id}": SCHOOLS,
    "POST /network/members": {Role.STAFF},
    "POST /network/members/{member_id}/changes": {Role.STAFF},
    "PUT /network/members/{member_id}/name": {Role.STAFF},
    "DELETE /network/members/{member_id}/name": {Role.STAFF},
    "DELETE /network/members/{member_id}": {Role.STAFF},
    "GET /network/members": {Role.STAFF, Role.SCHOOL_LIBRARIAN},
}


async def test_every_school_library_route_needs_a_token_of_its_roles(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    guarded = await assert_every_route_is_guarded(app, client, also_public=PAGE_ROUTES)
    ours = {
        route: roles
        for route, roles in guarded.items()
        if route.split(" ")[1].startswith(("/deposits", "/theme-days", "/network"))
    }
    assert ours == SCHOOL_LIBRARY_ROUTES
