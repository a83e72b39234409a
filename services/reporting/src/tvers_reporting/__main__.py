"""``python -m tvers_reporting``: run the service."""

from tvers_reporting.bootstrap import main

main()
