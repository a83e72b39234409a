"""``python -m tvers_cli``: the ``tvers`` command."""

from tvers_cli.main import app

app()
