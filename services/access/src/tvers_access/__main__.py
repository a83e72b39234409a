"""``python -m tvers_access``: run the service."""

from tvers_access.bootstrap import main

main()
