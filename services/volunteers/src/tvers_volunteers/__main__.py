"""``python -m tvers_volunteers``: run the service."""

from tvers_volunteers.bootstrap import main

main()
