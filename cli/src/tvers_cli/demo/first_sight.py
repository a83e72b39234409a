"""What ``tvers demo`` shows at once, before the fill (decision 0041): the dashboard's address,
the viewer's sign-in link and the viewer's token. Light on purpose: it imports nothing of the
fill, so the lines come as soon as reporting is ready (the demo starts it before the others)."""

from __future__ import annotations

from rich.console import Console

from tvers_cli.layout import DataDir
from tvers_runtime.auth import Role, Tokens

#: The line ``tvers demo`` prints when the fill is done (the benchmarks and tests wait for it).
FILLED = "tvers: demo data filled in"
#: The dashboard's sign-in page.
SIGN_IN_PATH = "/sign-in"


def sign_in_link(reporting_url: str, token: str) -> str:
    """The viewer's sign-in link: the token rides in the fragment, which a browser never sends,
    so it reaches no server's log; the sign-in page reads it from there."""
    return f"{reporting_url}{SIGN_IN_PATH}#token={token}"


def viewer_token(data: DataDir, tenant: str) -> str:
    """A viewer's token for the dashboard and the reporting API, signed with the folder's key."""
    return Tokens(data.signing_key()).issue(Role.VIEWER, tenant=tenant, subject="demo-viewer")


def show(console: Console, reporting_url: str, token: str) -> None:
    """Print the dashboard's address, the sign-in link and the token on a line of its own."""
    console.print()
    console.print(
        f"[bold]Dashboard[/bold] {reporting_url}/ (Dashbord). "
        "This link signs you in as a viewer (denne lenkja loggar deg inn):"
    )
    console.print(f"  {sign_in_link(reporting_url, token)}", soft_wrap=True)
    console.print(
        f"Viewer token (for the form at {reporting_url}{SIGN_IN_PATH} and for the JSON API):"
    )
    console.print(token, soft_wrap=True, highlight=False)
    console.print(
        "tvers: the other services start, then the demo data are filled in behind this "
        "(fyller inn demodata); the dashboard grows meanwhile."
    )
    console.print()
