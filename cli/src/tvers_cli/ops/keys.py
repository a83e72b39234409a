"""``tvers keys rotate``: a new token signing key and a new patron root key (decision 0051)."""

from __future__ import annotations

import typer

app = typer.Typer(help="The system's keys: rotate them.", no_args_is_help=True)
