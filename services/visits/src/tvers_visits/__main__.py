"""``python -m tvers_visits``: run the service."""

from tvers_visits.bootstrap import main

main()
