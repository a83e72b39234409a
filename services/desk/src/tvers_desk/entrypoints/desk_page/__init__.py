"""The desk page at ``/desk`` (decision 0044): signing in with a desk's (or staff) access code,
recording help in two taps, undoing a record of this browser's within minutes, and keeping
records made offline in the browser until they can be sent (its one script), in nynorsk with
English.

- :mod:`.record_form` (the form read into a record) is pure; :mod:`.views` says what the page
  shows; :mod:`.recent` keeps the last few records' ids and the choices remembered;
- :mod:`.routes` and :mod:`.signing` are the routes.
"""

from tvers_desk.entrypoints.desk_page import routes, signing
from tvers_desk.entrypoints.desk_page.session import wire
from tvers_desk.entrypoints.desk_page.site import SITE, router

SITE.finish(router)

__all__ = ["router", "routes", "signing", "wire"]
