"""The volunteer self-service page (decision 0027): server-rendered HTML for phones, in nynorsk
with English, reached by a personal sign-in link; plain forms that work without JavaScript.

Its routes are not in the OpenAPI document (they are pages, not an API) and take no bearer
token: a page session, opened by a sign-in link, says who the volunteer is.
"""

from __future__ import annotations

# The modules put their routes on the one router.
from tvers_volunteers.entrypoints.page import erasure, routes, signing
from tvers_volunteers.entrypoints.page.rendering import SITE
from tvers_volunteers.entrypoints.page.router import router
from tvers_volunteers.entrypoints.page.signing import SIGN_IN_PATH

# Any other address under the page is answered by a page too (added last).
SITE.finish(router)

__all__ = ["SIGN_IN_PATH", "erasure", "router", "routes", "signing"]
